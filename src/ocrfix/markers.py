"""Footnote markers read from the page image: Tesseract reads a small raised figure in a line of body text
as marks (`hopes.''` for `hopes.¹¹`, `prison.**` for `prison.¹⁶`), so the markers are found by their ink.

Each line's ink is cut into glyphs (connected components, those stacked over each other merged); the line's
baseline (a straight line fitted through the bottoms of the glyphs sitting on it) and its x-height (their
median height) are measured from them. A marker is the run of glyphs ending a word that sit well above the
baseline and stand about as tall as an x-height: a footnote figure is set at about 0.6 of the type size and
raised by about a third of it, while quotes and apostrophes, raised too, are shorter (by the page's opening
quotes, which no marker is, where a print has tall ones). Only those crops are read again, scaled up, all of
a page's in one reading allowing only figures and the usual marks (`*`, `†`, `‡`, `§`), by a resident
Tesseract (its models loaded: no `tesseract` command to start). The word then ends in the marker in
superscript figures (`hopes.¹¹`); the marks Tesseract read in its place are dropped, and every change is
recorded on the word with its reason.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import NamedTuple

import cv2
import numpy as np

from ._exec.tesseract import read_marks
from .model import Box, Change, Line, Superscript, Word

REPAIR = "footnote-marker"
"""The repair id of a marker's change in the page record and corrections.tsv."""
MARKS = "0123456789*†‡§"
"""What a marker may be read as: figures, and the marks books use for their few notes on a page."""
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

RISE = 0.4
"""How far (in x-heights) a glyph's bottom must sit above the baseline to be raised. Measured on the
samples: letters sit within 0.1 of it, commas hang below it, footnote figures sit 0.67-1.0 above it and
quotes 0.8-0.9 above; a hyphen's bottom is at 0.4-0.6, but a hyphen is a quarter of an x-height tall."""
TALL = 0.65
"""Least height (x-heights) of a marker glyph. Footnote figures measured 0.73-0.91 on the samples (a figure
broken in two is whole again once stacked pieces are merged), quotes and apostrophes 0.45-0.59."""
QUOTES = 1.25
"""How much taller than the page's opening quotes a marker glyph must be. Some prints have tall quotes:
on oldbooks-dev pages opening quotes measured 0.68-0.73 x-heights and closing quotes 0.67-0.77 (up to 1.13
times the opening ones), while the samples' footnote figures are 1.33-1.8 times their quotes."""
SHORT = 1.3
"""Greatest height (x-heights) of a marker glyph: a figure set at 0.6 of the type is 0.9 of an x-height;
anything taller is no small glyph (a speck joined to a letter of the line above, a capital)."""
GAP = 1.0
"""Greatest gap (x-heights) between a word and a marker Tesseract read as a word of its own, or not at all:
a marker follows its word closely, and a word space is about 1.2 x-heights."""
STACKED = 0.5
"""Two components are one glyph when they overlap across at least this share of the narrower one's width
(an i and its dot, a colon's two dots, a figure broken in two); neighbouring letters touch far less."""
MARK = 0.7
"""Greatest height (x-heights) of each piece of a punctuation mark: quotes and commas measured 0.45-0.59 on
the samples, a stop 0.2; letters are an x-height tall or more."""
SPECK = 3
"""Components less than this many pixels tall or wide are specks, not glyphs."""
MIN_BASE = 5
"""Fewest glyphs sitting on the baseline to measure a line by; a shorter line takes the page's x-height
and its own glyphs' median bottom."""
HEIGHT = 40
"""Pixel height a marker is scaled to for re-reading, about a cap height of text Tesseract reads well: a
footnote figure is 18-20 pixels at 300 dpi, 12 at 200. Scaled to it, the samples' 22 read right at 91-97% in
eng+fra+spa (86-97% in English alone)."""
MIN_CONF = 80.0
"""Least confidence of the re-reading for a marker to be taken; below it the word is left as read. The
samples' 22 markers read at 91-97; quotes re-read as figures (before `QUOTES` kept them out) read at 9-92, most
under 80."""
_READING = re.compile(r"(?:[0-9]{1,3}|[*†‡§]{1,3})")
_LOW_MARKS = ".,;:"
_SINGLE_QUOTES = "'’‘`´"
_DOUBLE_QUOTES = '"”“„'


class _Glyph(NamedTuple):
    """A glyph's box in the page's pixels (a tuple: a page has tens of thousands)."""

    x0: int
    y0: int
    x1: int
    y1: int
    small: bool
    """Every component of it is under `MARK` tall: a stop, a comma, a quote, a colon."""


