"""Prefect's local server, started the moment a run begins rather than when its flow is called, and left
lingering for the next command.

With no PREFECT_API_URL, Prefect starts a temporary server when a flow is first called: it imports
its server code in this process (about 3 s), then starts uvicorn in a child and waits for it
(about 5 s more), all before the first page. Started here, in a child from the command's first
moment, it comes up while the command imports Prefect and lists the scans. The child serves the app
Prefect's would (`prefect.server.api.server.SubprocessASGIServer`: the same app, settings and uvicorn),
less what a run does not use (`_SERVER_ENV`), with the garbage collector off while it starts (`serve`).
Should it not come up, Prefect starts its own as before.
A child rather than a thread of the command: its 3 s of start-up CPU then runs on the other core
instead of taking the command's GIL from the lexicon and Prefect's client import.
It runs in a session of its own: a terminal's Ctrl-C (SIGINT to the foreground process group)
reaches the command alone, which stops its flow and then lets the server go.

The server lingers after the command (`LingeringServer`), recorded in PREFECT_HOME/ocrfix-server.json,
and the next command of the same Prefect and ocrfix uses it: no start, no wait (3 s of CPU and
0.7-1.7 s of wall time saved a command). A command holds a lease on it while it runs; the server ends
itself once no live command has held one for OCRFIX_SERVER_LINGER seconds. OCRFIX_SERVER_LINGER=0, or a
PREFECT_HOME this command cannot write, gives a `TemporaryServer` instead, which dies with the command,
even on kill -9.

A configured server (PREFECT_API_URL in the environment or in the active Prefect profile) is used and
none started; it is asked once whether it answers before any run starts: Prefect itself would retry for
a minute and then print a traceback hundreds of lines long.
"""

from __future__ import annotations

import ctypes
import gc
import http.client
import importlib.metadata
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from types import FrameType
from typing import Any

from .lock import exclusive

STARTUP_TIMEOUT = 60.0
APP = "prefect.server.api.server:create_app"
"""The app the child serves, named as uvicorn's `--factory` takes it (and as the child's command line shows it)."""
REACH_TIMEOUT = 5.0
"""Seconds a configured server has to answer before the command gives up on it; and a lingering one."""
LINGER_ENV = "OCRFIX_SERVER_LINGER"
DEFAULT_LINGER = 300.0
"""Seconds a local server lingers unused: idle, it spends about 0.65 s of CPU a minute (Prefect's own services;
measured by benchmarks/startup_profile.py), so five idle minutes cost about what one start saves (3 s of CPU)."""
CHECK_EVERY = 1.0
"""Seconds between a lingering server's looks at its leases: a listing of a folder of a file or two, and a
read of /proc per lease, a second is nothing to it; an unused server ends at most this late."""
STATE = "ocrfix-server.json"
"""In PREFECT_HOME: the lingering server's API URL, pid, Prefect and ocrfix versions and start time."""
LOCK = "ocrfix-server.lock"
LEASES = "ocrfix-server.leases"
_SERVER_ENV = {
    # what Prefect sets for its own temporary server: no UI, the ephemeral set of services
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    # no block types registered as it starts: that imports every installed Prefect integration
    # (prefect-dask brings Dask: 0.5-0.8 s of the server's start-up CPU) for blocks a run never uses
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
    # no automations (the triggers and actions services): their actions run after the event that fires them,
    # and a temporary server stops as the run's last events arrive; loading and evaluating them cost 0.2 s of the
    # start's CPU. A team's server (PREFECT_API_URL) runs them.
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
}


