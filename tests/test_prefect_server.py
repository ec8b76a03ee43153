"""The temporary Prefect server `ocrfix run` starts at once when no server is configured, and none when the
environment or the active Prefect profile names one."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import SAMPLES, need, process_ends
from ocrfix.prefect_server import configured_url


def test_the_server_dies_with_the_command_even_on_kill_9_while_it_starts():
    """Killed once its server catches SIGTERM (to stop gracefully) but is still importing Prefect's server
    (seconds): it ends at once, not when its start is done."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nfrom ocrfix.prefect_server import TemporaryServer\n"
            "print(TemporaryServer().pid, flush=True)\ntime.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    server = int(parent.stdout.readline())
    deadline = time.monotonic() + 30
    while not _catches_sigterm(server):
        assert time.monotonic() < deadline and not process_ends(server, within=0)
        time.sleep(0.01)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert process_ends(server, within=1)


@pytest.mark.slow
def test_run_with_no_server_configured_uses_its_own_and_leaves_none_behind(tmp_path):
    scans, out = tmp_path / "scans", tmp_path / "out"
    scans.mkdir()
    shutil.copy(need(SAMPLES / "scans" / "page2.png"), scans)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    before = _uvicorns()
    done = subprocess.run(
        [sys.executable, "-m", "ocrfix.cli", "run", str(scans), str(out), "--lang", "eng", "--formats", ""],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert [p["status"] for p in json.loads((out / "run.json").read_text())["pages"]] == ["done"]
    assert _uvicorns() <= before


def test_the_server_of_the_active_profile_is_the_configured_one_unless_the_environment_names_another(
    tmp_path, monkeypatch
):
    """Profiles as `prefect profile create team` and `prefect config set PREFECT_API_URL=...` leave them."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    assert configured_url() is None  # no profiles file: Prefect's own default, no server
    profiles(tmp_path, "team", "http://prefect.example:4200/api")
    assert configured_url() == "http://prefect.example:4200/api"
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert configured_url() is None
    monkeypatch.setenv("PREFECT_API_URL", "http://other.example:4200/api")
    assert configured_url() == "http://other.example:4200/api"


def test_run_with_a_server_in_the_active_profile_uses_it_and_starts_none(prefect_server, tmp_path):
    """The session's test server named only by the active profile of a Prefect home (as a team's server
    would be): the run's flow run is on it, and no temporary server started at any moment of the run."""
    from prefect.client.orchestration import get_client

    url = os.environ["PREFECT_API_URL"]
    scans, out, home = tmp_path / "scans", tmp_path / "out", tmp_path / "prefect-home"
    scans.mkdir()
    home.mkdir()
    shutil.copy(need(SAMPLES / "scans" / "page2.png"), scans)
    profiles(home, "team", url)
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    env["PREFECT_HOME"] = str(home)
    with get_client(sync_client=True) as client:
        before = len(client.read_flow_runs())
    run = subprocess.Popen(
        [sys.executable, "-m", "ocrfix.cli", "run", str(scans), str(out), "--lang", "eng", "--formats", ""],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    servers: set[int] = set()
    while run.poll() is None:
        servers |= _uvicorns(parent=run.pid)
        time.sleep(0.02)
    assert run.returncode == 0, run.stderr.read() if run.stderr else ""
    assert not servers
    assert [p["status"] for p in json.loads((out / "run.json").read_text())["pages"]] == ["done"]
    with get_client(sync_client=True) as client:
        assert len(client.read_flow_runs()) == before + 1


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler of its own for SIGTERM (the caught-signals mask in /proc)."""
    with open(f"/proc/{pid}/status") as f:
        caught = next(line for line in f if line.startswith("SigCgt:")).split()[1]
    return bool(int(caught, 16) >> (signal.SIGTERM - 1) & 1)


def profiles(home, active: str, url: str) -> None:
    """A Prefect profiles file in `home` whose `active` profile names the server at `url`."""
    (home / "profiles.toml").write_text(
        f'active = "{active}"\n\n[profiles.ephemeral]\nPREFECT_SERVER_EPHEMERAL_ENABLED = "true"\n\n'
        f'[profiles.{active}]\nPREFECT_API_URL = "{url}"\n'
    )


def _uvicorns(parent: int | None = None) -> set[int]:
    """The temporary Prefect servers running now (those `parent` started, when given)."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"prefect.server.api.server:create_app" not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                if parent is None or int(f.read().rsplit(") ", 1)[1].split()[1]) == parent:
                    found.add(int(pid))
        except OSError:
            pass
    return found
