"""The page as Tesseract should see it: without stamps over the print, without what lies round the print
(black margins, the leaf's edge, specks), without figures (read as junk text), upright, deskewed, and
cleaned only where cleaning pays.

Every measurement is made on a small copy of the page (about 150 dpi) so that the whole of
`prepare` costs a few tens of milliseconds, a small fraction of Tesseract's time on the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import cv2
import numpy as np

from ._exec import tesseract
from .figures import find_figures
from .model import Box
from .sources import PLAUSIBLE_DPI
from .stamps import remove_stamps

STEPS = ("stamps", "borders", "specks", "figures", "orient", "deskew", "denoise", "binarise")
"""Every step `prepare` knows, in the order it applies them."""
DEFAULT_STEPS = ("stamps", "borders", "specks", "figures", "orient", "deskew", "denoise")
"""The steps `prepare` considers unless told otherwise. Binarising a grey page cost accuracy on every
data set measured (Tesseract binarises for its layout analysis but its LSTM reads the grey image,
which carries more than our threshold keeps), so it is done only on request."""

ANALYSIS_DPI = 150.0
"""Resolution of the copy of the page on which angles and text size are measured."""
MIN_SKEW = 0.9
"""Below this (degrees) a grey page is not resampled: Tesseract copes with a small skew, and on pages
turned 0.5-0.75 degrees resampling cost more accuracy than straightening gained (at 1 degree it gained)."""
MIN_SKEW_BINARY = 0.0
"""A binarised page is turned by its measured skew however small. The turn's linear interpolation gives
the stair-stepped edges of its glyphs grey levels, as a grey scan has, and Tesseract reads the page
better turned: on the tune half of oldbooks-dev (76 binarised 300 dpi pages, skews up to 0.41 degrees)
turning alone took CER from 1.60% to 1.52%, 34 pages better and 17 worse. A threshold anywhere in
0-0.05 degrees gave the same (1.50-1.52%), a higher one less (0.1: 1.54%), so there is none.
This is where OCRmyPDF `--deskew --clean` gains on such pages (1.56%): its turn by Tesseract's angle
(1.55% without unpaper, which added nothing); its rasterising alone gave 1.59%, Tesseract's angle
turned our way 1.60%, and a blur of 0.5 pixel instead of a turn 1.60%. Costs 5-10 ms of CPU a page."""
MAX_SKEW = 10.0
"""Largest skew looked for, either way (degrees)."""


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
    matrix: np.ndarray = field(compare=False, repr=False)
    """The 2x3 affine map from scan to `image` coordinates actually used: `transform(scan.shape, rotation,
    skew if "deskew" in steps else 0.0)`. `cv2.invertAffineTransform(matrix)` maps boxes back onto the scan."""
    stamps: tuple[Box, ...] = ()
    """The boxes of the stamps taken out of the image (see `stamps.remove_stamps`), in the scan's pixels."""
    stamp_inks: tuple[np.ndarray, ...] = field(default=(), compare=False, repr=False)
    """Each stamp's own ink, the pixels taken out (`Stamps.inks`): what `stamp_words` reads its words from."""
    figures: tuple[Box, ...] = ()
    """The boxes of the figures painted to paper in the image (see `figures.find_figures`), in the scan's pixels."""


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
        gray,
        matrix,
        (out_w, out_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


# --------------------------------------------------------------------------- measuring


def is_binary(gray: np.ndarray, tolerance: float = 0.002) -> bool:
    """True when (almost) every pixel is pure black or pure white: a page binarised already."""
    sample = gray[::3, ::3]
    extreme = np.count_nonzero((sample == 0) | (sample == 255))
    return bool(extreme >= (1.0 - tolerance) * sample.size)


def _shrink(gray: np.ndarray, scale: float) -> np.ndarray:
    if scale >= 1.0:
        return gray
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _ink_mask(small: np.ndarray, binary: bool, dpi: float) -> np.ndarray:
    """1 where there is ink: a fixed threshold for a binarised page, a local one for a grey scan."""
    if binary:
        return (small < 160).astype(np.uint8)  # a shrunk binary page is grey only at stroke edges
    block = 2 * int(dpi / 12) + 1  # a sixth of an inch: wider than a stroke, narrower than a shadow
    return cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


@dataclass(frozen=True)
class _Components:
    """The ink mask of a small copy of the page and its connected components (OpenCV's labels and stats):
    labelled once for both the figures and the angles, which look at the same ink."""

    mask: np.ndarray
    labels: np.ndarray
    stats: np.ndarray


def _components(small: np.ndarray, binary: bool, dpi: float) -> _Components:
    mask = _ink_mask(small, binary, dpi)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return _Components(mask, labels, stats)


def _glyph_keep(stats: np.ndarray, dpi: float) -> np.ndarray:
    """Which connected components (OpenCV's `stats`) look like glyphs or words (not specks, rules, frames or
    pictures)."""
    w = stats[:, cv2.CC_STAT_WIDTH]
    h = stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    px_per_pt = dpi / 72.0
    short, long = np.minimum(w, h), np.maximum(w, h)
    keep = (
        (short >= max(2.0, 1.5 * px_per_pt))  # a speck is smaller than any letter
        & (short <= 36 * px_per_pt)  # taller than half an inch all round: a picture
        & (long <= 300 * px_per_pt)  # a rule or a frame
        & (area >= 6)
        & (area <= 0.85 * w * h)  # a solid block
    )
    keep[0] = False
    return np.asarray(keep)


@dataclass
class _Ink:
    """The glyph-like ink of a small copy of the page, as pixel coordinates of that copy."""

    dpi: float  # resolution of the small copy
    xs: np.ndarray  # coordinates of the ink pixels of glyph-like components
    ys: np.ndarray
    heights: np.ndarray  # sizes of the glyph-like components
    widths: np.ndarray

    def subsample(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        step = max(1, self.xs.size // n)
        return self.xs[::step], self.ys[::step]


def _measure_ink(components: _Components, dpi: float) -> _Ink:
    stats = components.stats
    keep = _glyph_keep(stats, dpi)
    ys, xs = np.nonzero(keep[components.labels])
    # Spread each pixel over its square: on the bare pixel grid a profile at exactly 0 degrees
    # is sharper than at any other angle, which would pull small skews to 0.
    jitter = np.random.default_rng(0).random((2, xs.size), dtype=np.float32) - 0.5
    return _Ink(
        dpi,
        xs.astype(np.float32) + jitter[0],
        ys.astype(np.float32) + jitter[1],
        stats[keep, cv2.CC_STAT_HEIGHT],
        stats[keep, cv2.CC_STAT_WIDTH],
    )


def _profile(xs: np.ndarray, ys: np.ndarray, degrees: float, bin: float = 1.0) -> np.ndarray:
    """Ink per row of the page turned `degrees` clockwise (rows `bin` pixels high, linear binning)."""
    if xs.size == 0:
        return np.zeros(1)
    c, s = _cos_sin(degrees)
    p = ys * (c / bin)
    p += xs * (s / bin)
    p -= p.min()
    i = p.astype(np.int64)
    f = p.astype(np.float64)
    f -= i
    n = int(i.max()) + 2
    prof = np.bincount(i, 1.0 - f, minlength=n)
    prof[1:] += np.bincount(i, f, minlength=n - 1)  # each pixel's share in the row after its own: `i + 1`
    return prof


def _energy(xs: np.ndarray, ys: np.ndarray, degrees: float, bin: float = 1.0) -> float:
    """How sharply the ink falls into rows at this angle (sum of squares of the row profile)."""
    prof = _profile(xs, ys, degrees, bin)
    return float(np.dot(prof, prof))


def _best_angle(xs: np.ndarray, ys: np.ndarray, centre: float, half: float, step: float, bin: float = 1.0) -> float:
    """The angle within `centre` ± `half` at which the ink falls most sharply into rows."""
    angles = centre + np.arange(-half, half + step / 2, step)
    energies = np.array([_energy(xs, ys, a, bin) for a in angles])
    i = int(np.argmax(energies))
    best = float(angles[i])
    if 0 < i < len(angles) - 1:  # vertex of the parabola through the peak and its neighbours
        e0, e1, e2 = energies[i - 1], energies[i], energies[i + 1]
        denom = e0 - 2 * e1 + e2
        if denom < 0:
            best += step * 0.5 * (e0 - e2) / denom
    return best


def _line_contrast(xs: np.ndarray, ys: np.ndarray, degrees: float, scale: float) -> float:
    """Energy of the row profile once its slow variation (over `scale` pixels) is taken out:
    high when the ink forms text lines across this direction, low along the lines."""
    prof = _profile(xs, ys, degrees).astype(np.float32).reshape(-1, 1)
    slow = cv2.GaussianBlur(prof, (1, 0), sigmaX=0.1, sigmaY=scale, borderType=cv2.BORDER_CONSTANT)
    d = (prof - slow).ravel()
    return float(np.dot(d, d)) / max(1, xs.size)


def _asc_desc(prof: np.ndarray) -> tuple[float, int]:
    """How much more ink lies just above the x-height bands of the text lines than just below.

    Latin script has far more ascenders (and capitals) than descenders, so an upright page scores
    clearly above 0 and an upside-down one clearly below. Returns (score in [-1, 1], lines used).
    """
    if prof.size < 3 or prof.max() <= 0:
        return 0.0, 0
    thr = 0.08 * float(np.percentile(prof[prof > 0], 90))
    on = np.concatenate([[False], prof > thr, [False]])
    edges = np.flatnonzero(on[1:] != on[:-1])
    lines = []
    for a, b in zip(edges[::2], edges[1::2], strict=False):
        if b - a >= 3:
            core = np.flatnonzero(prof[a:b] >= 0.5 * prof[a:b].max())
            lines.append((a, b, a + core[0], a + core[-1] + 1))
    if not lines:
        return 0.0, 0
    band = float(np.median([e - s for _, _, s, e in lines]))
    above = below = 0.0
    n = 0
    for a, b, s, e in lines:
        if b - a > 3.5 * band + 2 or e - s > 2 * band + 1:
            continue  # two lines run together, or no text line at all
        above += float(prof[a:s].sum())
        below += float(prof[e:b].sum())
        n += 1
    return (above - below) / max(above + below, 1e-9), n


# --------------------------------------------------------------------------- orientation and skew

LINES_RATIO = 2.5
"""Text lines are taken as found when the ink is this much more contrasted across than along them."""
ASC_DESC_MIN = 0.1
"""Ascender/descender asymmetry needed to call a page upright without asking Tesseract."""
ASC_DESC_STRONG = 0.3
"""Asymmetry at which our own test overrides a hesitant Tesseract (upright Latin pages score 0.2-0.7)."""
OSD_MIN_CONF = 5.0
"""Tesseract's orientation confidence needed to overrule our own test (upright pages of small type
have drawn a wrong answer at confidence 2)."""
OSD_DPI = 300.0
"""Resolution at which Tesseract is shown the page when asked."""


@dataclass(frozen=True)
class _Geometry:
    rotation: int
    skew: float
    lines: bool  # text lines were found in the upright page, so `skew` means something
    how: str  # what decided the rotation: "blank", "profile", "osd", "fixed"


def _axis_angle(ink: _Ink, coarse: float) -> float:
    """Refine a coarse angle of the text lines to a few hundredths of a degree."""
    sx, sy = ink.subsample(25000)
    a = _best_angle(sx, sy, coarse, 0.8, 0.2)
    sx, sy = ink.subsample(60000)
    return _best_angle(sx, sy, a, 0.15, 0.05)


def _geometry(ink: _Ink, orient: bool, ask_tesseract: Callable[[], tuple[int, float] | None]) -> _Geometry:
    if ink.heights.size < 12:
        return _Geometry(0, 0.0, False, "blank")
    sx, sy = ink.subsample(12000)
    scale = 3.0 * float(np.median(ink.heights))
    a_h = _best_angle(sx, sy, 0.0, MAX_SKEW, 1.0, bin=2.0)
    a_v = _best_angle(sx, sy, 90.0, MAX_SKEW, 1.0, bin=2.0)
    ratio = _line_contrast(sx, sy, a_h, scale) / max(_line_contrast(sx, sy, a_v, scale), 1e-9)
    if not orient:  # take the page as upright
        return _Geometry(0, _axis_angle(ink, a_h), ratio >= LINES_RATIO, "fixed")
    horizontal = ratio >= 1.0
    lines = max(ratio, 1.0 / max(ratio, 1e-9)) >= LINES_RATIO
    base = 0 if horizontal else 90
    angle = _axis_angle(ink, a_h if horizontal else a_v)
    score, n = _asc_desc(_profile(ink.xs, ink.ys, angle))
    cheap = None
    if lines and n >= 4 and abs(score) >= ASC_DESC_MIN:
        cheap = base if score > 0 else base + 180
    if cheap == 0:
        return _Geometry(0, angle, True, "profile")
    # Not clearly upright: rare, so worth asking Tesseract (about as slow as reading the page).
    # Turn the page only when both agree, or one is sure and the other has no strong objection.
    strong = cheap is not None and abs(score) >= ASC_DESC_STRONG and n >= 8
    osd = ask_tesseract()
    if osd is None:
        rotation, how = (cheap, "profile") if cheap is not None else (0, "none")
    else:
        turn, conf = osd
        if turn == cheap:
            rotation, how = turn, "profile+osd"
        elif conf >= OSD_MIN_CONF and (turn % 180 == base or not lines):
            rotation, how = turn, "osd"
        elif strong and cheap is not None and conf < OSD_MIN_CONF:  # (strong means cheap has a turn)
            rotation, how = cheap, "profile"
        else:
            rotation, how = 0, "none"
    if rotation % 180 != base:  # the lines run the other way after all
        angle = _axis_angle(ink, a_v if horizontal else a_h)
        lines = False
    return _Geometry(rotation, angle - rotation % 180, lines, how)


def _osd(gray: np.ndarray, dpi: float) -> tuple[int, float] | None:
    """Tesseract's orientation (degrees clockwise to turn the page upright) and its confidence,
    or None when it has no opinion (too little text, or osd.traineddata missing).
    It needs the glyphs at full size: small type shrunk to 150 dpi misleads it."""
    scale = min(1.0, OSD_DPI / max(dpi, 1.0))
    return tesseract.osd(_shrink(gray, scale), dpi * scale)


# --------------------------------------------------------------------------- cleaning
#
# Tesseract 5 binarises the page itself (Otsu) to find the lines, but its LSTM reads the grey
# image. So cleaning pays only where it removes what would mislead either: uneven light (Otsu
# fails), specks and heavy grain (read as marks). On a clean grey page every filter tried cost a
# little accuracy, so each is applied only on evidence; binarising ourselves cost accuracy even on
# noisy pages and pages showing through, so it is not done unless asked for.

UNEVEN_PAPER = 230
"""The paper is levelled when some of it (5th percentile of the background) is darker than this."""
UNEVEN_SPREAD = 8
"""... or when the background varies over more grey levels than this."""
GRAIN_SIGMA = 8.0
"""Grey-level noise (standard deviation on the paper) above which the page is smoothed."""
HEAVY_GRAIN_SIGMA = 12.0
"""Grain so strong that it makes specks of its own: smoothed even when specks are found."""
SPECKS = 2.0
"""Isolated specks (components of at most 4 pixels) per 10,000 pixels that call for a median filter."""


def _odd(x: float) -> int:
    return max(3, 2 * int(x / 2) + 1)


@dataclass(frozen=True)
class _Condition:
    """What the grey page suffers from, measured on the small copy and a central crop."""

    background: np.ndarray  # the paper without the print, at full size
    uneven: bool
    sigma: float  # pixel noise on the paper, grey levels
    specks: float  # isolated specks per 10,000 pixels


def _assess(gray: np.ndarray, small: np.ndarray, small_dpi: float) -> _Condition:
    """Measure the light, the grain and the specks of a grey page."""
    k = _odd(small_dpi / 8)  # a maximum filter wider than any stroke removes the print,
    quiet = cv2.medianBlur(small, 5)  # and the grain first, or the paper would come out too bright
    bg = cv2.blur(cv2.dilate(quiet, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))), (k, k))
    h, w = bg.shape
    inner = bg[h // 30 : h - h // 30, w // 30 : w - w // 30]  # not the scanner's edge
    lo, hi = np.percentile(inner, (5, 95))
    uneven = bool(lo < UNEVEN_PAPER or hi - lo > UNEVEN_SPREAD)

    # noise and specks at full resolution, on the levelled central quarter of the page
    h, w = gray.shape
    bg_full = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    sy, sx = slice(h // 4, 3 * h // 4), slice(w // 4, 3 * w // 4)
    crop, paper = gray[sy, sx], bg_full[sy, sx]
    med = cv2.medianBlur(crop, 3)
    residual = cv2.absdiff(crop, med)[med.astype(np.int16) >= paper.astype(np.int16) - 25]
    residual = np.minimum(residual, 40)  # specks are not grain
    sigma = 1.25 * float(residual.mean()) if residual.size else 0.0  # mean |x| = 0.8 sigma
    crop = cv2.divide(crop, paper, scale=255)
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    specks = 1e4 * float(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] <= 4)) / crop.size
    return _Condition(bg_full, uneven, sigma, specks)


def _denoise(gray: np.ndarray, cond: _Condition, dpi: float) -> np.ndarray | None:
    """The page levelled and smoothed as far as its condition asks; None when it asks nothing."""
    out = None
    if cond.uneven:  # divide by the paper: white everywhere, the print keeps its contrast
        out = cv2.divide(gray, cond.background, scale=255)
    if cond.sigma >= HEAVY_GRAIN_SIGMA or (cond.sigma >= GRAIN_SIGMA and cond.specks < SPECKS):
        out = cv2.GaussianBlur(gray if out is None else out, (0, 0), 0.8 * dpi / 300)
    elif cond.specks >= SPECKS:
        out = cv2.medianBlur(gray if out is None else out, 3)
    return out


def _binarise(page: np.ndarray) -> np.ndarray:
    """Black print on white paper: Otsu's threshold, which on a levelled page does as well as a
    local (Sauvola) one did here, and better on faint print."""
    _, out = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out


# --------------------------------------------------------------------------- what lies round the print
#
# A scan shows more than the book's ink: the scanner's lid or a black backing round the leaf, the
# gutter's shadow, the edge of the leaf, specks of dust. Tesseract reads them as marks (`.`, `-`, `'`,
# `|`) or lines of their own, and a black margin sways its layout analysis. Each is taken out only
# where it cannot be print, so a page without them is handed on untouched.

BORDER_STROKE_IN = 1 / 15
"""A dark region joined to the scan's edge that stays dark under a disc this wide (inches) is no
stroke of type: 4.8 pt, twice the stem of bold 24 pt capitals."""
BORDER_AREA_IN = 1 / 4
"""... and is a border when its core covers at least this square (inches): larger than a dot of ink
or a glyph cut by the edge."""
BORDER_GREY = 0.25
"""On a grey scan, a border or a speck is no lighter than the print by more than this share of the way
to the paper: a black margin or backing is as dark as ink, the shadow of a curved leaf lighter (it is
levelled by "denoise", the print in it kept), and so is the paper's grain."""
EDGE_LINE_IN = 1 / 6
"""A thin line within this distance of the scan's edge (inches) is the leaf's edge, not a rule of the
page (the page's own rules and frames stand inside its margins)."""
EDGE_LINE_THICK_IN = 1 / 25
"""... when its ink, spread along its length, is thinner than this (inches): a text line touching it
would thicken it to a glyph's height."""
SPECK_SIZE = 0.5
"""A speck is no longer or taller than this share of the x-height (a full stop is about 0.25) ..."""
SPECK_ALONE = 1.5
"""... and has no other ink within this many x-heights: a full stop, a dot or an accent stands within
half an x-height of its letters, the dots of a leader about one apart."""


_InkTest = Callable[[np.ndarray, int, np.ndarray], np.ndarray]
"""Whether each labelled component is as dark as ink: (labels, count of labels, areas) -> flags."""


def _round_print(small: np.ndarray, binary: bool, small_dpi: float) -> dict[str, np.ndarray]:
    """What lies round the print on the small copy, by kind ("borders", "specks"): a mask of the small
    copy for each kind found. On a binarised page every pixel with any black under it counts as dark
    (the copy is shrunk by averaging), so a speck of one pixel is seen."""
    dark: np.ndarray
    if binary:
        dark = (small < 192).astype(np.uint8)  # a quarter of a 2x2 block black
    else:
        _, dark = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    inky = _inky(small, binary, small_dpi)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    found: dict[str, np.ndarray] = {}
    border = _solid_borders(dark, inky, small_dpi)
    line = _edge_lines(stats, dark.shape, small_dpi)
    if line.any():
        border |= line[labels]
    if border.any():
        found["borders"] = border
    speck = _specks(dark, stats, small_dpi) & inky(labels, n, stats[:, cv2.CC_STAT_AREA])
    if speck.any():
        found["specks"] = speck[labels]
    return found


def _solid_borders(dark: np.ndarray, inky: _InkTest, small_dpi: float) -> np.ndarray:
    """Where the small copy has dark regions joined to its edge, as dark as ink and thicker than any
    stroke of type: a black margin or backing, a gutter's deepest shadow."""
    if not _edge_frame(dark).any():  # nothing dark joined to the edge (most pages): the core, within it, has none
        return np.zeros(dark.shape, dtype=bool)
    radius = max(1, round(BORDER_STROKE_IN * small_dpi / 2))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1,) * 2)
    core = cv2.morphologyEx(dark, cv2.MORPH_OPEN, disc)
    if not _edge_frame(core).any():
        return np.zeros(dark.shape, dtype=bool)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(core, connectivity=8)
    x, y, w, h, area = (stats[:, i] for i in range(5))
    solid = _near_edge(x, y, w, h, dark.shape, 1) & (area >= (BORDER_AREA_IN * small_dpi) ** 2)
    solid[0] = False
    if solid.any():
        solid &= inky(labels, n, area)
    return solid[labels]


