"""The volume flow: one Prefect task per page, mapped in parallel, then the volume step."""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.states import Cancelled, State
from prefect.task_runners import ThreadPoolTaskRunner

from ocrfix import tessworker
from ocrfix.export import DEFAULT_FORMATS
from ocrfix.lock import OutputLock
from ocrfix.ocr import OcrCrash, OcrError
from ocrfix.outputs import remove_stale_temporaries
from ocrfix.pipeline import (
    PageResult,
    Settings,
    earlier_result,
    failed_result,
    finish_volume,
    process_page,
    unreadable_result,
    warm_up,
)
from ocrfix.sources import PageRef, list_pages

PAGE_RETRIES = 1
"""A Tesseract crash or timeout is retried once before the page is reported as failed (see `retry_helps`)."""
STOP_WAIT = 30.0
"""Seconds a stopped run waits for its pages past OCR to be written (see `run_volume`)."""

_stopping = threading.Event()
"""Set by `_stop`: the flow is being stopped; no page starts, the volume step is not done."""
_waiting = threading.Event()
"""Set while the main thread waits for the flow's thread (see `_in_own_thread`)."""


def retry_helps(_task: object, _task_run: object, state: State) -> bool:
    """Whether a failed page is worth another try: a Tesseract crash or timeout may not happen twice,
    while Tesseract's refusal of a page and an error of ocrfix's own on an odd image (a ValueError)
    come back every time."""
    return isinstance(state.result(raise_on_failure=False), OcrCrash)


@task(name="page", task_run_name="page {ref.id}", retries=PAGE_RETRIES, retry_delay_seconds=1,
      retry_condition_fn=retry_helps)
def page_task(ref: PageRef, out: Path, settings: Settings) -> PageResult | None:
    """The page's result; None when the run is being stopped: the page is left for the next run."""
    if stopping():
        return None
    try:
        return process_page(ref, out, settings)
    except OcrError:
        if stopping():  # its Tesseract was ended by `_stop`
            return None
        raise


def stopping() -> bool:
    """Whether the run in this process is being stopped (a Dask worker's never is). A function, not
    the event itself, for `page_task`: Dask pickles the task's function by value, an event cannot be."""
    return _stopping.is_set()


@task(name="volume")
def volume_task(
    results: list[PageResult], out: Path, settings: Settings, config: dict[str, Any], formats: tuple[str, ...]
) -> dict[str, Any]:
    run = finish_volume(results, out, settings, config, formats)
    _artifacts(run, out)
    return run


def _artifacts(run: dict[str, Any], out: Path) -> None:
    """A table of the pages and a short summary, visible in the Prefect UI beside the run."""
    create_table_artifact(
        key="ocrfix-pages",
        table=[
            {"page": p["id"], "status": p["status"], "words": p["words"], "confidence": p["mean_conf"],
             "changes": p["changes"], "to review": p["review"], "seconds": round(sum(p["seconds"].values()), 2),
             "reason": p["reason"]}
            for p in run["pages"]
        ],
        description="ocrfix: one row per page",
    )
    s, r = run["summary"], run["review"]
    failures = "".join(f"\n- `{f['id']}`: {f['reason']}" for f in run["failures"])
    create_markdown_artifact(
        key="ocrfix-summary",
        markdown=(
            f"# ocrfix run\n\n{s['pages']} pages, {s['words']} words, {s['changes']} changes applied, "
            f"{r['groups']} groups to review ({r['places']} places, about {r['minutes']} minutes), "
            f"{len(run['failures'])} failed.\n\n[Review report]({(out / 'report.html').as_uri()}) · "
            f"outputs in `{out}`" + (f"\n\n## Failures{failures}" if failures else "")
        ),
        description="ocrfix: summary of the run",
    )


@flow(name="digitise", log_prints=False)
def digitise(
    scans: Path, out: Path, settings: Settings, workers: int, formats: tuple[str, ...] = DEFAULT_FORMATS
) -> dict[str, Any]:
    """Every page of the scan folder through the pipeline, then the volume pass, volume.txt and run.json.
    Pages already finished for the same scan content and settings become no task at all: a rerun
    over a finished folder costs the orchestrator nothing per page."""
    refs, unreadable = list_pages(scans)
    finished = {ref.id: done for ref in refs if (done := earlier_result(ref, out, settings))}
    todo = [ref for ref in refs if ref.id not in finished]
    if todo and isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner):
        # the page threads share this process's lexicon and resident Tesseracts: make them ready
        # while the first pages load, not while Prefect starts (it would slow the start-up)
        readers = min(workers, len(todo))
        threading.Thread(target=warm_up, args=(settings, readers), daemon=True).start()
    for _ in finished:
        _advance(None)
    futures = page_task.map(todo, out=unmapped(out), settings=unmapped(settings))
    for future in as_completed(futures):
        if stopping():
            return Cancelled(message="stopped by a signal; the same command finishes the run")
        _advance(future.task_run_id)
    if stopping():
        return Cancelled(message="stopped by a signal; the same command finishes the run")
    done = {ref.id: _result(ref, f.result(raise_on_failure=False)) for ref, f in zip(todo, futures, strict=True)}
    results = [finished.get(ref.id) or done[ref.id] for ref in refs] + [unreadable_result(u) for u in unreadable]
    config = {"scans": str(scans), "out": str(out), "workers": workers}
    return volume_task(results, out, settings, config, formats)


