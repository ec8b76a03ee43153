"""Where the fixed seconds of `ocrfix run` go: a run over a few pages, then a rerun over its finished folder,
each cold (no Prefect server lingering: the command starts one) and warm (one left by an earlier command).

    python benchmarks/startup_profile.py [--pages 6] [--lang eng+fra+spa] [--no-write]
    python benchmarks/startup_profile.py --rerun SCANS OUT [--lang eng+fra+spa]

Each run is `ocrfix run` in a process of its own, as a user starts it, with a tracer in front of it
(`--child`) that times the steps of the run as they happen: each step's wall span and the CPU of
the thread it ran in, from the moment the process was launched. Its whole CPU (user + sys of the
process and the children it waited for: the resident Tesseracts) is taken by the parent from
`RUSAGE_CHILDREN`, plus the CPU the local Prefect server spent while the command used it (from /proc: a
lingering server is no child the command waits for). The runs have a PREFECT_HOME of their own, and their
server is stopped before each cold case. Then the lingering server's cost while idle: its CPU over a
minute and its memory. Then `python -X importtime` of the modules a run
imports, summed by top-level package. Writes its tables in docs/benchmarks.md (section `startup`)
unless --no-write. `--rerun SCANS OUT` times only a rerun over a folder a run finished (a whole volume, made
once: a rerun's cost grows with its pages) and prints its phases, writing only its trace beside OUT (`OUT.trace.json`).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import importlib.abc
import importlib.machinery
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import ROOT, write_section

TRACED: dict[str, tuple[str, ...]] = {
    "ocrfix.prefect_server": (
        "_spawn",
        "lingering_server",
        "_Server.ready",
        "TemporaryServer.stop",
        "LingeringServer.stop",
    ),
    "ocrfix.sources": ("list_pages",),
    "ocrfix.lexicon": ("_load",),
    "ocrfix.diskcache": ("_read", "_store"),
    "ocrfix.correct.repairs.unknown": ("_build_symspell",),
    "ocrfix._exec.tesseract": ("start_readers", "version"),
    "ocrfix.pipeline": ("warm_up", "process_page", "earlier_result", "finish_volume", "render_outputs", "scan_listing"),
    "ocrfix.flows.digitise": ("run_volume", "_artifacts", "volume_state"),
}
"""What the tracer times, by module: module functions and `Class.method`s, wrapped as the module is imported
(a function another module imports by name is the wrapped one, as long as it is imported after). A name the
code does not have (an older version's) is left out."""


class _Tracer:
    """Spans (name, thread, wall start, wall end, thread CPU) since the process was launched."""

    def __init__(self, launched: float) -> None:
        self.launched = launched
        self.spans: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() - self.launched

    def record(self, name: str, start: float, cpu: float) -> None:
        with self._lock:
            self.spans.append(
                {
                    "name": name,
                    "thread": threading.current_thread().name,
                    "start": start,
                    "end": self.now(),
                    "cpu": time.thread_time() - cpu,
                }
            )

    def wrap(self, name: str, func: Any) -> Any:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start, cpu = self.now(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.record(name, start, cpu)

        return timed


class _TimingLoader(importlib.abc.Loader):
    """A module's own loader, timing its import (when it is one of `TRACED`) and wrapping its traced functions."""

    def __init__(self, loader: importlib.abc.Loader, tracer: _Tracer) -> None:
        self._loader, self._tracer = loader, tracer

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        start, cpu = self._tracer.now(), time.thread_time()
        self._loader.exec_module(module)
        self._tracer.record(f"import {module.__name__}", start, cpu)
        for dotted in TRACED[module.__name__]:
            owner, _, attr = dotted.rpartition(".")
            target = getattr(module, owner, None) if owner else module
            if hasattr(target, attr):
                setattr(target, attr, self._tracer.wrap(dotted, getattr(target, attr)))
        if module.__name__ == "ocrfix.prefect_server":
            for server in (module.TemporaryServer, module.LingeringServer):
                server.__init__ = _with_server_cpu(self._tracer, "server CPU at first", server.__init__, before=False)
                server.stop = _with_server_cpu(self._tracer, "server CPU", server.stop, before=True)
            base = module._Server
            base.ready = _with_server_cpu(self._tracer, "server CPU answering", base.ready, before=False)


def process_cpu(pid: int) -> float | None:
    """The CPU (user + sys) process `pid` has used so far, from /proc; None once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _with_server_cpu(tracer: _Tracer, name: str, method: Any, before: bool) -> Any:
    """A local server's method that records the CPU the server has used so far as span `name`: before the
    method runs (`stop`), or after (`__init__`: when the command takes it; `ready`: once it answers)."""

    @functools.wraps(method)
    def measured(server: Any, *args: Any, **kwargs: Any) -> Any:
        def record() -> None:
            cpu = process_cpu(server.pid)
            if cpu is not None:
                tracer.spans.append({"name": name, "thread": "server", "start": tracer.now(), "cpu": cpu})

        if before:
            record()
        try:
            return method(server, *args, **kwargs)
        finally:
            if not before:
                record()

    return measured


class _TimingFinder(importlib.abc.MetaPathFinder):
    def __init__(self, tracer: _Tracer) -> None:
        self._tracer = tracer

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in TRACED:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            spec = finder.find_spec(name, path, target)  # type: ignore[attr-defined]
            if spec is not None and spec.loader is not None:
                spec.loader = _TimingLoader(spec.loader, self._tracer)
                return spec
        return None


def child(launched: float, trace: Path, command: list[str]) -> None:
    """`ocrfix <command>` in this process, traced; the spans go to `trace` once the exit handlers have run
    (the command may end there, without the interpreter's teardown)."""
    tracer = _Tracer(launched)
    tracer.spans.append({"name": "interpreter start", "thread": "MainThread", "start": 0.0, "end": tracer.now()})

    def write() -> None:  # registered first, so run last
        tracer.spans.append({"name": "exit handlers run", "thread": "MainThread", "start": tracer.now()})
        trace.write_text(json.dumps({"spans": tracer.spans}))

    atexit.register(write)
    sys.meta_path.insert(0, _TimingFinder(tracer))
    sys.argv = ["ocrfix", *command]  # as the console script: cli.py sets its early signal handlers
    start, cpu = tracer.now(), time.thread_time()
    from ocrfix import cli

    tracer.record("import ocrfix.cli", start, cpu)
    cli.main()


def traced_run(scans: Path, out: Path, lang: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One `ocrfix run` through the tracer; its spans, wall seconds and CPU seconds (the process tree's, and a
    lingering server's while the command used it)."""
    trace = out.with_suffix(".trace.json")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    launched = time.time()
    start = time.perf_counter()
    command = [sys.executable, __file__, "--child", str(launched), str(trace), "run", str(scans), str(out)]
    subprocess.run([*command, "--lang", lang], check=False, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spans = json.loads(trace.read_text())["spans"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"spans": spans, "wall": wall, "cpu": cpu + _lingering_cpu(spans)}


def _lingering_cpu(spans: list[dict[str, Any]]) -> float:
    """The CPU a lingering server spent while the command used it (0 for a temporary one: the command waited
    for it, so `RUSAGE_CHILDREN` has its CPU)."""
    if not any(s["name"] == "LingeringServer.stop" for s in spans):
        return 0.0
    first = next((s["cpu"] for s in spans if s["name"] == "server CPU at first"), None)
    last = next((s["cpu"] for s in spans if s["name"] == "server CPU"), None)
    return last - first if first is not None and last is not None else 0.0


def phases(run: dict[str, Any]) -> list[tuple[str, float, float | None]]:
    """The run cut into phases: (phase, wall seconds, CPU seconds of the thread doing it, when one thread does it).
    Phases that overlap others (the server starting, the warm-up thread) say `alongside`."""
    spans = run["spans"]

    def first(name: str) -> dict[str, Any] | None:
        return next((s for s in spans if s["name"] == name), None)

    def every(name: str) -> list[dict[str, Any]]:
        return [s for s in spans if s["name"] == name]

    def span(name: str) -> tuple[float, float | None]:
        found = every(name)
        if not found:
            return 0.0, None
        return sum(s["end"] - s["start"] for s in found), sum(s.get("cpu", 0.0) for s in found)

    rows: list[tuple[str, float, float | None]] = []
    rows.append(("interpreter start", first("interpreter start")["end"], None))  # type: ignore[index]
    rows.append(("import ocrfix.cli", *span("import ocrfix.cli")))
    if first("lingering_server"):
        rows.append(("lingering server looked up or started (lock, state file, lease)", *span("lingering_server")))
    spawned = first("_spawn")
    ready = first("_Server.ready")
    at_first, server_cpu, start_cpu = first("server CPU at first"), first("server CPU"), first("server CPU answering")
    if at_first and server_cpu:
        rows.append(
            (
                "(alongside) local Prefect server, its CPU while the command used it",
                0.0,
                server_cpu["cpu"] - at_first["cpu"],
            )
        )
    if spawned and at_first and start_cpu:
        rows.append(
            ("(alongside) local Prefect server, its CPU until answering", 0.0, start_cpu["cpu"] - at_first["cpu"])
        )
    if spawned and ready:
        rows.append(("(alongside) local Prefect server: spawned to answering", ready["end"] - spawned["start"], None))
    rows.append(("import ocrfix.flows.digitise (Prefect)", *span("import ocrfix.flows.digitise")))
    listings = every("scan_listing") or every("list_pages")  # the second: code before the listing was kept
    if listings:
        rows.append(("scan listing, before the flow", listings[0]["end"] - listings[0]["start"], None))
    if ready:
        rows.append(("waiting for the local server", ready["end"] - ready["start"], ready["cpu"]))
    run_volume = first("run_volume")
    # the flow's body begins by listing the scans and ends by making the run's state
    inside = [s for s in listings if run_volume and s["start"] > run_volume["start"]]
    body = inside[1] if len(inside) > 1 else None  # the first is run_volume's count of the pages
    last = first("volume_state")
    if run_volume and body:
        rows.append(("Prefect: flow run created and started", body["start"] - run_volume["start"], None))
        checks = every("earlier_result")
        rows.append(
            (
                "flow: scan listing and finished pages checked",
                (checks[-1]["end"] if checks else body["end"]) - body["start"],
                None,
            )
        )
    for name, label in (
        ("warm_up", "(alongside) warm-up: readers, lexicon, SymSpell index"),
        ("start_readers", "(alongside) resident Tesseracts started"),
        ("_load", "lexicon loaded (its frequencies and tables from the cache)"),
        ("_read", "cache read (lexicon, SymSpell index)"),
        ("_store", "cache written (lexicon, SymSpell index)"),
        ("_build_symspell", "SymSpell index built"),
    ):
        wall, cpu = span(name)
        if cpu is not None:
            rows.append((label, wall, cpu))
    pages = every("process_page")
    if pages:
        rows.append(
            (
                f"pages ({len(pages)}), first started to last finished",
                max(s["end"] for s in pages) - min(s["start"] for s in pages),
                None,
            )
        )
        rows.append(("(alongside) pages, their threads' CPU", 0.0, sum(s["cpu"] for s in pages)))
    rows.append(("volume step (finish_volume)", *span("finish_volume")))
    rows.append(("Prefect artifacts", *span("_artifacts")))
    if run_volume and last:
        rows.append(("Prefect: flow run finished, logs sent", run_volume["end"] - last["end"], None))
    end = first("exit handlers run")
    stop = first("TemporaryServer.stop")
    if run_volume and end:
        rows.append(
            (
                "after the run: server stopped or let go, last line, exit handlers (readers ended)",
                end["start"] - run_volume["end"],
                None,
            )
        )
    if end:
        rows.append(("process exit (the interpreter's teardown)", run["wall"] - end["start"], None))
    if stop:
        rows.append(("(within) temporary server stopped", stop["end"] - stop["start"], None))
    return rows


def import_breakdown(top: int = 8) -> list[tuple[str, float]]:
    """Seconds `python -X importtime` gives the modules a run imports, summed by top-level package (self times)."""
    code = "import ocrfix.cli, ocrfix.flows.digitise, ocrfix.pipeline"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], check=True, capture_output=True, text=True
    ).stderr
    by_package: dict[str, float] = {}
    for line in done.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if found:
            package = found[2].split(".")[0]
            by_package[package] = by_package.get(package, 0.0) + int(found[1]) / 1e6
    total = sum(by_package.values())
    return [("all", total), *sorted(by_package.items(), key=lambda item: -item[1])[:top]]


def table(runs: dict[str, dict[str, Any]]) -> list[str]:
    """The phases of each run (a column each, named by the dict's keys), in the order they first appear."""
    rows = {case: {n: (w, c) for n, w, c in phases(run)} for case, run in runs.items()}
    names = list(dict.fromkeys(n for found in rows.values() for n in found))

    def cell(found: tuple[float, float | None] | None) -> str:
        if found is None:
            return "—"
        wall, cpu = found
        shown = f"{wall:.2f}" if wall else ""
        return shown + (f" ({cpu:.2f} CPU)" if cpu is not None else "")

    lines = ["| phase | " + " | ".join(f"{case}, s" for case in runs) + " |", "|---" * (len(runs) + 1) + "|"]
    lines += [f"| {n} | " + " | ".join(cell(found.get(n)) for found in rows.values()) + " |" for n in names]
    lines.append("| **whole command, wall** | " + " | ".join(f"**{r['wall']:.2f}**" for r in runs.values()) + " |")
    lines.append(
        "| **whole command, CPU (user+sys, process tree and server)** | "
        + " | ".join(f"**{r['cpu']:.2f}**" for r in runs.values())
        + " |"
    )
    return lines


FIRST_USE = "from ocrfix.prefect_server import started_early\nwith started_early() as use, use():\n    pass"
"""A command that starts the local server of its PREFECT_HOME and waits until it answers."""
IDLE = 60.0
"""Seconds the lingering server is watched idle, after the runs (the brief's minute: Prefect's services tick every
few seconds, so a minute holds many of their rounds)."""


def idle_cost(home: Path) -> tuple[float, float]:
    """The lingering server of `home` left alone for `IDLE` seconds: (CPU seconds a minute, resident MB at the end)."""
    from ocrfix.prefect_server import STATE  # here, not at the top: the child imports it traced

    pid = json.loads((home / STATE).read_text())["pid"]
    before = process_cpu(pid)
    time.sleep(IDLE)
    after = process_cpu(pid)
    if before is None or after is None:
        raise SystemExit("the lingering server ended while idle: is OCRFIX_SERVER_LINGER under a minute?")
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    return (after - before) * 60 / IDLE, rss


def rerun(scans: Path, out: Path, lang: str) -> None:
    """Print the phases of `ocrfix run` over SCANS into OUT, a folder an earlier run finished (warm if a server
    lingers in this environment's PREFECT_HOME)."""
    load = os.getloadavg()
    again = traced_run(scans, out, lang)
    print(f"`ocrfix run` again over {out} ({lang}; load {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after)")
    for name, wall, cpu in phases(again):
        print(f"| {name} | {wall:.2f}" + (f" ({cpu:.2f} CPU)" if cpu is not None else "") + " |")
    print(f"| **whole command, wall** | **{again['wall']:.2f}** |")
    print(f"| **whole command, CPU (user+sys, process tree and server)** | **{again['cpu']:.2f}** |")


def cases(scans: Path, work: Path, lang: str) -> dict[str, dict[str, Any]]:
    """The four runs, in a PREFECT_HOME of the benchmark's own (its database made first): a run and a rerun
    cold (no server lingers when they start; the one they start lingers after), then a run into a new folder
    and its rerun warm (on the server the cold rerun left)."""
    from ocrfix.prefect_server import LINGER_ENV, stop_lingering

    home = work / "prefect-home"
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", LINGER_ENV)}
    env["PREFECT_HOME"] = str(home)
    # a first server makes Prefect's database in the new home (3-4 s of its CPU, once per home): not a run's cost
    subprocess.run([sys.executable, "-c", FIRST_USE], check=True, env=env)
    runs = {}
    for case, out in (("run cold", "out"), ("rerun cold", "out"), ("run warm", "out-warm"), ("rerun warm", "out-warm")):
        if case.endswith("cold"):
            stop_lingering(home)
        runs[case] = traced_run(scans, work / out, lang, env)
    return runs


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(float(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6, help="pages of samples/scans to run over")
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--rerun", nargs=2, type=Path, metavar=("SCANS", "OUT"), help="a finished folder's rerun only")
    args = parser.parse_args()
    if args.rerun:
        rerun(*args.rerun, args.lang)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scans = work / "scans"
        scans.mkdir()
        from ocrfix.sources import list_pages

        refs = list_pages(ROOT / "samples" / "scans")[0][: args.pages]
        for path in dict.fromkeys(r.path for r in refs):  # whole files: a TIFF brings all its pages
            (scans / path.name).symlink_to(path.resolve())
        pages = len(list_pages(scans)[0])
        load = os.getloadavg()
        try:
            runs = cases(scans, work, args.lang)
            load_after = os.getloadavg()
            idle_cpu, idle_rss = idle_cost(work / "prefect-home")
        finally:
            from ocrfix.prefect_server import stop_lingering

            stop_lingering(work / "prefect-home")
    imports = import_breakdown()
    lines = [
        f"`python benchmarks/startup_profile.py`: `ocrfix run` over {pages} pages of samples/scans "
        f"(`--lang {args.lang}`, {os.cpu_count()} cores; load {load[0]:.1f} before, {load_after[0]:.1f} after), "
        "then again over its finished folder, first cold (no Prefect server lingering: the command starts one), "
        "then warm (into a new folder, on the server the cold rerun left lingering). Wall seconds per phase, and "
        "the CPU of the thread that did it; `(alongside)` phases overlap the others.",
        "",
        *table(runs),
        "",
        f"The lingering server, idle for {IDLE:.0f} s after the runs: {idle_cpu:.2f} s of CPU a minute, "
        f"{idle_rss:.0f} MB resident.",
        "",
        "Imports (`python -X importtime`, self times summed by package): "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in imports)
        + ".",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("startup", "\n".join(lines))


if __name__ == "__main__":
    main()