@dataclass
class Marker:
    """A footnote marker found after a word: where, and what to do to the words it touches."""

    line: int
    word: int
    """Indices in the page's lines and that line's words of the word the marker follows."""
    box: Box
    mask: np.ndarray
    """The marker's ink within `box` (True where it is): what is cut out for re-reading."""
    marks_before: str
    """The small glyphs (stops, commas, quotes) between the word's last letter and the marker, left to
    right, each `r` (raised: a quote) or `l` (low: a stop, a comma)."""
    absorbed: tuple[int, ...]
    """Following words of the line that are the marker itself, read by Tesseract as words of their own."""


def mark_footnotes(lines: list[Line], image: np.ndarray, lang: str, dpi: float, timeout: float) -> int:
    """Find the footnote markers of the page's lines (`image`: the page Tesseract read, at `dpi`), read them
    in the page's languages (those the resident Tesseract has loaded), and write each onto its word as a
    recorded change. Returns how many were written. The re-reading has `timeout` seconds, as a page's
    reading has; its OcrError is raised (see `_exec.tesseract.read_marks`)."""
    found = find_markers(lines, image)
    if not found:
        return 0
    readings = read_markers(found, image, lang, dpi, timeout)
    written = 0
    for marker, (text, conf) in zip(found, readings, strict=True):
        if _READING.fullmatch(text) and conf >= MIN_CONF:
            _write(lines[marker.line], marker, text, conf)
            written += 1
    return written


def find_markers(lines: list[Line], image: np.ndarray) -> list[Marker]:
    """The footnote markers the page's ink shows after its words (see the module's docstring)."""
    measured = [_measure(line, image) for line in lines]
    heights = [m.xheight for m in measured if m is not None and m.fitted]
    if not heights:
        return []
    page_xheight = float(np.median(heights))
    inks = [None if m is None else m if m.fitted else replace(m, xheight=page_xheight) for m in measured]
    owned = [[] if ink is None else ink.of_words(line.words) for line, ink in zip(lines, inks, strict=True)]
    quotes = [q for ink, words in zip(inks, owned, strict=True) if ink for q in _opening_quotes(ink, words)]
    tall = max(TALL, QUOTES * float(np.median(quotes))) if quotes else TALL
    found: list[Marker] = []
    for index, (line, ink, words) in enumerate(zip(lines, inks, owned, strict=True)):
        if ink is not None:
            found += _line_markers(index, line, ink, words, tall, image)
    return found


@dataclass(frozen=True)
class _Ink:
    """A line's glyphs, measured."""

    glyphs: list[_Glyph]
    xheight: float
    fitted: bool
    """Whether the line had glyphs enough on its baseline to measure its own x-height (`MIN_BASE`)."""
    baseline: tuple[float, float]
    """(a, b) of y = a·x + b, fitted through the bottoms of the glyphs sitting on it."""

    def rise(self, glyph: _Glyph) -> float:
        """How far (x-heights) the glyph's bottom sits above the baseline."""
        a, b = self.baseline
        return (a * ((glyph.x0 + glyph.x1) / 2) + b - glyph.y1) / self.xheight

    def height(self, glyph: _Glyph) -> float:
        """The glyph's height in x-heights."""
        return (glyph.y1 - glyph.y0) / self.xheight

    def of_words(self, words: list[Word]) -> list[list[_Glyph]]:
        """Each word's glyphs: those whose middle its box holds (the first such word's), and those following it
        within `GAP` that no word holds (a marker Tesseract left out of every word). The words are in order,
        left to right."""
        starts = [w.box[0] for w in words]
        owned: list[list[_Glyph]] = [[] for _ in words]
        for g in self.glyphs:
            middle = (g.x0 + g.x1) / 2
            k = bisect_right(starts, middle) - 1
            while k > 0 and words[k - 1].box[2] > middle:  # boxes that overlap: the first word's (`others,` `*`)
                k -= 1
            if k >= 0 and (2 * words[k].box[2] > g.x0 + g.x1 or 0 <= g.x0 - words[k].box[2] <= GAP * self.xheight):
                owned[k].append(g)
        return owned