class _Server(ABC):
    """A Prefect server in a process of this machine that this command uses (`url`, `pid`)."""

    url: str
    pid: int

    @abstractmethod
    def running(self) -> bool: ...

    def ready(self, timeout: float = STARTUP_TIMEOUT) -> bool:
        """Wait until the server answers; False if it died or did not answer in time."""
        return answers(self.url, self.running, timeout)

    @contextmanager
    def in_use(self) -> Iterator[str | None]:
        """Prefect talks to this server inside the block, once it answers, unless Prefect's settings
        name a server of their own where `configured_url` does not look (a `.env` or `prefect.toml` file:
        checked, then yielded); else Prefect starts its own. Yields None when the server is a local one."""
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        configured = PREFECT_API_URL.value()
        if configured or not self.ready():
            self.stop()
            if configured:
                check_reachable(configured)
            yield configured or None
            return
        # no flow run heartbeats: they tell a server that the run's process is alive, and nothing here
        # watches them; a flow's end waits for its heartbeat thread to wake (up to a second)
        with temporary_settings(updates={PREFECT_API_URL: self.url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield None

    @abstractmethod
    def stop(self) -> None:
        """This command is done with the server."""


class TemporaryServer(_Server):
    """A Prefect server in a child process on a free local port, starting as soon as it is made, that dies
    with this process (OCRFIX_SERVER_LINGER=0, or a PREFECT_HOME this command cannot write)."""

    def __init__(self) -> None:
        port = free_port()
        self.url = _api_url(port)
        self._process = _spawn(port, lingering=None)
        self.pid = self._process.pid

    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self) -> None:
        if self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class LingeringServer(_Server):
    """The server of a PREFECT_HOME that outlives the commands using it, by this command's lease: a file
    `ocrfix-server.leases/<this pid>` holding the server's pid. The server ends itself once no live
    process holds a lease on it and the last one ended `linger` seconds ago (`_linger`)."""

    def __init__(self, home: Path, url: str, pid: int) -> None:
        self.url, self.pid = url, pid
        self._lease = home / LEASES / str(os.getpid())

    def running(self) -> bool:
        return _alive(self.pid)

    def stop(self) -> None:
        """End the lease (the server lingers). A lease left by kill -9 ends with its process."""
        self._lease.unlink(missing_ok=True)


def lingering_server(home: Path, linger: float) -> LingeringServer | None:
    """The lingering server of `home`, reused when one of this Prefect and ocrfix answers (or is starting),
    else started, with this command's lease taken on it, all under `home`'s lock: two commands starting at
    once share one server, and a server cannot end between being chosen and being leased. None when the
    folder cannot be written (a read-only PREFECT_HOME): the caller starts a temporary server instead."""
    try:
        (home / LEASES).mkdir(parents=True, exist_ok=True)
        with exclusive(home / LOCK):
            state = _reusable(home) or _start_lingering(home, linger)
            _write(home / LEASES / str(os.getpid()), str(state["pid"]))
    except OSError:
        return None
    return LingeringServer(home, state["url"], state["pid"])


def _reusable(home: Path) -> dict[str, Any] | None:
    """The state of `home`'s server when this command can use it: of the same Prefect and ocrfix (another
    version's is left to end by itself), alive, a server of ours (not a process that took a dead one's
    pid), and answering or still within its start. Called under `home`'s lock."""
    state = recorded_state(home)
    if {key: state.get(key) for key in _versions()} != _versions():
        return None
    pid, url, started = state.get("pid"), state.get("url"), state.get("started")
    if not (isinstance(pid, int) and isinstance(url, str) and isinstance(started, float)) or not _is_server(pid):
        return None
    if time.time() - started < STARTUP_TIMEOUT or healthy(url, REACH_TIMEOUT):
        return state
    os.kill(pid, signal.SIGKILL)  # ours, started long ago and not answering: stuck, and no command could use it
    return None


def _start_lingering(home: Path, linger: float) -> dict[str, Any]:
    """Start `home`'s server, detached from this command, and record it in the state file."""
    port = free_port()
    process = _spawn(port, lingering=(home, linger))
    state = {"url": _api_url(port), "pid": process.pid, **_versions(), "started": time.time()}
    try:
        _write(home / STATE, json.dumps(state))
    except OSError:
        process.kill()
        raise
    return state


def _spawn(port: int, lingering: tuple[Path, float] | None) -> subprocess.Popen:
    """The server's process, in a session of its own, holding none of this command's pipes or files. With
    `lingering` (the Prefect home and seconds) it outlives this command; without, it dies with it."""
    command = [sys.executable, "-m", "ocrfix.prefect_server", APP, str(port)]
    if lingering:
        command += [str(lingering[0]), str(lingering[1])]
    return subprocess.Popen(
        command,
        env={**os.environ, **_SERVER_ENV},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not in the terminal's process group: a Ctrl-C reaches the command alone
        preexec_fn=None if lingering else _die_with_parent,
    )


@contextmanager
def started_early() -> Iterator[Callable[[], AbstractContextManager[str | None]]]:
    """Have a local server starting (or a lingering one leased) now, unless the environment or the active
    profile names one (`configured_url`: a named one is checked now instead, raising ApiUnreachable); yields
    `use`, a context in which Prefect uses the server and which gives the configured server's API URL, or None
    for a local one. When the block ends, a temporary server stops; a lingering one's lease ends."""
    configured = configured_url()
    if configured:
        check_reachable(configured)
        yield lambda: nullcontext(configured)
        return
    linger = linger_seconds()
    server: _Server = (lingering_server(prefect_home(), linger) if linger else None) or TemporaryServer()
    try:
        yield server.in_use
    finally:
        server.stop()


def linger_seconds() -> float:
    """Seconds a local server lingers with no command using it: OCRFIX_SERVER_LINGER, else `DEFAULT_LINGER`
    (a value that is not a number of seconds too); 0 stops it with the command."""
    try:
        return max(float(os.environ.get(LINGER_ENV) or DEFAULT_LINGER), 0.0)
    except ValueError:
        return DEFAULT_LINGER


def prefect_home() -> Path:
    """Prefect's home folder as Prefect finds it: PREFECT_HOME, by default ~/.prefect."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser().absolute()


def recorded_state(home: Path) -> dict[str, Any]:
    """What `home`'s state file records of its lingering server (url, pid, versions, start); empty when there
    is none or it cannot be read."""
    try:
        state = json.loads((home / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def stop_lingering(home: Path, timeout: float = 30.0) -> bool:
    """Stop `home`'s lingering server, if any, as `kill PID` does (it forgets itself as it ends); True if
    one was running and ended within `timeout` seconds."""
    pid = recorded_state(home).get("pid")
    if not isinstance(pid, int) or not _is_server(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def configured_url() -> str | None:
    """The Prefect API URL that PREFECT_API_URL, or else the active profile of Prefect's profiles file,
    names; None when neither does. Read as Prefect reads them, without importing Prefect (a second, the
    wait a temporary server started at once saves): the file is PREFECT_PROFILES_PATH, or profiles.toml
    in PREFECT_HOME (by default ~/.prefect); the active profile is PREFECT_PROFILE, or the file's
    `active`."""
    if url := os.environ.get("PREFECT_API_URL"):
        return url
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or prefect_home() / "profiles.toml")
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):  # none, or one Prefect cannot read either
        return None
    active = profiles.get("profiles", {}).get(os.environ.get("PREFECT_PROFILE") or profiles.get("active"), {})
    url = active.get("PREFECT_API_URL") if isinstance(active, dict) else None
    return url if isinstance(url, str) and url else None


class ApiUnreachable(Exception):
    """The configured Prefect API does not answer; str() is the one-line reason, with what to do."""


def check_reachable(url: str, timeout: float = REACH_TIMEOUT) -> None:
    """Raise ApiUnreachable unless something answers HTTP at the Prefect API `url` (any answer: a
    Prefect Cloud workspace may refuse the health check without credentials, and is there)."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=timeout):
            return
    except urllib.error.HTTPError:
        return
    except (OSError, http.client.HTTPException, ValueError):  # refused, no such host, timed out, not HTTP, not a URL
        raise ApiUnreachable(
            f"cannot reach the Prefect API at {url}: start one with `prefect server start` or unset PREFECT_API_URL"
        ) from None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str, running: Callable[[], bool], timeout: float) -> bool:
    """Wait until the Prefect API at `url` answers its health check; False if the server ended first
    (`running` false) or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and running():
        if healthy(url, 2):
            return True
        time.sleep(0.05)
    return False


def healthy(url: str, timeout: float) -> bool:
    """Whether the Prefect API at `url` answers its health check within `timeout` seconds."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):
        return False


