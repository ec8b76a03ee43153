"""The corrector's memos (`correct/memo.py`): a text corrected with its words' findings remembered reads exactly
as one corrected with everything worked out afresh, on real OCR lines of BLN600; and a memo stays bounded."""

import pytest

from conftest import BLN600, need
from ocrfix.correct.memo import Memo
from ocrfix.correct.plaintext import TextChange
from ocrfix.correct.textfile import blocks_of, corrected, keeps_paragraphs
from ocrfix.correct.words import Corrector
from ocrfix.lexicon import Lexicon


def _articles(count: int) -> str:
    """The first articles of BLN600's OCR, one after another: real noisy newsprint, with its misreadings."""
    paths = sorted(need(BLN600).glob("*.ocr.txt"))[:count]
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def _corrected(text: str, document: Corrector) -> tuple[list[str], list[TextChange]]:
    """The text's lines corrected by `document` (which knows the text's words), and its changes: as
    `ocrfix correct` corrects a text, in this process."""
    lines = text.split("\n")
    done = list(corrected(blocks_of(lines, keeps_paragraphs(len(line) for line in lines if line.strip())), document))
    return [t for d in done for t in d.texts], [c for d in done for c in d.changes]


def test_a_text_corrected_with_warm_memos_reads_as_one_worked_out_afresh(lex: Lexicon, monkeypatch):
    text = _articles(6)
    # the memos warmed by the text's lines in the reverse order first: each word is then met again in other
    # contexts (other neighbours, other lines), where a memo keyed by too little would give a wrong finding
    document = Corrector(lex).for_document(text.split())
    _corrected("\n".join(reversed(text.split("\n"))), document)
    assert len(document.candidates) > 100
    warm = _corrected(text, document)
    monkeypatch.setattr(Memo, "get", lambda self, key, compute, *args: compute(*args))
    afresh = _corrected(text, Corrector(lex).for_document(text.split()))
    assert warm[0] == afresh[0]
    assert warm[1] == afresh[1]
    assert sum(c.applied for c in afresh[1]) > 50  # the articles are noisy: the comparison has changes to compare


@pytest.mark.parametrize("size, again", [(2, True), (5, False)])
def test_a_memo_forgets_its_oldest_words_beyond_its_size_and_works_them_out_again(size: int, again: bool):
    asked: list[str] = []

    def work(word: str) -> str:
        asked.append(word)
        return word.upper()

    memo: Memo[str, str] = Memo(size)
    words = "the prisoner was charged the magistrate the".split()  # five words, `the` three times
    assert [memo.get(w, work, w) for w in words] == [w.upper() for w in words]
    assert len(memo) == min(size, 5)
    assert (asked.count("the") > 1) is again  # forgotten among the words after it, or remembered
    assert sorted(set(asked)) == sorted(set(words))
