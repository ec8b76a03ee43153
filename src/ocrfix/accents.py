"""Whether the print carries the accents a reading lost: the ink above a word's letters, from the page image.

Tesseract drops accents, on capitals above all, and reads the word confidently all the same (`Étienne` read
`Etienne`): the text alone cannot tell a lost accent from a name printed plain. The image can. An accent is
ink just above its letter, above the x-height for a lower-case vowel and above the cap height for a capital,
where the plain letter has none. `ink_above` looks there, over each letter of a word (a run asks it about a
page's capitalised words, `page_marks`), and `accent_seen` tells from it whether the letters where the
dictionary's form has a mark above and the reading has none carry one: True (every one), False (none does,
and the word's ink is clean enough to say so) or None (it cannot tell).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from .model import Box, Page
from .tokens import split_token

ABOVE = frozenset(chr(c) for c in (*range(0x300, 0x315), 0x31A, 0x33D, 0x33E, 0x33F, 0x346, 0x34A, 0x34B, 0x34C))
"""Combining marks Unicode sets above their letter (acute, grave, circumflex, tilde, macron, breve, dot,
diaeresis, ring, double acute, caron...): the ones this module can see. A cedilla or ogonek hangs below the
baseline and `ø` `ł` are struck through, where descenders and serifs are: those are not looked for."""
ASCENDERS = frozenset("bdfhkl")
"""Lower-case letters that rise above the x-height as far as the capitals (`t` rises less: it is not asked)."""
UNASKED = frozenset("ijJt")
"""Letters whose top says nothing: a dot over i and j, and t's short stem, between the x-line and the capitals."""
SPECK = 2
"""Components no more than this many pixels tall and wide are dust; an accent at 11 pt and 200 dpi is 4 pixels
tall or more on the rendered pages (`benchmarks/accents.py`)."""
MIN_XHEIGHT = 6
"""Type smaller than this (pixels of x-height; 11 pt at 200 dpi has 14) is not looked at: its accents, a
quarter to a third of an x-height tall, would be `SPECK`'s dust."""
SEEN, CLEAN, UNSURE = "^", ".", "?"
"""`ink_above`'s answer for a letter: a mark over it, none, cannot tell."""
CLEAR = 0.8
"""A mark's bottom is this far (x-heights) above the baseline at least: an accent stands over the x-line, a
stop or comma sits on the baseline. A component as tall as a letter standing as high is the line above's (on
sample pages 2 and 3, a line of the line above's x-height letters or descenders, 2.6 x-heights above)."""
NARROW = frozenset("fijlrtIJ.,;:'’!")
WIDE = frozenset("mwMW")
"""Glyphs narrower and wider than most (`_width`)."""
STACKED = 0.5
"""Two components are one glyph's when they overlap across this share of the narrower one's width (a
letter and its accent or dot; `markers.STACKED`)."""
SITTING = 0.25
"""Components whose bottom is within this share of the median component height of the word's median bottom
sit on the baseline (the rule `markers._measure` measures a line by)."""
ABOVE_BODY = 2.6
"""How far above the baseline (x-heights) a word's own ink may start: capitals' accents reach 1.68-1.93 on the
rendered pages; a component starting higher is the line above's (its x-height letters start 3.4 or more
above at a leading of 1.15 ems)."""
ZONE = 0.5
"""Where a mark stands: its bottom at most this far (x-heights) above the top of its letter. Measured on the
rendered pages at 200 and 300 dpi: 0.08-0.25 (DejaVu sets a capital's accent two pixels above it); the line
above's descenders, when they come down that far, make the letter one the module cannot tell."""
MARK_HEIGHT = 0.8
"""A mark is shorter than this (x-heights): accents measured 0.20-0.38 on the rendered pages, a letter is 1 or
more."""
STANDS = 0.15
"""A mark rises this far (x-heights) above the top the plain letter has, at least: accents rose 0.32-0.57 on
the rendered pages (DejaVu's capitals' least); a broken letter's piece (an A's apex on sample page 6) none."""
RISE = 0.3
"""A letter whose accent joined it (heavy ink, low resolution) rises this much (x-heights) above the top its
plain form has: the x-line for a lower-case letter, the word's other capitals and ascenders for a capital.
Plain letters rose 0.07 at most on the rendered pages, where no accent joined its letter: joined, the letter
would rise by the accent's gap and height, 0.3-0.6."""
CAP_HEIGHT = 1.45
"""A capital's height (x-heights) where the word has no other capital or ascender to measure it by: plain
capitals measured 1.21-1.44 on the rendered pages (Liberation Serif's median 1.43, DejaVu Serif's 1.40)."""


