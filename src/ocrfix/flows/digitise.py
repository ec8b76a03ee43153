"""The volume flow: one Prefect task per page, mapped in parallel, then the volume step."""

from __future__ import annotations

import contextvars
import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Protocol, cast

from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.states import Cancelled, Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.urls import url_for

from ocrfix import tessworker
from ocrfix.export import DEFAULT_FORMATS
from ocrfix.lock import OutputLock
from ocrfix.ocr import OcrCrash, OcrError, stop_readers
from ocrfix.outputs import remove_stale_temporaries
from ocrfix.pipeline import (
    PageResult,
    Settings,
    failed_result,
    finish_volume,
    finished_pages,
    one_thread_per_page,
    process_page,
    run_outcome,
    scan_listing,
    unreadable_result,
    warm_up_ahead,
    worker_count,
)
from ocrfix.sources import PageRef, Unreadable

PAGE_RETRIES = 1
"""A Tesseract crash or timeout is retried once before the page is reported as failed (see `retry_helps`)."""
STOP_WAIT = 30.0
"""Seconds a stopped run waits for its pages past OCR to be written (see `run_volume`)."""
LISTED_FAILURES = 10
"""Failures named in a failed run's state message; run.json and the summary artifact hold them all."""

_stopping = threading.Event()
"""Set by `_stop`: the flow is being stopped; no page starts, the volume step is not done."""
_waiting = threading.Event()
"""Set while the main thread waits for the flow's thread (see `_in_own_thread`)."""


def retry_helps(_task: object, _task_run: object, state: State) -> bool:
    """Whether a failed page is worth another try: a Tesseract crash or timeout may not happen twice,
    while Tesseract's refusal of a page and an error of ocrfix's own on an odd image (a ValueError)
    come back every time."""
    return isinstance(state.result(raise_on_failure=False), OcrCrash)


@task(
    name="page",
    task_run_name="page {ref.id}",
    retries=PAGE_RETRIES,
    retry_delay_seconds=1,
    retry_condition_fn=retry_helps,
)
def page_task(ref: PageRef, out: Path, settings: Settings) -> PageResult | State | None:
    """The page's result; a bad scan's is a Failed state holding it, so that the UI shows the page as
    failed; None when the run is being stopped: the page is left for the next run."""
    if stopping():
        return None
    try:
        result = process_page(ref, out, settings)
    except OcrError:
        if stopping():  # its Tesseract was ended by `_stop`
            return None
        raise
    return Failed(message=result.reason, data=result) if result.status == "failed" else result


@task(name="page", task_run_name="page {item.id}")
def unreadable_task(item: Unreadable) -> State:
    """A file that could not even be opened to count its pages: a failed page like any other."""
    return Failed(message=item.reason, data=unreadable_result(item))


def stopping() -> bool:
    """Whether the run in this process is being stopped (a Dask worker's never is). A function, not
    the event itself, for `page_task`: Dask pickles the task's function by value, an event cannot be."""
    return _stopping.is_set()


@task(name="volume")
def volume_task(
    results: list[PageResult], out: Path, settings: Settings, config: dict[str, Any], formats: tuple[str, ...]
) -> dict[str, Any]:
    return finish_volume(results, out, settings, config, formats)


def volume_name(scans: Path) -> str:
    """What the UI calls the volume: its scan folder's name."""
    return scans.name or str(scans)


