"""A resident Tesseract: a child process that loads the engine once and reads the pages it is sent.

A child process and not the library in this one, so that a Tesseract crash or hang costs one page:
the parent kills a child that overruns its timeout and starts a fresh one for the next page. A
child ends when its stdin closes, so it never outlives its parent, even one killed with kill -9.

One exchange per page over the child's stdin and stdout:
  request  b"<width> <height> <dpi> <psm> <choices 0|1> <k>\\n", k bytes of the characters allowed (UTF-8; k = 0:
           all) and width*height bytes of grey pixels
  reply    b"ok <n> <m>\\n", n bytes of TSV and m bytes of JSON: the words Tesseract had alternatives for
           (`tesslib.WordChoices`, with `choices` 1); or b"error <n>\\n" and n bytes of reason (UTF-8)
A child first replies once, unasked: ok (no TSV, no words) when its engine is loaded, or error, and exits.
With psm 0 (`tesslib.OSD_PSM`) the page's orientation is asked for instead of its text: the n bytes are
b"<degrees to turn it clockwise> <confidence>", none when Tesseract has no opinion (or no osd.traineddata).
Any child answers it, with an engine for osd.traineddata that it loads the first time it is asked (0.05 s of
CPU; the `tesseract` command loads it for every page it is asked about).

A child runs in a session of its own, so that a terminal's Ctrl-C (SIGINT to the foreground process
group) reaches only the parent, which decides what becomes of its children (see `interrupt`).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from ctypes.util import find_library
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO

from .tesslib import OSD_LANG, OSD_PSM, Reading, TessApi, TessLibError, WordChoices

if TYPE_CHECKING:
    import numpy as np


class WorkerError(Exception):
    """Tesseract failed, crashed or overran its time on a page; str() is the one-line reason."""


class WorkerCrash(WorkerError):
    """The child died or overran its time (it is gone): unlike Tesseract's own refusal of a page, this
    may not happen again on another try."""


@lru_cache(maxsize=1)
def available() -> bool:
    """True where libtesseract is installed (with Debian's tesseract-ocr it always is)."""
    return find_library("tesseract") is not None


def serve(lang: str, requests: BinaryIO, replies: BinaryIO) -> None:
    """The child's loop: read pages (or guess their orientation) until the requests end."""
    try:
        reader = TessApi(lang)
    except TessLibError as err:
        _reply(replies, "error", str(err))
        return
    engines: dict[str, TessApi | None] = {lang: reader}  # and the one for `OSD_LANG` once it is asked for
    try:
        _reply(replies, "ok", "", "[]")
        while header := requests.readline():
            width, height, dpi, psm, choices, allowed = map(int, header.split())
            whitelist = requests.read(allowed).decode("utf-8")
            pixels = requests.read(width * height)
            try:
                if psm == OSD_PSM:
                    guesser = _orientation_engine(engines)
                    found = guesser.orientation(pixels, width, height, dpi) if guesser else None
                    _reply(replies, "ok", "" if found is None else f"{found[0]} {found[1]}", "[]")
                    continue
                tsv, words = reader.read(pixels, width, height, dpi, psm, bool(choices), whitelist)
                _reply(replies, "ok", tsv, json.dumps(words, ensure_ascii=False, separators=(",", ":")))
            except TessLibError as err:
                _reply(replies, "error", str(err))
    finally:
        for engine in engines.values():
            if engine is not None:
                engine.close()


def _orientation_engine(engines: dict[str, TessApi | None]) -> TessApi | None:
    """The engine for `OSD_LANG` among the child's `engines`, loaded the first time it is asked for; None, and
    not tried again, where osd.traineddata is missing: no opinion, as the command has none then."""
    if OSD_LANG not in engines:
        try:
            engines[OSD_LANG] = TessApi(OSD_LANG)
        except TessLibError:
            engines[OSD_LANG] = None
    return engines[OSD_LANG]


def _reply(stream: BinaryIO, status: str, *texts: str) -> None:
    parts = [text.encode("utf-8") for text in texts]
    stream.write(" ".join([status, *(str(len(part)) for part in parts)]).encode() + b"\n" + b"".join(parts))
    stream.flush()


class Resident:
    """The parent's handle on one child: send a page, wait for its TSV under a deadline."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "ocrfix.tessworker", lang],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # Tesseract's chatter ("Estimating resolution...")
            start_new_session=True,  # a terminal's Ctrl-C is the parent's to handle, not the child's
        )
        self._ready = False

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    def read(
        self, image: np.ndarray, dpi: int, psm: int, timeout: float, choices: bool = False, whitelist: str = ""
    ) -> Reading:
        """The page's TSV, and with `choices` Tesseract's alternatives for its unsure glyphs; with a `whitelist`,
        read as made of its characters alone (see `tesslib.TessApi.read`). WorkerError (and this child gone) on
        a failure, crash or timeout."""
        return self._exchange(image, dpi, psm, timeout, choices, whitelist)

    def orientation(self, image: np.ndarray, dpi: int, timeout: float) -> tuple[int, float] | None:
        """The page's orientation as the `tesseract` command's OSD gives it (see `tesslib.TessApi.orientation`);
        None when Tesseract has no opinion. WorkerError (and this child gone) as for `read`."""
        found = self._exchange(image, dpi, OSD_PSM, timeout).tsv
        if not found:
            return None
        turn, conf = found.split()
        return int(turn), float(conf)

    def _exchange(
        self, image: np.ndarray, dpi: int, psm: int, timeout: float, choices: bool = False, whitelist: str = ""
    ) -> Reading:
        """One request and its reply (see the module's docstring), under `timeout`."""
        deadline = time.monotonic() + timeout
        try:
            if not self._ready:
                self._answer(deadline)
                self._ready = True
            height, width = image.shape
            pipe = self._proc.stdin
            assert pipe is not None
            allowed = whitelist.encode("utf-8")
            pipe.write(f"{width} {height} {dpi} {psm} {int(choices)} {len(allowed)}\n".encode() + allowed)
            pipe.write(image.tobytes())
            pipe.flush()
            return self._answer(deadline)
        except TimeoutError as err:
            self.close()
            raise WorkerCrash(f"tesseract timed out after {timeout:g} s") from err
        except WorkerError:
            self.close()
            raise
        except OSError as err:  # the pipe broke: the child died
            reason = self._death()
            self.close()
            raise WorkerCrash(reason) from err

    def _answer(self, deadline: float) -> Reading:
        header = b""
        while not header.endswith(b"\n"):
            header += self._take(1, deadline)
        status, *sizes = header.split()
        text, *rest = (self._take(int(size), deadline).decode("utf-8") for size in sizes)
        if status != b"ok":
            raise WorkerError(f"tesseract failed: {text}")
        return Reading(text, [WordChoices.from_json(word) for word in json.loads(rest[0])])

    def _take(self, size: int, deadline: float) -> bytes:
        pipe = self._proc.stdout
        assert pipe is not None
        data = b""
        while len(data) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(pipe.fileno(), size - len(data))
            if not chunk:
                raise WorkerCrash(self._death())
            data += chunk
        return data

    def _death(self) -> str:
        code = self._proc.wait()
        return f"tesseract crashed (signal {-code})" if code < 0 else f"tesseract exited with status {code}"

    def kill(self) -> None:
        """Kill the child from another thread than its reader's: the page being read fails at once
        with WorkerError, and the reader closes the child."""
        if self._proc.poll() is None:
            self._proc.kill()

    def close(self) -> None:
        """End the child, whatever it is doing."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                with contextlib.suppress(BrokenPipeError):  # a page half-written to a child that died: it goes with it
                    pipe.close()


_idle: dict[str, list[Resident]] = {}
_busy: set[Resident] = set()  # children reading a page now
_started: dict[str, int] = {}  # children ever started per language set, idle or busy
_interrupted = False  # `interrupt` was called: no child starts until `stop_all`
_lock = threading.Lock()


def read_page(
    image: np.ndarray, lang: str, dpi: int, psm: int, timeout: float, choices: bool, whitelist: str = ""
) -> Reading:
    """Read a grey page with an idle resident Tesseract for `lang`, starting one if none is idle (with a
    `whitelist`, as made of its characters alone). Threads reading at once each get their own child."""
    with _lent(lang) as worker:
        return worker.read(image, dpi, psm, timeout, choices, whitelist)


def orientation(image: np.ndarray, dpi: int, timeout: float) -> tuple[int, float] | None:
    """The page's orientation (see `Resident.orientation`) from an idle child of any language, or from one
    started for osd.traineddata alone (its engine loads in 0.05 s of CPU) when none is idle: a run's children
    stay idle while their worker prepares its next page, and this is asked for as a page is prepared."""
    with _lent(None) as worker:
        return worker.orientation(image, dpi, timeout)


@contextlib.contextmanager
def _lent(lang: str | None) -> Iterator[Resident]:
    """An idle child for `lang` (None: of any language, else one for `OSD_LANG`), given back idle after the
    block unless it failed (a failed child is closed by the `Resident` method that failed) or the run is
    being stopped."""
    worker = _checkout(lang)
    try:
        yield worker
    except BaseException:
        with _lock:
            _busy.discard(worker)
        raise
    with _lock:
        _busy.discard(worker)
        if _interrupted:
            worker.close()
        else:
            _idle.setdefault(worker.lang, []).append(worker)


def start(lang: str, count: int) -> None:
    """Start children ahead of the first pages (up to `count` in all), so that their engines load
    while other work goes on."""
    with _lock:
        if _interrupted:
            return
        missing = count - _started.get(lang, 0)
        _idle.setdefault(lang, []).extend(_new(lang) for _ in range(missing))


def interrupt() -> None:
    """End every child now, idle or reading (its page fails at once with WorkerError), and start
    no more until `stop_all`: the run is being stopped (Ctrl-C)."""
    global _interrupted
    with _lock:
        _interrupted = True
        for worker in _busy:
            worker.kill()  # its reader closes it
        for workers in _idle.values():
            for worker in workers:
                worker.close()
        _idle.clear()


def _checkout(lang: str | None) -> Resident:
    with _lock:
        if _interrupted:
            raise WorkerError("interrupted")
        if lang is None:
            worker = next(filter(None, map(_take_idle, list(_idle))), None) or _new(OSD_LANG)
        else:
            worker = _take_idle(lang) or _new(lang)
        _busy.add(worker)
        return worker


def _take_idle(lang: str) -> Resident | None:
    """An idle child for `lang` still alive, or None (the caller holds `_lock`)."""
    idle = _idle.get(lang, [])
    while idle:
        worker = idle.pop()
        if worker.alive():
            return worker
        worker.close()
    return None


def _new(lang: str) -> Resident:
    _started[lang] = _started.get(lang, 0) + 1
    return Resident(lang)


@atexit.register
def stop_all() -> None:
    """End every idle child (children also end on their own when this process does); after an
    `interrupt`, children may start again."""
    global _interrupted
    with _lock:
        for workers in _idle.values():
            for worker in workers:
                worker.close()
        _idle.clear()
        _started.clear()
        _interrupted = False


if __name__ == "__main__":
    serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)