def _edge_frame(mask: np.ndarray) -> np.ndarray:
    """The pixels of `mask`'s two outermost rows and columns: a component near its edge (`_near_edge` with a
    margin of 1) has some there."""
    return np.concatenate([mask[:2].ravel(), mask[-2:].ravel(), mask[:, :2].ravel(), mask[:, -2:].ravel()])


def _edge_lines(stats: np.ndarray, shape: tuple[int, int], small_dpi: float) -> np.ndarray:
    """Which components (OpenCV's `stats` of the dark pixels) are thin lines running along the scan's
    edge, an inch long at least: the edge of the leaf."""
    x, y, w, h, area = (stats[:, i] for i in range(5))
    length = np.maximum(w, h)
    m = round(EDGE_LINE_IN * small_dpi)
    along = np.where(h > w, (x <= m) | (x + w >= shape[1] - m), (y <= m) | (y + h >= shape[0] - m))
    line = (
        along
        & (length >= small_dpi)
        & (np.minimum(w, h) <= m)  # one edge's: not a frame round the page
        & (area <= length * EDGE_LINE_THICK_IN * small_dpi)
    )
    line[0] = False
    return np.asarray(line)


def _specks(dark: np.ndarray, stats: np.ndarray, small_dpi: float) -> np.ndarray:
    """Which components (OpenCV's `stats` of `dark`) are specks: smaller than a letter, with no other ink
    near them, and not cut by the scan's edge (that may be the end of anything)."""
    x, y, w, h, area = (stats[:, i] for i in range(5))
    rows, cols = dark.shape
    xh = _mode_height(stats, dark.shape) or BODY_X_HEIGHT_PT * small_dpi / 72.0
    small = np.flatnonzero((np.maximum(w, h) <= SPECK_SIZE * xh) & ~_near_edge(x, y, w, h, dark.shape, 0))
    small = small[small > 0]
    r = round(SPECK_ALONE * xh)
    x0, x1 = np.clip(x[small] - r, 0, cols), np.clip(x[small] + w[small] + r, 0, cols)
    y0, y1 = np.clip(y[small] - r, 0, rows), np.clip(y[small] + h[small] + r, 0, rows)
    total = cv2.integral(dark, sdepth=cv2.CV_32S)
    around = total[y1, x1] - total[y0, x1] - total[y1, x0] + total[y0, x0]
    speck = np.zeros(len(stats), dtype=bool)
    speck[small[around == area[small]]] = True  # the only ink in its window is its own
    return speck


