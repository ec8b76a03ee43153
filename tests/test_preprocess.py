"""Preprocessing: borders and specks taken out, orientation, deskew, cleaning only where it pays, and geometry
that maps back."""

from __future__ import annotations

import cv2
import numpy as np
import pytesseract
import pytest
from PIL import Image

from conftest import OLDBOOKS, SAMPLES, need
from ocrfix.preprocess import (
    MIN_SKEW,
    STEPS,
    _paint_mask,
    _round_print,
    _shrink,
    estimate_dpi,
    is_binary,
    output_shape,
    prepare,
    transform,
)
from ocrfix.sources import list_pages, load_page
from ocrfix.stamps import remove_stamps


def page(name: str) -> np.ndarray:
    """A page of oldbooks-dev (../shared), grey."""
    return np.asarray(Image.open(need(OLDBOOKS / f"{name}.png")).convert("L"))


@pytest.fixture(scope="module")
def crop() -> np.ndarray:
    """A 1200x900 block of body text from a binarised 300 dpi page."""
    return np.ascontiguousarray(page("e018")[500:1700, 300:1200])


def skew_of(gray: np.ndarray) -> float:
    return prepare(gray, 300, steps={"deskew"}).skew


def turned(gray: np.ndarray, degrees_ccw: float) -> np.ndarray:
    """The page leaning `degrees_ccw` counter-clockwise, as a binary scanner would give it."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), degrees_ccw, 1.0)
    out = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return np.where(out < 128, 0, 255).astype(np.uint8)


def centre(img: np.ndarray, h: int = 500, w: int = 500) -> np.ndarray:
    cy, cx = img.shape[0] // 2, img.shape[1] // 2
    return img[cy - h // 2 : cy + h // 2, cx - w // 2 : cx + w // 2]


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised correlation of two equally sized images, slightly blurred to forgive resampling."""
    a = cv2.GaussianBlur(a.astype(np.float32), (0, 0), 1.5).ravel()
    b = cv2.GaussianBlur(b.astype(np.float32), (0, 0), 1.5).ravel()
    a -= a.mean()
    b -= b.mean()
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


@pytest.mark.parametrize("angle", [1.7, -2.3])
def test_skewed_page_comes_back_straight(crop, angle):
    base = skew_of(crop)
    scan = turned(crop, angle)
    p = prepare(scan, 300)
    assert p.rotation == 0
    assert "deskew" in p.steps
    assert p.skew == pytest.approx(base + angle, abs=0.2)
    assert abs(skew_of(p.image)) < 0.2
    # the output is the original page again (independently of our own angle estimate)
    assert correlation(centre(p.image), centre(crop)) > 0.8
    assert correlation(centre(scan), centre(crop)) < 0.5


def test_small_skew_of_a_grey_page_is_measured_but_not_resampled(crop):
    base = skew_of(crop)
    scan = cv2.GaussianBlur(turned(crop, 0.5), (0, 0), 0.8)  # a grey scan of the page
    assert not is_binary(scan)
    p = prepare(scan, 300)
    assert p.skew == pytest.approx(base + 0.5, abs=0.2)
    assert abs(p.skew) < MIN_SKEW
    assert p.steps == ()
    assert np.array_equal(p.image, scan)
    assert np.allclose(p.matrix, np.eye(2, 3))


@pytest.mark.parametrize("angle", [0.3, -0.15])
def test_small_skew_of_a_binarised_page_is_corrected(crop, angle):
    """A binarised page is turned by its skew however small: straight, and grey at the glyphs' edges."""
    base = skew_of(crop)
    scan = turned(crop, angle)
    p = prepare(scan, 300)
    assert p.steps == ("deskew",)
    assert p.skew == pytest.approx(base + angle, abs=0.1)
    assert np.allclose(p.matrix, transform(scan.shape, 0, p.skew))
    assert abs(skew_of(p.image)) < 0.1
    assert not is_binary(p.image)
    assert correlation(centre(p.image), centre(crop)) > 0.9


