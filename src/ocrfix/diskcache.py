"""Data a run derives from inputs that seldom change (the SymSpell index of the lexicon: 3 s of CPU to build,
0.1 s to load; the lexicon's frequencies and tables), kept between runs in the user's cache folder.

An entry is named by what it is and a digest of everything it was built from, so a changed input (a
dictionary edited, a new wordfreq) is a new entry: nothing is ever used stale. The `KEPT` entries of a name
used last stay and older ones are removed. Entries are `marshal` data (plain dicts, lists, strings, numbers:
fast to read, and reading one runs no code), loaded with the garbage collector paused (a large dict of lists
loads in a quarter of the time), then frozen out of its reach (`gc.freeze`). Any trouble with the cache
(unwritable, damaged, another Python's) means building.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

T = TypeVar("T")

KEPT = 4
"""Entries of one name kept: a run that finds an index of names in its volume uses two SymSpell indexes (the
lexicon's, and the lexicon with the volume's names), so four keep both for two volumes worked on in turn
(30 MB each); with one, each such run evicted the other's and built both again (3 s of CPU each)."""


def cache_dir() -> Path:
    """$OCRFIX_CACHE_DIR, else $XDG_CACHE_HOME/ocrfix, else ~/.cache/ocrfix."""
    explicit = os.environ.get("OCRFIX_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ocrfix"


def cached(name: str, inputs: bytes, build: Callable[[], T]) -> T:
    """What `build()` returns for `inputs` (everything that decides it, as bytes): read from the cache when
    an earlier call stored it, else built and stored. `build` must return marshal-able data."""
    digest = hashlib.sha256(inputs + f"|{sys.implementation.cache_tag}|{marshal.version}".encode()).hexdigest()
    path = cache_dir() / f"{name}-{digest[:32]}.marshal"
    value = _read(path)
    if value is not None:
        _touch(path)
    else:
        value = build()
        _store(path, name, value)
        _freeze()
    return cast(T, value)


def _freeze() -> None:
    """A value lives as long as the process (its callers keep it): the millions of containers of an index made
    every full collection walk them again, 0.3 s of a 6-page volume step's 0.8 s of CPU."""
    gc.freeze()


def _read(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    collecting = gc.isenabled()
    gc.disable()  # the collector would walk the growing heap again and again as the containers are made
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # damaged or truncated: built again, and replaced
        return None
    finally:
        _freeze()  # before the collector is back, whose first pass would walk the new containers (0.03-0.05 s)
        if collecting:
            gc.enable()


def _touch(path: Path) -> None:
    """Mark an entry as used now: the entries kept are those used last."""
    try:
        os.utime(path)
    except OSError:
        pass


def _store(path: Path, name: str, value: Any) -> None:
    """Write the entry (a temporary name, then a rename: a reader never sees half of it) and remove the
    entries of the same name beyond the `KEPT` used last."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump(value, f)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        others = [p for p in path.parent.glob(f"{name}-*.marshal") if p != path and p.stem.rpartition("-")[0] == name]
        others.sort(key=_used, reverse=True)
        for older in others[KEPT - 1 :]:
            older.unlink(missing_ok=True)
    except OSError:  # no cache (read-only home, full disk): the next run builds again
        pass


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another run
        return 0.0
