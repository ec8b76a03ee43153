"""Review precision on the samples: of the places the review report shows a person, how many were read wrong.

    python benchmarks/review_precision.py [--out RUN] [--no-write]

Runs `ocrfix run samples/scans` (or reads the finished run at `--out`), collects the review report's
groups, and for each place in them looks up the word as Tesseract read it against the samples' line
truth (`samples/gt/<page>.gt.txt`, a word alignment of the page's words with the truth's). A place is
worth a look when the reading there is wrong: the review queue should hold those, not words read right.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from common import ROOT, write_section
from ocrfix.evaluate import normalise
from ocrfix.model import Page
from ocrfix.review.items import collect

SAMPLES = ROOT / "samples"


def wrong_readings(page: Page, truth: str) -> set[tuple[int, int]]:
    """(line, word) of every word of the page whose reading is not the truth's word there."""
    places = [(li, wi) for li, line in enumerate(page.lines) for wi, _ in enumerate(line.words)]
    read = [normalise(w.raw) for line in page.lines for w in line.words]
    truth_words = normalise(truth, join_hyphens=True).split()
    right = set()
    for op in Levenshtein.opcodes(read, truth_words):
        if op.tag == "equal":
            right.update(range(op.src_start, op.src_end))
    return {place for k, place in enumerate(places) if k not in right}


def measure(out: Path) -> dict[str, tuple[int, int]]:
    """By kind of group: places shown, places read wrong."""
    pages = [Page.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in sorted((out / "pages").glob("*.json"))]
    wrong = {}
    for page in pages:
        gt = SAMPLES / "gt" / f"{page.id}.gt.txt"
        if gt.exists():
            wrong[page.id] = wrong_readings(page, gt.read_text(encoding="utf-8"))
    shown: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for group in collect(pages):
        for item in group.items:
            if item.page in wrong:
                shown[group.kind] += 1
                hits[group.kind] += (item.line, item.word) in wrong[item.page]
    return {kind: (shown[kind], hits[kind]) for kind in sorted(shown)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="a finished `ocrfix run samples/scans OUT` (default: run it now)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = args.out or Path(work) / "out"
        if args.out is None:
            subprocess.run([sys.executable, "-m", "ocrfix.cli", "run", str(SAMPLES / "scans"), str(out)], check=True)
        result = measure(out)
    # a page-break hyphen is a decision about the word, not a reading to check: its rows stand apart
    shown = sum(n for kind, (n, _) in result.items() if kind != "join")
    hits = sum(h for kind, (_, h) in result.items() if kind != "join")
    rows = [f"| {kind} | {n} | {h} | {h / n:.0%} |" for kind, (n, h) in result.items()]
    rows.append(
        f"| all but join | {shown} | {hits} | {hits / shown:.0%} |" if shown else "| all but join | 0 | 0 | - |"
    )
    print("\n".join(rows))
    if not args.no_write:
        write_section(
            "review-precision",
            "\n".join(
                [
                    "Review precision on the samples (places the review report shows, and how many of them Tesseract read "
                    "wrong, against `samples/gt`), `python benchmarks/review_precision.py`:",
                    "",
                    "| kind | places shown | read wrong | precision |",
                    "|---|---|---|---|",
                    *rows,
                ]
            ),
        )


if __name__ == "__main__":
    main()
