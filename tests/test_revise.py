"""A line's corrections in two readings (`correct/revise.py`): the sure changes made, the line read again, and
each change recorded once; on lines and whole articles of BLN600."""

from conftest import BLN600, need
from ocrfix.correct.revise import propose_line
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Token


def test_a_line_is_read_again_with_its_sure_changes_made_and_each_change_recorded_once(corrector):
    # BLN600 3206233243: the mark between two words goes first; then the halves of `sen- tenced` can join
    out, changes = correct_text("The magistrate'sen- tenced Mr. 'Ginger to three months' hard labour;", corrector)
    assert out.startswith("The magistrate sentenced Mr.")
    assert [(c.raw, c.final, c.applied) for c in changes if "magistrate" in c.raw] == [
        ("magistrate'sen- tenced", "magistrate sentenced", True)
    ]
    # 3200810145: a stop before a word in lower case is a speck once the word it follows is a word
    out, changes = correct_text("My annuity, not large, is eufficient. for my wants;", corrector)
    assert out == "My annuity, not large, is sufficient for my wants;"
    change = next(c for c in changes if c.raw == "eufficient.")
    assert change.final == "sufficient" and change.reason == "OCR confusion; noise characters removed"


def test_over_whole_articles_no_word_is_changed_twice_and_no_change_for_review_is_lost(corrector):
    # whole articles: no word is changed twice, a first reading's change for review is not offered again
    # (nor hidden) by the second, and a change the second reading makes over it keeps it on offer
    need(BLN600)
    merged = 0
    for name in ("3200803382", "3200810281", "3200810460"):
        article = (BLN600 / f"{name}.ocr.txt").read_text()
        document = corrector.for_document(article.split())
        for line in article.splitlines():
            tokens = [Token(t) for t in line.split()]
            first, final = document.propose(tokens), propose_line(document, tokens)
            assert all(a.end <= b.start for a, b in zip(final, final[1:], strict=False))
            for p in first:
                covering = [f for f in final if f.start <= p.start and p.end <= f.end]
                assert covering == [p] or covering and covering[0].applied(corrector.params), (line, p)
                if (
                    not p.applied(corrector.params)
                    and covering != [p]
                    and (covering[0].start, covering[0].end) == (p.start, p.end)
                ):
                    assert p.text in (covering[0].text, *covering[0].alternatives)
            merged += sum("; " in f.reason for f in final)
    assert merged >= 5
