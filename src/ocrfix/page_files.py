"""Every page's files written again after the volume pass, a share of them by a second process.

The volume step is pure Python, so threads would take turns under the GIL while the run's second core sits
idle (the pages' Tesseracts have ended by then). Rendering the pages' texts, hOCR and ALTO is about half of the
step (0.025 s a page), and each page's files depend on its record alone: a child process renders most of the
pages while this one renders the rest and goes on to the volume's own files (the review report's snippets,
names.tsv). Measured by `benchmarks/volume_step.py` (records of oldbooks-dev and the samples, the page files
and the volume's, report included; docs/benchmarks.md): 400 pages 16.9 s in one process against 10.4 s with a
second one; 160 pages 6.5 s against 4.0 s; 40 pages 1.64 s against 1.34 s; 20 pages 0.94 s against 1.08 s (the
child's start and the pages' pickling cost more than its share saves), hence `SECOND_PROCESS_FROM`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import outputs
from .model import Page

SECOND_PROCESS_FROM = 30
"""Pages from which a second process pays: 20 pages took 0.14 s longer with it, 40 pages 0.3 s less."""
OWN_SHARE = 1 / 3
"""The share of the pages this process renders itself before its volume files, measured once on the same
records (page files and report alone): with 160 pages, 0.3 of them took 3.75 s against 0.2 4.18 s and none
5.11 s; with 40, 0.4 took 1.17-1.2 s against 0.3 1.24-1.26 s."""


def write_pages(pages: list[Page], out: Path, formats: Iterable[str], then: Callable[[], None]) -> None:
    """`outputs.write_page` for every page, then `then()` (the volume files), with the pages' files written
    alongside `then` by a second process when that pays (see the module); each page's `outputs` is set as
    `write_page` sets it. Pages a child could not write (none could start: a daemonic Dask worker may have no
    children; or it died) are written by this process; an error writing a file is raised as `write_page`
    raises it."""
    formats = tuple(formats)
    child = _second_process() if len(pages) >= SECOND_PROCESS_FROM else None
    own = round(len(pages) * OWN_SHARE) if child else len(pages)
    with child or contextlib.nullcontext():
        theirs = _submit(child, pages[own:], out, formats) if child else None
        _write(pages[:own], out, formats)
        then()
        try:
            written = theirs.result() if theirs else _write(pages[own:], out, formats)
        except BrokenProcessPool:
            written = _write(pages[own:], out, formats)
    for page in pages[own:]:
        page.outputs = written[page.id]


def _submit(
    child: ProcessPoolExecutor, pages: list[Page], out: Path, formats: tuple[str, ...]
) -> Future[dict[str, dict[str, str]]] | None:
    """The child's share handed to it, or None when its process cannot be started."""
    try:
        return child.submit(_write, pages, out, formats)
    except (OSError, BrokenProcessPool):
        return None


def _second_process() -> ProcessPoolExecutor | None:
    """A pool of one fresh interpreter (spawned: the run's threads and locks are not copied into it), or None
    on one core or where this process may have no children."""
    if (os.cpu_count() or 1) < 2 or multiprocessing.current_process().daemon:
        return None
    try:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    except OSError:
        return None


def _write(pages: list[Page], out: Path, formats: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The pages' files, and what each page's record now says they hold (its `outputs`)."""
    for page in pages:
        outputs.write_page(page, out, formats)
    return {page.id: page.outputs for page in pages}
