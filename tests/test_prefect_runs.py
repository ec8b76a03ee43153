"""`ocrfix run` as a team sees it in Prefect (issue 20), on the session's Prefect server: a run with bad scans
is a Failed flow run whose bad pages are Failed task runs, named after its volume, its artifacts in that
volume's history and on the flow run, its INFO log on the server and not on the terminal; a dead
PREFECT_API_URL is one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

import pytest
from PIL import Image
from typer.testing import CliRunner

from conftest import ROOT, SAMPLES, need
from ocrfix.cli import app


class Ran(NamedTuple):
    code: int
    lines: list[str]
    out: Path


def flow_run_id(lines: list[str]) -> UUID:
    """The flow run whose URL `ocrfix run` printed first."""
    assert lines[0].startswith("ocrfix: flow run at http://"), lines
    return UUID(lines[0].rsplit("/", 1)[1])


def flow_run_and_tasks(run_id: UUID) -> tuple[Any, dict[str, Any]]:
    """The flow run as the server has it, and its task runs by name."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
        return client.read_flow_run(run_id), {t.name: t for t in tasks}


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """volA: the top of a book page, a truncated PNG, an empty PNG and a text file named `.jpg`."""
    folder = tmp_path_factory.mktemp("shelf") / "volA"
    folder.mkdir()
    with Image.open(need(SAMPLES / "scans" / "page2.png")) as im:
        im.crop((0, 0, im.width, 700)).save(folder / "p1.png", dpi=(300, 300))
    whole = (folder / "p1.png").read_bytes()
    (folder / "p2.png").write_bytes(whole[: len(whole) // 2])
    (folder / "p3.png").write_bytes(b"")
    (folder / "p4.jpg").write_text("not a scan\n")
    return folder


@pytest.fixture(scope="module")
def first(prefect_server, volume: Path, tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """`ocrfix run` as a user starts it with PREFECT_API_URL set, Prefect's logging left to the command."""
    out = tmp_path_factory.mktemp("run") / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_LOGGING_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ocrfix.cli",
            "run",
            str(volume),
            str(out),
            "--lang",
            "eng",
            "--workers",
            "2",
            "--formats",
            "",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    return Ran(done.returncode, done.stderr.splitlines(), out)


def test_the_terminal_gets_the_flow_run_url_and_one_line_per_failure(first: Ran, volume: Path):
    assert first.code == 1, "\n".join(first.lines)
    flow_run_id(first.lines)
    assert sorted(first.lines[1:-1]) == [
        f"ocrfix: {volume}/p2.png: damaged image data (image file is truncated)",
        f"ocrfix: {volume}/p3.png: empty file (0 bytes)",
        f"ocrfix: {volume}/p4.jpg: not an image Pillow can read",
    ], "\n".join(first.lines)
    assert first.lines[-1] == f"ocrfix: 1 of 4 pages read, 3 failed; outputs in {first.out}"


def test_a_run_with_bad_scans_is_a_failed_flow_run_and_each_bad_page_a_failed_task_run(first: Ran, volume: Path):
    flow_run, tasks = flow_run_and_tasks(flow_run_id(first.lines))
    assert flow_run.name == "volA · 4 pages"
    assert flow_run.state.is_failed()
    reasons = [f["reason"] for f in json.loads((first.out / "run.json").read_text())["failures"]]
    assert flow_run.state.message == "1 of 4 pages read, 3 failed: " + "; ".join(reasons)
    assert {name: t.state.type.value for name, t in tasks.items()} == {
        "page p1": "COMPLETED",
        "page p2": "FAILED",
        "page p3": "FAILED",
        "page p4": "FAILED",
        "volume volA": "COMPLETED",
    }
    assert tasks["page p4"].state.message == f"{volume}/p4.jpg: not an image Pillow can read"


def test_the_artifacts_are_the_volume_s_own_and_on_its_flow_run(first: Ran):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    run_id = flow_run_id(first.lines)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    assert sorted(a.key for a in artifacts) == ["ocrfix-pages-vola", "ocrfix-summary-vola"]
    summary = next(a for a in artifacts if a.key == "ocrfix-summary-vola")
    assert summary.data.startswith("# volA\n\n1 of 4 pages read, 3 failed.") and "file://" not in summary.data


def test_the_run_s_info_log_goes_to_the_server_and_not_to_the_terminal(first: Ran):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    with get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id(first.lines)])))
    assert any(log.level == 20 and "Finished in state Completed" in log.message for log in logs)  # a page's task
    assert not any("INFO" in line or "Traceback" in line for line in first.lines)


def test_a_rerun_with_nothing_new_says_so_and_keeps_the_timings_of_the_run_that_read(first: Ran, volume: Path):
    before = json.loads((first.out / "run.json").read_text())
    again = CliRunner().invoke(
        app, ["run", str(volume), str(first.out), "--lang", "eng", "--workers", "2", "--formats", ""]
    )
    assert again.exit_code == 1, again.output  # the bad scans fail again
    lines = again.stderr.splitlines()
    assert lines[-1] == f"ocrfix: nothing new: 1 page already done, 3 failed; outputs in {first.out}"
    after = json.loads((first.out / "run.json").read_text())
    assert [p["seconds"] for p in after["pages"]] == [p["seconds"] for p in before["pages"]]
    assert "ocr" in after["pages"][0]["seconds"] and after["pages"][0]["cached"]
    assert after["noop_run"]["pages"] == 1 and "noop_run" not in before
    flow_run, tasks = flow_run_and_tasks(flow_run_id(lines))
    assert flow_run.state.message.startswith("nothing new: 1 page already done, 3 failed: ")
    assert sorted(tasks) == ["page p2", "page p3", "page p4", "volume volA"]  # the page done has no task


@pytest.mark.parametrize("command", ["run", "schedule"])
def test_a_dead_prefect_api_url_is_one_line_and_exit_status_2(tmp_path: Path, volume: Path, command: str):
    from ocrfix.prefect_server import free_port

    url = f"http://127.0.0.1:{free_port()}/api"
    args = (
        [str(volume), str(tmp_path / "out")]
        if command == "run"
        else [str(volume.parent), str(tmp_path / "out"), "--cron", "0 2 * * *"]
    )
    done = subprocess.run(
        [sys.executable, "-m", "ocrfix.cli", command, *args, "--lang", "eng"],
        env={**os.environ, "PREFECT_API_URL": url},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"ocrfix: cannot reach the Prefect API at {url}: start one with `prefect server start` or unset PREFECT_API_URL"
    ]
