"""Footnote blocks at the page foot (issue 23): found right, false and missed, and the reading text before
and after, on oldbooks-dev and the samples.

    python benchmarks/footnote_blocks.py [--run NAME=OUT ...] [--no-write]

The page records come from `ocrfix run` on each data set (into a temporary folder, or `--run` names a finished
run folder of it, `oldbooks-dev=/tmp/ob`); the pipeline's volume pass (`pipeline.volume_pass`) is done again
on them, once without footnote blocks (before) and once with them (after). A page's truth has a note when the
last line of its `<id>.gt.txt` opens with a marker (`* A rich description of silk.`: 4 of oldbooks-dev's 151
pages; the samples have none). CER: each page's reading text (`text.reading_text`) against the samples'
reading truth, and against oldbooks-dev's page truth (which keeps the running heads: the same cost before and
after).
"""

from __future__ import annotations

import argparse
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, SHARED, ocrfix_run, write_section
from ocrfix import lexicon
from ocrfix.evaluate import ZERO, Score, score
from ocrfix.footnotes import ROLE
from ocrfix.lexicon import Lexicon
from ocrfix.outputs import read_run_pages
from ocrfix.pipeline import volume_pass
from ocrfix.text import reading_text

DATA = {
    "oldbooks-dev": (SHARED / "data" / "oldbooks-dev", ".gt.txt"),
    "samples": (ROOT / "samples" / "scans", ".reading.txt"),
}
TRUTH = {"oldbooks-dev": SHARED / "data" / "oldbooks-dev", "samples": ROOT / "samples" / "gt"}
_NOTE = re.compile(r"(?:^|\n)\s*[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+\s+\w[^\n]*\s*$")
"""A truth whose last line is a note: it opens with a marker and a word (`* A rich description of silk.`)."""


@dataclass
class Figures:
    pages: int = 0
    noted: int = 0
    """Pages whose truth has a note."""
    right: int = 0
    false: int = 0
    missed: int = 0
    before: Score = ZERO
    after: Score = ZERO


def measure(name: str, out: Path, lex: Lexicon) -> Figures:
    truth_dir = TRUTH[name]
    suffix = DATA[name][1]
    pages = read_run_pages(out)
    truths = [(truth_dir / f"{page.id}{suffix}").read_text(encoding="utf-8") for page in pages]
    figures = Figures(pages=len(pages))
    for line in (line for page in pages for line in page.lines if line.role == ROLE):
        line.role = "body"  # as the page step left it
    volume_pass(pages, lex, footnote_blocks=False)
    before = [reading_text(page) for page in pages]
    volume_pass(pages, lex)
    for page, truth, text in zip(pages, truths, before, strict=True):
        noted = bool(_NOTE.search((truth_dir / f"{page.id}.gt.txt").read_text(encoding="utf-8")))
        found = any(line.role == ROLE for line in page.lines)
        figures.noted += noted
        figures.right += noted and found
        figures.false += found and not noted
        figures.missed += noted and not found
        figures.before += score(truth, text, join_hyphens=True)
        figures.after += score(truth, reading_text(page), join_hyphens=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="append", default=[], help="NAME=OUT: a finished run folder of a data set")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    runs = dict(item.split("=", 1) for item in args.run)
    lex = lexicon.load()
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (scans, _) in DATA.items():
            out = Path(runs[name]) if name in runs else Path(tmp) / name
            if name not in runs:
                ocrfix_run(scans, out, "--formats", "hocr")
            results[name] = measure(name, out, lex)
    lines = [
        "`python benchmarks/footnote_blocks.py` (the page records of one `ocrfix run` of each set; the volume "
        "pass done on them without and with footnote blocks):",
        "",
        "| data | pages | pages with a note (truth) | found right | false | missed | reading-text CER before | after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in results.items():
        lines.append(
            f"| {name} | {f.pages} | {f.noted} | {f.right} | {f.false} | {f.missed} | "
            f"{f.before.cer:.2%} | {f.after.cer:.2%} |"
        )
    print("\n".join(lines))
    if not args.no_write:
        write_section("footnote-blocks", "\n".join(lines))


if __name__ == "__main__":
    main()
