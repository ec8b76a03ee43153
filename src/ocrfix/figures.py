"""Figures on a page (drawings, engravings, photographs, ornaments), told from the image alone, so that
they can be painted to paper before Tesseract reads the page: it reads a figure's strokes as junk text
(a weave drawing as `ah`, `ot |`, `I ' vie VA`).

A figure is ink that no text line makes: connected components taller and wider than several x-heights
and made of more than one stroke (a letter is one x-height or two; a drop capital of three lines stays
under `MIN_SIZE_XH` as a whole), gathered with their neighbours into one box, grown over the frame or the
rules drawn round them, and that box must hold mostly their ink, not type: the frame of a page round its
text and a figure holds far more ink of letters than of its own, and is no figure. Captions and the text
round a figure lie outside that box and are kept to the pixel; a caption inside a figure's frame goes
with it.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

PART_XH = 3.0
"""A component at least this many x-heights tall and wide is a piece of a figure, not a glyph: capitals
and ascenders stand under two x-heights, a bold initial of one line under three."""
PART_SHARE = 0.3
"""... when its own ink is at least this share of the ink in its box: a frame or a bracket round text has
under 0.1 (measured on book e of oldbooks-dev, whose pages are framed: 0.07-0.11), the parts of a
drawing 0.5-1.0."""
PART_THICK_XH = 0.3
"""... and its ink, spread along its longer side, is thicker than this many x-heights: a rule or a frame's
side, slanted or bent so that its box is wide, is one stroke (0.18-0.22 on book e of oldbooks-dev), the
pieces of a drawing many (0.41 and more there, but for a few pieces of a few strokes that lie by others)."""
GAP_XH = 5.0
"""Pieces of one figure within this many x-heights of each other are one figure: the parts of a working
drawing stand apart by its dimension lines (3-4 x-heights on oldbooks-dev's j012); two figures set side
by side stand further apart (6 and more)."""
RULE_XH = 0.5
"""A component longer than `PART_XH` x-heights and thinner than this many is a rule (one stroke, about a
quarter of an x-height): within `GAP_XH` of a figure it is the figure's, a broken frame or a dimension line
(Tesseract reads it as `-————-`); a word of type is an x-height tall and more."""
FRAME_GROWTH = 2.0
"""A large component that crosses a figure's box joins it when the box grows by no more than this factor in
area: a rule round a photograph adds a few per cent, the outline of a drawing whose solid parts made the box
some 30% (oldbooks-dev j032), the frame round a whole page (book e) three times and more."""
OVERLAP = 0.5
"""Two figures whose boxes, framed, overlap by at least this share of the smaller one's area are one: the
pieces of one drawing gathered apart and framed over each other (oldbooks-dev j012 cut above its drawing:
58%; j027: one inside the other); two pictures set side by side, whose frames come to touch, overlap by far
less (j040: 2%, j028: 26%) and stay two."""
MIN_SIZE_XH = (10.0, 3.0)
"""A figure is at least this many x-heights long and wide: a drop capital or an ornamental initial of
three lines (about 7 x-heights) is a letter of the text and kept."""
MIN_SHARE = 0.5
"""The figure's pieces hold at least this share of the ink in its box: the box of a figure beside a text
column, or round a labelled drawing, holds some type, but most of its ink is the figure's
(0.62-1.0 on oldbooks-dev's figures)."""


def find_figures(mask: np.ndarray, stats: np.ndarray, x_height: float) -> list[tuple[int, int, int, int]]:
    """The boxes (x0, y0, x1, y1, pixels of `mask`) of the figures on a page's ink `mask` (1 = ink), whose
    connected components have OpenCV's `stats` and whose type has this x-height. Components cut by the
    image's edge are left to the border step."""
    x, y, w, h, area = (stats[:, i] for i in range(5))
    rows, cols = mask.shape
    inside = (x > 0) & (y > 0) & (x + w < cols) & (y + h < rows)
    inside[0] = False
    large = inside & (w >= PART_XH * x_height) & (h >= PART_XH * x_height)
    rule = inside & (np.maximum(w, h) >= PART_XH * x_height) & (np.minimum(w, h) <= RULE_XH * x_height)
    total = cv2.integral(mask, sdepth=cv2.CV_32S)

    def ink(x0: int, y0: int, x1: int, y1: int) -> int:
        return int(total[y1, x1] - total[y0, x1] - total[y1, x0] + total[y0, x0])

    def box(i: np.integer) -> list[int]:
        return [int(x[i]), int(y[i]), int(x[i] + w[i]), int(y[i] + h[i]), int(area[i])]

    boxes = [box(i) for i in np.flatnonzero(large)]
    pieces = [
        b
        for b in boxes
        if b[4] >= PART_THICK_XH * x_height * max(b[2] - b[0], b[3] - b[1]) and b[4] >= PART_SHARE * ink(*b[:4])
    ]
    gap = round(GAP_XH * x_height)
    others = [[*b, 0] for b in boxes if b not in pieces] + [[*box(i), gap] for i in np.flatnonzero(rule)]

    def figure(found: list[int]) -> bool:
        x0, y0, x1, y1, own = found
        long, short = max(x1 - x0, y1 - y0), min(x1 - x0, y1 - y0)
        big = long >= MIN_SIZE_XH[0] * x_height and short >= MIN_SIZE_XH[1] * x_height
        return big and own >= MIN_SHARE * ink(x0, y0, x1, y1)

    figures = []
    for whole, parts in _united([_framed(found, others) for found in _gather(pieces, gap)]):
        kept = [whole] if figure(whole) else [f for f in parts if figure(f)]  # the union may hold type: its parts
        figures += [(x0, y0, x1, y1) for x0, y0, x1, y1, _ in kept]
    return figures


def _united(boxes: list[list[int]]) -> list[tuple[list[int], list[list[int]]]]:
    """Boxes [x0, y0, x1, y1, ink] merged while two overlap by `OVERLAP` of the smaller one's area: each
    union (its ink its parts') with its parts."""
    groups = [(list(b), [b]) for b in boxes]
    merged = True
    while merged:
        merged = False
        for i, j in itertools.combinations(range(len(groups)), 2):
            (a, parts_a), (b, parts_b) = groups[i], groups[j]
            w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            if w > 0 and h > 0 and w * h >= OVERLAP * min(_area(a), _area(b)):
                union = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]), a[4] + b[4]]
                groups[i] = (union, parts_a + parts_b)
                del groups[j]
                merged = True
                break
    return groups


