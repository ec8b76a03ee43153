"""Writing the output folder (docs/outputs.md, a contract): every file is written whole or not at all.

Each file goes to a temporary name beside its final one and is renamed into place, so an
interrupted run never leaves a half-written file under a final name.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from . import names, text
from .lexicon import Lexicon
from .model import Page

TEXT_SUFFIXES = (".raw.txt", ".lines.txt", ".txt")
"""The page's texts, written by every run that reads the page (the standard formats by the volume step)."""
RUN_FILE = "run.json"
"""What ran: written last by a run, read by the next one and by `ocrfix review`."""


def atomic_write(path: Path, data: str | bytes) -> str:
    """Text (UTF-8, its line ends as they are) or bytes, under `path` only once complete; returns their
    SHA-256 (a page record keeps its files')."""
    payload = data if isinstance(data, bytes) else data.encode("utf-8")
    with atomic_stream(path) as f:
        f.write(payload)
    return _digest(payload)


@contextmanager
def atomic_stream(path: Path) -> Iterator[BinaryIO]:
    """A file to write as the data comes, under `path` only once complete (removed if anything fails
    before). A path that exists and is no regular file (`--report /dev/stderr`, a pipe) is written to as
    it is; a symbolic link is followed, never replaced."""
    if path.exists() and not path.is_file():
        with open(path, "wb") as f:
            yield f
        return
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the outputs from the other readers of a shared folder
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file as `atomic_write` returns it, None when it cannot be read: what a rerun
    compares with the digest kept when the file was written, to find a file damaged by hand (a text
    truncated with its time kept looks finished to every other test)."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def unchanged(path: Path, digest: str | None) -> bool:
    """Whether the file is there with the digest kept when it was written."""
    return digest is not None and file_digest(path) == digest


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files an interrupted run (kill -9) left behind; call only while holding the output lock."""
    for tmp in [*out.glob(".*.tmp"), *out.glob("*/.*.tmp"), *out.glob("*/*/.*.tmp")]:
        tmp.unlink(missing_ok=True)


def page_path(out: Path, page_id: str, suffix: str) -> Path:
    return out / "pages" / f"{page_id}{suffix}"


def write_page(page: Page, out: Path, formats: Iterable[str] = ()) -> None:
    """The page's three texts and the standard formats asked for (hOCR, ALTO, PAGE), then its record,
    which keeps their SHA-256 (`page.outputs`). The record is written last: its presence means the page is done."""
    from .export import render_formats

    renders = [text.raw_lines, text.corrected_lines, text.reading_text]
    files = {suffix: render(page) for suffix, render in zip(TEXT_SUFFIXES, renders, strict=True)}
    page.outputs = {
        suffix: atomic_write(page_path(out, page.id, suffix), data)
        for suffix, data in (files | render_formats(page, formats)).items()
    }
    atomic_write(page_path(out, page.id, ".json"), page.to_json())


RECORD_ERRORS = (OSError, ValueError, TypeError, KeyError, AttributeError)
"""What reading a page record raises when it is missing or is not what ocrfix wrote (`[]`, a field lost)."""


def read_page(out: Path, page_id: str) -> Page:
    return Page.from_json(page_path(out, page_id, ".json").read_text(encoding="utf-8"))


def read_pages(out: Path, page_ids: Iterable[str]) -> list[Page]:
    """The records of these pages, read with the cyclic garbage collector paused: a volume's records are a
    hundred thousand objects, all kept, and the collector went over them again and again as they were made
    (400 pages read in 0.77 s of CPU without it, 1.3 s with it)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return [read_page(out, page_id) for page_id in page_ids]
    finally:
        if paused:
            gc.enable()


def read_run_pages(out: Path) -> list[Page]:
    """The records of a finished run's pages, in its order (failed pages have none)."""
    run = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    return read_pages(out, [p["id"] for p in run["pages"] if p["status"] != "failed"])


FileState = tuple[int, int, int, int] | None
"""A file's inode, size, modification and change times (ns), None when it is missing (see `page_files_state`)."""
FilesState = tuple[FileState, ...]