def _inky(small: np.ndarray, binary: bool, small_dpi: float) -> _InkTest:
    """A test of labelled components: whether each is as dark as ink. On a grey scan a shadow or the
    grain of the paper passes Otsu's threshold too, but stays lighter than the print; on a binarised
    page everything dark is black."""
    if binary:
        return lambda labels, n, area: np.ones(n, dtype=bool)
    print_grey = float(np.median(small[_ink_mask(small, False, small_dpi) > 0]))
    paper = float(np.percentile(small, 90))
    limit = print_grey + BORDER_GREY * (paper - print_grey)

    def inky(labels: np.ndarray, n: int, area: np.ndarray) -> np.ndarray:
        mean = np.bincount(labels.ravel(), small.ravel(), minlength=n) / np.maximum(area, 1)
        return np.asarray(mean <= limit)

    return inky


def _near_edge(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, h: np.ndarray, shape: tuple[int, ...], margin: int
) -> np.ndarray:
    """Whether each box comes within `margin` pixels of the edge of an image of `shape`."""
    return (x <= margin) | (y <= margin) | (x + w >= shape[1] - margin) | (y + h >= shape[0] - margin)


def _clear_round(
    gray: np.ndarray, small: np.ndarray, binary: bool, small_dpi: float, allowed: Collection[str]
) -> tuple[np.ndarray, list[str]] | None:
    """The page with what lies round its print (as far as `allowed`) painted over with paper, and the
    steps that found something; None when none did."""
    found = {kind: mask for kind, mask in _round_print(small, binary, small_dpi).items() if kind in allowed}
    if not found:
        return None
    masks = iter(found.values())
    mask = next(masks)
    for more in masks:
        mask = mask | more
    # grown by a pixel of the small copy, whose pixels straddle the edges of what they cover
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8))
    return _paint_mask(gray, grown, _paper(gray, binary)), [step for step in STEPS if step in found]


