"""Scheduled batch runs: a tick over volume folders with new scans, the served deployment, prefect.yaml."""

import inspect
import shutil
from pathlib import Path

import pytest
import yaml
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.schedules import CronSchedule
from prefect.states import State

from conftest import ROOT, SAMPLES, need
from ocrfix.flows.schedule import deploy_settings, deployment, digitise_folders, volume_folders


def test_a_tick_processes_every_volume_and_then_only_what_is_new(prefect_server, tmp_path: Path):
    shelf, out = tmp_path / "shelf", tmp_path / "out"
    for volume, page in (("vol2", "page2.png"), ("vol10", "page3.png")):
        (shelf / volume).mkdir(parents=True)
        shutil.copy(need(SAMPLES / "scans" / page), shelf / volume)
    (shelf / "notes").mkdir()  # a folder without scans is no volume
    assert [p.name for p in volume_folders(shelf)] == ["vol2", "vol10"]

    first = digitise_folders(str(shelf), str(out), lang="eng", workers=2, return_state=True)
    assert first.is_completed()
    assert {name: s["read"] for name, s in first.result().items()} == {"vol2": 1, "vol10": 1}
    assert (out / "vol2" / "pages" / "page2.lines.txt").is_file()
    assert sorted(run.name for run in _subflows(first)) == ["vol10 · 1 page", "vol2 · 1 page"]

    shutil.copy(SAMPLES / "scans" / "page4.jpg", shelf / "vol2")
    (shelf / "vol10" / "torn.png").write_bytes((shelf / "vol10" / "page3.png").read_bytes()[:5000])
    second = digitise_folders(str(shelf), str(out), lang="eng", workers=2, return_state=True)
    summaries = second.result(raise_on_failure=False)
    assert {name: (s["pages"], s["read"]) for name, s in summaries.items()} == {"vol2": (2, 1), "vol10": (2, 0)}
    # the tick is as bad as its worst volume, and says which
    assert second.is_failed()
    assert second.message == "1 of 2 volumes failed: vol10: nothing new: 1 page already done, 1 failed"
    assert {run.name: run.state.type.value for run in _subflows(second)} == {
        "vol2 · 2 pages": "COMPLETED",
        "vol10 · 2 pages": "FAILED",
    }


def _subflows(tick: State) -> list[FlowRun]:
    """The flow runs a tick started, one per volume."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[tick.state_details.flow_run_id])
            )
        )


def test_a_tick_over_a_folder_that_is_not_there_fails_in_one_line(prefect_server, tmp_path: Path):
    tick = digitise_folders(str(tmp_path / "not-mounted"), str(tmp_path / "out"), return_state=True)
    assert tick.is_failed() and tick.message == f"{tmp_path / 'not-mounted'}: not a folder"


def test_the_served_deployment_runs_the_folder_flow_on_the_cron(tmp_path: Path):
    d = deployment(tmp_path / "shelf", tmp_path / "out", "0 2 * * *", "eng+fra", ("/srv/names.txt",), 2, "Europe/Paris")
    assert [(s.schedule.cron, s.schedule.timezone) for s in d.schedules] == [("0 2 * * *", "Europe/Paris")]
    assert d.parameters == {
        "scans": str(tmp_path / "shelf"),
        "out": str(tmp_path / "out"),
        "lang": "eng+fra",
        "dictionaries": ["/srv/names.txt"],
        "workers": 2,
    }
    assert d.entrypoint.endswith("flows/schedule.py:digitise_folders")


def test_deployments_of_two_output_folders_with_one_name_do_not_collide(tmp_path: Path):
    def named(out: Path, name: str | None = None) -> str:
        return deployment(tmp_path / "shelf", out, "0 2 * * *", "eng", (), 0, name=name).name

    first, second = named(tmp_path / "a" / "out"), named(tmp_path / "b" / "out")
    assert first.startswith("ocrfix-out-") and second.startswith("ocrfix-out-") and first != second
    assert named(tmp_path / "a" / "out") == first  # the same folder keeps its deployment
    assert named(tmp_path / "a" / "out", "nightly-serge") == "nightly-serge"
    assert (
        deployment(tmp_path / "shelf", tmp_path / "out", "0 2 * * *", "eng", (), 0).schedules[0].schedule.timezone
        == "UTC"
    )


def test_prefect_yaml_deploys_the_same_flow_with_valid_parameters():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    for d in spec["deployments"]:
        path, name = d["entrypoint"].split(":")
        assert (ROOT / path).is_file() and name == digitise_folders.fn.__name__
        assert set(d["parameters"]) <= set(inspect.signature(digitise_folders.fn).parameters)
        assert {"scans", "out"} <= set(d["parameters"])


def test_prefect_yaml_takes_its_folders_and_time_zone_from_the_environment_or_defaults(monkeypatch: pytest.MonkeyPatch):
    """As `prefect deploy` resolves it: its build step's outputs fill in the deployment and the pull step."""
    from prefect.utilities.templating import apply_values

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    monkeypatch.setenv("OCRFIX_SCANS", "/mnt/shelf")
    monkeypatch.setenv("OCRFIX_TIMEZONE", "Europe/Paris")
    for unset in ("OCRFIX_OUT", "OCRFIX_CRON", "OCRFIX_REPOSITORY"):
        monkeypatch.delenv(unset, raising=False)
    (step,) = spec["build"]
    outputs = {step[next(iter(step))]["id"]: deploy_settings()}
    resolved = apply_values(spec, outputs)
    (d,) = resolved["deployments"]
    assert (d["parameters"]["scans"], d["parameters"]["out"]) == ("/mnt/shelf", "/srv/ocrfix-out")
    (schedule,) = d["schedules"]
    assert CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"]).timezone == "Europe/Paris"
    assert resolved["pull"][0]["prefect.deployments.steps.set_working_directory"]["directory"] == str(ROOT)
