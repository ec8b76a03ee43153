"""Rubber stamps, seals and other ink laid over the print, found in the image and taken out of it.

Tesseract reads a stamp's letters as words and loses the print under it. A stamp's ink differs from the
type's: on a colour scan by its colour (the print is black), on a grey one by being lighter, pressed by
hand in strokes wider than the blurred edge of a glyph. Where such ink gathers into a patch the size of a
stamp, in strokes longer than a letter and over dark ink that is type (not a picture), the patch is a
stamp; inside it the stamp's ink becomes paper and the print stays. A page binarised already carries no
grey, and its stamps are not looked for here (the layout step drops the words of a stamp it finds by
their place and size). Boxes are in the pixels of the image given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from .model import Box

PAPER = 235
"""Levelled grey (paper = 255) below which a pixel carries ink: above the paper's grain (the samples'
noisiest paper reaches 240 at its 1st percentile) and below the lightest stamp ink of the samples (225)."""
DARK_SPLIT = 0.3
"""Where, between the print's ink and the paper, a pixel stops being dark ink: the print's stroke
interiors lie below (their commonest grey is the print's ink), a stamp's ink above (it is 60-70% of the
paper's brightness). At 0.45 the darker half of sample page 9's stamp counted as print and its frame
fell into pieces too short to be found."""
EDGE_PX_300 = 2.0
"""How far (pixels at 300 dpi) the blurred edge of a glyph reaches beyond its dark ink: a scan's blur of
up to a pixel and a half. Light ink farther than this from any dark ink is no glyph's edge."""
STAMP_SIDE_IN = 0.5
"""Smallest side of a stamp, inches: the smallest dater or library stamp is about an inch across."""
STAMP_INK_FILL = 0.04
"""Least share of a stamp's box covered by its light ink: a third of what the samples' stamps cover
(12-14%, frame and letters), for a stamp pressed lightly; it spares the other tests a scatter of grain."""
STROKE_IN = 0.2
"""A light stroke longer than this (inches) is longer than a letter of body type."""
STAMP_STROKES = 0.2
"""Least share of a stamp's light ink in strokes longer than `STROKE_IN`: 35-37% for the samples' stamps
(frame sides, letters run together), at most 11% for the edges of faint or blurred type on the damaged
copies of oldbooks-dev (200 dpi, noisy, unevenly lit, showing through); up to 41% on a noisier copy of
those, which `FAINT_TYPE` stops."""
GLYPH_IN = 1 / 6
"""A letter of body type is less than this tall (inches): dark ink taller than this is no letter."""
CHROMA = 40
"""Spread of a pixel's levelled channels from which it is coloured ink, not grey. Chosen, not fitted (the
data hold no colour scan): the dark blue stamp of the tests spreads about 100 levels, paper and black
print a few; a scanner's colour fringes at the edges of black type, which may reach it, lie within the
blurred edge left out of a stamp's ink, and are of no one colour (`_one_colour`)."""
FAINT_TYPE = 4.0
"""Most light ink a grey stamp's patch may have for each pixel of dark ink in it: 1.6-2.1 under the samples'
stamps (the type under them is as dark as elsewhere); 7-28 where the type itself is faint (damaged copies
of oldbooks-dev at 200 dpi, unevenly lit), whose light ink is letters that must not become paper. A
stamp on bare margin is left to the layout step."""
PICTURE_INK = 0.3
"""Most share of the dark ink under a stamp in parts taller than a letter: none under the samples'
stamps (each letter is a part of its own), at least 68% in the pictures of oldbooks-dev's damaged copies
whose grey tones passed the tests above (halftones, engravings)."""


@dataclass(frozen=True)
class Stamps:
    image: np.ndarray
    """The page with the stamps' ink turned to paper (the input itself when none was found)."""
    boxes: tuple[Box, ...]
    """Each stamp's box, x0, y0, x1, y1, in the input's pixels."""
    inks: tuple[np.ndarray, ...] = ()
    """Each stamp's own ink, the pixels taken out (boolean, the size of its box): what its words are read from."""


def remove_stamps(gray: np.ndarray, dpi: float, colour: np.ndarray | None = None) -> Stamps:
    """The page with each stamp's ink turned to paper, and the stamps' boxes. `colour`, the same page in
    RGB when the scan has colour, lets a stamp be told by its colour first (a blue stamp is as dark as
    the print in grey); a page where colour finds none, or whose print is coloured itself, is looked at
    in grey."""
    paper, level = _level(gray, dpi)
    print_grey = _print_grey(level)
    if print_grey is None:
        return Stamps(gray, ())
    dark = level < print_grey + DARK_SPLIT * (255.0 - print_grey)
    edge = _disc(max(1, round(EDGE_PX_300 * dpi / 300.0)))
    if colour is not None:
        levels = _levels(colour, dpi)
        chroma = levels.max(axis=2) - levels.min(axis=2)
        if np.median(chroma[dark]) < CHROMA / 2:  # black print: a stamp is what has colour
            neutral = dark & (chroma < CHROMA)
            coloured = chroma >= CHROMA
            hulls = _stamp_hulls(coloured & ~_near(neutral, edge), neutral, dpi, faint_type=False)
            # only coloured pixels change: the region may be generous, the ink at a frame's ends in it
            regions = [
                ((y0, y1, x0, x1), inside)
                for (y0, y1, x0, x1), inside in _regions(hulls, _disc(round(dpi / 24)), gray.shape)
                if _one_colour(levels[y0:y1, x0:x1][inside & coloured[y0:y1, x0:x1]])
            ]
            if regions:
                out = gray.copy()
                boxes, inks = [], []
                for (y0, y1, x0, x1), inside in regions:
                    wipe = inside & (chroma[y0:y1, x0:x1] >= CHROMA / 2)
                    print_only = _unmix(levels[y0:y1, x0:x1][wipe], chroma[y0:y1, x0:x1][wipe])
                    out[y0:y1, x0:x1][wipe] = np.clip(print_only * paper[y0:y1, x0:x1][wipe] + 0.5, 0, 255)
                    boxes.append((x0, y0, x1, y1))
                    inks.append(wipe)
                return Stamps(out, tuple(boxes), tuple(inks))
    light = (level < PAPER) & ~_near(dark, edge)
    hulls = _stamp_hulls(light, dark, dpi, faint_type=True)
    if not hulls:
        return Stamps(gray, ())
    out = gray.copy()
    boxes, inks = [], []
    for (y0, y1, x0, x1), inside in _regions(hulls, edge, gray.shape):
        # only what is darker than midway between the print's ink and the stamp's stays, with its blurred
        # edge (a stamp over a glyph darkens it, so the glyph stays whole)
        lv = level[y0:y1, x0:x1]
        stamp_grey = float(np.median(lv[light[y0:y1, x0:x1] & inside]))
        print_ink = _near(lv < (print_grey + stamp_grey) / 2, edge)
        wipe = inside & ~print_ink
        out[y0:y1, x0:x1][wipe] = np.maximum(gray[y0:y1, x0:x1], paper[y0:y1, x0:x1])[wipe]  # never darker
        boxes.append((x0, y0, x1, y1))
        inks.append(wipe & (lv < PAPER))  # the paper inside the region is wiped too, and is no ink
    return Stamps(out, tuple(boxes), tuple(inks))


def _near(mask: np.ndarray, edge: np.ndarray) -> np.ndarray:
    """The mask grown by the blurred edge of a glyph."""
    return cv2.dilate(mask.astype(np.uint8), edge) > 0


def _regions(
    hulls: list[np.ndarray], grow: np.ndarray, shape: tuple[int, ...]
) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """Each stamp's hull grown by the disc `grow`: its box (y0, y1, x0, x1) and the mask in it."""
    pad = grow.shape[0] // 2
    out = []
    for hull in hulls:
        x, y, w, h = cv2.boundingRect(hull)
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(shape[1], x + w + pad), min(shape[0], y + h + pad)
        region = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillPoly(region, [hull - np.array([x0, y0], dtype=hull.dtype)], 1)
        out.append(((y0, y1, x0, x1), cv2.dilate(region, grow) > 0))
    return out


def _levels(colour: np.ndarray, dpi: float) -> np.ndarray:
    """Each channel divided by its paper (so that yellowed paper is white): a pixel's colour as the
    share of the light its inks let through, 0-255 per channel. A pixel's chroma is their spread."""
    return np.stack([_level(np.ascontiguousarray(colour[:, :, c]), dpi)[1] for c in range(3)], axis=2).astype(
        np.float32
    )


def _one_colour(pixels: np.ndarray) -> bool:
    """Whether coloured pixels (rows of levelled RGB) share one colour, as a stamp's ink does; a scanner's
    colour fringes at the edges of grey ink are of one colour on one side and its opposite on the other."""
    median = np.median(pixels - pixels.mean(axis=1, keepdims=True), axis=0)
    return bool(median.max() - median.min() >= CHROMA / 2)


def _unmix(levels: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """The grey of the print alone (0-1 of the paper) at pixels where a stamp's ink lies over it: inks
    multiply the light, so a pixel lets through `p * (1 - a * k)` in each channel, p the print's share,
    a the stamp's cover and k what its ink takes of the channel's light. The ink's colour is that of the
    pixels most strongly coloured (where it lies thickest, on paper); two channels, the one it takes most
    of and the one it takes least, then give a and p."""
    share = levels / 255.0
    ink = np.median(share[chroma >= np.percentile(chroma, 75)], axis=0)
    k = 1.0 - ink
    most, least = int(np.argmax(k)), int(np.argmin(k))
    o_most, o_least = share[:, most], share[:, least]
    cover = np.clip((o_least - o_most) / np.maximum(o_least * k[most] - o_most * k[least], 1e-6), 0.0, 1.0)
    return np.clip(o_least / np.maximum(1.0 - cover * k[least], 1e-6), 0.0, 1.0)


def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _level(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The paper (the print taken out by a maximum filter wider than a stroke) and the page divided by
    it, so that paper is 255 everywhere and a shadow is not ink. The paper is found on a 75 dpi copy: it
    changes slowly, and the filter costs a sixteenth of its price at 300 dpi."""
    scale = min(1.0, 75.0 / dpi)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(3, 2 * int(dpi * scale / 16) + 1)  # an eighth of an inch: wider than any stroke of body type
    paper = cv2.blur(cv2.dilate(cv2.medianBlur(small, 3), _disc(k // 2)), (k, k))
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return paper, cv2.divide(gray, paper, scale=255)


def _print_grey(level: np.ndarray) -> float | None:
    """The grey of the print's ink: the commonest grey of stroke interiors (ink eroded by a pixel), which
    the type, with far more strokes than any stamp, decides. None on a page with next to no ink."""
    ink = (level < PAPER).astype(np.uint8)
    core = cv2.erode(ink, np.ones((3, 3), np.uint8))
    if np.count_nonzero(core) < 100:
        return None
    hist = np.bincount(level[core > 0], minlength=256).astype(np.float64).reshape(1, -1)
    return float(np.argmax(cv2.GaussianBlur(hist, (0, 0), 8)))  # smoothed over 8 greys: a mode, not a spike


def _stamp_hulls(ink: np.ndarray, dark: np.ndarray, dpi: float, faint_type: bool) -> list[np.ndarray]:
    """The patches of a stamp's possible ink (`ink`, boolean) that look like a stamp, over `dark` ink
    (boolean) that is type (see the constants), each as the hull of its ink. With `faint_type`, a patch
    whose light ink may be type printed faint (grey ink, which would be wiped with the stamp) is none."""
    light = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # no grain
    side = STAMP_SIDE_IN * dpi
    if np.count_nonzero(light) < STAMP_INK_FILL * side * side:  # too little ink for the smallest stamp's fill
        return []  # (3 of the 7 grey samples, 17 of 38 damaged oldbooks-dev pages): no stamp, and no search
    k = max(3, 2 * int(dpi / 24) + 1)  # a twelfth of an inch: the gaps between a stamp's letters and frame
    wy0, wy1, wx0, wx1 = _window(light, k)
    light, dark = light[wy0:wy1, wx0:wx1], dark[wy0:wy1, wx0:wx1]
    joined = cv2.morphologyEx(light, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    hulls = []
    parts = stats.tolist()  # (x, y, width, height, area) of each part, as Python ints: a page may have thousands
    for group in _grouped(stats, k, light.shape):
        x0, y0 = min(parts[i][0] for i in group), min(parts[i][1] for i in group)
        x1, y1 = max(parts[i][0] + parts[i][2] for i in group), max(parts[i][1] + parts[i][3] for i in group)
        w, h = x1 - x0, y1 - y0
        if min(w, h) < side:
            continue
        patch = ((light[y0:y1, x0:x1] > 0) & np.isin(labels[y0:y1, x0:x1], group)).astype(np.uint8)
        if np.count_nonzero(patch) < STAMP_INK_FILL * w * h:
            continue
        if _share_in_parts(patch, lambda st: np.maximum(st[:, 2], st[:, 3]) > STROKE_IN * dpi) < STAMP_STROKES:
            continue
        under = dark[y0:y1, x0:x1].astype(np.uint8)
        if faint_type and np.count_nonzero(patch) > FAINT_TYPE * np.count_nonzero(under):
            continue
        if _share_in_parts(under, lambda st: st[:, 3] > GLYPH_IN * dpi) > PICTURE_INK:
            continue
        pts = cv2.findNonZero(patch)
        hulls.append(cv2.convexHull(pts + np.array([x0 + wx0, y0 + wy0], dtype=pts.dtype)))
    return hulls


def _window(ink: np.ndarray, k: int) -> tuple[int, int, int, int]:
    """The part of the page (y0, y1, x0, x1) that a closing by a `k`-pixel square and the labelling after it
    need to see: the box of the ink with `k` pixels around it (a closing reaches less than k past the ink:
    outside the box the page's closing is paper, inside it the same), its corner on even pixels (OpenCV
    labels in blocks of 2 x 2 pixels: with the blocks where the page has them, each part keeps the page's
    label, as on 150 masks of the samples and of oldbooks-dev's damaged copies). Closing and labelling the
    whole page were most of the search's time; the box is 6-99% of it on pages with ink enough."""
    x, y, w, h = cv2.boundingRect(ink)
    return max(0, y - k) // 2 * 2, min(ink.shape[0], y + h + k), max(0, x - k) // 2 * 2, min(ink.shape[1], x + w + k)


def _grouped(stats: np.ndarray, least: int, shape: tuple[int, ...]) -> list[list[int]]:
    """The patches of light ink (labels, from their stats) at least `least` pixels across, grouped where
    their boxes overlap: a stamp's frame holds its lettering, and its frame, broken where the ink failed,
    comes in arcs whose boxes overlap (its parts stand farther apart than the closing joins)."""
    big = (np.flatnonzero(np.minimum(stats[1:, 2], stats[1:, 3]) >= least) + 1).tolist()
    if not big:
        return []
    boxes = np.zeros(shape[:2], np.uint8)
    for i in big:
        x, y, w, h = (int(v) for v in stats[i, :4])
        cv2.rectangle(boxes, (x, y), (x + w - 1, y + h - 1), 1, thickness=-1)
    _, overlapping = cv2.connectedComponents(boxes, connectivity=4)
    groups: dict[int, list[int]] = {}
    for i in big:
        groups.setdefault(int(overlapping[stats[i, 1], stats[i, 0]]), []).append(i)
    return list(groups.values())


def _share_in_parts(mask: np.ndarray, which: Callable[[np.ndarray], np.ndarray]) -> float:
    """The share of a mask's pixels in the connected parts that `which` picks from their stats (rows of
    x, y, width, height, area)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    area = stats[1:, cv2.CC_STAT_AREA]
    return float(area[which(stats[1:])].sum()) / max(1, int(area.sum()))
