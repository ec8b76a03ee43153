"""Line-end and page-break hyphens decided on all the evidence (issue 23), on real lines: plain Tesseract's
reading of oldbooks-dev pages (h019, h020, h031, h044, j067), the samples' pages and the seed."""

from __future__ import annotations

from ocrfix.correct import layout
from ocrfix.correct.reflow import reflow
from ocrfix.lexicon import Lexicon
from ocrfix.model import Line, Page, Word
from ocrfix.text import volume_text


def reading(text: str, lex: Lexicon) -> str:
    """`ocrfix correct --reflow`'s paragraphs before word correction, one a line."""
    return "\n".join(p.render()[0] for p in reflow(text, lex, False)[0])


def test_a_name_no_lexicon_holds_is_joined(lex):
    # h044 and h020: names the lexicons do not hold; HEAD kept `Lan-drus` for `drus` being a word of wordfreq's
    text = (
        "aged Io years, I month, and to days, 3, Lucy, born 1805; married Lemuel Lan-\n"
        "drus. She died. 4. Sally, born 1807; married Francis Forbes, §. Joshua, born\n"
    )
    assert "married Lemuel Landrus. She died." in reading(text, lex)
    decided = layout.hyphenation("Hash-", "amamock,", lex)
    assert decided.verdict == "join" and "a half is no word of its own" in decided.reason


def test_a_real_compound_is_kept(lex):
    # j067: a compound broken at its own hyphen, whose first half is a compound already
    text = (
        "The stool top illustrated in Fig. 54 employs a simple over-and-\n"
        "under weave, utilizing flat reed. The worker needs to decide at\n"
    )
    assert "a simple over-and-under weave" in reading(text, lex)
    assert layout.hyphen_decision("twenty-", "nine", lex) == "keep"


def test_a_capitalised_double_name_is_kept(lex):
    # the seed's title (its only printing: headings), set as a line of prose would break it
    text = "(the opening chapters of The Serge-\nTrotsky Papers, ed. D.J. Cotterill)\n"
    assert "of The Serge-Trotsky Papers, ed." in reading(text, lex)


def test_the_volume_prints_the_word_joined_elsewhere(lex):
    # h031: `Southold` is no word of the lexicons, and `South` and `old` are two: alone they would keep the hyphen
    broken = (
        "ABbicalL, adopted daughter of BarnaBAs Horron I., born at South-\n"
        "old, about 1665 ; married, about 1690, CHARLES Boor, son of John\n"
    )
    assert "born at South-old, about" in reading(broken, lex)
    elsewhere = "Hannan, daughter of Barnabas Horton I., born in Southold, about\n\n"
    assert "born at Southold, about 1665" in reading(elsewhere + broken, lex)


def test_the_volume_prints_the_compound_inside_a_line(lex):
    # h019: `courthouse` is a word, but this volume prints `court-house` inside a line
    text = (
        "room of this part was used for a court-house for nearly twenty years,\n"
        "as we learn from Thompson’s History of Long Island, and some of\n"
        "the old benches used when it was a court-\n"
        "house are still preserved.\n"
    )
    assert "when it was a court-house are still preserved." in reading(text, lex)
    assert layout.hyphen_decision("court-", "house", lex) == "join"  # without the volume's evidence


def _page(page_id: str, lines: list[str]) -> Page:
    """A page record of body lines (words boxed left to right, as Tesseract reads a line)."""
    record = []
    for i, text in enumerate(lines):
        words, x, y = [], 200, 150 + 60 * i
        for w in text.split():
            words.append(Word(raw=w, box=(x, y, x + 20 * len(w), y + 40), conf=95.0))
            x += 20 * len(w) + 15
        record.append(Line(box=(200, y, 1500, y + 40), words=words, block=1, par=1))
    return Page(page_id, f"{page_id}.png", 0, 1700, 2400, 300.0, False, 0, 0.0, [], "eng", record)


def test_the_demos_broken_words_are_joined_in_the_volume_text(lex):
    # samples page2's lines, and page4's last line going on at page5's first (`vi-` / `tally`)
    page2 = _page(
        "page2",
        [
            "tion, battled like madmen’, he could not help but reflect pessimist-",
            "ically on the vicious cycle of protest and repression within which",
        ],
    )
    page4 = _page("page4", ["vested elsewhere, in Russia – the land of his parents and, more vi-"])
    page5 = _page("page5", ["tally now, the prospective site of a successful revolution, although"])
    pages = [page2, page4, page5]
    layout.mark_hyphenation(pages, lex)
    layout.mark_page_continuations(pages)
    text = volume_text(pages)
    assert "reflect pessimistically on the vicious" in text
    assert "and, more vitally now, the prospective" in text


def test_the_page_pass_weighs_the_volumes_printing(lex):
    # h019 as page records: the page pass has the volume's words as evidence too
    page = _page(
        "h019",
        [
            "room of this part was used for a court-house for nearly twenty years,",
            "the old benches used when it was a court-",
            "house are still preserved.",
        ],
    )
    layout.mark_hyphenation([page], lex)
    assert page.lines[1].hyphen == "keep"
