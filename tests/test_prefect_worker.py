"""The work-pool route of prefect.yaml as a team takes it (issue 20): `prefect deploy --all` from the repository
root with the folders and time zone in the environment, then one run through `prefect worker start --run-once`,
on the session's Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from conftest import ROOT, SAMPLES, need

PREFECT = str(Path(sys.executable).with_name("prefect"))


def prefect(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_deployment_of_prefect_yaml_runs_once_on_a_worker(prefect_server, tmp_path: Path):
    from prefect.client.orchestration import get_client

    shelf, out = tmp_path / "shelf", tmp_path / "out"
    (shelf / "volA").mkdir(parents=True)
    with Image.open(need(SAMPLES / "scans" / "page2.png")) as im:
        im.crop((0, 0, im.width, 700)).save(shelf / "volA" / "p1.png", dpi=(300, 300))
    env = {
        **os.environ,
        "OCRFIX_SCANS": str(shelf),
        "OCRFIX_OUT": str(out),
        "OCRFIX_LANG": "eng",
        "OCRFIX_TIMEZONE": "Europe/Paris",
        "PREFECT_CLI_PROMPT": "false",
    }
    env.pop("OCRFIX_REPOSITORY", None)  # the default: this checkout
    prefect("work-pool", "create", "ocrfix", "--type", "process", "--overwrite", env=env)
    prefect("deploy", "--all", env=env)
    with get_client(sync_client=True) as client:
        deployed = client.read_deployment_by_name("digitise-folders/ocrfix-nightly")
    assert deployed.parameters["scans"] == str(shelf) and deployed.parameters["out"] == str(out)
    assert [s.schedule.timezone for s in deployed.schedules] == ["Europe/Paris"]
    assert deployed.pull_steps == [{"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}]

    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run_from_deployment(deployed.id)  # what `prefect deployment run` does
    prefect("worker", "start", "--pool", "ocrfix", "--run-once", env=env)
    with get_client(sync_client=True) as client:
        tick = client.read_flow_run(flow_run.id)
    assert tick.state.is_completed(), tick.state
    assert tick.state.message == "volA: 1 of 1 pages read, 0 failed"
    assert (out / "volA" / "pages" / "p1.lines.txt").read_text().strip()
