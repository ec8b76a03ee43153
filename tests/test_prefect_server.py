"""The temporary Prefect server `ocrfix run` starts at once when no server is configured."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import SAMPLES, need, process_ends


def test_the_server_dies_with_the_command_even_on_kill_9():
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
    assert not process_ends(server, within=0.5)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert process_ends(server, within=10)


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


def _uvicorns() -> set[int]:
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"prefect.server.api.server:create_app" in f.read():
                    found.add(int(pid))
        except OSError:
            pass
    return found