def _paint_mask(gray: np.ndarray, mask: np.ndarray, paper: int) -> np.ndarray:
    """`gray` with the pixels under `mask` (of a small copy, scaled up to the page by OpenCV's nearest
    neighbour) painted `paper`: only the rows under the mask's are scaled up (a few specks' rows, where the
    whole mask scaled up and painted cost 3.4 ms of CPU on a 300 dpi page, 0.7 ms row by row)."""
    rows, cols = gray.shape
    row_of, col_of = _nearest(mask.shape[0], rows), _nearest(mask.shape[1], cols)
    ys = np.flatnonzero(np.any(mask, axis=1)[row_of])
    out = gray.copy()
    out[ys] = np.where(mask[row_of[ys]][:, col_of] > 0, np.uint8(paper), gray[ys])
    return out


def _nearest(size: int, to: int) -> np.ndarray:
    """For each of `to` pixels, which of `size` OpenCV's nearest-neighbour resizing takes it from (the same
    map along either axis)."""
    ramp = np.arange(size, dtype=np.uint16).reshape(1, size)
    return cv2.resize(ramp, (to, 1), interpolation=cv2.INTER_NEAREST)[0].astype(np.intp)


def _paper(gray: np.ndarray, binary: bool) -> int:
    """The grey of the page's paper: what is painted over what is taken out."""
    return 255 if binary else int(np.percentile(gray[::4, ::4], 90))


