"""The volume step's outputs (`pipeline.render_outputs`: every page's files, volume.txt, names.tsv, the review
report) written by one process and by two (`page_files.write_pages`), at several volume sizes: where a second
process starts to pay (`page_files.SECOND_PROCESS_FROM`).

    python benchmarks/volume_step.py --records OUT [--sizes 20,40,160,400] [--repeat 2] [--no-write]

OUT is a finished `ocrfix run` folder (its page records are the pages; they are repeated under other ids up
to each size, as throughput.py repeats the scans). Wall seconds (the second process runs on the other core),
the mean of `--repeat` alternating runs; CPU of this process alone, so no CPU column. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from common import write_section
from ocrfix import lexicon, outputs, page_files
from ocrfix.export import DEFAULT_FORMATS
from ocrfix.model import Page
from ocrfix.pipeline import render_outputs


def volume(records: Path, size: int) -> list[Page]:
    """`size` pages: the records of `records`, repeated under other ids."""
    ids = sorted(p.name.removesuffix(".json") for p in (records / "pages").glob("*.json"))
    pages = []
    for n in range(size):
        page = outputs.read_page(records, ids[n % len(ids)])
        page.id = f"{page.id}-{n // len(ids)}"
        pages.append(page)
    return pages


def timed(pages: list[Page], lex: lexicon.Lexicon, two: bool) -> float:
    before = page_files.SECOND_PROCESS_FROM
    page_files.SECOND_PROCESS_FROM = 1 if two else len(pages) + 1
    try:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            render_outputs(pages, Path(out), DEFAULT_FORMATS, lex, {})
            return time.perf_counter() - start
    finally:
        page_files.SECOND_PROCESS_FROM = before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True)
    parser.add_argument("--sizes", default="20,40,160,400")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    lex = lexicon.load()
    rows = []
    for size in map(int, args.sizes.split(",")):
        pages = volume(args.records, size)
        one, two = [], []
        for _ in range(args.repeat):
            one.append(timed(pages, lex, two=False))
            two.append(timed(pages, lex, two=True))
        a, b = statistics.mean(one), statistics.mean(two)
        rows.append(f"| {size} | {a:.2f} s | {b:.2f} s | {b - a:+.2f} s |")
        print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    text = (
        f"`python benchmarks/volume_step.py --records OUT` (OUT: {args.records.name}, its records repeated to each"
        f" size; formats {', '.join(DEFAULT_FORMATS)}; mean of {args.repeat} alternating runs; load {load:.1f} at"
        " the end): the page files, volume.txt, corrections.tsv, names.tsv and the review report, wall seconds.\n\n"
        "| pages | one process | two processes | difference |\n|---|---|---|---|\n" + "\n".join(rows)
    )
    if not args.no_write:
        write_section("volume-step", text)


if __name__ == "__main__":
    main()
