"""Footnote blocks (`footnotes.py`): the notes at a real page's foot found from the record's geometry and
their markers, and where the reading texts put them."""

import cv2
import pytest

from conftest import OLDBOOKS, need
from ocrfix.correct import layout
from ocrfix.footnotes import ROLE, footnote_block, mark_footnote_blocks
from ocrfix.model import Line, Page, Word
from ocrfix.ocr import read_lines
from ocrfix.text import reading_text, volume_text

FOOT = 0.55
"""The share of the page read from the top down: the foot, with a dozen body lines above the notes to
measure the body's type and line pitch by (a quicker OCR run than the whole page)."""


def _foot(page_id: str) -> Page:
    """The lower part of a real oldbooks-dev page as Tesseract reads it."""
    scan = cv2.imread(str(need(OLDBOOKS / f"{page_id}.png")), cv2.IMREAD_GRAYSCALE)
    foot = scan[int(scan.shape[0] * (1 - FOOT)) :]
    lines = read_lines(foot, "eng", 300)
    return Page(page_id, f"{page_id}.png", 0, foot.shape[1], foot.shape[0], 300.0, False, 0, 0.0, [], "eng", lines)


@pytest.mark.slow  # OCR of real pages
def test_a_note_of_three_lines_at_a_page_foot_is_a_footnote_block_after_the_body(lex):
    """oldbooks-dev g020: a rule, then `* So the name is given by historians; …` in three lines of small
    type, the note of `Ochus,*` in the body."""
    page = _foot("g020")
    mark_footnote_blocks([page])
    notes = [line for line in page.lines if line.role == ROLE]
    assert [line.text.split()[0] for line in notes][:1] == ["*"] and len(notes) == 3
    assert notes[-1].text.endswith("Ochee or Ochusee.")
    layout.mark_hyphenation([page], lex)
    text = reading_text(page).splitlines()
    assert text[-1].startswith("[Footnote: * So the name") and text[-1].endswith("Ochee or Ochusee.]")
    assert text[-2].endswith("after having procured the")  # the body's last line, with no note run into it
    assert sum("Ochusee" in paragraph for paragraph in text) == 1


@pytest.mark.slow  # OCR of real pages
@pytest.mark.parametrize(
    "page_id",
    [
        "e055",  # a quotation of verse in small type at the foot, its opening quote read as `*`
        "e042",  # verse in small type near the foot, no marker
        "e010",  # a page of plain prose
    ],
)
def test_small_type_at_a_page_foot_without_a_marker_in_the_body_is_no_footnote(page_id):
    page = _foot(page_id)
    mark_footnote_blocks([page])
    assert not [line.text for line in page.lines if line.role == ROLE]


def _line(text: str, y: int, height: int, par: int, x: int = 200) -> Line:
    """A line of words `height` px tall at y, 20 px a letter."""
    words = []
    for w in text.split():
        words.append(Word(raw=w, box=(x, y, x + 20 * len(w), y + height), conf=95.0))
        x += 20 * len(w) + 15
    return Line(box=(200, y, x, y + height), words=words, block=par, par=par)


def _page(page_id: str, lines: list[Line], continues: bool = False) -> Page:
    return Page(page_id, f"{page_id}.png", 0, 1700, 2400, 300.0, False, 0, 0.0, [], "eng", lines, continues)


def test_a_note_follows_the_paragraph_the_page_break_interrupts_in_the_volume_text(lex):
    """A page whose last paragraph goes on over the page break, with a note at its foot: the paragraph is
    whole in the volume's text, the note after it; the page's own text has the note after its body."""
    body = [
        "Serge saw the soviets as an altogether more",
        "representative and more accountable form",
        "of democracy, as Lenin had,* and universal",
        "suffrage as a form inferior to it. Representa-",
    ]
    first = _page(
        "p1",
        [_line(text, 200 + 60 * i, 40, 1) for i, text in enumerate(body)]
        + [_line("* In State and Revolution.", 200 + 60 * len(body) + 60, 30, 2)],
    )
    second = _page("p2", [_line("tion through the ballot.", 200, 40, 1), _line("A new paragraph.", 260, 40, 2)])
    assert [line.text for line in footnote_block(first)] == ["* In State and Revolution."]
    mark_footnote_blocks([first, second])
    layout.mark_hyphenation([first, second], lex)
    layout.mark_page_continuations([first, second])
    assert second.continues and first.lines[3].hyphen == "join"
    assert reading_text(first).splitlines()[-1] == "[Footnote: * In State and Revolution.]"
    paragraphs = volume_text([first, second]).splitlines()[::2]  # a blank line between paragraphs
    assert paragraphs[0].endswith("form inferior to it. Representation through the ballot.")
    assert paragraphs[1:] == ["[Footnote: * In State and Revolution.]", "A new paragraph."]


def test_a_block_is_decided_afresh():
    """A line marked as a note that no longer is one (the body's marker corrected away) is body again."""
    lines = [_line(text, 200 + 60 * i, 40, 1) for i, text in enumerate(["one two three"] * 4 + ["four,* five"])]
    page = _page("p", [*lines, _line("* A note in small type.", 560, 30, 2)])
    mark_footnote_blocks([page])
    assert page.lines[-1].role == ROLE
    page.lines[4].words[0].final = "four,"
    mark_footnote_blocks([page])
    assert page.lines[-1].role == "body"
