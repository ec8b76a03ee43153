"""Speed of `ocrfix run` against plain Tesseract on the same pages, at three batch sizes, in one invocation.

    python benchmarks/throughput.py [--lang eng+fra+spa] [--limit N] [--no-write]

Pages: the 151 real pages of ../shared/data/oldbooks-dev plus the bundled samples (160), of which the first 6
make the small batch, and the 160 repeated under other names to 400 (a whole volume). For each batch the
baseline is the `tesseract` CLI, one process per core with OMP_THREAD_LIMIT=1, run before and again after
`ocrfix run` (this machine's speed drifts by up to a fifth between runs; the ratio is taken against the mean
of the two). `ocrfix run` does everything (Prefect start-up, preprocessing, OCR, correction, outputs), then
runs again over its finished folder, both cold: OCRFIX_SERVER_LINGER=0, the command starts its Prefect server
and stops it at its end; the peak memory of its process tree (the command, its Prefect server, its resident
Tesseracts: the sum of their proportional set sizes, sampled every 0.2 s) is taken for both. Then warm, on a
server an earlier command left lingering (as a user's second command finds it): a 6-page run into a new folder
and the reruns over the three finished folders, their peak memory with the lingering server's. The runs have a
PREFECT_HOME of their own. Prints the wall times, ratios, the reruns' share and the time per stage of the
largest batch (summed over pages from run.json), and writes its table in docs/benchmarks.md. Then `ocrfix run`
once more over the 160 pages into a fresh folder against a Prefect server already running (`prefect server
start`, as a team keeps one), and last the floor Prefect puts under any run: a flow of one task that does
nothing, started the way `ocrfix run` starts one (temporary server included). `--limit N` takes N pages
instead of 160 (and 6, 2.5 N) to check the script quickly; it writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, SHARED, materialise, ocrfix_run, plain_tesseract, write_section
from ocrfix.prefect_server import LINGER_ENV, answers, free_port, recorded_state, stop_lingering
from startup_profile import FIRST_USE

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
        if not answers(url, lambda: server.poll() is None, timeout=120):
            raise SystemExit("prefect server start did not answer in 2 minutes")
        yield url
    finally:
        server.terminate()
        server.wait(30)


SAMPLE_EVERY = 0.2
"""Seconds between two samples of the process tree's memory: a page takes 1-2 s, the peak holds longer."""
VOLUME = 400
"""Pages of a whole volume (the issue's figure), made of the 160 repeated under other names."""
SMALL = 6
"""Pages of a chapter's batch, or of a scheduled tick that finds a few new scans."""


