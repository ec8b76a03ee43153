"""Readings of a word from Tesseract's own alternatives for its glyphs (`Word.choices`): `yarious` read with `v`
second for its first glyph proposes `various`, `Jined` with `l` proposes `lined` (`Repair.ALTERNATIVES`). It
proposes, never decides: how much Tesseract preferred a proposal's glyphs (`glyph_margin`), whichever repair made
the proposal, is evidence the scorer weighs beside the lexicon's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice, product

from ...model import Choices
from ...tokens import split_token
from ..scorer import Repair
from ..words import Corrector, Proposal, Token, protected

REASON = "misread glyph: Tesseract's own alternative spells a word"

UNSURE_GLYPHS = 4
"""Glyphs of a word whose alternatives combine, the least sure first. Of the words of the tune half of
oldbooks-dev whose truth the alternatives spell, none had more than 3 glyphs to change (benchmarks/alternatives.py);
a glyph there had at most 2 alternatives, so a word has at most 3^4 - 1 = 80 readings."""


@dataclass(frozen=True)
class Candidate:
    """A reading of the word with some glyphs swapped for Tesseract's alternatives."""

    text: str
    swaps: tuple[tuple[str, str], ...]
    """The glyphs swapped, as (read, alternative), left to right."""
    margin: float
    """Tesseract's preference for it over its own reading: the sum, over the swapped glyphs, of the alternative's
    confidence less the read glyph's, in units of 100 (negative: Tesseract preferred what it read, as it mostly
    does; positive: its choices favoured the alternative even though the reading kept the read glyph)."""


def candidates(read: str, choices: Choices | None) -> list[Candidate]:
    """The readings the glyph alternatives spell, best first by Tesseract's margin; none when `choices` is
    missing or does not spell `read`."""
    if not choices or not spells(read, choices):
        return []
    unsure = sorted((i for i, glyph in enumerate(choices) if len(glyph) > 1), key=lambda i: -choices[i][1][1])
    unsure = unsure[:UNSURE_GLYPHS]
    options = [[None, *range(1, len(choices[i]))] for i in unsure]
    found: list[Candidate] = []
    for picks in islice(product(*options), 1, None):  # the first combination is the reading itself
        glyphs = [glyph[0][0] for glyph in choices]
        margin = 0.0
        for i, pick in zip(unsure, picks, strict=True):
            if pick is not None:
                glyphs[i] = choices[i][pick][0]
                margin += (choices[i][pick][1] - choices[i][0][1]) / 100
        swaps = tuple((choices[i][0][0], glyphs[i]) for i in sorted(unsure) if glyphs[i] != choices[i][0][0])
        found.append(Candidate("".join(glyphs), swaps, round(margin, 3)))
    return sorted(found, key=lambda c: (-c.margin, len(c.swaps)))


def spells(read: str, choices: Choices | None) -> bool:
    """The alternatives are the word's as read (not a record edited since, nor a word a layout step changed)."""
    return bool(choices) and "".join(glyph[0][0] for glyph in choices or ()) == read


def glyph_margin(read: str, choices: Choices | None, new: str) -> float | None:
    """Tesseract's margin for `new` (`Candidate.margin`) where its alternatives spell it glyph for glyph, else None.
    A glyph its alternatives do not list has no rating (they stop at the best few), so for any other proposal the
    margin is unknown, not low."""
    if not choices or new == read or not len(new) == len(read) == len(choices) or not spells(read, choices):
        return None
    margin = 0.0
    for glyph, was, now in zip(choices, read, new, strict=True):
        if was != now:
            other = next((c for g, c in glyph[1:] if g == now), None)
            if other is None:
                return None
            margin += other - glyph[0][1]
    return round(margin / 100, 3)


def known_readings(ctx: Corrector, tokens: Sequence[Token], i: int, confidence: float) -> list[Proposal]:
    """For a word no lexicon knows, the readings its glyph alternatives spell that are known words, best first by
    Tesseract's margin: one letter swapped for a letter of the same case, its marks as read (on the tune half of
    oldbooks-dev, readings that swapped two glyphs, a letter for a mark or a digit, or a letter's case fixed
    nothing and made `Bunn`, `Vator`, `JosepH`, `jolly£`, `a3d`, `Libraria:`; benchmarks/alternatives.py)."""
    token = tokens[i]
    pre, core, post = split_token(token.text)
    if not token.choices or not any(c.isalpha() for c in core) or ctx.lexicon.knows(core):
        return []
    if protected(core, ctx.lexicon) is not None:
        return []
    found = []
    for candidate in candidates(token.text, token.choices):
        if len(candidate.swaps) != 1:
            continue
        (was, now), (new_pre, new_core, new_post) = candidate.swaps[0], split_token(candidate.text)
        if not (was.isalpha() and now.isalpha() and was.isupper() == now.isupper()):
            continue
        if (new_pre, new_post) == (pre, post) and ctx.lexicon.knows(new_core):
            found.append(Proposal(i, i + 1, candidate.text, Repair.ALTERNATIVES, REASON, confidence))
    return found
