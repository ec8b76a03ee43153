"""Correction of OCR text without images (`correct/plaintext.py`): the line structure and the markup kept."""

from conftest import fixed
from ocrfix.correct.textfile import correct_text


def test_markdown_headings_keep_their_marks_in_text_only_correction(corrector):
    # the seed is OCR text kept as markdown: its heading marks are markup, not specks; a change after them is reported
    out, changes = correct_text(
        "## **The Serge-Trotsky Papers**\n# Contents\n## He bad been there\nHe said # that", corrector
    )
    assert out.splitlines() == ["## **The Serge-Trotsky Papers**", "# Contents", "## He had been there", "He said that"]
    assert [(c.line, c.raw, c.final) for c in changes if c.applied] == [(3, "bad", "had"), (4, "#", "")]


def test_the_halves_of_a_word_broken_across_lines_are_left_as_read_in_text(corrector):
    # the seed: a word broken at a page break, a blank line between its halves; `than` is elsewhere in the text
    text = (
        "a more representative and more accountable form of democracy. Representa-\n\n"
        "tion through universal suffrage was seen as inferior,\n"
        "now posed itself more urgently than ever."
    )
    assert fixed(corrector, text) == text
