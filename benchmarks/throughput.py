"""Speed of `ocrfix run` against plain Tesseract on the same pages, in one invocation.

    python benchmarks/throughput.py [--lang eng+fra+spa] [--limit N] [--no-write]

Pages: the 151 real pages of ../shared/data/oldbooks-dev plus the bundled samples. The baseline is
the `tesseract` CLI, one process per core with OMP_THREAD_LIMIT=1, run before and again after the
first `ocrfix run` (this machine's speed drifts by up to a fifth between runs; the ratio is taken
against the mean of the two). `ocrfix run` does
everything (Prefect start-up, preprocessing, OCR, correction, outputs), then runs again over its
finished folder. Prints both wall times, their ratio, the rerun's share and the time per stage
(summed over pages from run.json), and writes its table in docs/benchmarks.md. Then `ocrfix run` once more into
a fresh folder against a Prefect server already running (`prefect server start`, as a team keeps
one), and last the floor Prefect puts under any run: a flow of one task that does nothing, started
the way `ocrfix run` starts one (temporary server included).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import ROOT, SHARED, materialise, ocrfix_run, plain_tesseract, write_section
from ocrfix.prefect_server import answers, free_port

EMPTY_FLOW = """
from ocrfix.cli import quiet_prefect

quiet_prefect()
from prefect import flow, task

@task
def nothing() -> None:
    pass

@flow
def empty() -> None:
    nothing()

empty()
"""


def prefect_floor() -> float:
    """Wall seconds of a Python process that runs a one-task flow doing nothing (`ocrfix run`'s settings)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", EMPTY_FLOW], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """`prefect server start` on a free port with its own PREFECT_HOME; yields the API URL once it answers."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    command = [str(Path(sys.executable).with_name("prefect")), "server", "start", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    try:
        if not answers(url, server, timeout=120):
            raise SystemExit("prefect server start did not answer in 2 minutes")
        yield url
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scans, pngs, ids = materialise([SHARED / "data" / "oldbooks-dev", ROOT / "samples" / "scans"], work, args.limit)
        images = sorted(pngs.glob("*.png"))
        run_args = ("--lang", args.lang, "--workers", str(args.workers))
        before = plain_tesseract(images, work / "tesseract", args.lang, args.workers)
        first = ocrfix_run(scans, work / "out", *run_args)
        after = plain_tesseract(images, work / "tesseract", args.lang, args.workers)
        base = (before + after) / 2  # the machine's speed drifts: the baseline brackets the run
        run = json.loads((work / "out" / "run.json").read_text())  # the first run's timings
        again = ocrfix_run(scans, work / "out", *run_args)
        with prefect_server(work / "prefect-home") as url:
            served = ocrfix_run(scans, work / "served", *run_args, env={**os.environ, "PREFECT_API_URL": url})
    floor = prefect_floor()
    stages: Counter[str] = Counter()
    for page in run["pages"]:
        stages.update(page["seconds"])
    result = {
        "pages": len(ids),
        "lang": args.lang,
        "workers": args.workers,
        "tesseract_before_s": before,
        "tesseract_after_s": after,
        "tesseract_s": base,
        "ocrfix_s": first,
        "ratio": first / base,
        "rerun_s": again,
        "rerun_share": again / first,
        "served_s": served,
        "served_ratio": served / base,
        "prefect_floor_s": floor,
    }
    print(json.dumps(result, indent=1))
    print("seconds per stage, summed over pages (first run):", json.dumps(dict(stages)))
    if not args.no_write and not args.limit:
        write_section(
            "throughput",
            "\n".join(
                [
                    f"`python benchmarks/throughput.py`: {len(ids)} pages (oldbooks-dev and the samples), "
                    f"`--lang {args.lang}`, {args.workers} workers, one invocation:",
                    "",
                    "| | wall time |",
                    "|---|---|",
                    f"| plain `tesseract` CLI, one process per core (mean of a run before and one after `ocrfix run`) "
                    f"| {base:.0f} s ({before:.0f} s, {after:.0f} s) |",
                    f"| `ocrfix run` (everything) | {first:.0f} s ({first / base:.2f}×) |",
                    f"| `ocrfix run` again over the finished folder | {again:.1f} s ({again / first:.1%} of the first run) |",
                    f"| `ocrfix run` into a new folder, a Prefect server already running (`PREFECT_API_URL`) "
                    f"| {served:.0f} s ({served / base:.2f}×) |",
                    f"| a Prefect flow of one task that does nothing (temporary server included) | {floor:.1f} s |",
                    "",
                    "Seconds per stage, summed over the pages of the first run (two pages run at once, so the wall time "
                    "of a stage is about half its sum): "
                    + ", ".join(f"{k} {v:.0f} s" for k, v in stages.items())
                    + ".",
                ]
            ),
        )


if __name__ == "__main__":
    main()