def _paint_figures(
    gray: np.ndarray, small: np.ndarray, components: _Components, binary: bool, small_dpi: float
) -> tuple[np.ndarray, tuple[Box, ...]] | None:
    """The page with its figures painted to paper, and their boxes in its pixels; None when it has none.
    `components` are those of `small`'s ink."""
    mask, stats = components.mask, components.stats
    xh = _mode_height(stats, mask.shape) or BODY_X_HEIGHT_PT * small_dpi / 72.0
    found = find_figures(mask, stats, xh)
    if not found:
        return None
    rows, cols = gray.shape
    fy, fx = rows / small.shape[0], cols / small.shape[1]
    out = gray.copy()
    paper = _paper(gray, binary)
    boxes = []
    for x0, y0, x1, y1 in found:  # grown by a pixel of the small copy, which straddles the figure's edge
        box = (
            max(0, math.floor((x0 - 1) * fx)),
            max(0, math.floor((y0 - 1) * fy)),
            min(cols, math.ceil((x1 + 1) * fx)),
            min(rows, math.ceil((y1 + 1) * fy)),
        )
        out[box[1] : box[3], box[0] : box[2]] = paper
        boxes.append(box)
    return out, tuple(boxes)


# --------------------------------------------------------------------------- the page


def prepare(
    gray: np.ndarray, dpi: float, steps: Collection[str] | None = None, colour: np.ndarray | None = None
) -> Prepared:
    """The page as Tesseract should see it.

    `gray` is the scan as an 8-bit single-channel array, `dpi` its resolution (see `estimate_dpi`).
    Each step runs only when the page needs it: a page already binarised is neither denoised
    nor binarised again, and a grey page's skew under `MIN_SKEW` degrees is measured but not corrected
    (a binarised page's is corrected at any angle: `MIN_SKEW_BINARY`).
    `steps` chooses the steps considered, from `STEPS`; None means `DEFAULT_STEPS` (all but
    "binarise"). A grey page is binarised only when "binarise" is asked for.
    A grey page's stamps are taken out first ("stamps"), before any angle is measured; `colour`, the
    page in RGB when the scan has colour (`Scan.colour`), lets them be told by their colour.
    Figures ("figures", `figures.find_figures`) are painted to paper after the borders and specks, before
    any angle is measured; their boxes, in the scan's pixels, go to `Prepared.figures`.
    `Prepared.skew` is 0.0 when neither "orient" nor "deskew" is allowed (nothing is measured), and
    `Prepared.image` is `gray` itself when no step was applied.
    """
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError("prepare() wants a single-channel uint8 image")
    allowed = set(DEFAULT_STEPS if steps is None else steps)
    unknown = allowed - set(STEPS)
    if unknown:
        raise ValueError(f"unknown preprocessing steps: {sorted(unknown)}")
    if not PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:
        dpi = estimate_dpi(gray)
    binary = is_binary(gray)
    applied: list[str] = []
    found: tuple[Box, ...] = ()
    inks: tuple[np.ndarray, ...] = ()
    if not binary and "stamps" in allowed:  # first, so that a stamp's strokes sway no angle measured below
        unstamped = remove_stamps(gray, dpi, colour)
        if unstamped.boxes:
            gray, found, inks = unstamped.image, unstamped.boxes, unstamped.inks
            applied.append("stamps")
    scale = min(1.0, ANALYSIS_DPI / max(dpi, 1.0))
    small = _shrink(gray, scale)
    small_dpi = dpi * scale
    cleared = _clear_round(gray, small, binary, small_dpi, allowed)  # before any angle is measured, too
    if cleared is not None:
        gray, cleared_steps = cleared
        applied += cleared_steps
        small = _shrink(gray, scale)
    figures: tuple[Box, ...] = ()
    components: _Components | None = None  # of `small`, once labelled
    if "figures" in allowed:  # after the borders, whose ink would join a figure's box
        components = _components(small, binary, small_dpi)
        painted = _paint_figures(gray, small, components, binary, small_dpi)
        if painted is not None:
            gray, figures = painted
            applied.append("figures")
            small = _shrink(gray, scale)
            components = None

    rotation, skew = 0, 0.0
    if allowed & {"orient", "deskew"}:
        ink = _measure_ink(components or _components(small, binary, small_dpi), small_dpi)
        geo = _geometry(ink, "orient" in allowed, lambda: _osd(gray, dpi))
        rotation, skew = geo.rotation, geo.skew
        if rotation:
            applied.append("orient")
        if "deskew" in allowed and geo.lines and abs(skew) >= (MIN_SKEW_BINARY if binary else MIN_SKEW):
            applied.append("deskew")

    page = gray
    if not binary and "denoise" in allowed:
        cleaned = _denoise(gray, _assess(gray, small, small_dpi), dpi)
        if cleaned is not None:
            page = cleaned
            applied.append("denoise")
    warp_skew = skew if "deskew" in applied else 0.0
    matrix = transform(gray.shape, rotation, warp_skew)
    page = _warp(page, rotation, warp_skew, matrix)
    if not binary and "binarise" in allowed:
        page = _binarise(page)
        applied.append("binarise")
    return Prepared(page, rotation, skew, tuple(applied), matrix, found, inks, figures)