@pytest.mark.parametrize("quarter_turns_ccw, rotation", [(2, 180), (1, 90), (3, 270)])
def test_turned_page_comes_back_upright(crop, quarter_turns_ccw, rotation):
    scan = np.ascontiguousarray(np.rot90(crop, quarter_turns_ccw))
    p = prepare(scan, 300)
    assert p.rotation == rotation
    assert "orient" in p.steps
    assert p.image.shape == output_shape(scan.shape, rotation, p.skew if "deskew" in p.steps else 0.0)
    assert correlation(centre(p.image), centre(crop)) > 0.95
    only = prepare(scan, 300, steps={"orient"})
    assert np.array_equal(only.image, crop)


@pytest.mark.parametrize("name", ["e018", "g027", "h021", "j038"])
def test_upright_binary_page_is_neither_turned_nor_filtered(name):
    """Real upright binarised pages: no quarter turn, no denoising or binarising; at most what lies round
    the print goes and the page is straightened."""
    gray = page(name)
    assert is_binary(gray)
    p = prepare(gray, 300)
    assert p.rotation == 0
    assert set(p.steps) <= {"borders", "specks", "deskew"}


def test_grey_page_is_levelled_and_binarised_only_on_request(crop):
    h, w = crop.shape
    ink = cv2.GaussianBlur((crop < 128).astype(np.float32), (0, 0), 1.0)
    light = np.linspace(0.55, 1.0, w, dtype=np.float32)[None, :]  # a shadow down the left side
    noise = np.random.default_rng(1).normal(0, 0.04, (h, w)).astype(np.float32)
    grey = np.clip(255 * ((0.92 - 0.75 * ink) * light + noise), 0, 255).astype(np.uint8)
    assert not is_binary(grey)
    p = prepare(grey, 300)
    assert p.steps == ("denoise",)
    # the shadow is gone: the paper is white on both sides, and the text is still there
    left, right = p.image[:, : w // 4], p.image[:, -w // 4 :]
    assert np.median(grey[:, : w // 4]) < 160
    assert np.median(left) > 235 and np.median(right) > 235
    assert correlation(p.image, crop) > 0.8
    b = prepare(grey, 300, steps=STEPS)
    assert b.steps == ("denoise", "binarise")
    assert is_binary(b.image)
    assert correlation(b.image, crop) > 0.8


def test_clean_grey_page_is_left_alone(crop):
    grey = cv2.GaussianBlur(np.where(crop < 128, 40, 240).astype(np.uint8), (0, 0), 0.8)
    p = prepare(grey, 300)
    assert not is_binary(grey)
    assert p.steps == ()
    assert np.array_equal(p.image, grey)


def test_estimate_dpi():
    gray = page("e018")
    assert estimate_dpi(gray) == pytest.approx(300, rel=0.15)
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    assert estimate_dpi(half) == pytest.approx(150, rel=0.15)


def test_transform_maps_scan_points_to_where_prepare_puts_them(crop):
    padded = cv2.copyMakeBorder(crop, 120, 120, 120, 120, cv2.BORDER_CONSTANT, value=255)
    scan = np.ascontiguousarray(np.rot90(turned(padded, 2.0), 1))  # leaning, then turned sideways
    dot = (60.0, 300.0)  # (x, y) in the blank margin of the scan
    cv2.circle(scan, (round(dot[0]), round(dot[1])), 6, 0, -1)
    p = prepare(scan, 300)
    assert p.rotation == 90 and "deskew" in p.steps
    m = transform(scan.shape, p.rotation, p.skew)
    assert np.allclose(m, p.matrix)
    assert p.image.shape == output_shape(scan.shape, p.rotation, p.skew)
    x, y = m @ np.array([dot[0], dot[1], 1.0])
    r = 15
    window = p.image[round(y) - r : round(y) + r + 1, round(x) - r : round(x) + r + 1] < 128
    ys, xs = np.nonzero(window)
    assert 80 < xs.size < 200  # the dot and nothing else
    found = np.array([round(x) - r + xs.mean(), round(y) - r + ys.mean()])
    assert np.hypot(*(found - (x, y))) < 1.0
    back = cv2.invertAffineTransform(p.matrix) @ np.array([found[0], found[1], 1.0])
    assert np.hypot(*(back - dot)) < 1.0


def test_transform_of_a_quarter_turn_is_exact():
    m = transform((100, 60), 90, 0.0)
    assert output_shape((100, 60), 90, 0.0) == (60, 100)
    # the top-left pixel of the scan ends top-right, the bottom-left one top-left
    assert np.allclose(m @ [0, 0, 1], [99, 0])
    assert np.allclose(m @ [0, 99, 1], [0, 0])


def test_steps_can_be_chosen(crop):
    scan = np.ascontiguousarray(np.rot90(turned(crop, 2.0), 2))
    assert prepare(scan, 300, steps=()).steps == ()
    assert prepare(scan, 300, steps={"orient"}).steps == ("orient",)
    assert prepare(scan, 300, steps={"deskew"}).steps == ("deskew",)
    assert prepare(scan, 300).steps == ("orient", "deskew")
    with pytest.raises(ValueError):
        prepare(scan, 300, steps={"sharpen"})
    assert set(STEPS) == {"stamps", "borders", "specks", "figures", "orient", "deskew", "denoise", "binarise"}


def test_a_stamp_is_taken_out_first_and_its_box_kept_in_the_scans_pixels():
    """Sample page 9 (a scanned PDF, skewed -1.3 degrees, with a customs stamp over the text): the stamp's
    ink is gone from the image Tesseract reads, its box is the one found on the scan, and the page is
    still straightened as before."""
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == "page9")
    scan = load_page(ref)
    p = prepare(scan.gray, scan.dpi)
    assert p.steps[0] == "stamps" and "deskew" in p.steps
    assert p.stamps == remove_stamps(scan.gray, scan.dpi).boxes and len(p.stamps) == 1
    assert p.skew == pytest.approx(-1.3, abs=0.1)
    kept = prepare(scan.gray, scan.dpi, steps={"orient", "deskew", "denoise"})
    assert kept.stamps == () and kept.skew == pytest.approx(p.skew, abs=0.1)
    # the stamp's box, carried into the prepared image: less ink there than with the stamp kept
    x0, y0, x1, y1 = p.stamps[0]
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], float) @ p.matrix.T
    (a, b), (c, d) = corners.min(axis=0).astype(int), corners.max(axis=0).astype(int)
    assert np.count_nonzero(p.image[b:d, a:c] < 200) < 0.7 * np.count_nonzero(kept.image[b:d, a:c] < 200)


