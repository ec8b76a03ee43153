"""A line's corrections in two readings: the sure changes applied, then the line read again.

One reading of a line weighs each word between its neighbours as read, and takes one repair per
word. So a word next to a misreading is weighed in the wrong context (`ot tho` is two unknown
words side by side; `of tho` is a common word before a misreading), and a repair that another one
unblocks waits (`magistrate'sen- tenced`: the mark between the words goes first, then the halves
can join). The second reading sees the line with the first one's sure changes made. What it changes
is recorded against the words as read, one change per span, with the reasons of both readings.
"""

from __future__ import annotations

from collections.abc import Sequence

from .layout import without_halves
from .words import Corrector, Params, Proposal, Token, apply


def propose_line(
    corrector: Corrector,
    tokens: Sequence[Token],
    recurring: frozenset[str] = frozenset(),
    broken_before: bool = False,
    ends_paragraph: bool = False,
    sentence_after: bool = False,
) -> list[Proposal]:
    """Proposals for a line, in the tokens' own positions, after a second reading with the first one's
    applied changes made. The halves of a word broken at a line end are left alone in both; `ends_paragraph` and
    `sentence_after` are `Corrector.propose`'s."""
    params = corrector.params
    first = without_halves(
        corrector.propose(tokens, recurring, ends_paragraph=ends_paragraph, sentence_after=sentence_after),
        [t.text for t in tokens],
        broken_before,
    )
    if not any(p.applied(params) for p in first):
        return first
    read = apply(tokens, first, params)
    origin = [k for k, text in enumerate(read) for _ in text.split()]
    # a word keeps its glyph alternatives, evidence only while they spell it (`alternatives.glyph_margin`), and the
    # image's marks over its letters while it is the word they were measured on
    again = [
        Token(word, tokens[k].conf, tokens[k].choices, tokens[k].above if word == tokens[k].text else None)
        for k, text in enumerate(read)
        for word in text.split()
    ]
    # only what a change touched is weighed again: the changed words and their neighbours
    near = {j for j, k in enumerate(origin) if any(p.applied(params) and p.start - 1 <= k <= p.end for p in first)}
    second = without_halves(
        corrector.propose(again, recurring, near, ends_paragraph, sentence_after),
        [t.text for t in again],
        broken_before,
    )
    return _compose(tokens, first, second, origin, again, corrector)


def _compose(
    tokens: Sequence[Token],
    first: list[Proposal],
    second: list[Proposal],
    origin: list[int],
    again: Sequence[Token],
    corrector: Corrector,
) -> list[Proposal]:
    """The second reading's proposals moved onto the tokens as read, each merged with the first
    reading's proposals it overlaps. A second-reading proposal for review that touches another one is
    left out: the first reading's change, applied or for review, stands for that span."""
    params = corrector.params
    firsts = [(p.start, p.end, p, False) for p in first]
    moved = [(origin[q.start], origin[q.end - 1] + 1, q, True) for q in second]
    kept_moved = [
        m
        for m in moved
        if m[2].applied(params) or not any(o is not m and _overlap(m[:2], o[:2]) for o in firsts + moved)
    ]
    items = sorted(firsts + kept_moved, key=lambda x: x[:2])
    clusters: list[list[tuple[int, int, Proposal, bool]]] = []
    for item in items:  # proposals whose spans overlap become one
        if clusters and item[0] < max(end for _, end, _, _ in clusters[-1]):
            clusters[-1].append(item)
        else:
            clusters.append([item])
    kept: list[Proposal] = []
    for cluster in clusters:
        earlier = [p for _, _, p, is_second in cluster if not is_second]
        later = [q for _, _, q, is_second in cluster if is_second]
        if not later:
            kept.extend(earlier)
            continue
        start, end = cluster[0][0], max(end for _, end, _, _ in cluster)
        merged = _merged(tokens, start, end, earlier, later, origin, again, params)
        if merged is not None and corrector.rejected(tokens, merged):
            kept.extend(earlier)  # a reviewer said no to the two together: the first reading's stand
        elif merged is not None:
            kept.append(merged)
    return kept


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _merged(
    tokens: Sequence[Token],
    start: int,
    end: int,
    earlier: list[Proposal],
    later: list[Proposal],
    origin: list[int],
    again: Sequence[Token],
    params: Params,
) -> Proposal | None:
    """One proposal for tokens[start:end]: the words the first reading made there, with the second
    reading's changes in place; None when that is what was read."""
    replaced = {j: q for q in later for j in range(q.start, q.end)}
    words: list[str] = []
    for j, token in enumerate(again):
        if j in replaced:
            if replaced[j].start == j:
                words.extend(replaced[j].text.split())
        elif start <= origin[j] < end:
            words.append(token.text)
    text = " ".join(words)
    if text == " ".join(t.text for t in tokens[start:end]):
        return None
    changes = [p for p in earlier if p.applied(params)] + later
    reason = "; ".join(dict.fromkeys(p.reason for p in changes))
    decisive = min(changes, key=lambda p: p.confidence)
    # what the first reading offered for review there stays on offer
    offered = [p.text for p in earlier if not p.applied(params) and (p.start, p.end) == (start, end)]
    alternatives = tuple(
        dict.fromkeys(a for a in [*(later[0].alternatives if len(later) == 1 else ()), *offered] if a != text)
    )
    return Proposal(start, end, text, decisive.repair, reason, decisive.confidence, alternatives, decisive.evidence)