def slug(name: str) -> str:
    """`name` in lower-case ASCII letters, digits and dashes (`Mémoires I` → `memoires-i`): all that
    Prefect's artifact keys may hold, and safe in any Prefect name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "volume"


def artifact_key(kind: str, volume: str) -> str:
    """A key of the volume's own (`ocrfix-pages-vola`), so that each volume's artifacts have a history
    of their own."""
    return f"ocrfix-{kind}-{slug(volume)}"


def _artifacts(run: dict[str, Any], volume: str, out: Path) -> None:
    """A table of the pages and a short summary, on the flow run's Artifacts tab and in the volume's history."""
    create_table_artifact(
        key=artifact_key("pages", volume),
        table=[
            {
                "page": p["id"],
                "status": p["status"],
                "words": p["words"],
                "confidence": p["mean_conf"],
                "changes": p["changes"],
                "to review": p["review"],
                "seconds": round(sum(p["seconds"].values()), 2),
                "reason": p["reason"],
            }
            for p in run["pages"]
        ],
        description=f"ocrfix: one row per page of {volume}",
    )
    s, r = run["summary"], run["review"]
    failures = "".join(f"\n- `{f['id']}`: {f['reason']}" for f in run["failures"])
    create_markdown_artifact(
        key=artifact_key("summary", volume),
        markdown=(
            f"# {volume}\n\n{run_outcome(run)}. {s['pages']} pages, {s['words']} words, {s['changes']} changes "
            f"applied, {r['groups']} groups to review ({r['places']} places, about {r['minutes']} minutes).\n\n"
            f"Outputs in `{out}`; the review report is `{out / 'report.html'}` (a browser will not open a file "
            f"from this page: open it where the folder is mounted, or run `ocrfix review {out} --serve`)."
            + (f"\n\n## Failures{failures}" if failures else "")
        ),
        description=f"ocrfix: summary of the run over {volume}",
    )


def volume_state(run: dict[str, Any]) -> State:
    """The flow run's final state: Failed when a page (or volume.pdf) failed, naming the failures, so
    that the UI, notifications and a scheduled tick see it; Completed otherwise. It holds run.json's content."""
    outcome = run_outcome(run)
    if not run["failures"]:
        return Completed(message=outcome, data=run)
    reasons = [f["reason"] for f in run["failures"]]
    more = len(reasons) - LISTED_FAILURES
    listed = "; ".join(reasons[:LISTED_FAILURES]) + (f"; {more} more in run.json" if more > 0 else "")
    return Failed(message=f"{outcome}: {listed}", data=run)


@flow(name="digitise", log_prints=False)
def digitise(
    scans: Path, out: Path, settings: Settings, workers: int, formats: tuple[str, ...] = DEFAULT_FORMATS
) -> State:
    """Every page of the scan folder through the pipeline, then the volume pass, volume.txt and run.json.
    Pages already finished for the same scan content and settings become no task at all: a rerun
    over a finished folder costs the orchestrator nothing per page. Ends Failed when a page failed
    (see `volume_state`)."""
    context = FlowRunContext.get()
    assert context is not None and context.flow_run is not None  # a flow's body runs in its flow run
    refs, unreadable = scan_listing(scans)
    finished = finished_pages(refs, out, settings)
    todo = [ref for ref in refs if ref.id not in finished]
    if todo and isinstance(context.task_runner, ThreadPoolTaskRunner):
        # the page threads share this process's lexicon and resident Tesseracts: make them ready while the
        # first pages load (`ocrfix run` began earlier, with `look_ahead`; then this finds them under way)
        warm_up_ahead(settings, min(workers, len(todo)))
    watch = watching()
    if watch is not None:
        watch.started(url_for("flow-run", obj_id=context.flow_run.id), len(finished))
    futures = page_task.map(todo, out=unmapped(out), settings=unmapped(settings))
    failing = unreadable_task.map(unreadable)
    pending: list[PrefectFuture[Any]] = [*futures, *failing]
    for _ in as_completed(pending):
        if stopping():
            return Cancelled(message="stopped by a signal; the same command finishes the run")
        if watch is not None:
            watch.page_done()
    if stopping():
        return Cancelled(message="stopped by a signal; the same command finishes the run")
    stop_readers()  # every page is read: the volume step's memory need not come on top of theirs
    done = {ref.id: _result(ref, f.result(raise_on_failure=False)) for ref, f in zip(todo, futures, strict=True)}
    unread = cast(list[PageResult], [f.result(raise_on_failure=False) for f in failing])  # each Failed state's data
    results = [finished.get(ref.id) or done[ref.id] for ref in refs] + unread
    config = {"scans": str(scans), "out": str(out), "workers": workers}
    volume = volume_name(scans)
    run = volume_task.with_options(task_run_name=f"volume {volume}")(results, out, settings, config, formats)
    _artifacts(run, volume, out)
    return volume_state(run)


