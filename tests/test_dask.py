"""--dask-address: the page tasks on a Dask cluster of two worker processes give the local run's outputs."""

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES, need
from ocrfix.flows.digitise import run_volume
from ocrfix.pipeline import Settings


def _outputs(out: Path) -> dict[str, bytes]:
    """Every output but run.json (timings) and report.html (it names its own folder)."""
    skip = {"run.json", "report.html"}
    return {
        str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name not in skip
    }


def test_a_run_on_a_dask_cluster_equals_the_local_run(prefect_server, tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("page2.png", "page3.png"):
        shutil.copy(need(SAMPLES / "scans" / name), scans)
    settings = Settings(lang="eng")
    local = run_volume(scans, tmp_path / "local", settings, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_volume(scans, tmp_path / "dask", settings, workers=2, dask_address=cluster.scheduler_address)
    assert [p["status"] for p in remote["pages"]] == [p["status"] for p in local["pages"]] == ["done", "done"]
    assert all("ocr" in p["seconds"] for p in remote["pages"])  # read on the cluster, not taken from a cache
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")
