"""A stamp's own words, read from its own ink: the layer `stamps.remove_stamps` takes out of the page.

The page's reading never holds them (the stamp is out of the image Tesseract reads), and a person looking
at the record wants to know what a stamp says (`PUBLIC LIBRARY`, `CUSTOMS EXAMINED`). Its ink alone, on
white, is turned so its lines lie level (a stamp is pressed at an angle: the angle at which the ink's rows
are most unequal, its lines and the gaps between them) and read once by Tesseract as sparse text; its
frame's long strokes are left out first, and only words Tesseract is sure of are kept. Where print crossed the
stamp its ink is lost with the print's pixels, so a letter under the type may be missing.
"""

from __future__ import annotations

import cv2
import numpy as np

from ._exec.tesseract import read_page
from .model import Box, Stamp
from .ocr import parse_tsv

PSM = 11
"""Sparse text: a stamp's words stand in short lines at odd places inside its frame. On the samples' two
stamps psm 6 (a uniform block) read fewer of their words at the same angle."""
LETTER_IN = 0.2
"""A part of the stamp's ink longer than this (inches) is a piece of its frame, not a letter: the samples'
stamps' letters are under 0.1 in (30 px at 300 dpi); the longest pieces of their frames, cut where the
print crossed them, 0.2-1 in (69-300 px). Shorter pieces stay, and what Tesseract reads in them is mostly
marks and single letters (`MIN_CHARS`)."""
SPECK_PX_300 = 10
"""Parts of the ink smaller than this (pixels at 300 dpi) are left out: what is left of the print's blurred
edge round the type the stamp crossed, a speck no letter is made of (about 1% of the samples' stamps' ink)."""
MAX_ANGLE = 45
"""Largest angle looked for, either way (degrees): a stamp pressed further round reads sideways."""
MIN_CONF = 75.0
"""Least confidence (0-100) of a word kept: on the samples' two stamps the words kept from 75 up are all the
stamps' own (`COPY` 96, `EXAMINED` 96, `2417` 96...); from 60 up pieces of them came too (`''BRAR` 66,
`OMS` 67) but also words made of frame and print edge (`a4` 70, `lo` 61)."""
MIN_CHARS = 2
"""Least letters or figures of a word kept: the marks and single letters read from pieces of the frame."""


def read_stamps(
    boxes: tuple[Box, ...], inks: tuple[np.ndarray, ...], dpi: float, lang: str, timeout: float
) -> list[Stamp]:
    """The stamps preprocessing took out of a scan of `dpi` (their `boxes` and the `inks` it took, as
    `Stamps` and `Prepared` hand them on), each with its words; a page without a stamp pays nothing."""
    return [_read(box, ink, dpi, lang, timeout) for box, ink in zip(boxes, inks, strict=True)]


def _read(box: Box, ink: np.ndarray, dpi: float, lang: str, timeout: float) -> Stamp:
    letters = _letters(ink, dpi)
    if not letters.any():
        return Stamp(box)
    angle = _level_angle(letters, dpi)
    words = [
        [w for w in line.words if w.conf >= MIN_CONF and sum(c.isalnum() for c in w.raw) >= MIN_CHARS]
        for line in parse_tsv(read_page(_turned(letters, angle), lang, dpi, PSM, timeout).tsv)
    ]
    kept = [w for line in words for w in line]
    text = "\n".join(" ".join(w.raw for w in line) for line in words if line)
    return Stamp(box, text, round(sum(w.conf for w in kept) / len(kept), 1) if kept else 0.0, angle)


def _letters(ink: np.ndarray, dpi: float) -> np.ndarray:
    """The stamp's ink without its frame's long strokes and without specks (boolean)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    longest = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    keep = (longest <= LETTER_IN * dpi) & (stats[:, cv2.CC_STAT_AREA] >= SPECK_PX_300 * (dpi / 300.0) ** 2)
    keep[0] = False  # the background
    return keep[labels]


def _level_angle(letters: np.ndarray, dpi: float) -> float:
    """Degrees counter-clockwise the stamp's lines stand at: the turn, by whole degrees, after which its ink's
    rows differ most (lines of letters and the gaps between them), measured on a 100 dpi copy (4 ms of CPU).
    The stamp is read once, at this angle (a reading costs 140-150 ms of CPU): on the samples' two stamps,
    2 and 4 degrees either side kept no word more above `MIN_CONF` (page 3: Tesseract's mean confidence
    56-60 against 67 at it; page 9: 61 at 2 degrees off against 54, yet one word fewer kept)."""
    scale = min(1.0, 100.0 / dpi)
    small = cv2.resize(letters.astype(np.float32), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    best, angle = -1.0, 0.0
    for degrees in range(-MAX_ANGLE, MAX_ANGLE + 1):
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees, 1.0)
        spread = float(np.var(cv2.warpAffine(small, turn, (w, h)).sum(axis=1)))
        if spread > best:
            best, angle = spread, float(degrees)
    return angle


def _turned(letters: np.ndarray, angle: float) -> np.ndarray:
    """The letters black on white, turned clockwise by `angle` so that lines standing at it lie level,
    nothing cut off."""
    h, w = letters.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    width, height = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    turn[0, 2] += width / 2 - w / 2
    turn[1, 2] += height / 2 - h / 2
    image = np.where(letters, 0, 255).astype(np.uint8)
    return cv2.warpAffine(image, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