def _api_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api"


def _versions() -> dict[str, str]:
    """The Prefect and ocrfix this command runs, Prefect's read from its installed metadata rather than by
    importing it (a second): a server started by another version of either is not reused."""
    from . import __version__

    try:
        prefect = importlib.metadata.version("prefect")
    except importlib.metadata.PackageNotFoundError:
        prefect = "unknown"
    return {"prefect": prefect, "ocrfix": __version__}


def _write(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a reader never sees half of it, even if this process is killed."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, ended but not yet reaped by its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:  # ended meanwhile, or no /proc (not Linux): os.kill has answered
        return not Path("/proc").is_dir()
    except (OSError, IndexError):
        return True


def _is_server(pid: int) -> bool:
    """Whether `pid` is a live ocrfix Prefect server (not another process that was given a dead one's pid)."""
    if not _alive(pid):
        return False
    try:
        return b"ocrfix.prefect_server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc").is_dir()
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the child, before exec: have Linux send it SIGTERM when its parent dies (prctl)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the server is stopped at exit instead
        pass


def serve(app: str, port: int, lingering: tuple[Path, float] | None) -> None:
    """The server child: uvicorn serving the app `app` makes, on `port`, with Python's cyclic garbage collector
    off until it answers. Its start makes some 300,000 objects that live as long as it does
    (pydantic models, SQLAlchemy tables, FastAPI routes), and the collector kept scanning them: about 0.3 s of
    the start's 3.3 s of CPU. Once it answers, they are frozen out of the collector's sight (`gc.freeze`) and
    collection resumes for what the requests make. With `lingering` (its Prefect home and seconds), it watches
    its leases once it answers and ends itself when unused (`_linger`); ended by a signal (`kill PID`), it
    first removes its state file, so no command picks up a server that is going."""
    gc.disable()
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            gc.freeze()
            gc.enable()
            if lingering:
                threading.Thread(target=_linger, args=(self, *lingering), daemon=True).start()

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            """Until it answers, a signal ends the child at once: uvicorn would let the start run to its end
            (seconds) before stopping, and a child whose command has died would outlive it that long."""
            if lingering:  # uvicorn ends by raising the signal again: no code runs after it
                _forget(lingering[0])
            if not self.started:
                signal.signal(sig, signal.SIG_DFL)
                signal.raise_signal(sig)
            super().handle_exit(sig, frame)

    Server(
        uvicorn.Config(
            app, factory=True, host="127.0.0.1", port=port, log_level="error", lifespan="on", access_log=False
        )
    ).run()


