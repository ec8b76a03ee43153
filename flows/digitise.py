"""The volume flow: one Prefect task per page, mapped in parallel, then the volume step."""

from __future__ import annotations

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
from prefect.task_runners import ThreadPoolTaskRunner

from ocrfix.export import DEFAULT_FORMATS
from ocrfix.lock import OutputLock
from ocrfix.outputs import remove_stale_temporaries
from ocrfix.pipeline import (
    PageResult,
    Settings,
    finish_volume,
    finished_result,
    page_key,
    process_page,
    unreadable_result,
    warm_up,
)
from ocrfix.sources import PageRef, list_pages

PAGE_RETRIES = 1
"""A Tesseract crash or timeout is retried once before the page is reported as failed."""


@task(name="page", task_run_name="page {ref.id}", retries=PAGE_RETRIES, retry_delay_seconds=1)
def page_task(ref: PageRef, out: Path, settings: Settings) -> PageResult:
    return process_page(ref, out, settings)


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
    finished = {ref.id: done for ref in refs if (done := finished_result(ref, out, page_key(ref, settings)))}
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
        _advance(future.task_run_id)
    done = {ref.id: _result(ref, f.result(raise_on_failure=False)) for ref, f in zip(todo, futures, strict=True)}
    results = [finished.get(ref.id) or done[ref.id] for ref in refs] + [unreadable_result(u) for u in unreadable]
    config = {"scans": str(scans), "out": str(out), "workers": workers}
    return volume_task(results, out, settings, config, formats)


def _advance(task_run_id: object) -> None:
    if _on_page is not None:
        _on_page(task_run_id)


def _result(ref: PageRef, outcome: object) -> PageResult:
    """A task that raised (Tesseract crashed or timed out, twice) is a failed page, with the reason."""
    if isinstance(outcome, PageResult):
        return outcome
    reason = " ".join(str(outcome).split())[:200] or type(outcome).__name__
    return PageResult(ref.id, str(ref.path), ref.frame, "failed", f"{ref.path}: {reason}")


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
) -> dict[str, Any]:
    """Run the flow with one worker thread per page slot (`workers`, 0 for one per core), Tesseract
    itself single-threaded, or on the workers of an existing Dask cluster; `on_page` is called as
    each page finishes. Holds OUT's lock for the run (raises `Busy` when another run holds it),
    unless the caller holds it already (`locked`: `ocrfix run` takes it before Prefect starts, to
    say at once that the folder is busy), and first clears what an interrupted run left half-written."""
    global _on_page
    os.environ["OMP_THREAD_LIMIT"] = "1"
    workers = workers or os.cpu_count() or 1
    out.mkdir(parents=True, exist_ok=True)
    with nullcontext() if locked else OutputLock(out):
        remove_stale_temporaries(out)
        _on_page = on_page
        try:
            runner = _task_runner(workers, dask_address)
            return digitise.with_options(task_runner=runner)(scans, out, settings, workers, formats)
        finally:
            _on_page = None


def _task_runner(workers: int, dask_address: str | None):
    if dask_address is None:
        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=dask_address)


def count_pages(scans: Path) -> int:
    refs, unreadable = list_pages(scans)
    return len(refs) + len(unreadable)
