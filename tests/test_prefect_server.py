"""The local Prefect server `ocrfix run` starts at once when no server is configured (lingering for the next
command, or ending with this one), and none when the environment or the active Prefect profile names one."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import SAMPLES, need, process_ends
from ocrfix.prefect_server import CHECK_EVERY, LEASES, STATE, configured_url, healthy, stop_lingering

SHUTDOWN = 10.0
"""Seconds a server may take to stop once it decides to (uvicorn's and Prefect's services' shutdown: 1-3 s here)."""
COMMAND = """
import sys, time
from ocrfix.prefect_server import started_early

with started_early() as use, use():
    print("ready", flush=True)
    time.sleep(float(sys.argv[1]))
"""
"""A command that uses the local server as `ocrfix run` does (found or started, then waited for) and holds it
for argv[1] seconds."""


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
    env["OCRFIX_SERVER_LINGER"] = "0"
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
    assert not (tmp_path / "prefect-home" / STATE).exists()


@pytest.mark.slow
def test_a_second_run_uses_the_server_the_first_left_lingering(tmp_path):
    """Two `ocrfix run`s one after the other: the second starts no server, runs its flow on the first one's,
    and leaves no lease behind (the server keeps lingering until stopped); a third, stopped by Ctrl-C, leaves
    the server up and answering."""
    scans, home = tmp_path / "scans", tmp_path / "prefect-home"
    scans.mkdir()
    shutil.copy(need(SAMPLES / "scans" / "page2.png"), scans)
    env = _lingering_env(home, linger=60)
    try:
        first = subprocess.run(_ocrfix_run(scans, tmp_path / "out1"), env=env, capture_output=True, text=True)
        assert first.returncode == 0, first.stderr
        server = _state(home)["pid"]
        assert not process_ends(server, within=0)
        second = subprocess.Popen(
            _ocrfix_run(scans, tmp_path / "out2"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        spawned = _servers_started_by(second)
        assert second.returncode == 0, second.stderr.read() if second.stderr else ""
        assert not spawned
        assert _state(home)["pid"] == server
        assert [p["status"] for p in json.loads((tmp_path / "out2" / "run.json").read_text())["pages"]] == ["done"]
        assert not list((home / LEASES).iterdir())
        third = subprocess.Popen(_ocrfix_run(scans, tmp_path / "out3"), env=env, stderr=subprocess.DEVNULL)
        lease = home / LEASES / str(third.pid)
        deadline = time.monotonic() + 60
        while not lease.exists() and third.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        # it has the server: starting or under way, either way Ctrl-C ends the command and leaves the server
        third.send_signal(signal.SIGINT)
        assert third.wait(timeout=10) == 130
        assert _state(home)["pid"] == server and healthy(_state(home)["url"], timeout=5)
    finally:
        stop_lingering(home)
    assert process_ends(server, within=0)
    assert not (home / STATE).exists()


@pytest.mark.slow  # starts Prefect servers: 6-20 s
def test_a_server_whose_command_was_killed_by_kill_9_ends_after_its_linger(tmp_path):
    """The only lease on it is a dead process's: the server lingers its 2 s, then ends and forgets itself."""
    home = tmp_path / "prefect-home"
    command = _command(home, linger=2, hold=600)
    assert command.stdout and command.stdout.readline() == "ready\n"
    server = _state(home)["pid"]
    command.kill()
    command.wait()
    assert not process_ends(server, within=1)  # lingering
    assert process_ends(server, within=2 + CHECK_EVERY + SHUTDOWN)
    assert not (home / STATE).exists()


@pytest.mark.slow  # starts Prefect servers: 6-20 s
def test_two_commands_starting_at_once_share_one_server(tmp_path):
    home = tmp_path / "prefect-home"
    commands = [_command(home, linger=30, hold=0) for _ in range(2)]
    try:
        for command in commands:
            assert command.stdout and command.stdout.readline() == "ready\n"
            assert command.wait(timeout=30) == 0
        servers = {pid for pid in _uvicorns() if f" {home} ".encode() in _cmdline(pid)}
        assert servers == {_state(home)["pid"]}
    finally:
        stop_lingering(home)


@pytest.mark.slow  # starts Prefect servers: 6-20 s
def test_a_dead_server_or_one_of_another_version_is_not_reused(tmp_path):
    """The state file of a server of another ocrfix version: a new server is started, and the old one left
    to end by itself; then the state file of a server killed by kill -9: a new one again."""
    home = tmp_path / "prefect-home"
    assert _command(home, linger=30, hold=0).wait(timeout=60) == 0
    older = _state(home)
    (home / STATE).write_text(json.dumps({**older, "ocrfix": "0.0.1"}))
    try:
        assert _command(home, linger=30, hold=0).wait(timeout=60) == 0
        newer = _state(home)["pid"]
        assert newer != older["pid"] and not process_ends(older["pid"], within=0)
        os.kill(newer, signal.SIGKILL)
        assert process_ends(newer, within=5)
        assert _command(home, linger=30, hold=0).wait(timeout=60) == 0
        assert _state(home)["pid"] not in (newer, older["pid"])
    finally:
        stop_lingering(home)
        os.kill(older["pid"], signal.SIGTERM)
    assert process_ends(older["pid"], within=SHUTDOWN)


@pytest.mark.slow  # starts Prefect servers: 6-20 s
def test_a_prefect_home_that_cannot_be_written_gives_a_temporary_server(tmp_path):
    """PREFECT_HOME under a file: no state, no lease; the command's server works and ends with it."""
    (tmp_path / "file").write_text("")
    home = tmp_path / "file" / "prefect-home"
    before = _uvicorns()
    command = _command(home, linger=30, hold=0)
    assert command.wait(timeout=60) == 0
    assert command.stdout and command.stdout.read() == "ready\n"
    assert command.stderr and "Traceback" not in command.stderr.read()  # Prefect's own warning about its home only
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
    servers = _servers_started_by(run)
    assert run.returncode == 0, run.stderr.read() if run.stderr else ""
    assert not servers
    assert [p["status"] for p in json.loads((out / "run.json").read_text())["pages"]] == ["done"]
    with get_client(sync_client=True) as client:
        assert len(client.read_flow_runs()) == before + 1


def _lingering_env(home, linger: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), "OCRFIX_SERVER_LINGER": str(linger)}


def _command(home, linger: float, hold: float) -> subprocess.Popen:
    """`COMMAND` holding the local server of `home` for `hold` seconds; it prints `ready` once it answers."""
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, str(hold)],
        env=_lingering_env(home, linger),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _ocrfix_run(scans, out) -> list[str]:
    return [sys.executable, "-m", "ocrfix.cli", "run", str(scans), str(out), "--lang", "eng", "--formats", ""]


def _state(home) -> dict:
    return json.loads((home / STATE).read_text())


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ")
    except OSError:
        return b""


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


def _servers_started_by(command: subprocess.Popen) -> set[int]:
    """The Prefect servers `command` starts as it runs, watched until it ends."""
    found: set[int] = set()
    while command.poll() is None:
        found |= _uvicorns(parent=command.pid)
        time.sleep(0.02)
    return found


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
