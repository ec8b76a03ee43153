from ocrfix.model import Line, Page, Word
from ocrfix.text import corrected_lines, join_lines, raw_lines, reading_text, volume_text


def _line(text: str, par: int, role: str = "body", hyphen: str = "") -> Line:
    words = [Word(raw=w, box=(0, 0, 1, 1), conf=90.0) for w in text.split()]
    return Line(box=(0, 0, 1, 1), words=words, block=1, par=par, role=role, hyphen=hyphen)


def _page(lines: list[Line], continues: bool = False) -> Page:
    return Page("p", "p.png", 0, 10, 10, 300.0, False, 0, 0.0, [], "eng", lines, continues)


def test_line_end_hyphens_follow_the_volume_pass_decision():
    lines = [
        _line("soviets as a more", 1),
        _line("accountable Representa-", 1, hyphen="join"),
        _line("tion through", 1),
    ]
    assert join_lines(lines) == "soviets as a more accountable Representation through"
    assert join_lines([_line("the Serge-", 1, hyphen="keep"), _line("Trotsky papers", 1)]) == "the Serge-Trotsky papers"


def test_a_paragraph_broken_by_a_page_break_is_rejoined_in_the_volume():
    first = _page([_line("the radical political process. Representa-", 1, hyphen="join")])
    second = _page([_line("tion through universal suffrage.", 1), _line("A new paragraph.", 2)], continues=True)
    assert reading_text(first) == "the radical political process. Representa-\n"
    assert volume_text([first, second]) == (
        "the radical political process. Representation through universal suffrage.\n\nA new paragraph.\n"
    )


def test_reading_text_keeps_body_paragraphs_only_and_lines_stay_aligned():
    page = _page(
        [
            _line("THE SERGE-TROTSKY PAPERS", 0, role="head"),
            _line("In the heat of revolu-", 1, hyphen="join"),
            _line("tion the party grew.", 1),
            _line("A new paragraph.", 2),
            _line("22", 3, role="folio"),
        ]
    )
    page.lines[2].words[0].final = "tion"
    page.lines[3].words[1].final = "fresh"
    assert reading_text(page) == "In the heat of revolution the party grew.\nA fresh paragraph.\n"
    assert raw_lines(page).splitlines()[3] == "A new paragraph."
    assert corrected_lines(page).splitlines()[3] == "A fresh paragraph."
    assert len(raw_lines(page).splitlines()) == len(corrected_lines(page).splitlines()) == 5
    assert volume_text([page, page]).count("\n\n") == 3


def test_footnotes_follow_the_body_one_a_line_each_labelled():
    """Two notes in one block at the foot (oldbooks-dev's `*` and a second `†`), each opening with a
    marker a body word ends in; a note's own line end joined as the volume pass decided."""
    page = _page(
        [
            _line("Their kirtles were of rede cendel,* and laced†", 1),
            _line("* A rich descrip-", 2, role="footnote", hyphen="join"),
            _line("tion of silk.", 2, role="footnote"),
            _line("† Laced small.", 2, role="footnote"),
            _line("with gentill bodye and middle small.", 1),
        ]
    )
    assert reading_text(page).splitlines() == [
        "Their kirtles were of rede cendel,* and laced† with gentill bodye and middle small.",
        "[Footnote: * A rich description of silk.]",
        "[Footnote: † Laced small.]",
    ]
