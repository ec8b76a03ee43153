"""Every page's files written again after the volume pass, by a second process when that pays.

The volume step is pure Python, so threads would take turns under the GIL while the run's second core sits
idle (the pages' Tesseracts have ended by then). Rendering the pages' texts, hOCR and ALTO is about half of the
step, and each page's files depend on its record alone: a child process renders the pages while this one writes
the volume's own files (the review report's snippets, names.tsv). The child is `python -m ocrfix.page_files`,
its pages pickled to its stdin and their `outputs` pickled back, as the resident Tesseracts are children of their
own: multiprocessing's spawn would import the program's main module again in the child (a user's script, run
twice).

Measured by `benchmarks/volume_step.py` (records of oldbooks-dev and the samples, the page files and the
volume's, report included; docs/benchmarks.md), when this process rendered a third of the pages: 400 pages
16.2 s in one process against 10.4 s with a second one; 160 pages 6.1 s against 3.9 s; 40 pages 1.55 s against
1.12 s; 20 pages 0.89 s against 0.88 s. Since the formats are written as text (`export.markup`) the volume files
(the report's snippets above all) are the larger part, and the child renders every page: CPU of this process /
of the child, 400 pages 6.1 / 5.6 s against 7.0 / 3.9 s with a third rendered here (it waited for the child
neither time); 160 pages 2.30 / 2.12 s against 2.98 / 1.80 s; 40 pages 0.63 / 0.89 s (0.30 s waiting for the
child) against 0.82 / 0.73 s. Hence `SECOND_PROCESS_FROM`.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from . import outputs
from .model import Page

SECOND_PROCESS_FROM = 40
"""Pages from which a second process pays. With the formats written as text and the child rendering every page
(wall seconds of `pipeline.render_outputs`, one process / two, on oldbooks-dev's records, two runs each): 40
pages 0.99 / 1.03 s and 0.92 / 0.77 s, 60 pages 1.16 / 0.95 s twice, 80 pages 1.74 / 1.23 s and 1.80 / 1.27 s
(the child's start, about 0.5 s, is what it must save). It was 30 when the pages' formats took twice as long."""


def write_pages(pages: list[Page], out: Path, formats: Iterable[str], then: Callable[[], None]) -> None:
    """`outputs.write_page` for every page, then `then()` (the volume files), with the pages' files written
    alongside `then` by a second process when that pays (see the module); each page's `outputs` is set as
    `write_page` sets it. Pages the child did not write (it could not start, or failed) are written by this
    process, so that an error writing a file is raised here as `write_page` raises it."""
    formats = tuple(formats)
    child = _Child.start() if len(pages) >= SECOND_PROCESS_FROM else None
    if child is None:
        _write(pages, out, formats)
        then()
        return
    try:
        child.send(pages, out, formats)
        then()
        written = child.written()
    finally:
        child.stop()
    for page in pages:
        if page.id in written:
            page.outputs = written[page.id]
        else:
            outputs.write_page(page, out, formats)


class _Child:
    """The second process: `python -m ocrfix.page_files`, fed its pages by a thread (the pipe takes 64 kB at a
    time, and this process has the volume's files to write meanwhile)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        self._reply: bytes | None = None
        self._talk: threading.Thread | None = None

    @classmethod
    def start(cls) -> _Child | None:
        """A child started, or None on one core or when the system refuses a process."""
        if (os.cpu_count() or 1) < 2:
            return None
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "ocrfix.page_files"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a failed child's pages are written here, which says why
                start_new_session=True,  # a terminal's Ctrl-C is this process's to handle
            )
        except OSError:
            return None
        return cls(proc)

    def send(self, pages: list[Page], out: Path, formats: tuple[str, ...]) -> None:
        payload = pickle.dumps((pages, out, formats), protocol=pickle.HIGHEST_PROTOCOL)

        def talk() -> None:
            try:
                reply, _ = self._proc.communicate(payload)
            except OSError:  # it died before reading its pages
                return
            self._reply = reply if self._proc.returncode == 0 else None

        self._talk = threading.Thread(target=talk, daemon=True, name="page files")
        self._talk.start()

    def written(self) -> dict[str, dict[str, str]]:
        """Each page the child wrote, with its `outputs`; nothing when it failed."""
        if self._talk is not None:
            self._talk.join()
        try:
            return pickle.loads(self._reply) if self._reply else {}
        except (pickle.UnpicklingError, EOFError, ValueError):
            return {}

    def stop(self) -> None:
        """End the child if it is still at work (this process is stopping: Ctrl-C, an error)."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


def _write(pages: list[Page], out: Path, formats: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The pages' files, and what each page's record now says they hold (its `outputs`)."""
    for page in pages:
        outputs.write_page(page, out, formats)
    return {page.id: page.outputs for page in pages}


def _serve() -> None:
    """The child: its pages from stdin, their `outputs` to stdout. Without the cyclic garbage collector: the
    pages' hundred thousand objects, every one kept, made it go over them again and again as they were
    unpickled (half the time of reading them), and rendering makes no cycles."""
    gc.disable()
    pages, out, formats = pickle.load(sys.stdin.buffer)
    pickle.dump(_write(pages, out, formats), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _serve()
