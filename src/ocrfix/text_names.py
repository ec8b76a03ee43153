"""`ocrfix correct --names`: a text volume's own names (its index and glossary pages, `volume_names`) as the
dictionary of its correction, and its names index (`names.tsv`'s format) from the corrected text.

The volume dictionary is written as dictionary files named for their kinds (`people.txt` for persons...), so
that the correction loads them as it loads a `--dict` file and the index gives each name its kind
(`lexicon.kind_of`)."""

from __future__ import annotations

import codecs
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .correct.batch import Summary, correct_files, written_to
from .lexicon import Lexicon, load
from .names import HEADER, text_rows
from .outputs import atomic_write, tsv
from .tokens import split_token
from .volume_names import VolumeName, volume_dictionary, volume_names, write_dictionaries


class NamesIndexError(Exception):
    """The names index cannot be written; str() is the one-line reason."""


@dataclass(frozen=True)
class Indexed:
    """What `correct_volume` did besides the correction."""

    summary: Summary
    names: int
    """Names in the index written."""
    read: int
    """Names read from the volume's index and glossary pages."""


def correct_volume(
    inputs: Sequence[Path],
    folders: list[Path],
    output: Path | None,
    several: bool,
    report: Path | None,
    dictionaries: tuple[str, ...],
    reflow: bool,
    names: Path,
    advance: Callable[[], None],
    progress: Callable[[int, int], None],
    stdout: BinaryIO,
) -> Indexed:
    """`correct_files` over the inputs as one volume, its own names first (a dictionary of the whole correction),
    then its names index into `names`. The index reads the corrected text and the changes, kept in a scratch
    folder when not asked for (`output`, `report` None), the text then copied to `stdout`. Raises BatchError
    as `correct_files` does, NamesIndexError when `names` cannot be written."""
    with tempfile.TemporaryDirectory(prefix="ocrfix-names-") as scratch:
        found = read_volume(inputs)
        own = write_dictionaries(volume_dictionary(found, load(tuple(map(Path, dictionaries)))), Path(scratch))
        volume = dictionaries + tuple(map(str, own))
        changes = report if report is not None else Path(scratch) / "changes.tsv"
        written = output if output is not None else Path(scratch) / "corrected.txt"
        summary = correct_files(list(inputs), folders, written, several, changes, volume, reflow, advance, progress)
        texts = [(str(f), t) for f in inputs if (t := written_to(f, folders, written, several)) and t.is_file()]
        try:
            count = write_index(texts, report_readings(changes, several), tuple(map(Path, volume)), names)
        except OSError as e:
            raise NamesIndexError(f"{names}: cannot write the names index ({e.strerror})") from None
        if output is None and written.is_file():
            with written.open("rb") as text:
                shutil.copyfileobj(text, stdout)
            stdout.flush()
    return Indexed(summary, count, len(found))


def _lines(paths: Iterable[Path]) -> Iterator[str]:
    """The inputs' lines, one volume; a file that cannot be read gives none (the correction says why)."""
    for path in paths:
        try:
            with path.open("rb") as f:
                decode = codecs.getincrementaldecoder("utf-8")(errors="replace")
                for raw in f:
                    yield decode.decode(raw).rstrip("\r\n")
        except OSError:
            continue


def read_volume(paths: Sequence[Path]) -> list[VolumeName]:
    """The names the volume's index and glossary pages print, over all its files in order."""
    return volume_names(_lines(paths))


def report_readings(report: Path, several: bool) -> dict[str, set[str]]:
    """From an `ocrfix correct --report` file (with a file column when `several`): each corrected word and the
    readings applied changes turned into it, over the whole volume."""
    found: dict[str, set[str]] = {}
    for line in report.read_text(encoding="utf-8").splitlines()[1:]:
        raw, final, _confidence, _reason, applied = line.split("\t")[1 + several : 6 + several]
        core, raw_core = split_token(final)[1], split_token(raw)[1]
        if applied == "yes" and core and " " not in core and raw_core and raw_core != core:
            found.setdefault(core, set()).add(raw_core)
    return found


def write_index(
    texts: Sequence[tuple[str, Path]], readings: dict[str, set[str]], dictionaries: tuple[Path, ...], out: Path
) -> int:
    """names.tsv for the corrected texts (each an input's name and where its text was written), by the lexicon
    the correction used (`dictionaries`, as it loaded them); the number of names."""
    lexicon: Lexicon = load(dictionaries)
    rows = text_rows(((name, _lines([path])) for name, path in texts), lexicon, readings)
    atomic_write(out, tsv([HEADER, *rows]))
    return len(rows)