def _tree(root: int) -> list[int]:
    """`root` and every process descended from it, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes (its share of pages shared with others), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


@dataclass
class Measured:
    seconds: float
    peak_bytes: int


def _lingering(home: Path) -> list[int]:
    """The lingering Prefect server of PREFECT_HOME `home`, if one runs: no child of the command that uses it."""
    pid = recorded_state(home).get("pid")
    return [pid] if isinstance(pid, int) else []


def measured_run(scans: Path, out: Path, *args: str, env: dict[str, str]) -> Measured:
    """`ocrfix run` as a user starts it (Prefect start-up included): wall seconds and the peak memory of its
    process tree and of the lingering Prefect server it uses, if any (in `env`'s PREFECT_HOME)."""
    home = Path(env["PREFECT_HOME"])
    start = time.perf_counter()
    command = [sys.executable, "-m", "ocrfix.cli", "run", str(scans), str(out), *args]
    process = subprocess.Popen(command, env=env)
    peak = 0
    ended = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not ended.wait(SAMPLE_EVERY):
            peak = max(peak, sum(_pss(pid) for pid in {*_tree(process.pid), *_lingering(home)}))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    seconds = time.perf_counter() - start
    ended.set()
    sampler.join()
    return Measured(seconds, peak)


def repeated(scans: Path, pngs: Path, total: int, work: Path) -> tuple[Path, Path]:
    """Folders of `total` pages (one more when a multi-page file ends them) made of the pages of `scans` (and
    their PNGs), repeated under other names: `copy2-e009.png`."""
    from ocrfix.sources import list_pages

    pages = Counter(ref.path.name for ref in list_pages(scans)[0])
    volume, volume_pngs = work / f"scans-{total}", work / f"png-{total}"
    volume.mkdir()
    volume_pngs.mkdir()
    made, copy = 0, 0
    while made < total:
        copy += 1
        for name, count in sorted(pages.items()):
            if made >= total:
                break
            (volume / (name if copy == 1 else f"copy{copy}-{name}")).symlink_to((scans / name).resolve())
            made += count
    for ref in list_pages(volume)[0]:
        original = ref.id.split("-", 1)[1] if ref.id.startswith("copy") else ref.id
        (volume_pngs / f"{ref.id}.png").symlink_to(pngs / f"{original}.png")
    return volume, volume_pngs


def subset(scans: Path, pngs: Path, count: int, work: Path) -> tuple[Path, Path]:
    """Folders of the files holding the first `count` pages (a multi-page file brings all its pages)."""
    from ocrfix.sources import list_pages

    refs = list_pages(scans)[0][:count]
    small, small_pngs = work / f"scans-{count}", work / f"png-{count}"
    small.mkdir()
    small_pngs.mkdir()
    for path in dict.fromkeys(r.path for r in refs):
        (small / path.name).symlink_to(path)
    for ref in list_pages(small)[0]:
        (small_pngs / f"{ref.id}.png").symlink_to(pngs / f"{ref.id}.png")
    return small, small_pngs


@dataclass
class Batch:
    pages: int
    tesseract_before: float
    tesseract_after: float
    run: Measured
    rerun: Measured

    @property
    def tesseract(self) -> float:
        return (self.tesseract_before + self.tesseract_after) / 2  # the machine's speed drifts: it brackets the run

    def row(self) -> dict[str, float]:
        return {
            "pages": self.pages,
            "tesseract_before_s": self.tesseract_before,
            "tesseract_after_s": self.tesseract_after,
            "ocrfix_s": self.run.seconds,
            "ratio": self.run.seconds / self.tesseract,
            "peak_gb": self.run.peak_bytes / 1e9,
            "rerun_s": self.rerun.seconds,
            "rerun_share": self.rerun.seconds / self.run.seconds,
            "rerun_peak_gb": self.rerun.peak_bytes / 1e9,
        }


def batch(
    scans: Path, pngs: Path, out: Path, run_args: tuple[str, ...], lang: str, workers: int, env: dict[str, str]
) -> Batch:
    """The bracketed cold run (no server lingering: `env` sets OCRFIX_SERVER_LINGER=0) and its cold rerun."""
    images = sorted(pngs.glob("*.png"))
    before = plain_tesseract(images, out.with_name(out.name + "-tesseract"), lang, workers)
    run = measured_run(scans, out, *run_args, env=env)
    after = plain_tesseract(images, out.with_name(out.name + "-tesseract"), lang, workers)
    rerun = measured_run(scans, out, *run_args, env=env)
    return Batch(len(images), before, after, run, rerun)


@dataclass
class Warm:
    run: Measured
    tesseract: float
    """Plain Tesseract over the same pages, the mean of a run just before and one just after the warm run."""
    reruns: list[Measured]


def warm(
    small: tuple[Path, Path],
    finished: list[tuple[Path, Path]],
    run_args: tuple[str, ...],
    lang: str,
    workers: int,
    env: dict[str, str],
) -> Warm:
    """On a server an earlier command left lingering: a run over `small` (scans, PNGs) into a new folder,
    bracketed by plain Tesseract over the same pages, then a rerun over each of the `finished` (scans, output
    folder); the server is stopped after."""
    env = {**env, LINGER_ENV: str(24 * 3600)}  # it lingers through the runs, however long they take
    subprocess.run([sys.executable, "-c", FIRST_USE], check=True, env=env)  # the earlier command
    images, out = sorted(small[1].glob("*.png")), finished[0][1].with_name("out-warm")
    try:
        before = plain_tesseract(images, out.with_name(out.name + "-tesseract"), lang, workers)
        run = measured_run(small[0], out, *run_args, env=env)
        after = plain_tesseract(images, out.with_name(out.name + "-tesseract"), lang, workers)
        reruns = [measured_run(scans, done, *run_args, env=env) for scans, done in finished]
        return Warm(run, (before + after) / 2, reruns)
    finally:
        stop_lingering(Path(env["PREFECT_HOME"]))


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
        run_args = ("--lang", args.lang, "--workers", str(args.workers))
        volume = VOLUME * len(ids) // 160 if args.limit else VOLUME
        folders = [subset(scans, pngs, SMALL, work), (scans, pngs), repeated(scans, pngs, volume, work)]
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        cold = {**env, "PREFECT_HOME": str(work / "prefect-home-local"), LINGER_ENV: "0"}
        # a first server makes Prefect's database in the new home (3-4 s of its CPU, once per home): not a run's cost
        subprocess.run([sys.executable, "-c", FIRST_USE], check=True, env=cold)
        batches = [
            batch(s, p, work / f"out-{n}", run_args, args.lang, args.workers, cold) for n, (s, p) in enumerate(folders)
        ]
        finished = [(s, work / f"out-{n}") for n, (s, _) in enumerate(folders)]
        warmed = warm(folders[0], finished, run_args, args.lang, args.workers, cold)
        run = json.loads((work / "out-2" / "run.json").read_text())  # the largest batch's timings
        with prefect_server(work / "prefect-home") as url:
            served = ocrfix_run(scans, work / "served", *run_args, env={**os.environ, "PREFECT_API_URL": url})
    floor = prefect_floor()
    stages: Counter[str] = Counter()
    for page in run["pages"]:
        stages.update(page["seconds"])
    middle = batches[1]
    result = {
        "lang": args.lang,
        "workers": args.workers,
        "load": os.getloadavg()[0],
        "batches": [b.row() for b in batches],
        "warm": {
            "run_s": warmed.run.seconds,
            "tesseract_s": warmed.tesseract,
            "run_ratio": warmed.run.seconds / warmed.tesseract,
            "run_peak_gb": warmed.run.peak_bytes / 1e9,
            "reruns_s": [m.seconds for m in warmed.reruns],
            "reruns_peak_gb": [m.peak_bytes / 1e9 for m in warmed.reruns],
        },
        "served_s": served,
        "served_ratio": served / middle.tesseract,
        "prefect_floor_s": floor,
    }
    print(json.dumps(result, indent=1))
    print("seconds per stage, summed over pages (largest batch):", json.dumps(dict(stages)))
    if not args.no_write and not args.limit:
        rows = [
            f"| {b.pages} | {b.tesseract:.1f} s ({b.tesseract_before:.1f}, {b.tesseract_after:.1f}) "
            f"| {b.run.seconds:.1f} s ({b.run.seconds / b.tesseract:.2f}×) | {b.run.peak_bytes / 1e9:.2f} GB "
            f"| {b.rerun.seconds:.1f} s ({b.rerun.seconds / b.run.seconds:.1%}) "
            f"| {w.seconds:.1f} s ({w.seconds / b.run.seconds:.1%}) |"
            for b, w in zip(batches, warmed.reruns, strict=True)
        ]
        write_section(
            "throughput",
            "\n".join(
                [
                    f"`python benchmarks/throughput.py`: oldbooks-dev and the samples (the first {SMALL} pages; all "
                    f"{len(ids)}; repeated under other names to {volume}), `--lang {args.lang}`, {args.workers} "
                    f"workers, one invocation (load {result['load']:.1f} at the end):",
                    "",
                    "| pages | plain `tesseract` CLI, one process per core (mean of a run before and one after) "
                    "| `ocrfix run` (everything), cold | peak memory of its process tree (PSS) "
                    "| `ocrfix run` again over the finished folder, cold | the same, warm |",
                    "|---|---|---|---|---|---|",
                    *rows,
                    "",
                    "Cold: no Prefect server lingering, the command starts its own and stops it (`OCRFIX_SERVER_LINGER"
                    "=0`). Warm: on the server an earlier command left lingering, as the next command finds it (a "
                    f"rerun after a run, in practice). The {batches[0].pages}-page run warm, into a new folder: "
                    f"{warmed.run.seconds:.1f} s ({warmed.run.seconds / warmed.tesseract:.2f}× plain Tesseract's "
                    f"{warmed.tesseract:.1f} s over the same pages, run just before and after it), peak "
                    f"{warmed.run.peak_bytes / 1e9:.2f} GB with the lingering server's memory (as are the warm "
                    "reruns').",
                    "",
                    f"`ocrfix run` over the {len(ids)} pages into a new folder, a Prefect server already running "
                    f"(`PREFECT_API_URL`): {served:.0f} s ({served / middle.tesseract:.2f}×). A Prefect flow of one "
                    f"task that does nothing (temporary server included): {floor:.1f} s.",
                    "",
                    f"Seconds per stage, summed over the pages of the {volume}-page run ({args.workers} pages run at "
                    "once, so the wall time of a stage is about its sum divided by that): "
                    + ", ".join(f"{k} {v:.0f} s" for k, v in stages.items())
                    + ".",
                ]
            ),
        )


if __name__ == "__main__":
    main()
