"""`ocrfix correct` on growing inputs: wall time and peak memory, to see how it scales.

    python benchmarks/correct_scale.py [--sizes 1,10,50] [--no-write]

The input is BLN600's OCR text (`../shared/data/bln600-train/*.ocr.txt`, 1.37 MB, one article after
another, repeated as needed) cut to each size in MB; each size is one `ocrfix correct IN -o OUT` as a user
starts it. Memory is the peak of the whole process tree's proportional set size (a page shared by the
forked workers counts once), sampled every half second (psutil, which Prefect installs). CPU time is the
process tree's user and system time: on a busy machine it says what the wall time cannot.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from common import SHARED, write_section

DATA = SHARED / "data" / "bln600-train"


def sample(megabytes: float) -> str:
    """BLN600's OCR articles in order, repeated, cut at a line end near the size."""
    articles = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.ocr.txt")))
    size = int(megabytes * 1_000_000)
    text = articles * (size // len(articles.encode()) + 1)
    return text[:size].rsplit("\n", 1)[0] + "\n"


def tree_pss(root: psutil.Process) -> float:
    """MB of memory the process and its descendants hold, shared pages divided among their sharers."""
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            pass  # a worker that ended between the listing and the reading
    return total / 1e6


def one(megabytes: float, work: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the peak memory (MB) of one `ocrfix correct` over the sample."""
    source, target = work / f"in-{megabytes}.txt", work / f"out-{megabytes}"
    source.write_text(sample(megabytes), encoding="utf-8")
    start, used = time.perf_counter(), _children_cpu()
    child = psutil.Popen(
        [sys.executable, "-m", "ocrfix.cli", "correct", str(source), "-o", str(target)], stderr=subprocess.DEVNULL
    )
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, tree_pss(child))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"ocrfix correct failed on {megabytes} MB (exit {child.returncode})")
    return seconds, _children_cpu() - used, peak


def _children_cpu() -> float:
    """User and system seconds of the processes this one has waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50", help="input sizes in MB, ascending, comma-separated")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    sizes = sorted(float(s) for s in args.sizes.split(","))
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as work:
        for mb in sizes:  # each size's row is written as soon as it is measured: the largest take long
            seconds, cpu, peak = one(mb, Path(work))
            lines.append(
                f"| {mb:g} MB | {seconds:.0f} s | {seconds / mb:.0f} s | {cpu:.0f} s | {peak:.0f} MB"
                f" | {os.getloadavg()[0]:.1f} |"
            )
            print(lines[-1], flush=True)
            if not args.no_write:
                write(lines)


def write(lines: list[str]) -> None:
    write_section(
        "correct-scale",
        "\n".join(
            [
                "`ocrfix correct` on BLN600's OCR text (1.37 MB, repeated) cut to each size (one text), peak memory of",
                "its process tree (PSS), the machine's load (1-minute average) when each ended,",
                "`python benchmarks/correct_scale.py`:",
                "",
                "| input | wall time | per MB | CPU time | peak memory | load |",
                "|---|---|---|---|---|---|",
                *lines,
            ]
        ),
    )


if __name__ == "__main__":
    main()
