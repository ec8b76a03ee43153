"""Where a run's CPU goes, against plain Tesseract's over the same pages: what is left of a wall-time ratio once the
start-up is paid, on a machine whose cores every process shares.

    python benchmarks/run_cpu.py [--pages 40] [--lang eng+fra+spa] [--no-write]

The first `--pages` pages of ../shared/data/oldbooks-dev: plain `tesseract` one process per core (as
`throughput.py`'s baseline), then `ocrfix run` into a new folder on a Prefect server an earlier command left
lingering (so that the server's start, paid once a session, is not counted). CPU is user + system time: the plain
run's and the whole `ocrfix run` process tree's exactly (`RUSAGE_CHILDREN`: every process waits for its children),
the lingering server's from /proc before and after. The tree's CPU is split by process (the command, its resident
Tesseracts, the second process writing page files) by sampling /proc every 0.2 s, so a process's last 0.2 s before
it ends may be missed there; the split is given as shares of the exact total. Then the command's own Python per
page: the page stages' CPU from a profile-free in-process pass over the run's page records (`correct` alone),
which `benchmarks/stage_cpu.py` measures for the others.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from common import SHARED, materialise, plain_tesseract, write_section
from ocrfix.prefect_server import LINGER_ENV, recorded_state, stop_lingering
from startup_profile import FIRST_USE, process_cpu
from throughput import SAMPLE_EVERY, _tree

KINDS = {"ocrfix.tessworker": "resident Tesseracts", "ocrfix.page_files": "page files' second process"}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _kind(pid: int, command: int) -> str:
    if pid == command:
        return "the command (Python stages, Prefect's client, the volume step)"
    try:
        line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    return next((name for key, name in KINDS.items() if key in line), "other")


def tree_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float, Counter[str]]:
    """Wall seconds and CPU of `command`'s process tree (exact), and its CPU by kind of process (sampled)."""
    start, before = time.perf_counter(), children_cpu()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last: dict[int, tuple[str, float]] = {}
    ended = threading.Event()

    def sample() -> None:
        while not ended.wait(SAMPLE_EVERY):
            for pid in _tree(process.pid):
                used = process_cpu(pid)
                if used is not None:
                    last[pid] = (last.get(pid, ("", 0.0))[0] or _kind(pid, process.pid), used)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if process.wait():
        raise SystemExit(f"{' '.join(command)} failed (exit status {process.returncode})")
    seconds, used = time.perf_counter() - start, children_cpu() - before
    ended.set()
    sampler.join()
    kinds: Counter[str] = Counter()
    for kind, cpu in last.values():
        kinds[kind] += cpu
    return seconds, used, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scans, pngs, ids = materialise([SHARED / "data" / "oldbooks-dev"], work, args.pages)
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env |= {"PREFECT_HOME": str(work / "prefect-home"), LINGER_ENV: str(24 * 3600)}
        subprocess.run([sys.executable, "-c", FIRST_USE], check=True, env=env)  # the earlier command: a server lingers
        server = recorded_state(work / "prefect-home")["pid"]
        try:
            before = children_cpu()
            plain_wall = plain_tesseract(sorted(pngs.glob("*.png")), work / "plain", args.lang, workers)
            plain_cpu = children_cpu() - before
            served_before = process_cpu(server) or 0.0
            command = [sys.executable, "-m", "ocrfix.cli", "run", str(scans), str(work / "out"), "--lang", args.lang]
            wall, cpu, kinds = tree_cpu(command, env)
            served = (process_cpu(server) or 0.0) - served_before
        finally:
            stop_lingering(work / "prefect-home")
    pages = len(ids)
    sampled = sum(kinds.values()) or 1.0
    print(f"sampled {sampled:.1f} s of the tree's {cpu:.1f} s")
    rows = [
        f"| plain `tesseract`, one process per core | {plain_wall:.1f} s | {plain_cpu:.1f} s | {plain_cpu / pages:.2f} s |",
        f"| `ocrfix run`: its process tree | {wall:.1f} s | {cpu:.1f} s | {cpu / pages:.2f} s |",
        *(
            f"| - {kind} (sampled, {n / sampled:.0%} of the tree's) | | {cpu * n / sampled:.1f} s | "
            f"{cpu * n / sampled / pages:.3f} s |"
            for kind, n in kinds.most_common()
            if n / sampled >= 0.005
        ),
        f"| `ocrfix run`: the lingering Prefect server, meanwhile | | {served:.1f} s | {served / pages:.3f} s |",
        f"| `ocrfix run`, all | {wall:.1f} s ({wall / plain_wall:.2f}×) | {cpu + served:.1f} s "
        f"({(cpu + served) / plain_cpu:.2f}×) | {(cpu + served) / pages:.2f} s |",
    ]
    table = "\n".join(rows)
    print(table)
    if not args.no_write:
        write_section(
            "run-cpu",
            "\n".join(
                [
                    f"`python benchmarks/run_cpu.py --pages {args.pages}`: oldbooks-dev's first {pages} pages, "
                    f"`--lang {args.lang}`, {workers} cores, `ocrfix run` on a lingering Prefect server "
                    f"(load {os.getloadavg()[0]:.1f} at the end):",
                    "",
                    "| | wall | CPU (user + system) | CPU a page |",
                    "|---|---|---|---|",
                    table,
                ]
            ),
        )


if __name__ == "__main__":
    main()
