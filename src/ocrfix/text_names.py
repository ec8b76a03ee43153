"""`ocrfix correct --names`: a text volume's own names (its index and glossary pages, `volume_names`) as the
dictionary of its correction, and its names index (`names.tsv`'s format) from the corrected text.

The volume dictionary is written as dictionary files named for their kinds (`people.txt` for persons...), so
that the correction loads them as it loads a `--dict` file and the index gives each name its kind
(`lexicon.kind_of`)."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .lexicon import KINDS, Lexicon, load
from .names import HEADER, text_rows
from .outputs import atomic_write, tsv
from .tokens import split_token
from .volume_names import Kind, VolumeName, volume_dictionary, volume_names

FILE_OF_KIND = {kind: stem for stem, kind in KINDS.items()}
"""The dictionary file a kind of volume name is written to (`people` for `person`); `unknown` has none."""


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


def write_dictionaries(names: Iterable[VolumeName], lexicon: Lexicon, folder: Path) -> tuple[Path, ...]:
    """The volume dictionary (`volume_dictionary`) as one file per kind in `folder`, for the correction to load."""
    files = []
    by_kind: dict[Kind, list[str]] = volume_dictionary(names, lexicon)
    for kind, entries in by_kind.items():
        path = folder / f"{FILE_OF_KIND.get(kind, kind)}.txt"
        path.write_text("".join(f"{entry}\n" for entry in entries), encoding="utf-8")
        files.append(path)
    return tuple(files)


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
    rows = text_rows(((name, _lines([path])) for name, path in texts), load(dictionaries), readings)
    atomic_write(out, tsv([HEADER, *rows]))
    return len(rows)
