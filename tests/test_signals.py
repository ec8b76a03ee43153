"""Ctrl-C and SIGTERM stop `ocrfix run`: finished pages stay, one line, exit 128 + the signal, no process
left behind, and the same command finishes the run as if it had never been stopped.

Each test runs the command as a user does, in a subprocess with no Prefect server configured (so it
starts its own temporary one), over four half pages read one at a time, and signals it once the
first page is finished."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from PIL import Image

from conftest import ROOT, SAMPLES, need, process_ends

PAGES = ("page2.png", "page3.png", "page4.jpg", "page5.png")
INTERRUPTED = re.compile(r"ocrfix: interrupted; (\d) of 4 pages finished, the same command finishes the run")


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The top halves of four sample pages, as PNG: about a second of Tesseract each."""
    folder = tmp_path_factory.mktemp("scans")
    for name in PAGES:
        with Image.open(need(SAMPLES / "scans" / name)) as im:
            half = im.convert("L").crop((0, 0, im.width, im.height // 2))
            half.save(folder / f"{Path(name).stem}.png", dpi=im.info.get("dpi", (300, 300)))
    return folder


def _command(scans: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ocrfix.cli",
        "run",
        str(scans),
        str(out),
        "--lang",
        "eng",
        "--workers",
        "1",
        "--formats",
        "",
    ]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # the command starts its own server
    env["PREFECT_HOME"] = str(tmp / "prefect-home")
    return env


@pytest.fixture(scope="module")
def uninterrupted(scans: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("uninterrupted")
    done = subprocess.run(_command(scans, tmp / "out"), env=_env(tmp), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tmp / "out"


def _children(pid: int) -> dict[int, bytes]:
    """The processes whose parent is `pid`, with their command lines."""
    found = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    found[int(entry)] = f.read()
        except (OSError, IndexError, ValueError):
            pass
    return found


def _in_group(pgid: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return found


class Stopped(NamedTuple):
    """The ended command, and its children when it was signalled (with their command lines)."""

    pid: int
    code: int
    stderr: str
    children: dict[int, bytes]


def _interrupt(scans: Path, tmp: Path, sig: signal.Signals, group: bool) -> Stopped:
    """Start the run in a process group of its own and signal it (or the group) once its first page
    is finished."""
    out = tmp / "out"
    cli = subprocess.Popen(
        _command(scans, out),
        env=_env(tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while not list((out / "pages").glob("*.json")):
            assert cli.poll() is None, cli.communicate()[1]
            assert time.monotonic() < deadline, "no page finished in 120 s"
            time.sleep(0.02)
        children = _children(cli.pid)
        (os.killpg if group else os.kill)(cli.pid, sig)
        stderr = cli.communicate(timeout=60)[1]
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
    return Stopped(cli.pid, cli.returncode, stderr, children)


def _assert_stopped(stopped: Stopped, code: int) -> None:
    """Exit status 128 + the signal, one line and no traceback on stderr, pages left to do, no child left."""
    assert stopped.code == code, stopped.stderr
    assert "Traceback" not in stopped.stderr
    lines = stopped.stderr.splitlines()
    assert len(lines) == 1 and INTERRUPTED.fullmatch(lines[0]), stopped.stderr
    assert 1 <= int(INTERRUPTED.fullmatch(lines[0])[1]) < 4  # stopped, not run to its end
    assert all(process_ends(pid, within=10) for pid in stopped.children)  # its server and resident Tesseracts


def _assert_the_same_command_finishes_the_run(scans: Path, tmp: Path, uninterrupted: Path) -> None:
    again = subprocess.run(_command(scans, tmp / "out"), env=_env(tmp), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    out = tmp / "out"
    assert (out / "volume.txt").read_bytes() == (uninterrupted / "volume.txt").read_bytes()
    texts = sorted(p.name for p in (uninterrupted / "pages").glob("*.txt"))
    assert sorted(p.name for p in (out / "pages").glob("*.txt")) == texts
    for name in texts:
        assert (out / "pages" / name).read_bytes() == (uninterrupted / "pages" / name).read_bytes(), name


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_to_the_command_stops_the_run_and_the_same_command_finishes_it(scans, uninterrupted, tmp_path, sig):
    _assert_stopped(_interrupt(scans, tmp_path, sig, group=False), 128 + sig)
    _assert_the_same_command_finishes_the_run(scans, tmp_path, uninterrupted)


@pytest.mark.slow
def test_ctrl_c_in_a_terminal_stops_the_run_and_its_prefect_server(scans, uninterrupted, tmp_path):
    """A terminal's Ctrl-C is SIGINT to the whole foreground process group."""
    stopped = _interrupt(scans, tmp_path, signal.SIGINT, group=True)
    _assert_stopped(stopped, 130)
    servers = [pid for pid, cmdline in stopped.children.items() if b"prefect.server.api.server:create_app" in cmdline]
    assert servers, stopped.children  # it was running its own temporary server, now ended (above)
    assert _in_group(stopped.pid) == []
    _assert_the_same_command_finishes_the_run(scans, tmp_path, uninterrupted)


def _catches(pid: int, sig: signal.Signals) -> bool:
    """Whether the process has a handler of its own for the signal (its SigCgt mask)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            mask = next(line for line in f if line.startswith("SigCgt:")).split()[1]
    except (FileNotFoundError, StopIteration):
        return False
    return bool(int(mask, 16) >> (sig - 1) & 1)


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.25])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_command_starts_is_one_line_and_exit_128_plus_the_signal(scans, tmp_path, sig, delay):
    """From the command's first line on (Python's own start-up before it, 40 ms, is no program's), through
    the 0.3 s of its imports and its checks, to the run's own handling. Sent `delay` after the command
    handles SIGTERM, or after 0.3 s if it does not by then."""
    cli = subprocess.Popen(
        _command(scans, tmp_path / "out"),
        env=_env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=ROOT,
    )
    try:
        started = time.monotonic()
        while not _catches(cli.pid, signal.SIGTERM) and time.monotonic() - started < 0.3:
            time.sleep(0.002)
        time.sleep(delay)
        cli.send_signal(sig)
        stderr = cli.communicate(timeout=60)[1]
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
    assert cli.returncode == 128 + sig, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ocrfix: interrupted"), stderr