def _framed(figure: list[int], others: list[list[int]]) -> list[int]:
    """The figure's box [x0, y0, x1, y1, ink] grown over the components [x0, y0, x1, y1, ink, reach] that come
    within their reach of it (large ones that cross it, rules near it) and add at most `FRAME_GROWTH` to its
    area: the frame ruled round a photograph, the outline of a drawing with the labels inside it, the broken
    rule over it. The frame of a page, round a figure and the text, would add far more and is left out."""
    box = list(figure)
    grown = True
    while grown:
        grown = False
        for o in others:
            r = o[5]
            if o[0] < box[2] + r and box[0] < o[2] + r and o[1] < box[3] + r and box[1] < o[3] + r:
                union = [min(box[0], o[0]), min(box[1], o[1]), max(box[2], o[2]), max(box[3], o[3])]
                if _area(union) <= FRAME_GROWTH * _area(box):
                    box = [*union, box[4] + o[4]]
                    others = [b for b in others if b is not o]
                    grown = True
                    break
    return box


def _area(box: list[int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def _gather(pieces: list[list[int]], gap: int) -> list[list[int]]:
    """Boxes [x0, y0, x1, y1, ink] merged while any two come within `gap` pixels of each other."""
    merged = True
    while merged:
        merged = False
        out: list[list[int]] = []
        for b in pieces:
            for o in out:
                if b[0] <= o[2] + gap and o[0] <= b[2] + gap and b[1] <= o[3] + gap and o[1] <= b[3] + gap:
                    o[:4] = [min(o[0], b[0]), min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3])]
                    o[4] += b[4]
                    merged = True
                    break
            else:
                out.append(list(b))
        pieces = out
    return pieces