@dataclass(frozen=True)
class _Ink:
    """A word's ink in a crop of the page: its components' labels and boxes (x0, y0, x1, y1, in the crop's
    pixels), which of them are the line above's (`_ink`), which are marks (short, clear of the baseline), and
    its baseline row and x-height."""

    labels: np.ndarray
    boxes: np.ndarray
    foreign: np.ndarray
    small: np.ndarray
    baseline: float
    xheight: float

    def marks(self, a: float, b: float) -> np.ndarray:
        """The boxes of the word's own marks whose middle lies between columns a and b."""
        middles = (self.boxes[:, 0] + self.boxes[:, 2]) / 2
        return self.boxes[~self.foreign & self.small & (middles >= a) & (middles < b)]

    def top(self, a: float, b: float, which: np.ndarray) -> float | None:
        """The highest row of the components `which` (a mask over the boxes) in the middle of columns a to b
        (a fifth of the width off each side, where a neighbour's serif or kern reaches), or None."""
        inset = (b - a) / 5
        window = self.labels[:, int(a + inset) : max(int(b - inset), int(a + inset) + 1)]
        wanted = np.concatenate([[False], which])[window]
        rows = np.flatnonzero(wanted.any(axis=1))
        return float(rows[0]) if len(rows) else None


def page_marks(page: Page, image: np.ndarray, asked: Callable[[str], bool] | None = None) -> list[str | None]:
    """`ink_above` for each of the page's words (`Page.words`, in order) that is capitalised, the words the
    corrector restores a name's accents on, and whose core `asked` holds (a run asks about those a dictionary
    spells with diacritics: each word looked at costs about 1.3 ms of CPU, and on 9 pages of oldbooks-dev and the
    samples asking about every capitalised word took 38 ms a page, about those 0.9 ms), in `image`,
    the prepared page the record's boxes are in; None for the others."""
    return [
        ink_above(image, word.box, word.raw) if _capitalised(core) and (asked is None or asked(core)) else None
        for word in page.words
        for core in (split_token(word.raw)[1],)
    ]


def _capitalised(core: str) -> bool:
    return core[:1].isupper() and core.isalpha() and len(core) > 2


def ink_above(image: np.ndarray, box: Box, read: str) -> str | None:
    """What the print shows above each letter of the core of `read` (a word's token as read, punctuation
    included) in `image`, in `box`: `^` a mark, `.` none, `?` cannot tell (a letter whose top says nothing,
    the line above's ink come down over it); None when the ink does not part into the token's glyphs."""
    pre, core, post = split_token(read)
    ink = _ink(image, box)
    spans = None if ink is None else _letters(ink, read)
    if ink is None or spans is None:
        return None
    spans = spans[len(pre) : len(read) - len(post)]
    tall = _tall_top(ink, spans, core)
    found = (
        None if letter in UNASKED else _mark_over(ink, span, letter, tall)
        for span, letter in zip(spans, core, strict=True)
    )
    return "".join({True: SEEN, False: CLEAN, None: UNSURE}[f] for f in found)


def accent_seen(above: str | None, read: str, printed: str) -> bool | None:
    """Whether the print carries the marks `printed` (the dictionary's form of a word) has over the letters of
    `read` (the word's core as read) that lack them, from `above` (`ink_above`): True over every one, False
    over none and no other plain letter shows a mark (a speck, the line above), None it cannot tell."""
    if above is None or not len(above) == len(read) == len(printed):
        return None
    lost = [k for k, (r, p) in enumerate(zip(read, printed, strict=True)) if _marked(p) and not _marked(r)]
    if not lost:
        return True if any(_marked(p) for p in printed) else None
    others = [above[k] for k, r in enumerate(read) if k not in lost and not _marked(r)]
    asked = {above[k] for k in lost}
    if SEEN in others or len(asked) > 1:
        return None
    return {SEEN: True, CLEAN: False, UNSURE: None}[asked.pop()]


def _marked(letter: str) -> bool:
    """The letter carries a mark above it (`é`, `Ü`, `å`), in Unicode's decomposition."""
    return any(c in ABOVE for c in unicodedata.normalize("NFD", letter)[1:])


def _ink(image: np.ndarray, box: Box) -> _Ink | None:
    """The word's ink: the box measured for its baseline and x-height, then cut again from above
    `ABOVE_BODY` x-heights over the baseline, where an accent Tesseract left out of the box would be."""
    x0, y0, x1, y1 = box
    first = ink_components(image, box)
    if first is None:
        return None
    boxes = first[1]
    heights = (boxes[:, 3] - boxes[:, 1]).astype(float)
    bottoms = boxes[:, 3].astype(float)
    tall = heights >= np.median(heights) / 2
    middle = float(np.median(bottoms[tall]))
    sitting = tall & (np.abs(bottoms - middle) <= SITTING * np.median(heights[tall]))
    xheight = float(np.median(heights[sitting])) if sitting.any() else 0.0
    if xheight < MIN_XHEIGHT:
        return None
    top = max(int(y0 + middle - (ABOVE_BODY + 1) * xheight), 0)  # room to see the line above's glyphs start
    second = ink_components(image, (x0, top, x1, y1))
    if second is None:
        return None
    labels, boxes = second
    baseline = y0 + middle - top
    short = boxes[:, 3] - boxes[:, 1] < MARK_HEIGHT * xheight
    raised = boxes[:, 3] < baseline - CLEAR * xheight
    # the line above's: glyphs starting too high, cut by the crop, or a letter's height standing clear of this line
    foreign = (boxes[:, 1] < baseline - ABOVE_BODY * xheight) | (boxes[:, 1] == 0) | (raised & ~short)
    return _Ink(labels, boxes, foreign, short & raised & ~foreign, baseline, xheight)