# --------------------------------------------------------------------------- resolution

BODY_X_HEIGHT_PT = 4.9
"""x-height of body type in points: about 0.45 em of 10-12 pt book faces."""


def x_height(gray: np.ndarray) -> float:
    """The commonest height, in pixels, of the glyph-sized ink components (area-weighted mode)."""
    mask: np.ndarray
    if is_binary(gray):
        mask = (gray < 128).astype(np.uint8)
    else:
        k = _odd(min(gray.shape) / 40)
        bg = cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
        flat = cv2.divide(gray, bg, scale=255)
        _, mask = cv2.threshold(flat, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return _mode_height(stats, gray.shape)


def _mode_height(stats: np.ndarray, shape: tuple[int, ...]) -> float:
    """The area-weighted commonest height of the glyph-sized components of `stats` (OpenCV's, of an
    ink mask of `shape`), to a fraction of a pixel; 0.0 when there are too few to tell."""
    w, h, area = (stats[1:, i] for i in (cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT, cv2.CC_STAT_AREA))
    ok = (h >= 3) & (w >= 2) & (h < 0.1 * shape[0]) & (w < 0.2 * shape[1]) & (w <= 3 * h)
    if np.count_nonzero(ok) < 20:
        return 0.0
    hist = np.bincount(h[ok], weights=area[ok]).astype(np.float64)
    hist = np.convolve(hist, [1.0, 2.0, 1.0], mode="same")
    i = int(np.argmax(hist))
    if 0 < i < hist.size - 1:
        e0, e1, e2 = hist[i - 1], hist[i], hist[i + 1]
        denom = e0 - 2 * e1 + e2
        if denom < 0:
            return i + 0.5 * (e0 - e2) / denom
    return float(i)


def estimate_dpi(gray: np.ndarray) -> float:
    """Resolution estimated from the text size (median x-height / line pitch of body text), for scans
    whose file carries no or an absurd DPI (a printed book's body text is ~10-12 pt).

    Uses the commonest x-height, taken as `BODY_X_HEIGHT_PT`; a book set in small type reads low
    (8 pt type gives about 0.75 of the true resolution). Returns 300.0 when there is no text to measure.
    """
    xh = x_height(gray)
    if xh <= 0:
        return 300.0
    return float(xh * 72.0 / BODY_X_HEIGHT_PT)
