"""Footnote markers found in the ink of real sample scans and read as their numbers; lines without any get none."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from conftest import SAMPLES
from ocrfix import markers, tessworker
from ocrfix._exec.tesseract import OcrError, read_marks
from ocrfix.markers import REPAIR, mark_footnotes
from ocrfix.model import Line, Page, Word
from ocrfix.ocr import read_lines
from ocrfix.preprocess import prepare
from ocrfix.sources import list_pages, load_page
from ocrfix.text import corrected_lines, reading_text


@cache
def prepared(page_id: str) -> tuple[np.ndarray, float]:
    """The sample page as Tesseract reads it in a run (upright and deskewed), and its resolution."""
    ref = next(r for r in list_pages(SAMPLES / "scans")[0] if r.id == page_id)
    scan = load_page(ref)
    assert scan.dpi is not None  # every sample but page10 has it
    return prepare(scan.gray, scan.dpi).image, scan.dpi


def band(page_id: str, top: int, bottom: int) -> tuple[np.ndarray, float, list[Line]]:
    """Rows of a prepared sample page, cut between printed lines, and the lines Tesseract reads there."""
    page, dpi = prepared(page_id)
    image = np.ascontiguousarray(page[top:bottom])
    return image, dpi, read_lines(image, "eng", dpi)


def marked(page_id: str, top: int, bottom: int) -> tuple[list[Line], int]:
    image, dpi, lines = band(page_id, top, bottom)
    return lines, mark_footnotes(lines, image, "eng", dpi, timeout=60)


# rows of the prepared pages (measured on them) holding whole lines that end words in footnote markers
@pytest.mark.parametrize(
    ("page_id", "top", "bottom", "expected"),
    [
        pytest.param("page2", 906, 970, ["considerably.²"], id="considerably.”"),
        pytest.param("page4", 764, 824, ["exploitation.”⁸"], id="exploitation.”®"),
        pytest.param("page4", 2057, 2175, ["birth’.¹⁰", "hopes.¹¹"], id="birth’.!° hopes.''"),
        pytest.param("page6-p0002", 1208, 1268, ["prison.¹⁶"], id="prison.**"),
        # 200 dpi, turned upside down
        pytest.param("page5", 1241, 1286, ["others,¹⁴"], id="others, *"),
    ],
)
def test_each_marker_is_read_as_its_number(page_id, top, bottom, expected):
    lines, written = marked(page_id, top, bottom)
    assert written == len(expected)
    page = Page(page_id, "", 0, 0, 0, 300.0, False, 0, 0.0, [], "eng", lines)
    for word in expected:
        assert word in corrected_lines(page).split() and word in reading_text(page).split()
    changed = [w for line in lines for w in line.words if w.changes and w.final]
    assert [w.final for w in changed] == expected
    for w in changed:  # the reading is kept, the change says what it was
        (change,) = w.changes
        assert change.repair == REPAIR and change.raw == w.raw and change.final == w.final
        figures = w.final[len(w.final.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹")) :]
        assert change.reason.startswith(f"footnote marker {figures} read from the image")


def test_a_marker_tesseract_read_as_a_word_of_its_own_goes_into_the_word_before():
    """Sample page 5's line as the whole page's reading gave it: `others,` and a word `*` over the marker ¹⁴."""
    image, dpi = prepared("page5")
    words = [Word("or", (832, 1255, 857, 1270), 96), Word("others,", (865, 1245, 965, 1273), 96)]
    words.append(Word("*", (954, 1241, 968, 1281), 30))
    lines = [Line((161, 1245, 965, 1283), words, 1, 1)]
    assert mark_footnotes(lines, image, "eng", dpi, timeout=60) == 1
    assert [w.final for w in words] == ["or", "others,¹⁴", ""]
    (emptied,) = words[2].changes
    assert emptied.joined and emptied.repair == REPAIR and emptied.raw == "*"
    assert "read as '*'" in words[1].changes[0].reason


@pytest.mark.parametrize(
    ("page_id", "top", "bottom"),
    [
        pytest.param("page2", 1867, 1925, id="tion, battled like madmen’, he could not"),
        pytest.param("page6-p0002", 1319, 1381, id="should have done; ‘taken up’, as"),
    ],
)
def test_a_line_with_quotes_and_no_marker_gets_none(page_id, top, bottom):
    lines, written = marked(page_id, top, bottom)
    assert written == 0
    assert all(not w.changes and w.final == w.raw for line in lines for w in line.words)


@pytest.mark.parametrize(
    ("read", "marks_before", "kept"),
    [
        ("hopes.''", "l", "hopes."),
        ("exploitation.”®", "lrr", "exploitation.”"),
        ("factories”.*?", "rl", "factories”."),  # a single quote read as a double one stays as read
        ("revolution.?!", "l", "revolution."),
        ("1917.”", "l", "1917."),
        ("others,", "l", "others,"),  # the marker read as a word of its own
    ],
)
def test_what_tesseract_read_for_the_marker_goes_and_the_marks_before_it_stay(read, marks_before, kept):
    assert markers._without_misreading(read, marks_before) == kept


def test_the_re_reading_is_under_a_timeout():
    image, _, _ = band("page2", 906, 970)
    with pytest.raises(OcrError, match="timed out"):
        read_marks(image, "eng", markers.MARKS, 300, timeout=0.001)


@pytest.mark.skipif(not tessworker.available(), reason="libtesseract is not installed")
def test_the_resident_tesseract_reads_the_markers_as_the_command_does(monkeypatch):
    """The markers of sample page 4's two lines (`birth’.!°`, `hopes.''`), cut out as a run cuts them: the
    resident reader that read the page gives the command's words, boxes and confidences."""
    image, dpi, lines = band("page4", 2057, 2175)
    columns: list[tuple[np.ndarray, float]] = []

    def kept(column: np.ndarray, lang: str, chars: str, at: float, timeout: float) -> str:
        columns.append((column, at))
        return read_marks(column, lang, chars, at, timeout)

    monkeypatch.setattr(markers, "read_marks", kept)
    found = markers.find_markers(lines, image)
    assert [text for text, _ in markers.read_markers(found, image, "eng", dpi, 60)] == ["10", "11"]
    ((column, at),) = columns
    resident = read_marks(column, "eng", markers.MARKS, at, 60)
    monkeypatch.setattr(tessworker, "available", lambda: False)
    command = read_marks(column, "eng", markers.MARKS, at, 60)
    assert words(resident) == words(command)


def words(tsv: str) -> list[list[str]]:
    """The word rows of a TSV: box, confidence, text."""
    return [row.split("\t")[6:] for row in tsv.splitlines() if row.startswith("5\t")]


def test_closing_quotes_as_tall_as_the_pages_opening_ones_are_no_markers(text_crop):
    """A real book page (oldbooks-dev e009) whose quotes stand 0.7 x-heights tall, as tall as a small figure."""
    lines = read_lines(text_crop, "eng", 300)
    assert "correspondent,”" in [w.raw for line in lines for w in line.words]
    assert markers.find_markers(lines, text_crop) == []  # not even re-read
    assert mark_footnotes(lines, text_crop, "eng", 300, timeout=60) == 0
    assert not any(w.changes for line in lines for w in line.words)
