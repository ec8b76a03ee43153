from ocrfix.model import Line, Page, Word
from ocrfix.text import corrected_lines, join_lines, raw_lines, reading_text, volume_text


def _line(text: str, par: int, role: str = "body") -> Line:
    words = [Word(raw=w, box=(0, 0, 1, 1), conf=90.0) for w in text.split()]
    return Line(box=(0, 0, 1, 1), words=words, block=1, par=par, role=role)


def _page(lines: list[Line]) -> Page:
    return Page("p", "p.png", 0, 10, 10, 300.0, False, 0, 0.0, [], "eng", lines)


def test_hyphen_at_line_end_joins_a_broken_word_but_not_a_capitalised_continuation():
    assert join_lines(["soviets as a more", "accountable Representa-", "tion through"]) == (
        "soviets as a more accountable Representation through"
    )
    assert join_lines(["the Serge-", "Trotsky papers"]) == "the Serge-Trotsky papers"


def test_reading_text_keeps_body_paragraphs_only_and_lines_stay_aligned():
    page = _page(
        [
            _line("THE SERGE-TROTSKY PAPERS", 0, role="head"),
            _line("In the heat of revolu-", 1),
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
