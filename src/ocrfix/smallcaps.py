"""Words set in small capitals, which Tesseract reads as capitals: a genealogy's names (`BARNABAS` for
`Barnabas`), the first words of a chapter (`NEARLY`), told from the page image by their glyphs' heights.

A word in small capitals opens with a full capital and goes on in capitals the height of the lower-case letters
around it; a word set in capitals has every letter as tall as the first. So a word read in capitals whose first
glyph stands clearly taller than the rest, the rest no taller than the x-height of its line's lower-case words,
is the word with its first letter capitalised, as an edition transcribes it. A word set wholly in small capitals
(no taller first letter) is left as read: the glyphs alone do not tell it from capitals set small in a heading.
"""

from __future__ import annotations

import statistics

import numpy as np

from .accents import ink_components
from .model import Box, Change, Line, Page
from .tokens import ROMAN, split_token

REASON = "small capitals read as capitals"
CONFIDENCE = 0.96
"""The probability that such a change is right: (108 + 1) / (112 + 2), its fixes among its changes over
oldbooks-dev's 151 pages (`benchmarks/residual_pages.py --small-capitals`), counted as the scorer's repairs are."""

FIRST_TALLER = 1.2
"""The first glyph's height over the median of the others' for a word in small capitals. Measured on oldbooks-dev's
tune half (its Tesseract words read in capitals, aligned with the truth): the 33 the truth prints with one capital
1.28 and more; 246 of the 251 it prints in capitals 1.12 or less, and of the other five four stand on lines with no
lower-case word to measure an x-height on (left as read) and one, a heading's `THE` at 1.43, is changed: over both
halves, 1 damage in 112 changes (108 fixes; `benchmarks/residual_pages.py --small-capitals`)."""
SMALL = 1.3
"""The other glyphs' height over the line's x-height, at most, for small capitals: 1.0-1.2 for the words above; of
the words the truth prints in capitals among lower-case words, 11 measured 1.44 and more, three 1.06-1.11 (two whose
first letter stands no taller, and the heading's `THE`)."""
LETTER = 0.3
"""A glyph lower than this share of the word's tallest is a mark (a comma, a stop) or a speck, no letter."""
XHEIGHT_QUANTILE = 25
"""The percentile of a lower-case word's glyph heights taken for its x-height: below its ascenders and
descenders, which stand taller."""


def mark_small_capitals(page: Page, image: np.ndarray) -> None:
    """Each word of the page read in capitals that the image shows set in small capitals gets its letters after
    the first in lower case, one recorded change (`REASON`). `image` is the page as Tesseract read it."""
    for line in page.lines:
        capitals = [(word, split_token(word.final)) for word in line.words if _capitals(word.final)]
        xheight = _xheight(line, image) if capitals else None
        if xheight is None:
            continue
        for word, (pre, core, post) in capitals:
            heights = _letter_heights(image, word.box)
            if len(heights) < 2:
                continue
            rest = statistics.median(heights[1:])
            if heights[0] >= FIRST_TALLER * rest and rest <= SMALL * xheight:
                final = pre + core[0] + core[1:].lower() + post
                word.changes.append(Change(word.final, final, REASON, CONFIDENCE))
                word.final = final


def _capitals(token: str) -> bool:
    """A word read in capitals, two letters or more; not a roman numeral, whose `I` stands taller between its
    serifs (`IV.` is no `Iv.`)."""
    core = split_token(token)[1]
    return len(core) >= 2 and core.isalpha() and core.isupper() and not ROMAN.match(core)


def _letter_heights(image: np.ndarray, box: Box) -> list[float]:
    """The heights of the word's glyphs, left to right, without its marks and specks."""
    found = ink_components(image, box)
    if found is None:
        return []
    boxes = found[1][np.argsort(found[1][:, 0], kind="stable")]
    heights = (boxes[:, 3] - boxes[:, 1]).astype(float)
    return [float(h) for h in heights if h >= LETTER * heights.max()]


def _xheight(line: Line, image: np.ndarray) -> float | None:
    """The x-height of the line's lower-case words (the median over them), None when it has none."""
    found = []
    for word in line.words:
        core = split_token(word.final)[1]
        if len(core) >= 3 and core.isalpha() and core.islower():
            heights = _letter_heights(image, word.box)
            if heights:
                found.append(float(np.percentile(heights, XHEIGHT_QUANTILE)))
    return statistics.median(found) if found else None