def _measure(line: Line, image: np.ndarray) -> _Ink | None:
    """The line's glyphs and its baseline and x-height, or None for a line with no ink to speak of."""
    x0, y0, x1, y1 = line.box
    height = y1 - y0
    # to the right, room for a marker Tesseract left out of its last word
    x0, y0, x1, y1 = max(x0 - 2, 0), max(y0 - 2, 0), min(x1 + height, image.shape[1]), min(y1 + 2, image.shape[0])
    crop = image[y0:y1, x0:x1]
    if crop.size == 0 or crop.min() == crop.max():
        return None
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h = stats[1:, :4].T
    # a component cut by the crop's top or bottom edge belongs to a neighbouring line
    keep = ((w >= SPECK) | (h >= SPECK)) & (y > 0) & (y + h < y1 - y0)
    if not keep.any():
        return None
    x, y, w, h = x[keep], y[keep], w[keep], h[keep]
    kept = np.column_stack([x, y, x + w, y + h]) + (x0, y0, x0, y0)  # boxes in the page's pixels
    parts: list[tuple[int, int, int, int]] = list(map(tuple, kept.tolist()))
    heights = (kept[:, 3] - kept[:, 1]).astype(float)
    bottoms = kept[:, 3].astype(float)
    median_height = _median(heights)
    tall = heights >= median_height / 2
    middle = _median(bottoms[tall])
    sitting = tall & (np.abs(bottoms - middle) <= median_height / 4)
    xs = (kept[:, 0] + kept[:, 2]) / 2
    fitted = int(sitting.sum()) >= MIN_BASE
    a, b = np.polyfit(xs[sitting], bottoms[sitting], 1).tolist() if fitted else (0.0, middle)
    xheight = _median(heights[sitting]) if sitting.any() else median_height
    return _Ink(_glyphs(parts, xheight), xheight, fitted, (a, b))


def _median(values: np.ndarray) -> float:
    """np.median's value (for an even count the mean of the middle two), without its overhead: it is taken
    three times for each line of a page."""
    ordered = np.sort(values)
    middle = len(ordered) // 2
    return float(ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2)


def _opening_quotes(ink: _Ink, owned: list[list[_Glyph]]) -> list[float]:
    """The heights (x-heights) of the raised glyphs opening a line's words (`owned`: each word's glyphs):
    opening quotes, never a footnote marker, and as tall as the closing quotes of the same print."""
    heights = []
    for glyphs in owned:
        for g in glyphs:
            if ink.rise(g) < RISE or ink.height(g) > SHORT:
                break
            heights.append(ink.height(g))
    return heights


def _glyphs(parts: list[tuple[int, int, int, int]], xheight: float) -> list[_Glyph]:
    """Components stacked over each other merged into glyphs, left to right."""
    mark = MARK * xheight
    merged: list[list] = []  # x0, y0, x1, y1, small: the glyphs so far, the last one still growing
    for x0, y0, x1, y1 in sorted(parts):
        small = y1 - y0 < mark
        if merged:
            g = merged[-1]
            if min(g[2], x1) - x0 >= STACKED * min(g[2] - g[0], x1 - x0):  # sorted: the glyph starts at or before x0
                g[1:] = min(g[1], y0), max(g[2], x1), max(g[3], y1), g[4] and small
                continue
        merged.append([x0, y0, x1, y1, small])
    return [_Glyph(*g) for g in merged]


def _line_markers(
    index: int, line: Line, ink: _Ink, owned: list[list[_Glyph]], tall: float, image: np.ndarray
) -> list[Marker]:
    """The markers after the words of one line (`owned`: each word's glyphs); `tall`: a marker glyph's least
    height (x-heights)."""
    found: list[Marker] = []
    taken: set[int] = set()
    for w, word in enumerate(line.words):
        own = owned[w]
        tail = _raised_tail(own, ink, tall)
        if w in taken or not tail:
            continue
        target = w
        if len(tail) == len(own):  # the marker read as a word of its own: it belongs to the word before
            before = line.words[w - 1] if w else None
            if before is None or found and found[-1].word == w - 1 or word.box[0] - before.box[2] > GAP * ink.xheight:
                continue
            target = w - 1
            own = owned[target] + tail
        box = (min(g.x0 for g in tail), min(g.y0 for g in tail), max(g.x1 for g in tail), max(g.y1 for g in tail))
        near = ink.xheight / 3
        absorbed = tuple(
            k
            for k in range(target + 1, len(line.words))
            if box[0] - near <= (line.words[k].box[0] + line.words[k].box[2]) / 2 <= box[2] + near
        )
        taken.update(absorbed)
        marks = ""
        for g in reversed(own[: len(own) - len(tail)]):
            if not g.small:
                break
            marks = ("r" if ink.rise(g) >= RISE else "l") + marks
        found.append(Marker(index, target, box, _mask(image, box, tail), marks, absorbed))
    return found


def _raised_tail(glyphs: list[_Glyph], ink: _Ink, tall: float) -> list[_Glyph]:
    """The glyphs ending a word that are raised and about an x-height tall: a marker, or nothing."""
    tail: list[_Glyph] = []
    for g in reversed(glyphs):
        if ink.rise(g) < RISE or not tall <= ink.height(g) <= SHORT:
            break
        tail.insert(0, g)
    return tail


