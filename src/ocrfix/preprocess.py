"""The page as Tesseract should see it: upright, deskewed, and cleaned only where cleaning pays.

Every measurement is made on a small copy of the page (about 150 dpi) so that the whole of
`prepare` costs a few tens of milliseconds, a small fraction of Tesseract's time on the page.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

import cv2
import numpy as np

STEPS = ("orient", "deskew", "denoise", "binarise")
"""Every step `prepare` knows, in the order it applies them."""

ANALYSIS_DPI = 150.0
"""Resolution of the copy of the page on which angles and text size are measured."""
MIN_SKEW = 0.1
"""Below this (degrees) the page is not resampled: the warp would cost more than the skew."""
MAX_SKEW = 10.0


@dataclass(frozen=True)
class Prepared:
    image: np.ndarray
    """uint8 single-channel image handed to Tesseract: upright, deskewed, cleaned."""
    rotation: int
    """0, 90, 180 or 270: degrees clockwise the scan was turned to make it upright."""
    skew: float
    """Skew measured in degrees (positive = counter-clockwise text); corrected when "deskew" is in `steps`."""
    steps: tuple[str, ...]
    """Names of the steps actually applied."""
    matrix: np.ndarray = field(compare=False, repr=False, default=None)
    """The 2x3 affine map from scan to `image` coordinates actually used: `transform(scan.shape, rotation,
    skew if "deskew" in steps else 0.0)`. `cv2.invertAffineTransform(matrix)` maps boxes back onto the scan."""


# --------------------------------------------------------------------------- geometry


def _angle_cw(rotation: int, skew: float) -> float:
    return float(rotation % 360) + float(skew)


def _cos_sin(degrees: float) -> tuple[float, float]:
    rad = math.radians(degrees)
    c, s = math.cos(rad), math.sin(rad)
    return (0.0 if abs(c) < 1e-12 else c), (0.0 if abs(s) < 1e-12 else s)


def output_shape(shape: tuple[int, int], rotation: int, skew: float) -> tuple[int, int]:
    """(height, width) of the prepared image: the bounding box of the turned page, nothing cut off."""
    h, w = shape[:2]
    c, s = _cos_sin(_angle_cw(rotation, skew))
    out_w = w * abs(c) + h * abs(s)
    out_h = w * abs(s) + h * abs(c)
    return int(math.ceil(out_h - 1e-6)), int(math.ceil(out_w - 1e-6))


def transform(shape: tuple[int, int], rotation: int, skew: float) -> np.ndarray:
    """The 2x3 affine matrix mapping scan coordinates (x, y) to prepared-image coordinates.

    The scan is turned `rotation` degrees clockwise, then a further `skew` degrees clockwise
    (which straightens text that leans `skew` degrees counter-clockwise), about its centre, and
    placed in an image of `output_shape(shape, rotation, skew)` that holds the whole page.
    `prepare` warps with exactly this matrix; `cv2.invertAffineTransform(transform(...))` maps
    points and boxes of the prepared image (Tesseract's boxes) back onto the scan.
    Pass `skew=0.0` when the skew was measured but not corrected (see `Prepared.matrix`).
    """
    h, w = shape[:2]
    out_h, out_w = output_shape(shape, rotation, skew)
    c, s = _cos_sin(_angle_cw(rotation, skew))
    a = np.array([[c, -s], [s, c]])  # clockwise on screen (y points down)
    src_centre = np.array([(w - 1) / 2.0, (h - 1) / 2.0])
    dst_centre = np.array([(out_w - 1) / 2.0, (out_h - 1) / 2.0])
    t = dst_centre - a @ src_centre
    return np.hstack([a, t[:, None]]).astype(np.float64)


def _warp(gray: np.ndarray, rotation: int, skew: float, matrix: np.ndarray) -> np.ndarray:
    out_h, out_w = output_shape(gray.shape, rotation, skew)
    if skew == 0.0:
        # a quarter turn is an exact permutation of pixels
        k = {0: 0, 90: 3, 180: 2, 270: 1}[rotation % 360]
        turned = np.ascontiguousarray(np.rot90(gray, k))
        assert turned.shape == (out_h, out_w)
        return turned
    return cv2.warpAffine(
        gray, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT, borderValue=255,
    )


# --------------------------------------------------------------------------- measuring


def is_binary(gray: np.ndarray, tolerance: float = 0.002) -> bool:
    """True when (almost) every pixel is pure black or pure white: a page binarised already."""
    sample = gray[::4, ::4]
    extreme = np.count_nonzero((sample == 0) | (sample == 255))
    return extreme >= (1.0 - tolerance) * sample.size


@dataclass
class _Ink:
    """The text-like ink of the small copy of the page, as pixel coordinates."""

    scale: float            # small = scan * scale
    shape: tuple[int, int]  # of the small copy
    xs: np.ndarray          # float32 coordinates of text-ink pixels in the small copy
    ys: np.ndarray
    heights: np.ndarray     # heights and widths of the text-like components
    widths: np.ndarray


def _ink_mask(small: np.ndarray, binary: bool) -> np.ndarray:
    if binary:
        return (small < 128).astype(np.uint8)
    block = 31
    return (cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12))


def _text_components(mask: np.ndarray, scale_dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Label image and a boolean keep-array of the components that look like glyphs or words."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    w = stats[:, cv2.CC_STAT_WIDTH]
    h = stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    px_per_pt = scale_dpi / 72.0
    small_side = np.minimum(w, h)
    big_side = np.maximum(w, h)
    keep = (
        (small_side >= max(2, round(2.0 * px_per_pt)))     # not a speck
        & (small_side <= 40 * px_per_pt)                  # not a picture
        & (big_side <= 400 * px_per_pt)                   # not a rule or a frame
        & (area >= 6)
        & (area <= 0.9 * w * h + 1)                       # not a solid block
    )
    keep[0] = False
    return labels, keep, stats


def _measure_ink(gray: np.ndarray, dpi: float) -> _Ink:
    scale = min(1.0, ANALYSIS_DPI / max(dpi, 1.0))
    binary = is_binary(gray)
    small = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = _ink_mask(small, binary and scale == 1.0)
    if binary and scale != 1.0:
        mask = (small < 160).astype(np.uint8)
    labels, keep, stats = _text_components(mask, dpi * scale)
    text = keep[labels]
    ys, xs = np.nonzero(text)
    return _Ink(
        scale, small.shape, xs.astype(np.float32), ys.astype(np.float32),
        stats[keep, cv2.CC_STAT_HEIGHT], stats[keep, cv2.CC_STAT_WIDTH],
    )


def _profile(xs: np.ndarray, ys: np.ndarray, degrees: float) -> np.ndarray:
    """Ink per row after turning the page `degrees` clockwise (rows of 1 small pixel, linear binning)."""
    c, s = _cos_sin(degrees)
    p = ys * c + xs * s
    p = p - p.min() if p.size else p
    i = np.floor(p).astype(np.int64)
    f = (p - i).astype(np.float64)
    n = int(i.max()) + 2 if i.size else 1
    return np.bincount(i, 1.0 - f, minlength=n) + np.bincount(i + 1, f, minlength=n)


def _energy(xs: np.ndarray, ys: np.ndarray, degrees: float) -> float:
    prof = _profile(xs, ys, degrees).astype(np.float64)
    return float(np.dot(prof, prof))


def _best_angle(xs: np.ndarray, ys: np.ndarray, lo: float, hi: float, step: float) -> tuple[float, float]:
    angles = np.arange(lo, hi + step / 2, step)
    energies = np.array([_energy(xs, ys, a) for a in angles])
    i = int(np.argmax(energies))
    best = float(angles[i])
    if 0 < i < len(angles) - 1:  # parabola through the peak and its neighbours
        e0, e1, e2 = energies[i - 1], energies[i], energies[i + 1]
        denom = e0 - 2 * e1 + e2
        if denom < 0:
            best += step * 0.5 * (e0 - e2) / denom
    return best, float(energies[i])


def _asc_desc(prof: np.ndarray) -> tuple[float, float, int]:
    """Ink above and below the x-height bands of the text lines in a row profile, and lines counted.

    Latin text has far more ascenders (and capitals) than descenders, so an upright page has
    clearly more ink just above its x-height bands than just below them; upside down, the reverse.
    """
    if prof.size < 3 or prof.max() <= 0:
        return 0.0, 0.0, 0
    thr = 0.08 * float(np.percentile(prof[prof > 0], 90))
    on = np.concatenate([[False], prof > thr, [False]])
    edges = np.flatnonzero(on[1:] != on[:-1])
    runs = list(zip(edges[::2], edges[1::2]))  # [start, end)
    bands = []
    for a, b in runs:
        seg = prof[a:b]
        if b - a < 3:
            continue
        core = np.flatnonzero(seg >= 0.5 * seg.max())
        bands.append((a, b, a + core[0], a + core[-1] + 1))
    if not bands:
        return 0.0, 0.0, 0
    band_h = np.median([e - s for _, _, s, e in bands])
    above = below = 0.0
    n = 0
    for a, b, s, e in bands:
        if b - a > 3.5 * band_h + 2 or e - s > 2 * band_h + 1:
            continue  # two lines run together, or not a text line
        above += float(prof[a:s].sum())
        below += float(prof[e:b].sum())
        n += 1
    return above, below, n
