"""The volume step's page files written by two processes (`page_files.write_pages`): byte for byte what one
process writes, on pages of the seed volume's lines, some of them deskewed (boxes mapped onto the scan)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED, need
from ocrfix import page_files
from ocrfix.model import Line, Page, Word

FORMATS = ("hocr", "alto", "page")


def _pages(count: int) -> list[Page]:
    """`count` pages of 5 lines each of the seed, in reading order; every third page read deskewed."""
    text = need(SHARED / "seed" / "serge-trotsky-papers.md").read_text(encoding="utf-8")
    rows = [row for row in text.split("\n") if len(row.split()) > 3]
    pages = []
    for n in range(count):
        lines = []
        for i, row in enumerate(rows[n * 5 : (n + 1) * 5]):
            y, x, words = 150 + 60 * i, 200, []
            for w in row.split()[:12]:
                words.append(Word(raw=w, box=(x, y, x + 20 * len(w), y + 40), conf=90.0))
                x += 20 * len(w) + 15
            lines.append(Line(box=(200, y, x, y + 40), words=words, block=1, par=1 + i // 3))
        skew = 0.7 if n % 3 == 0 else 0.0
        steps = ["deskew"] if skew else []
        pages.append(Page(f"p{n:03d}", f"p{n:03d}.png", 0, 1700, 1500, 300.0, False, 0, skew, steps, "eng", lines))
    return pages


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_write_what_one_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pages = _pages(page_files.SECOND_PROCESS_FROM)
    replies: list[dict[str, dict[str, str]]] = []
    written = page_files._Child.written
    monkeypatch.setattr(page_files._Child, "written", lambda child: replies.append(written(child)) or replies[-1])
    page_files.write_pages(pages, tmp_path / "two", FORMATS, then=lambda: None)
    assert list(replies[0]) == [p.id for p in pages], "the child wrote every page"

    monkeypatch.setattr(page_files, "SECOND_PROCESS_FROM", 10**6)
    alone = _pages(len(pages))
    page_files.write_pages(alone, tmp_path / "one", FORMATS, then=lambda: None)
    two, one = _files(tmp_path / "two"), _files(tmp_path / "one")
    assert len(one) == 7 * len(pages)  # three texts, three formats and the record
    assert two == one
    assert [p.outputs for p in pages] == [p.outputs for p in alone]


def test_the_pages_of_a_child_that_failed_are_written_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A child that dies (or a system that refuses one: no child at all): every page is still written, by this
    process, with its record."""
    failing = [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(3)"]
    monkeypatch.setattr(
        page_files._Child,
        "start",
        classmethod(lambda cls: cls(subprocess.Popen(failing, stdin=subprocess.PIPE, stdout=subprocess.PIPE))),
    )
    pages = _pages(page_files.SECOND_PROCESS_FROM)
    page_files.write_pages(pages, tmp_path, FORMATS, then=lambda: None)
    for page in pages:
        assert set(page.outputs) == {".raw.txt", ".lines.txt", ".txt", ".hocr", ".alto.xml", ".page.xml"}
        assert (tmp_path / "pages" / f"{page.id}.json").is_file()
