"""Readings of a word from Tesseract's own alternatives for its glyphs (`Word.choices`): `yarious` read with `v`
second for its first glyph proposes `various`, `Jined` with `l` proposes `lined`. It proposes, never decides:
each reading carries Tesseract's score for it, a feature for the scorer beside the lexicon's word.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, product

from ...model import Choices

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
    missing or does not spell `read` (a record edited since, or a word changed by a layout step)."""
    if not choices or "".join(glyph[0][0] for glyph in choices) != read:
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