def _linger(server: Any, home: Path, linger: float) -> None:
    """In a lingering server, a thread: every `CHECK_EVERY` seconds, whether a live command holds a lease on
    it; once none has for `linger` seconds, it forgets itself under the lock (a command choosing a server
    then finds none and starts its own) and has uvicorn stop."""
    last_used = time.monotonic()
    while not server.should_exit:
        time.sleep(CHECK_EVERY)
        if _leased(home):
            last_used = time.monotonic()
            continue
        if time.monotonic() - last_used < linger:
            continue
        with exclusive(home / LOCK):
            if _leased(home):  # taken since the look above
                last_used = time.monotonic()
                continue
            _forget(home, locked=True)
            server.should_exit = True


def _leased(home: Path) -> bool:
    """Whether a live process holds a lease on this server; the leases of ended processes are removed."""
    me = str(os.getpid())
    try:
        leases = list((home / LEASES).iterdir())
    except OSError:
        return False
    held = False
    for lease in leases:
        try:
            if not lease.name.isdigit() or lease.read_text(encoding="utf-8") != me:
                continue  # another server's, or a lease being written
            if _alive(int(lease.name)):
                held = True
            else:
                lease.unlink(missing_ok=True)
        except OSError:
            continue
    return held


def _forget(home: Path, locked: bool = False) -> None:
    """Remove `home`'s state file if it names this server (a newer server may have replaced it)."""
    with nullcontext() if locked else exclusive(home / LOCK):
        if recorded_state(home).get("pid") == os.getpid():
            try:
                (home / STATE).unlink()
            except OSError:
                pass


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), (Path(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) > 4 else None)
