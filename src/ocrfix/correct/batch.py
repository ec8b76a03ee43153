"""`ocrfix correct` over files: read each (saying what is wrong with a bad one), correct or reflow it
with one lexicon loaded once, write it whole or not at all, and gather one report.

A bad file (missing, unreadable, empty, binary) is one line naming it and the reason; the other files
go on. Invalid UTF-8 is decoded where it can be (U+FFFD for the rest) and its first place reported.
A text is corrected as it is read and written as it is corrected (`textfile`): its size is no limit.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

from ..lexicon import load
from ..outputs import atomic_stream, tsv
from .plaintext import REPORT_HEADER, TextChange, reflow_text, report_rows
from .reflow import is_markdown
from .textfile import InputError, Survey, blocks_of, corrected, jobs_for, read_lines, survey
from .words import Corrector


class BatchError(Exception):
    """Nothing could be done (the output folder cannot be made)."""


@dataclass
class Summary:
    applied: int = 0
    review: int = 0
    done: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    """One line per file that went wrong, naming it and the reason."""


Progress = Callable[[int, int], None]
"""Told the lines done and the lines of the text, as a text is corrected."""


def _corrector(dictionaries: tuple[str, ...]) -> Corrector:
    return Corrector(load(tuple(Path(d) for d in dictionaries)))


def correct_files(
    inputs: list[Path | None],
    folders: list[Path],
    output: Path | None,
    several: bool,
    report: Path | None,
    dictionaries: tuple[str, ...],
    reflow: bool,
    advance: Callable[[], None],
    progress: Progress = lambda _done, _total: None,
) -> Summary:
    """Each input (None: standard input) corrected into `output` (standard output when None; a folder
    when `several`: the file's name, or its path under the folder named); the lexicon loaded once for all."""
    if several and output is not None:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BatchError(f"{output}: cannot create output folder ({e.strerror})") from e
    load = cache(lambda: _corrector(dictionaries))  # at the first good input: none is loaded for bad ones alone
    summary, targets = Summary(), set()
    with _report(report, several) as rows:
        for path in inputs:
            name = "standard input" if path is None else str(path)
            target = None
            try:
                target = written_to(path, folders, output, several)
                if target is not None and target in targets:
                    raise InputError(f"{name}: another input is written to {target} too; not written")
                counted, problem = _correct_one(path, name, target, several, load, reflow, rows, progress)
                if target is not None:
                    targets.add(target)
            except InputError as e:
                summary.problems.append(str(e))
                summary.failed += 1
            except OSError as e:
                summary.problems.append(f"{target}: cannot write ({e.strerror})")
                summary.failed += 1
            else:
                summary.done += 1
                summary.applied += counted.applied
                summary.review += counted.review
                if problem:
                    summary.problems.append(problem)
                    summary.failed += 1
            advance()
    return summary


def _correct_one(
    path: Path | None,
    name: str,
    target: Path | None,
    several: bool,
    load: Callable[[], Corrector],
    reflow: bool,
    rows: Callable[[BinaryIO], None],
    progress: Progress,
) -> tuple[Summary, str | None]:
    """One input corrected into its target, its report rows added once it is written: its counts, and
    where it is not UTF-8 (None when it all is)."""
    counted = Summary()
    with tempfile.TemporaryFile() as file_rows, _opened(path) as stream:
        found = survey(stream, name)
        corrector = load()
        stream.seek(0)

        def changed(changes: list[TextChange]) -> None:
            _count(counted, changes)
            file_rows.write(tsv((name, *row) if several else row for row in report_rows(changes)[1:]).encode("utf-8"))

        with _written(target) as out:
            if reflow:
                text = "".join(line + end for line, end in read_lines(stream))
                fixed, changes = reflow_text(text, corrector, is_markdown(text, "" if path is None else path.name))
                out.write(fixed.encode("utf-8"))
                changed(changes)
            else:
                _correct_stream(stream, found, corrector, out, changed, lambda done: progress(done, found.lines))
        file_rows.seek(0)
        rows(file_rows)
    return counted, found.problem


def _correct_stream(
    stream: BinaryIO,
    found: Survey,
    corrector: Corrector,
    out: BinaryIO,
    changed: Callable[[list[TextChange]], None],
    done: Callable[[int], None],
) -> None:
    """The text corrected block by block into `out`, each line with its own line end; each block's changes
    told to `changed` and the lines written so far to `done`."""
    ends: deque[str] = deque()  # the line ends of the lines read but not yet written

    def lines() -> Iterator[str]:
        for line, end in read_lines(stream):
            ends.append(end)
            yield line

    written = 0
    document = corrector.for_counts(found.words)
    for block in corrected(blocks_of(lines(), found.paragraphs), document, jobs_for(found.lines)):
        out.write("".join(text + ends.popleft() for text in block.texts).encode("utf-8"))
        changed(block.changes)
        written += block.lines
        done(written)


@contextmanager
def _opened(path: Path | None) -> Iterator[BinaryIO]:
    """The input to read twice: the file, or standard input kept in a temporary file."""
    if path is not None:
        try:
            f = path.open("rb")
        except FileNotFoundError as e:
            raise InputError(f"{path}: no such file") from e
        except IsADirectoryError as e:
            raise InputError(f"{path}: is a folder") from e
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})") from e
        with f:
            yield f
        return
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        yield spool


@contextmanager
def _written(target: Path | None) -> Iterator[BinaryIO]:
    """Where the corrected text goes: the target file, whole or not at all, or standard output."""
    if target is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_stream(target) as f:
        yield f


@contextmanager
def _report(report: Path | None, several: bool) -> Iterator[Callable[[BinaryIO], None]]:
    """A function that adds a file of rows to the report (nothing without one), written whole when the batch
    ends. An error writing it stops the batch (the files' own errors are theirs, reported apart)."""
    if report is None:
        yield lambda _rows: None
        return
    try:
        with atomic_stream(report) as f:
            f.write(tsv([(("file",) if several else ()) + REPORT_HEADER]).encode("utf-8"))
            yield lambda rows: shutil.copyfileobj(rows, f)
    except OSError as e:
        raise BatchError(f"{report}: cannot write the report ({e.strerror})") from e


def _count(summary: Summary, changes: list[TextChange]) -> None:
    summary.applied += sum(c.applied for c in changes)
    summary.review += sum(not c.applied for c in changes)


def written_to(path: Path | None, folders: list[Path], output: Path | None, several: bool) -> Path | None:
    """Where the corrected file goes: None for standard output."""
    if output is None:
        return None
    if path is None or not several and not output.is_dir():
        return output
    for folder in folders:
        if path.is_relative_to(folder):
            return output / path.relative_to(folder)
    return output / path.name
