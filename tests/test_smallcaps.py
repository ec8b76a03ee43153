"""Words set in small capitals (`smallcaps.py`), told from the pixels of real oldbooks-dev pages as a run reads them."""

import pytest

from conftest import OLDBOOKS, need
from ocrfix.model import Page
from ocrfix.ocr import read_lines
from ocrfix.preprocess import prepare
from ocrfix.smallcaps import REASON, mark_small_capitals
from ocrfix.sources import list_pages, load_page


def _read(page_id: str) -> dict[str, str]:
    """Each word of an oldbooks-dev page as read (prepared and read as a run does it), and what it became."""
    ref = next(r for r in list_pages(need(OLDBOOKS))[0] if r.id == page_id)
    scan = load_page(ref)
    prepared = prepare(scan.gray, scan.dpi or 300.0, colour=scan.colour)
    height, width = prepared.image.shape[:2]
    page = Page(page_id, str(ref.path), 0, width, height, 300.0, False, 0, 0.0, [], "eng+fra+spa")
    page.lines = read_lines(prepared.image, "eng+fra+spa", 300.0)
    mark_small_capitals(page, prepared.image)
    assert all(c.reason == REASON for w in page.words for c in w.changes)
    return {w.raw: w.final for w in page.words}


@pytest.mark.slow
def test_names_of_a_genealogy_set_in_small_capitals_are_read_with_one_capital():
    # h020: "... BARNABAS HORTON, the ancestor ..." in print `Barnabas Horton` in small capitals, beside initials
    words = _read("h020")
    assert words["BARNABAS"] == "Barnabas" and words["HORTON,"] == "Horton," and words["PEAKEN,"] == "Peaken,"
    assert all(words[initial] == initial for initial in ("G.", "N.", "T."))


@pytest.mark.slow
def test_a_chapter_opening_in_small_capitals_is_changed_and_its_headings_in_capitals_are_not():
    # g025: the chapter's heading `CHAPTER II.` and title `COLONIAL FLORIDA.` in capitals, its first word `Nearly`
    # in small capitals
    words = _read("g025")
    assert words["NEARLY"] == "Nearly"
    assert all(words[w] == w for w in ("CHAPTER", "II.", "COLONIAL", "FLORIDA."))
