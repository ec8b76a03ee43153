"""`ocrfix correct` over files: read each (saying what is wrong with a bad one), correct or reflow it
with one lexicon loaded once, write it whole or not at all, and gather one report.

A bad file (missing, unreadable, empty, binary) is one line naming it and the reason; the other files
go on. Invalid UTF-8 is decoded where it can be (U+FFFD for the rest) and its first place reported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..lexicon import load
from ..outputs import atomic_write, tsv
from .plaintext import REPORT_HEADER, TextChange, correct_text, reflow_text, report_rows
from .reflow import is_markdown
from .words import Corrector


class BatchError(Exception):
    """Nothing could be done (the output folder cannot be made)."""


class InputError(Exception):
    """This file cannot be corrected: the message says why."""


@dataclass
class Summary:
    applied: int = 0
    review: int = 0
    done: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)
    """One line per file that went wrong, naming it and the reason."""


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """The text, and where it is not UTF-8 (None when it all is). Binary data and empty files raise."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if b"\0" in data[:65536]:
        raise InputError(f"{name}: not text (binary data)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
        return text, f"{name}: invalid UTF-8 at line {line} (byte {e.start}); {bad} characters replaced by U+FFFD"


def correct_one(text: str, name: str, corrector: Corrector, reflow: bool) -> tuple[str, list[TextChange]]:
    return reflow_text(text, corrector, is_markdown(text, name)) if reflow else correct_text(text, corrector)


def _corrector(dictionaries: tuple[str, ...]) -> Corrector:
    return Corrector(load(tuple(Path(d) for d in dictionaries)))


def correct_files(inputs: list[Path | None], folders: list[Path], output: Path | None, several: bool,
                  report: Path | None, dictionaries: tuple[str, ...], reflow: bool, advance: Callable[[], None]) -> Summary:
    """Each input (None: standard input) corrected into `output` (standard output when None; a folder
    when `several`: the file's name, or its path under the folder named); the lexicon loaded once for all."""
    if several and output is not None:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BatchError(f"{output}: cannot create output folder ({e.strerror})") from e
    corrector: Corrector | None = None  # loaded at the first good input: none is loaded for bad ones alone
    summary, rows, targets = Summary(), [], set()
    for path in inputs:
        name = "standard input" if path is None else str(path)
        target = None
        try:
            target = _target(path, folders, output, several)
            if target is not None and target in targets:
                raise InputError(f"{name}: another input is written to {target} too; not written")
            text, problem = decode(sys.stdin.buffer.read() if path is None else _read(path), name)
            corrector = corrector or _corrector(dictionaries)
            fixed, changes = correct_one(text, "" if path is None else path.name, corrector, reflow)
            if target is None:
                sys.stdout.write(fixed)
            else:
                atomic_write(target, fixed)
                targets.add(target)
        except InputError as e:
            summary.problems.append(str(e))
            summary.failed += 1
        except OSError as e:
            summary.problems.append(f"{target}: cannot write ({e.strerror})")
            summary.failed += 1
        else:
            _count(summary, changes, problem)
            rows += [(name, *row) for row in report_rows(changes)[1:]] if several else report_rows(changes)[1:]
        advance()
    if report is not None:
        atomic_write(report, tsv([(("file",) if several else ()) + REPORT_HEADER] + rows))
    return summary


def _count(summary: Summary, changes: list[TextChange], problem: str | None) -> None:
    summary.done += 1
    summary.applied += sum(c.applied for c in changes)
    summary.review += sum(not c.applied for c in changes)
    if problem:
        summary.problems.append(problem)
        summary.failed += 1


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a folder") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from e


def _target(path: Path | None, folders: list[Path], output: Path | None, several: bool) -> Path | None:
    """Where the corrected file goes: None for standard output."""
    if output is None:
        return None
    if path is None or not several and not output.is_dir():
        return output
    for folder in folders:
        if path.is_relative_to(folder):
            return output / path.relative_to(folder)
    return output / path.name
