"""Prefect's temporary server, started the moment a run begins rather than when its flow is called.

With no PREFECT_API_URL, Prefect starts a temporary server when a flow is first called: it imports
its server code in this process (about 3 s), then starts uvicorn in a child and waits for it
(about 5 s more), all before the first page. Started here, in a child from the command's first
moment, it comes up while the command imports Prefect and lists the scans. The child serves the app
Prefect's would (`prefect.server.api.server.SubprocessASGIServer`: the same app, settings and uvicorn),
less what a run does not use (`_SERVER_ENV`), with the garbage collector off while it starts (`serve`);
it dies with this process, even on kill -9. Should it not come up, Prefect starts its own as before.
A child rather than a thread of the command: its 3 s of start-up CPU then runs on the other core
instead of taking the command's GIL from the lexicon and Prefect's client import.
It runs in a session of its own: a terminal's Ctrl-C (SIGINT to the foreground process group)
reaches the command alone, which stops its flow and then this server itself.

A configured server (PREFECT_API_URL in the environment or in the active Prefect profile) is used and
none started; it is asked once whether it answers before any run starts: Prefect itself would retry for
a minute and then print a traceback hundreds of lines long.
"""

from __future__ import annotations

import ctypes
import gc
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from types import FrameType

STARTUP_TIMEOUT = 60.0
APP = "prefect.server.api.server:create_app"
"""The app the child serves, named as uvicorn's `--factory` takes it (and as the child's command line shows it)."""
REACH_TIMEOUT = 5.0
"""Seconds a configured server has to answer before the command gives up on it."""
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
    # and this server stops as the run's last events arrive; loading and evaluating them cost 0.2 s of the
    # start's CPU. A team's server (PREFECT_API_URL) runs them.
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
}


class TemporaryServer:
    """A Prefect server in a child process on a free local port, starting as soon as it is made."""

    def __init__(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/api"
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ocrfix.prefect_server", APP, str(port)],
            env={**os.environ, **_SERVER_ENV},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not in the terminal's process group: the command stops it
            preexec_fn=_die_with_parent,
        )

    @property
    def pid(self) -> int:
        return self._process.pid

    def ready(self, timeout: float = STARTUP_TIMEOUT) -> bool:
        """Wait until the server answers; False if it died or did not answer in time."""
        return answers(self.url, self._process, timeout)

    @contextmanager
    def in_use(self) -> Iterator[str | None]:
        """Prefect talks to this server inside the block, once it answers, unless Prefect's settings
        name a server of their own where `configured_url` does not look (a `.env` or `prefect.toml` file:
        checked, then yielded); else Prefect starts its own. Yields None when the server is a temporary one."""
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        configured = PREFECT_API_URL.value()
        if configured or not self.ready():
            self.stop()
            if configured:
                check_reachable(configured)
            yield configured or None
            return
        # no flow run heartbeats: they tell a server that the run's process is alive, and this server
        # dies with it; a flow's end waits for its heartbeat thread to wake (up to a second)
        with temporary_settings(updates={PREFECT_API_URL: self.url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield None

    def stop(self) -> None:
        if self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


@contextmanager
def started_early() -> Iterator[Callable[[], AbstractContextManager[str | None]]]:
    """Start a temporary server now, unless the environment or the active profile names one
    (`configured_url`: a named one is checked now instead, raising ApiUnreachable); yields `use`, a
    context in which Prefect uses the server and which gives the configured server's API URL, or None
    for a temporary one. The server stops when the block ends."""
    configured = configured_url()
    if configured:
        check_reachable(configured)
        yield lambda: nullcontext(configured)
        return
    server = TemporaryServer()
    try:
        yield server.in_use
    finally:
        server.stop()


def configured_url() -> str | None:
    """The Prefect API URL that PREFECT_API_URL, or else the active profile of Prefect's profiles file,
    names; None when neither does. Read as Prefect reads them, without importing Prefect (a second, the
    wait a temporary server started at once saves): the file is PREFECT_PROFILES_PATH, or profiles.toml
    in PREFECT_HOME (by default ~/.prefect); the active profile is PREFECT_PROFILE, or the file's
    `active`."""
    if url := os.environ.get("PREFECT_API_URL"):
        return url
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
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


def answers(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Wait until the Prefect API at `url` answers its health check; False if `process` (the server)
    ended first or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def _die_with_parent() -> None:
    """In the child, before exec: have Linux send it SIGTERM when its parent dies (prctl)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the server is stopped at exit instead
        pass


def serve(app: str, port: int) -> None:
    """The server child: uvicorn serving the app `app` makes, on `port`, with Python's cyclic garbage collector
    off until it answers. Its start makes some 300,000 objects that live as long as it does
    (pydantic models, SQLAlchemy tables, FastAPI routes), and the collector kept scanning them: about 0.3 s of
    the start's 3.3 s of CPU. Once it answers, they are frozen out of the collector's sight (`gc.freeze`) and
    collection resumes for what the requests make."""
    gc.disable()
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            gc.freeze()
            gc.enable()

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            """Until it answers, a signal ends the child at once: uvicorn would let the start run to its end
            (seconds) before stopping, and a child whose command has died would outlive it that long."""
            if not self.started:
                signal.signal(sig, signal.SIG_DFL)
                signal.raise_signal(sig)
            super().handle_exit(sig, frame)

    Server(
        uvicorn.Config(
            app, factory=True, host="127.0.0.1", port=port, log_level="error", lifespan="on", access_log=False
        )
    ).run()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