# --------------------------------------------------------------------------- what lies round the print


def words(image: np.ndarray) -> list[str]:
    return pytesseract.image_to_string(image, lang="eng", config="--psm 3 --dpi 300").split()


@pytest.fixture(scope="module")
def crop_words(text_crop: np.ndarray) -> list[str]:
    return words(text_crop)


def test_a_pages_own_specks_go_and_its_words_stay(text_crop, crop_words):
    """The top of a real page (e009) has a few dots of dirt in its margins: they go, a handful of pixels
    far from any letter, and Tesseract reads the same words."""
    p = prepare(text_crop, 300, steps={"specks"})
    assert p.steps == ("specks",)
    changed = p.image != text_crop
    assert 0 < np.count_nonzero(changed) < 300
    ink_near = cv2.dilate((text_crop < 128).astype(np.uint8) & ~changed, np.ones((15, 15), np.uint8))
    assert not np.any(ink_near[changed])  # no letter within 7 pixels of what went
    assert words(p.image) == crop_words


def test_drawn_specks_go_and_nothing_else(text_crop):
    """Specks of 1 to 16 pixels dropped in the blank parts of the page, each alone (two specks side by side
    may be a mark), are taken out, every one: the page is the page cleaned without them, to the byte."""
    clean = prepare(text_crop, 300, steps={"specks"}).image
    rng = np.random.default_rng(3)
    blank = cv2.dilate((text_crop < 128).astype(np.uint8), np.ones((121, 121), np.uint8)) == 0
    ys, xs = np.nonzero(blank[:-4, :-4])
    specked = clean.copy()
    dropped: list[tuple[int, int]] = []
    for i in rng.permutation(ys.size):
        y, x = int(ys[i]), int(xs[i])
        if all(abs(y - b) + abs(x - a) > 120 for b, a in dropped):
            side = int(rng.integers(1, 5))
            specked[y : y + side, x : x + side] = 0
            dropped.append((y, x))
        if len(dropped) == 40:
            break
    assert len(dropped) == 40
    p = prepare(specked, 300, steps={"specks"})
    assert p.steps == ("specks",)
    assert np.array_equal(p.image, clean)