def ink_components(image: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray] | None:
    """The dark components in the box (Otsu's threshold): the crop's labels (dust unlabelled) and their boxes,
    in the crop's pixels."""
    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    if crop.size == 0 or int(crop.min()) == int(crop.max()):
        return None
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h = stats[1:, :4].T
    keep = (w > SPECK) | (h > SPECK)
    if not keep.any():
        return None
    renumber = np.zeros(count, dtype=np.int32)
    renumber[1:][keep] = np.arange(1, int(keep.sum()) + 1)
    return renumber[labels], np.column_stack([x, y, x + w, y + h])[keep]


def _letters(ink: _Ink, read: str) -> list[tuple[float, float]] | None:
    """The x-range of each glyph of `read`: the word's own components grouped into columns where they overlap
    (a letter and its mark or dot), and a column wider than one glyph shared among letters that touch, by the
    widths the glyphs have in a book face (`_width`); None when there are more columns than glyphs (a letter
    broken apart, a quote's two strokes) or none (a word at the image's top edge, its ink taken for the line
    above's)."""
    columns: list[list[float]] = []
    for x0, _, x1, _ in sorted(ink.boxes[~ink.foreign].tolist()):
        if columns and min(columns[-1][1], x1) - x0 >= STACKED * min(columns[-1][1] - columns[-1][0], x1 - x0):
            columns[-1][1] = max(columns[-1][1], x1)
            continue
        columns.append([x0, x1])
    widths = [_width(c) for c in read]
    if not columns or len(columns) > len(widths):
        return None
    groups = _groups([b - a for a, b in columns], widths)
    spans: list[tuple[float, float]] = []
    for (a, b), group in zip(columns, groups, strict=True):
        shares = np.cumsum([0.0, *(widths[k] for k in group)]) / sum(widths[k] for k in group)
        spans += [(a + (b - a) * s, a + (b - a) * e) for s, e in zip(shares[:-1], shares[1:], strict=True)]
    return spans


def _groups(columns: list[float], widths: list[float]) -> list[list[int]]:
    """The glyphs (indices into `widths`, in order) each column holds, one or more each: the split whose
    columns' widths are nearest, in ratio, to the widths of the glyphs they hold, scaled to the word."""
    n, m = len(widths), len(columns)
    scale = sum(columns) / sum(widths)
    cost = np.full((m + 1, n + 1), np.inf)
    cost[0, 0] = 0.0
    back = np.zeros((m + 1, n + 1), dtype=int)
    for j in range(1, m + 1):
        for k in range(j, n - (m - j) + 1):
            for start in range(j - 1, k):
                c = cost[j - 1, start] + np.log(columns[j - 1] / (scale * sum(widths[start:k]))) ** 2
                if c < cost[j, k]:
                    cost[j, k], back[j, k] = c, start
    groups, k = [], n
    for j in range(m, 0, -1):
        groups.append(list(range(back[j, k], k)))
        k = back[j, k]
    return groups[::-1]


def _width(glyph: str) -> float:
    """A glyph's width in ems, roughly, as Times and its kin set it: what shares a column among touching letters."""
    if glyph in NARROW:
        return 0.3
    if glyph in WIDE:
        return 0.8
    return 0.7 if glyph.isupper() else 0.48


def _mark_over(ink: _Ink, span: tuple[float, float], letter: str, tall: float) -> bool | None:
    """The letter in columns `span` carries ink above it: a mark standing within `ZONE` over its top and `STANDS`
    above where its plain form ends, or its own top risen `RISE` above that (`tall`: a capital's, in pixels over
    the baseline).
    None when the line above's ink comes down into that zone, or the letter has no body there."""
    xh, base = ink.xheight, ink.baseline
    top = ink.top(*span, ~ink.foreign & ~ink.small)
    if top is None:
        return None
    columns = ink.labels[:, int(span[0]) : int(span[1]) + 1]
    foreign = np.flatnonzero(np.concatenate([[False], ink.foreign])[columns].any(axis=1))
    if len(foreign) and foreign[-1] >= top - ZONE * xh:
        return None
    plain_top = base - (tall if letter.isupper() or letter in ASCENDERS else xh)
    marks = ink.marks(*span)
    standing = (marks[:, 3] <= top + 1) & (marks[:, 3] >= top - ZONE * xh) & (marks[:, 1] < plain_top - STANDS * xh)
    return bool(standing.any() or top < plain_top - RISE * xh)


def _tall_top(ink: _Ink, spans: list[tuple[float, float]], core: str) -> float:
    """How far above the baseline (pixels) the word's plain capitals and ascenders reach, or `CAP_HEIGHT`."""
    tops = [
        ink.baseline - top
        for span, letter in zip(spans, core, strict=True)
        if (letter.isupper() or letter in ASCENDERS) and not _marked(letter)
        if (top := ink.top(*span, ~ink.foreign & ~ink.small)) is not None
    ]
    return float(np.median(tops)) if tops else CAP_HEIGHT * ink.xheight
