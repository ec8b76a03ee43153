"""The volume flow: one Prefect task per page, mapped in parallel, then the volume step."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import flow, task, unmapped
from prefect.task_runners import ThreadPoolTaskRunner

from ocrfix.pipeline import PageResult, Settings, finish_volume, process_page, unreadable_result
from ocrfix.sources import PageRef, list_pages


@task(name="page", task_run_name="page {ref.id}")
def page_task(ref: PageRef, out: Path, settings: Settings) -> PageResult:
    return process_page(ref, out, settings)


@task(name="volume")
def volume_task(results: list[PageResult], out: Path, settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
    return finish_volume(results, out, settings, config)


@flow(name="digitise", log_prints=False)
def digitise(scans: Path, out: Path, settings: Settings, workers: int) -> dict[str, Any]:
    """Every page of the scan folder through the pipeline, then volume.txt and run.json."""
    refs, unreadable = list_pages(scans)
    futures = page_task.map(refs, out=unmapped(out), settings=unmapped(settings))
    results = [f.result(raise_on_failure=False) for f in futures]
    results = [
        r if isinstance(r, PageResult) else PageResult(ref.id, str(ref.path), ref.frame, "failed", f"{ref.path}: {r}")
        for ref, r in zip(refs, results, strict=True)
    ] + [unreadable_result(u) for u in unreadable]
    config = {"scans": str(scans), "out": str(out), "workers": workers}
    return volume_task(results, out, settings, config)


def run_volume(scans: Path, out: Path, settings: Settings, workers: int) -> dict[str, Any]:
    """Run the flow with one worker thread per page slot; Tesseract itself single-threaded."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    runner = ThreadPoolTaskRunner(max_workers=workers)
    return digitise.with_options(task_runner=runner)(scans, out, settings, workers)