def test_a_drawn_black_border_goes_and_the_words_stay(text_crop, crop_words):
    """A black margin down the left side and the scanner's lid across a corner, drawn on a real page: painted
    white, and Tesseract reads the same words as on the page without them."""
    h, w = text_crop.shape
    scan = text_crop.copy()
    scan[:, :50] = 0
    corner = np.array([[w - 260, 0], [w - 1, 0], [w - 1, 220]], np.int32)
    cv2.fillPoly(scan, [corner], 0)
    drawn = scan != text_crop
    p = prepare(scan, 300, steps={"borders", "specks"})
    assert "borders" in p.steps
    assert np.count_nonzero(p.image[drawn] < 128) < 0.01 * np.count_nonzero(drawn)
    assert words(p.image) == crop_words


def test_a_black_surround_on_a_real_scan_goes_and_the_print_inside_stays():
    """Page h011 of oldbooks-dev: a slip of errata scanned on black. The black goes; the slip, print and all,
    is left as it was."""
    gray = page("h011")
    p = prepare(gray, 300, steps={"borders", "specks"})
    assert "borders" in p.steps
    assert np.count_nonzero(gray < 128) > 0.5 * gray.size
    assert np.count_nonzero(p.image < 128) < 0.05 * gray.size
    _, labels, stats, _ = cv2.connectedComponentsWithStats((gray >= 128).astype(np.uint8), connectivity=4)
    paper = (labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))).astype(np.uint8)
    outline, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    slip = cv2.drawContours(np.zeros_like(paper), outline, -1, 1, cv2.FILLED)  # the paper with its print
    inside = cv2.erode(slip, np.ones((9, 9), np.uint8)) > 0
    slip_ink = np.count_nonzero(gray[inside] < 128)
    assert slip_ink > 10000  # the errata's print
    assert np.count_nonzero(p.image[inside] != gray[inside]) < 0.002 * slip_ink  # a speck or two at most


@pytest.mark.parametrize("name", ["e010", "j030"])
def test_a_clean_page_is_left_byte_identical(name):
    """Real pages with no border and no speck: nothing found round the print, so the image handed on is the
    scan itself, or (by default) the scan turned by its skew and nothing else."""
    gray = page(name)
    p = prepare(gray, 300, steps={"stamps", "borders", "specks"})
    assert p.steps == ()
    assert p.image.dtype == gray.dtype and np.array_equal(p.image, gray)
    d = prepare(gray, 300)
    assert d.steps == ("deskew",)
    assert np.array_equal(d.image, cv2.warpAffine(gray, d.matrix, d.image.shape[::-1], borderValue=255))


def test_a_printed_frame_is_not_a_border(text_crop):
    """The frame printed round page e009 runs close to the crop's edges: it is print, and stays."""
    p = prepare(text_crop, 300, steps={"borders"})
    assert p.steps == ()


# --------------------------------------------------------------------------- painting what goes


def test_a_mask_painted_row_by_row_is_the_mask_scaled_up_whole():
    """The specks of e009 (grown as prepare grows them) painted on an odd-sized copy of the page, whose
    scale to the small copy is no whole number: the pixels OpenCV's nearest-neighbour resizing of the mask
    would paint, and no others."""
    gray = np.ascontiguousarray(page("e009")[1:, 3:])
    small = _shrink(gray, 150 / 233)
    mask = cv2.dilate(_round_print(small, True, 150.0)["specks"].astype(np.uint8), np.ones((3, 3), np.uint8))
    out = _paint_mask(gray, mask, 255)
    full = cv2.resize(mask, gray.shape[::-1], interpolation=cv2.INTER_NEAREST) > 0
    assert np.count_nonzero(out != gray) > 0 and np.array_equal(out, np.where(full, 255, gray))
