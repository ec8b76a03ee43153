"""A run on a Dask cluster is followed like a local one: the terminal's watch (which, like its progress bar,
cannot be pickled) stays in the calling process while the flow goes to the workers inside Prefect's context."""

import shutil
import threading
from pathlib import Path

import pytest

from conftest import SAMPLES, need
from ocrfix.flows.digitise import run_volume
from ocrfix.pipeline import Settings


class _Watch:
    """Records what the run reports; holds a lock, as the terminal's progress bar does."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.runs: list[tuple[str | None, int]] = []
        self.pages = 0

    def started(self, flow_run_url: str | None, finished: int) -> None:
        with self._lock:
            self.runs.append((flow_run_url, finished))

    def page_done(self) -> None:
        with self._lock:
            self.pages += 1


def test_a_run_on_a_dask_cluster_reports_its_pages_to_the_caller(prefect_server, tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("page2.png", "page3.png"):
        shutil.copy(need(SAMPLES / "scans" / name), scans)
    watch = _Watch()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run = run_volume(
            scans,
            tmp_path / "out",
            Settings(lang="eng"),
            workers=1,
            watch=watch,
            dask_address=cluster.scheduler_address,
        )
    assert [p["status"] for p in run["pages"]] == ["done", "done"]
    assert [finished for _, finished in watch.runs] == [0]  # no page was done before
    assert watch.pages == 2