def _advance(task_run_id: object) -> None:
    if _on_page is not None:
        _on_page(task_run_id)


def _result(ref: PageRef, outcome: PageResult | BaseException) -> PageResult:
    """A task that raised (Tesseract crashed or timed out twice, or anything else once) is a failed
    page, with a one-line reason."""
    return outcome if isinstance(outcome, PageResult) else failed_result(ref, outcome)


_on_page: Callable[[object], None] | None = None


def run_volume(
    scans: Path,
    out: Path,
    settings: Settings,
    workers: int = 0,
    on_page: Callable[[object], None] | None = None,
    dask_address: str | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    locked: bool = False,
    stoppable: bool = False,
) -> dict[str, Any]:
    """Run the flow with one worker thread per page slot (`workers`, 0 for one per core), Tesseract
    itself single-threaded, or on the workers of an existing Dask cluster; `on_page` is called as
    each page finishes. Holds OUT's lock for the run (raises `Busy` when another run holds it),
    unless the caller holds it already (`locked`: `ocrfix run` takes it before Prefect starts, to
    say at once that the folder is busy), and first clears what an interrupted run left half-written.

    `stoppable` (the main thread only, whose signal handlers raise KeyboardInterrupt): the flow runs
    in a thread of its own while this one waits, so that Prefect neither sees the signal nor takes
    SIGTERM for itself. On KeyboardInterrupt the run stops (see `_stop`): no page starts, the pages
    Tesseract is reading are left, those past it are written (for up to `STOP_WAIT` seconds), the
    volume step is not done, Prefect's logging is silenced and the KeyboardInterrupt goes on. Every
    file is written to a temporary name and renamed, so the same command finishes the run."""
    global _on_page
    os.environ["OMP_THREAD_LIMIT"] = "1"
    # a failed page's traceback goes to Prefect's own log of the task (its API handler), not the
    # terminal: the command says what failed, one line a page
    logging.getLogger("prefect.task_runs").propagate = False
    workers = workers or os.cpu_count() or 1
    out.mkdir(parents=True, exist_ok=True)
    with nullcontext() if locked else OutputLock(out):
        remove_stale_temporaries(out)
        _on_page = on_page
        _stopping.clear()
        try:
            runner = _task_runner(workers, dask_address)
            flow_run = digitise.with_options(task_runner=runner)
            if not stoppable:
                return flow_run(scans, out, settings, workers, formats)
            return _in_own_thread(lambda: flow_run(scans, out, settings, workers, formats))
        finally:
            _on_page = None
            _send_logs()


def _send_logs() -> None:
    """Send Prefect's log of the run (a failed page's traceback) to its server now, while a temporary
    server is still up to keep it: sent as this process ends, it would find the server gone and say
    so on stderr."""
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)


def _in_own_thread(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`call()` in a thread of its own (with this one's context: Prefect's settings are context
    variables) while this thread waits for it; on KeyboardInterrupt, the run is stopped first."""
    outcome: dict[str, Any] = {}
    ended = threading.Event()

    def target() -> None:
        try:
            outcome["result"] = call()
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = e
        finally:
            ended.set()

    thread = threading.Thread(target=contextvars.copy_context().run, args=(target,), name="digitise", daemon=True)
    try:
        _waiting.set()
        thread.start()
        ended.wait()  # a signal handler's KeyboardInterrupt ends the wait
    except KeyboardInterrupt:
        _stop(ended)
        raise
    finally:
        _waiting.clear()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def flow_under_way() -> bool:
    """Whether a stoppable run's flow is going and the main thread waits for it: the one place where a
    signal handler's KeyboardInterrupt is sure to be caught, and stops the run."""
    return _waiting.is_set()


def _stop(ended: threading.Event) -> None:
    """Stop the flow running in another thread: no page starts, the resident Tesseracts end (the
    pages they were reading are left), and wait up to `STOP_WAIT` seconds for the pages past OCR to
    be written and the flow to end (Cancelled, with no volume step). What Prefect logs meanwhile, as
    the run and then its temporary server are torn down, is not the user's concern: its logging is
    silenced for good (the command is ending)."""
    logging.disable(logging.CRITICAL)
    _stopping.set()
    tessworker.interrupt()
    if ended.wait(STOP_WAIT):
        tessworker.stop_all()  # children may start again (in this process: a test's)


def _task_runner(workers: int, dask_address: str | None):
    if dask_address is None:
        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=dask_address)


def count_pages(scans: Path) -> int:
    refs, unreadable = list_pages(scans)
    return len(refs) + len(unreadable)
