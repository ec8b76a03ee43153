"""Footnote markers read from the image (issue 23), before (git's HEAD) and after (the working tree).

    python benchmarks/footnote_markers.py [--before SRC] [--after SRC] [--no-write]

`ocrfix run` on each data set twice, into temporary folders: once with HEAD's code (`--before`, a `src`
folder of it; by default a temporary `git worktree` of HEAD, removed afterwards, put first on PYTHONPATH)
and once with the working tree's (`--after`, another `src` folder). Data: the nine sample scans (their
truth prints 22 footnote markers as superscript figures) and a few oldbooks-dev pages (every 12th, and the 7
whose truth prints superscript fractions, `³⁄16`), whose books have no footnote markers on them: every
marker written there is a false one.

A marker is a run of superscript figures after a word (a fraction's numerator is none); one is read right
when the page's corrected lines (`<id>.lines.txt`) have the same figures after the same word as its truth
(`<id>.gt.txt`) has, counted page by page. CER: the corrected lines against the line truth, and on the
samples the reading text (`<id>.txt`) against `<id>.reading.txt`. Time: the re-reading's share of the
pages' OCR time, from the run's run.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, SHARED, code_before, ocrfix_run, write_section
from ocrfix.evaluate import ZERO, Score, score

SAMPLES = ROOT / "samples"
OLDBOOKS = SHARED / "data" / "oldbooks-dev"
EVERY = 12
"""Which oldbooks-dev pages: every 12th of its 151 (13 pages; with the 7 fraction pages, 20: a minute of
OCR each way on 2 cores)."""
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARKER = re.compile(rf"(\w+)\W*?([{SUPERSCRIPTS}]+)(?!⁄)")


@dataclass
class Figures:
    markers: int = 0
    right: int = 0
    added: int = 0
    """Markers written that the truth does not have (at that word)."""
    lines: Score = ZERO
    reading: Score = ZERO
    marker_seconds: float = 0.0
    ocr_seconds: float = 0.0


def markers(text: str) -> Counter[tuple[str, str]]:
    """The page's footnote markers, each as (the word before it, its figures)."""
    return Counter((m.group(1), m.group(2)) for m in _MARKER.finditer(text))


def measure(out: Path, truth: Path, ids: list[str], reading: bool) -> Figures:
    """A run folder's figures against the truth folder."""
    f = Figures()
    for page_id in ids:
        gt = (truth / f"{page_id}.gt.txt").read_text(encoding="utf-8")
        lines_file = out / "pages" / f"{page_id}.lines.txt"
        lines = lines_file.read_text(encoding="utf-8") if lines_file.is_file() else ""
        want, got = markers(gt), markers(lines)
        f.markers += sum(want.values())
        f.right += sum((want & got).values())
        f.added += sum((got - want).values())
        f.lines += score(gt, lines)
        if reading:
            text_file = out / "pages" / f"{page_id}.txt"
            f.reading += score(
                (truth / f"{page_id}.reading.txt").read_text(encoding="utf-8"),
                text_file.read_text(encoding="utf-8") if text_file.is_file() else "",
            )
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    for page in run["pages"]:
        f.marker_seconds += page["seconds"].get("markers", 0.0)
        f.ocr_seconds += page["seconds"].get("ocr", 0.0)
    return f


def run_both(scans: Path, before_src: Path, after_src: Path, work: Path) -> tuple[Path, Path]:
    """`ocrfix run` of the scans with the code before and after; their output folders."""
    outs = work / "before", work / "after"
    user = tempfile.mkdtemp(prefix="ocrfix-user-")  # no reviewer's remembered decisions in either run
    for out, src in zip(outs, (before_src, after_src), strict=True):
        env = {**os.environ, "PYTHONPATH": str(src), "OCRFIX_USER_DIR": user}
        ocrfix_run(scans, out, env=env)
    return outs


def oldbooks_pages(work: Path) -> tuple[Path, list[str]]:
    """A folder of links to the chosen oldbooks-dev pages, and their ids."""
    pages = sorted(OLDBOOKS.glob("*.png"))
    fractions = {p for p in pages if "⁄" in p.with_suffix(".gt.txt").read_text(encoding="utf-8")}
    chosen = sorted(set(pages[::EVERY]) | fractions)
    folder = work / "scans"
    folder.mkdir()
    for page in chosen:
        (folder / page.name).symlink_to(page)
    return folder, [p.stem for p in chosen]


def table(rows: list[tuple[str, Figures, Figures]]) -> str:
    out = [
        "Footnote markers read from the image (raised small glyphs after a word, re-read as figures),"
        " `python benchmarks/footnote_markers.py` (`ocrfix run`, HEAD's code before, the working tree's after):",
        "",
        "| data | markers in the truth | read right before → after | false markers added | lines CER before → after"
        " | reading-text CER before → after | marker step's time (share of OCR's) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, before, after in rows:
        reading = f"{before.reading.cer:.2%} → {after.reading.cer:.2%}" if after.reading.chars else "—"
        share = after.marker_seconds / after.ocr_seconds if after.ocr_seconds else 0.0
        out.append(
            f"| {name} | {after.markers} | {before.right} → {after.right} | {after.added} |"
            f" {before.lines.cer:.2%} → {after.lines.cer:.2%} | {reading} | {after.marker_seconds:.1f} s ({share:.1%}) |"
        )
    out += [
        "",
        "The marker step is the ink's measurement on every page (OpenCV on the page in memory) and, on a page with a"
        " marker to read, one reading by the resident Tesseract that read the page; its share is of the pages' OCR"
        " time in the same run.",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="the src folder of the code to compare with (default: HEAD's)")
    parser.add_argument("--after", type=Path, default=ROOT / "src", help="the src folder measured (default: ours)")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fm-bench-") as tmp:
        work = Path(tmp)
        with code_before(args.before, work) as before_src:
            rows = []
            sample_ids = sorted(p.name.removesuffix(".gt.txt") for p in (SAMPLES / "gt").glob("*.gt.txt"))
            (work / "samples").mkdir()
            before, after = run_both(SAMPLES / "scans", before_src, args.after, work / "samples")
            gt = SAMPLES / "gt"
            rows.append(
                ("the 9 sample scans", measure(before, gt, sample_ids, True), measure(after, gt, sample_ids, True))
            )
            (work / "oldbooks").mkdir()
            scans, ids = oldbooks_pages(work / "oldbooks")
            before, after = run_both(scans, before_src, args.after, work / "oldbooks")
            name = f"oldbooks-dev, {len(ids)} pages"
            rows.append((name, measure(before, OLDBOOKS, ids, False), measure(after, OLDBOOKS, ids, False)))
    markdown = table(rows)
    print(markdown)
    if not args.no_write:
        write_section("footnote-markers", markdown)


if __name__ == "__main__":
    sys.exit(main())
