"""Word correction applied to a page record: every proposal becomes a recorded Change on its word.

A change that joins two words (`C oyoacan`) is recorded on the first word, and the second word's
text becomes empty with a change pointing back, so line i of the corrected text still stands on
line i of the scan and each box still holds what was read there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..model import Change, Page, Word
from ..tokens import ends_broken, split_token
from .repairs.marks import opens_sentence
from .revise import propose_line
from .words import Corrector, Proposal, Token, apply

JOINED_TO_PREVIOUS = "joined to the previous word"


def correct_page(page: Page, corrector: Corrector) -> None:
    """Propose and record changes, line by line; the two halves of a word broken at a line end
    (`recog-` / `nition`) are left to the volume pass, which joins them."""
    for words, proposals in line_proposals(page, corrector):
        finals = apply([Token(w.final) for w in words], proposals, corrector.params)
        for p in proposals:
            applied = p.applied(corrector.params)
            raw = " ".join(w.final for w in words[p.start : p.end])
            change = Change(raw, p.text, p.reason, p.confidence, applied, list(p.alternatives), p.repair)
            words[p.start].changes.append(change)
            for w in words[p.start + 1 : p.end] if applied else ():
                w.changes.append(Change(w.raw, "", JOINED_TO_PREVIOUS, p.confidence, True, joined=True))
        for w, final in zip(words, finals, strict=True):
            w.final = final


def line_proposals(page: Page, corrector: Corrector) -> Iterator[tuple[list[Word], list[Proposal]]]:
    """Each body line's words still in the text, and the proposals for them (indexing those words).
    Lazy: a caller that applies a line's proposals before taking the next line sees its own changes."""
    recurring = recurring_words(page)
    corrector = corrector.for_document(w.raw for w in page.words)
    broken_before = False
    # words a layout step removed are not read again
    body = [words for line in page.lines if line.role == "body" if (words := [w for w in line.words if w.final])]
    for k, words in enumerate(body):
        sentence_after = k + 1 < len(body) and opens_sentence(body[k + 1][0].final)
        tokens = [Token(w.final, w.conf, w.choices, _above(w)) for w in words]
        proposals = propose_line(corrector, tokens, recurring, broken_before, sentence_after=sentence_after)
        broken_before = ends_broken(words[-1].final)
        yield words, proposals


def _above(word: Word) -> str | None:
    """The image's marks over the word's letters while its core is still the one they were measured on (a
    footnote marker read after it leaves the core as it was)."""
    return word.above if word.above is not None and split_token(word.final)[1] == split_token(word.raw)[1] else None


RECURRING_CONF = 80.0


def recurring_words(page: Page) -> frozenset[str]:
    """Words read the same way at least twice on the page, each time confidently: a word of the book
    (a name, an old spelling, a term) that no lexicon knows, not a misreading."""
    counts = Counter(split_token(w.raw)[1] for w in page.words if w.conf >= RECURRING_CONF)
    return frozenset(core for core, n in counts.items() if n >= 2 and len(core) > 2)