def _result(ref: PageRef, outcome: object) -> PageResult:
    """A task that raised (Tesseract crashed or timed out twice, or anything else once) is a failed
    page, with a one-line reason."""
    if isinstance(outcome, PageResult):
        return outcome
    return failed_result(
        ref, outcome if isinstance(outcome, BaseException) else RuntimeError(f"no result: {outcome!r}")
    )


class Watch(Protocol):
    """What follows a run as it goes (`ocrfix run`'s terminal): called from the flow's thread."""

    def started(self, flow_run_url: str | None, finished: int) -> None:
        """The flow run is under way at this URL; `finished` pages were done by an earlier run."""

    def page_done(self) -> None:
        """One more page has been read, or has failed."""


_WATCH: contextvars.ContextVar[Watch | None] = contextvars.ContextVar("ocrfix_watch", default=None)
"""What follows the run under way in this context (`run_volume`'s `watch`): not a flow parameter, which
Prefect would send to its server."""


def watching() -> Watch | None:
    """The watch of the run under way in this context. Read through a function, never named in the flow's
    body: on Dask the flow goes to the workers inside Prefect's context, its body pickled by value with the
    module globals it names, and neither a context variable nor a terminal's progress bar can be pickled;
    a module's function is pickled by name."""
    return _WATCH.get()


def run_volume(
    scans: Path,
    out: Path,
    settings: Settings,
    workers: int = 0,
    watch: Watch | None = None,
    dask_address: str | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    locked: bool = False,
    stoppable: bool = False,
) -> dict[str, Any]:
    """Run the flow with one worker thread per page slot (`workers`, 0 for one per core), Tesseract
    itself single-threaded, or on the workers of an existing Dask cluster; `watch` follows it. The flow
    run is named after the volume and its pages (`volA · 412 pages`). Returns run.json's content, also
    when the flow run ends Failed for a failed page (an error of the flow itself is raised). Holds OUT's
    lock for the run (raises `Busy` when another run holds it), unless the caller holds it already
    (`locked`: `ocrfix run` takes it before Prefect starts, to say at once that the folder is busy),
    and first clears what an interrupted run left half-written.

    `stoppable` (the main thread only, whose signal handlers raise KeyboardInterrupt): the flow runs
    in a thread of its own while this one waits, so that Prefect neither sees the signal nor takes
    SIGTERM for itself. On KeyboardInterrupt the run stops (see `_stop`): no page starts, the pages
    Tesseract is reading are left, those past it are written (for up to `STOP_WAIT` seconds), the
    volume step is not done, Prefect's logging is silenced and the KeyboardInterrupt goes on. Every
    file is written to a temporary name and renamed, so the same command finishes the run."""
    one_thread_per_page()
    workers = worker_count(workers)
    out.mkdir(parents=True, exist_ok=True)
    with nullcontext() if locked else OutputLock(out):
        remove_stale_temporaries(out)
        watched = _WATCH.set(watch)
        _stopping.clear()
        try:
            pages = count_pages(scans)
            flow_run = digitise.with_options(
                task_runner=_task_runner(workers, dask_address),
                flow_run_name=f"{volume_name(scans)} · {pages} page{'' if pages == 1 else 's'}",
            )

            def call() -> State:
                return flow_run(scans, out, settings, workers, formats, return_state=True)

            state = _in_own_thread(call) if stoppable else call()
        finally:
            _WATCH.reset(watched)
            _send_to_server()
    run = state.result(raise_on_failure=False)
    if isinstance(run, BaseException):
        raise run
    return run


def _send_to_server() -> None:
    """Send Prefect's log of the run (a failed page's traceback) and its events (from which the server
    records the task runs' states) to its server now, while a temporary server is still up to keep
    them: sent as this process ends, they would find the server gone, say so on stderr ("Still
    processing items") and hold up the command's exit."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    events = logging.getLogger(EventsWorker.__name__)  # the worker's own logger, which would say on the terminal
    level = events.level  # that it is still sending the run's last events: not the user's concern
    events.setLevel(logging.ERROR)
    try:
        APILogWorker.drain_all(timeout=5)
        EventsWorker.drain_all(timeout=5)
    finally:
        events.setLevel(level)


def _in_own_thread(call: Callable[[], State]) -> State:
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
    refs, unreadable = scan_listing(scans)
    return len(refs) + len(unreadable)
