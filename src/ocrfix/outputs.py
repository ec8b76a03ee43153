"""Writing the output folder (see DESIGN.md): every file is written whole or not at all.

Each file goes to a temporary name beside its final one and is renamed into place, so an
interrupted run never leaves a half-written file under a final name.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import text
from .model import Page

PAGE_SUFFIXES = (".json", ".raw.txt", ".lines.txt", ".txt")
RUN_FILE = "run.json"
"""What ran: written last by a run, read by the next one and by `ocrfix review`."""


def atomic_write(path: Path, data: str | bytes) -> None:
    """Text (UTF-8, \\n line ends) or bytes, under `path` only once complete. A path that exists and is
    no regular file (`--report /dev/stderr`, a pipe) is written to as it is; a symbolic link is followed,
    never replaced."""
    if path.exists() and not path.is_file():
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the outputs from the other readers of a shared folder
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files an interrupted run (kill -9) left behind; call only while holding the output lock."""
    for tmp in [*out.glob(".*.tmp"), *out.glob("*/.*.tmp"), *out.glob("*/*/.*.tmp")]:
        tmp.unlink(missing_ok=True)


def page_path(out: Path, page_id: str, suffix: str) -> Path:
    return out / "pages" / f"{page_id}{suffix}"


def write_page(page: Page, out: Path) -> None:
    """The page record and its three texts. The record is written last: its presence means the page is done."""
    atomic_write(page_path(out, page.id, ".raw.txt"), text.raw_lines(page))
    atomic_write(page_path(out, page.id, ".lines.txt"), text.corrected_lines(page))
    atomic_write(page_path(out, page.id, ".txt"), text.reading_text(page))
    atomic_write(page_path(out, page.id, ".json"), page.to_json())


def write_exports(page: Page, out: Path, formats: Iterable[str]) -> None:
    """The page in the standard formats asked for (hOCR, ALTO, PAGE), beside its texts."""
    from .export import PAGE_FORMATS

    for name in formats:
        if name in PAGE_FORMATS:
            suffix, render = PAGE_FORMATS[name]
            atomic_write(page_path(out, page.id, suffix), render(page))


def read_page(out: Path, page_id: str) -> Page:
    return Page.from_json(page_path(out, page_id, ".json").read_text(encoding="utf-8"))


def read_run_pages(out: Path) -> list[Page]:
    """The records of a finished run's pages, in its order (failed pages have none)."""
    run = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    return [read_page(out, p["id"]) for p in run["pages"] if p["status"] != "failed"]


def finished_page(out: Path, page_id: str, key: str) -> Page | None:
    """The page's record if an earlier run finished it with the same key (and its texts are all there)."""
    try:
        page = read_page(out, page_id)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # damaged by hand (`[]`): the page is redone
        return None
    if page.cache_key != key or not all(page_path(out, page_id, s).is_file() for s in PAGE_SUFFIXES):
        return None
    return page


def write_volume(pages: Iterable[Page], out: Path) -> None:
    atomic_write(out / "volume.txt", text.volume_text(pages))


CORRECTIONS_HEADER = ("page", "line", "word", "raw", "corrected", "confidence", "reason", "applied", "alternatives")


def corrections_rows(pages: Iterable[Page]) -> Iterable[tuple[str, ...]]:
    """One row per change, applied or proposed for review; line and word numbers are 1-based."""
    for page in pages:
        for n, line in enumerate(page.lines, start=1):
            for k, word in enumerate(line.words, start=1):
                for c in word.changes:
                    yield (page.id, str(n), str(k), c.raw, c.final, f"{c.confidence:.3f}", c.reason,
                           "yes" if c.applied else "no", "|".join(c.alternatives))


def tsv(rows: Iterable[Iterable[str]]) -> str:
    """Rows as tab-separated lines; tabs and line breaks inside a field become spaces."""
    return "".join("\t".join(f.replace("\t", " ").replace("\n", " ") for f in row) + "\n" for row in rows)


def write_corrections(pages: Iterable[Page], out: Path) -> None:
    atomic_write(out / "corrections.tsv", tsv([CORRECTIONS_HEADER, *corrections_rows(pages)]))


def write_run(run: dict[str, Any], out: Path) -> None:
    atomic_write(out / RUN_FILE, json.dumps(run, ensure_ascii=False, indent=1) + "\n")