def page_files_state(out: Path, page_id: str) -> FilesState:
    """The state of every file a page may have in `out` (its record, texts and standard formats): what tells,
    without reading them, that none has changed since an earlier look. Any write moves a file's change time,
    one that sets its modification time back included, and a rename into place gives it another inode."""
    from .export import PAGE_FORMATS

    suffixes = (".json", *TEXT_SUFFIXES, *(suffix for suffix, _ in PAGE_FORMATS.values()))
    return tuple(file_state(page_path(out, page_id, suffix)) for suffix in suffixes)


def file_state(path: Path) -> FileState:
    """See `FileState`; a symbolic link's target's."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def finished_page(out: Path, page_id: str, key: str) -> Page | None:
    """The page's record if an earlier run finished it with the same key and every file written from it
    is as it was written (the SHA-256 the record keeps); otherwise the page is to be done again."""
    try:
        page = read_page(out, page_id)
    except RECORD_ERRORS:  # damaged by hand: the page is redone
        return None
    return page if page.cache_key == key and _intact(page, out) else None


def _intact(page: Page, out: Path) -> bool:
    """Whether the record lists its texts at least and each file it lists has the digest it keeps."""
    kept = page.outputs
    return (
        isinstance(kept, dict)
        and set(TEXT_SUFFIXES) <= kept.keys()
        and all(unchanged(page_path(out, page.id, suffix), digest) for suffix, digest in kept.items())
    )


def write_volume(pages: Iterable[Page], out: Path) -> None:
    atomic_write(out / "volume.txt", text.volume_text(pages))


CHANGE_COLUMNS = ("raw", "corrected", "confidence", "reason", "applied", "alternatives", "repair")
"""How a change is written, in corrections.tsv and `ocrfix correct --report` alike. The last column names the
repair that proposed it (`correct.scorer.Repair`), empty for a layout step's."""
CORRECTIONS_HEADER = ("page", "line", "word", *CHANGE_COLUMNS)


class Changed(Protocol):
    """A change as either kind of record holds it (`model.Change`, `correct.plaintext.TextChange`)."""

    @property
    def raw(self) -> str: ...
    @property
    def final(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def reason(self) -> str: ...
    @property
    def applied(self) -> bool: ...
    @property
    def alternatives(self) -> Sequence[str]: ...
    @property
    def repair(self) -> str: ...


def change_fields(c: Changed) -> tuple[str, ...]:
    """The `CHANGE_COLUMNS` of one change."""
    return (
        c.raw,
        c.final,
        f"{c.confidence:.3f}",
        c.reason,
        "yes" if c.applied else "no",
        "|".join(c.alternatives),
        c.repair,
    )


def corrections_rows(pages: Iterable[Page]) -> Iterable[tuple[str, ...]]:
    """One row per change, applied or proposed for review; line and word numbers are 1-based."""
    for page in pages:
        for n, line in enumerate(page.lines, start=1):
            for k, word in enumerate(line.words, start=1):
                for c in word.changes:
                    yield (page.id, str(n), str(k), *change_fields(c))


def tsv(rows: Iterable[Iterable[str]]) -> str:
    """Rows as tab-separated lines; tabs and line breaks inside a field become spaces."""
    return "".join("\t".join(f.replace("\t", " ").replace("\n", " ") for f in row) + "\n" for row in rows)


def write_corrections(pages: Iterable[Page], out: Path) -> None:
    atomic_write(out / "corrections.tsv", tsv([CORRECTIONS_HEADER, *corrections_rows(pages)]))


def write_names(pages: Iterable[Page], lexicon: Lexicon, out: Path) -> None:
    """names.tsv: the index of the dictionary names in the pages' final text, by the run's own lexicon."""
    atomic_write(out / "names.tsv", tsv([names.HEADER, *names.names_rows(pages, lexicon)]))


def write_run(run: dict[str, Any], out: Path) -> None:
    atomic_write(out / RUN_FILE, json.dumps(run, ensure_ascii=False, indent=1) + "\n")