def _mask(image: np.ndarray, box: Box, tail: list[_Glyph]) -> np.ndarray:
    """The marker's ink in its box: the dark pixels of its glyphs (others, such as a quote's tip, left out)."""
    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    inside = np.zeros(crop.shape, dtype=bool)
    for g in tail:
        inside[g.y0 - y0 : g.y1 - y0, g.x0 - x0 : g.x1 - x0] = True
    mask: np.ndarray = (ink > 0) & inside
    return mask


def read_markers(
    found: list[Marker], image: np.ndarray, lang: str, dpi: float, timeout: float
) -> list[tuple[str, float]]:
    """Each marker's reading and its confidence (0-100), from one column of the markers' crops scaled to
    `HEIGHT`, each a line of its own with white around it (Tesseract joins crops set side by side into one
    word, whatever the space between them)."""
    tiles = []
    for m in found:
        x0, y0, x1, y1 = m.box
        crop = image[y0:y1, x0:x1].copy()
        # the marker's ink and its anti-aliased edge, on white: a neighbour's ink in the box would be read too
        near = cv2.dilate(m.mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        crop[~near] = 255
        width = max(round((x1 - x0) * HEIGHT / max(y1 - y0, 1)), 1)
        tiles.append(cv2.resize(crop, (width, HEIGHT), interpolation=cv2.INTER_CUBIC))
    widest = max(t.shape[1] for t in tiles)
    rows = [
        cv2.copyMakeBorder(t, HEIGHT, 0, HEIGHT, widest - t.shape[1] + HEIGHT, cv2.BORDER_CONSTANT, value=255)
        for t in tiles
    ]
    column = cv2.copyMakeBorder(np.vstack(rows), 0, HEIGHT, 0, 0, cv2.BORDER_CONSTANT, value=255)
    scale_dpi = dpi * HEIGHT / float(np.median([m.box[3] - m.box[1] for m in found]))
    texts: list[list[tuple[int, str, float]]] = [[] for _ in found]
    for row in read_marks(column, lang, MARKS, scale_dpi, timeout).splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():  # a word's row (the header is none)
            continue
        left, top, height = int(cells[6]), int(cells[7]), int(cells[9])
        slot = int((top + height / 2) // (2 * HEIGHT))
        if 0 <= slot < len(found):
            texts[slot].append((left, cells[11].strip(), float(cells[10])))
    return [("".join(t for _, t, _ in sorted(words)), min((c for _, _, c in words), default=0.0)) for words in texts]


def _write(line: Line, marker: Marker, reading: str, conf: float) -> None:
    """The marker onto its word (the marks read in its place dropped) and the words that were the marker
    itself emptied, each change recorded."""
    word = line.words[marker.word]
    shown = reading.translate(_SUPERSCRIPT)
    kept = _without_misreading(word.final, marker.marks_before)
    dropped = word.final[len(kept) :] + "".join(line.words[k].final for k in marker.absorbed)
    reason = f"footnote marker {shown} read from the image (raised small glyphs after the word" + (
        f", read as {dropped!r})" if dropped else ")"
    )
    new = kept + shown
    word.changes.append(Change(word.final, new, reason, round(conf / 100, 2), repair=REPAIR))
    word.final = new
    word.marker = Superscript(shown, marker.box)
    for k in marker.absorbed:
        other = line.words[k]
        other.changes.append(
            Change(other.final, "", f"footnote marker {shown} of the word before", 1.0, repair=REPAIR, joined=True)
        )
        other.final = ""


def _without_misreading(text: str, marks_before: str) -> str:
    """The word as read without what Tesseract read for its marker: its letters and figures, then as many
    of its trailing marks as account for the small glyphs the ink shows before the marker (`marks_before`;
    a double quote may stand for two raised ones). What follows them was the marker's reading (`hopes.''`
    → `hopes.`, `exploitation.”®` → `exploitation.”`), and so is a mark read where the ink has no small
    glyph (`?` for a figure)."""
    end = _core_end(text)
    left = marks_before
    for ch in text[end:]:
        if not left or ch not in _LOW_MARKS + _SINGLE_QUOTES + _DOUBLE_QUOTES:
            break
        left = left[2:] if ch in _DOUBLE_QUOTES and left.startswith("rr") else left[1:]
        end += 1
    return text[:end]


def _core_end(text: str) -> int:
    """Where the word's last letter or figure ends (0 when it has none)."""
    for i in range(len(text), 0, -1):
        if text[i - 1].isalnum():
            return i
    return 0
