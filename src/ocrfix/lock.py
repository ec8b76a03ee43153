"""One run at a time per output folder: a second run on the same OUT says so and stops. And `exclusive`, the
wait for a short critical section that processes share through a file (the local Prefect server's state)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

LOCK_NAME = ".ocrfix.lock"


class LockError(Exception):
    """The output folder's lock cannot be taken; str() is the one-line reason."""


class Busy(LockError):
    """Another process holds the output folder."""


class OutputLock:
    """An exclusive advisory lock on OUT/.ocrfix.lock, released when the process ends, even by kill -9."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:  # e.g. the lock file of another user's run, not writable for this one
            raise LockError(f"{self.path}: cannot open the lock ({e.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise Busy(f"{self.path.parent}: in use by another ocrfix run (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock; the file stays, harmless
            self._fd = None


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if missing) for the block, waiting for it if another
    process holds it; released when the block ends or the process does, even by kill -9. Raises OSError when
    the file cannot be opened (a read-only folder)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
