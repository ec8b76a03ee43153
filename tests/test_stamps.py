"""Stamps over the print: found in the image, their ink taken out, the print under them kept."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PIL import Image

from conftest import OLDBOOKS, SAMPLES, library_stamp, need
from ocrfix.model import Page, Stamp
from ocrfix.preprocess import prepare
from ocrfix.sources import PageRef, Scan, list_pages, load_page
from ocrfix.stamp_words import read_stamps
from ocrfix.stamps import remove_stamps

AROUND = 200
"""Pixels of page kept round a sample's stamp in a crop: print enough for the print's grey to be the
commonest (with 150 the stamp's own ink is, on page 9), and a quick reading."""


def sample(page_id: str) -> Scan:
    return load_page(next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == page_id))


def stamp_crop(page_id: str) -> tuple[np.ndarray, dict]:
    """The sample's page cut round its stamp (`AROUND`), and the stamp's truth (samples/gt/stamps.json)."""
    truth = json.loads((SAMPLES / "gt" / "stamps.json").read_text())[page_id]
    x0, y0, x1, y1 = truth["box"]
    return sample(page_id).gray[y0 - AROUND : y1 + AROUND, x0 - AROUND : x1 + AROUND], truth


@pytest.mark.parametrize("page_id", ["page3", "page9"])
def test_a_samples_stamp_is_found_where_it_was_printed(page_id):
    """The oval library stamp of page 3 and the framed customs stamp of page 9 (samples/gt/stamps.json:
    the box of the stamp as drawn, a few points of margin around its frame)."""
    scan = sample(page_id)
    found = remove_stamps(scan.gray, scan.dpi)
    tx0, ty0, tx1, ty1 = json.loads((SAMPLES / "gt" / "stamps.json").read_text())[page_id]["box"]
    assert len(found.boxes) == 1
    x0, y0, x1, y1 = found.boxes[0]
    assert tx0 - 10 <= x0 and ty0 - 10 <= y0 and x1 <= tx1 + 10 and y1 <= ty1 + 10  # on the stamp
    assert (x1 - x0) * (y1 - y0) >= 0.6 * (tx1 - tx0) * (ty1 - ty0)  # and most of it
    outside = np.ones(scan.gray.shape, bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(found.image[outside], scan.gray[outside])  # the rest of the page untouched


@pytest.mark.parametrize("page_id", ["page2", "page4", "page5", "page8", "page10"])
def test_a_samples_page_without_a_stamp_is_left_alone(page_id):
    """Grey pages with blur, noise, uneven light, show-through and JPEG artefacts (page 10 all of them)."""
    scan = sample(page_id)
    found = remove_stamps(scan.gray, scan.dpi or 200.0)
    assert found.boxes == () and found.image is scan.gray


@pytest.mark.parametrize("name", ["j071", "j043", "j054", "j024"])
def test_a_picture_in_grey_tones_is_no_stamp(name):
    """Pictures of oldbooks-dev (an engraving, halftones) made grey as a poor scan would (blur, JPEG): their
    grey strokes are long and gather like a stamp's, but over dark ink that is no type."""
    binary = cv2.imread(str(need(OLDBOOKS / f"{name}.png")), cv2.IMREAD_GRAYSCALE)
    grey = np.clip(237 - 207 * cv2.GaussianBlur((binary < 128).astype(np.float32), (0, 0), 0.8), 0, 255)
    _, jpeg = cv2.imencode(".jpg", grey.astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 40])
    assert remove_stamps(cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE), 300.0).boxes == ()


@pytest.mark.parametrize("margin", [40, 0], ids=["in the margin", "at the page's edge"])
def test_a_grey_stamp_over_a_binarised_page_is_taken_out_and_the_print_kept(margin):
    """The stamp in grey ink over the line ends of a real page, `margin` pixels from its right edge: what
    is left of it afterwards lies within the blurred edge of the print."""
    clean = cv2.imread(str(need(OLDBOOKS / "e010.png")), cv2.IMREAD_GRAYSCALE)
    ink = np.where(library_stamp() > 0, 90, 255).astype(np.uint8)
    y, x = 300, clean.shape[1] - ink.shape[1] - margin
    scan = clean.copy()
    scan[y : y + ink.shape[0], x : x + ink.shape[1]] = np.minimum(scan[y : y + ink.shape[0], x : x + ink.shape[1]], ink)
    found = remove_stamps(scan, 300.0)
    assert len(found.boxes) == 1
    x0, y0, x1, y1 = found.boxes[0]
    assert x - 5 <= x0 and y - 5 <= y0 and x1 <= x + ink.shape[1] + 5 and y1 <= y + ink.shape[0] + 5
    assert (x1 - x0) * (y1 - y0) >= 0.8 * ink.shape[0] * ink.shape[1]
    assert np.array_equal(found.image[clean < 128], clean[clean < 128])  # every pixel of print kept
    near_print = cv2.dilate((clean < 128).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert np.count_nonzero(scan < 128) > np.count_nonzero(clean < 128) + 20_000  # the stamp's ink
    assert not np.any((found.image < 128) & ~near_print)  # of which only what touches a glyph remains


@pytest.fixture
def blue_stamp(tmp_path) -> tuple[Scan, tuple[int, int, int, int]]:
    """Sample page 2 with the stamp in dark blue ink over its text (`library_stamp`, turned 7 degrees), saved
    as a colour PNG and loaded: the scan, and where the stamp's picture lies (x, y, width, height)."""
    clean = sample("page2").gray
    cover = library_stamp()[..., None]
    y, x = 700, clean.shape[1] - cover.shape[1] - 60
    rgb = np.repeat(clean[..., None], 3, axis=2).astype(np.float32)
    blue = np.array([0.25, 0.3, 0.65], np.float32)  # the light it lets through: blue, little red or green
    rgb[y : y + cover.shape[0], x : x + cover.shape[1]] *= 1 - cover * (1 - blue)
    Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8)).save(tmp_path / "blue.png", dpi=(300, 300))
    return load_page(PageRef(tmp_path / "blue.png", 0, "blue")), (x, y, cover.shape[1], cover.shape[0])


def test_a_dark_blue_stamp_on_a_colour_scan_is_told_by_its_colour(blue_stamp):
    """The stamp's ink, in grey as dark as the print (the grey test cannot see it), is taken out of the grey
    page, each pixel's print separated from the ink over it."""
    scan, (x, y, w, h) = blue_stamp
    clean = sample("page2").gray
    assert scan.colour is not None and sample("page2").colour is None
    on = np.zeros(clean.shape, bool)
    on[y : y + h, x : x + w] = library_stamp() > 0.5
    assert np.median(scan.gray[on & (clean > 200)]) < 100  # the stamp's ink, in grey, is dark
    assert remove_stamps(scan.gray, 300.0).boxes == ()
    p = prepare(scan.gray, 300.0, colour=scan.colour)
    assert p.steps == ("stamps",) and len(p.stamps) == 1
    x0, y0, x1, y1 = p.stamps[0]  # coloured ink is taken out up to a 24th of an inch (12 px) around it
    assert x - 15 <= x0 and y - 15 <= y0 and x1 <= x + w + 15 and y1 <= y + h + 15
    assert np.abs(p.image.astype(int) - clean).max() < 48  # the page as it was before the stamp, everywhere


def test_a_dark_blue_stamps_own_words_are_read_from_its_colour(blue_stamp):
    """What the stamp says, from its coloured ink alone, level again (it was pressed 7 degrees round)."""
    scan, _ = blue_stamp
    p = prepare(scan.gray, 300.0, colour=scan.colour)
    [stamp] = read_stamps(p.stamps, p.stamp_inks, 300.0, "eng", 60.0)
    assert stamp.box == p.stamps[0] and stamp.text.split() == ["BIBLIOTHEQUE", "MUNICIPALE", "1931"]
    assert stamp.angle == pytest.approx(7, abs=1.5) and stamp.conf >= 75


@pytest.mark.parametrize(
    ("page_id", "turned"),
    [("page3", (10, 25)), ("page9", (-20, -5))],
    ids=["oval, rising to the right", "framed, falling to the right"],
)
def test_a_samples_stamp_is_read_from_its_own_ink(page_id, turned):
    """A sample's stamp read from the ink taken out of the page, in a crop round it: the words a person reads
    in it (samples/gt/stamps.json), where the print did not cross them, and nothing but pieces of them; the
    angle it was pressed at (degrees counter-clockwise) as the crop shows it."""
    crop, truth = stamp_crop(page_id)
    found = remove_stamps(crop, 300.0)
    [stamp] = read_stamps(found.boxes, found.inks, 300.0, "eng", 60.0)
    read = stamp.text.upper().split()
    printed = [w.upper() for w in truth["words"]]
    assert len(set(read) & set(printed)) >= 3  # page 3: COPY, NOT, TAKEN; page 9: EXAMINED, NO, 2417, ENTRY
    assert all(any(w in line.upper() for line in truth["lines"]) for w in read)  # AWA, of AWAY
    assert turned[0] < stamp.angle < turned[1]


def test_a_page_without_a_stamp_reads_none():
    """No stamp found, nothing read: the page pays no reading."""
    scan = sample("page2")
    p = prepare(scan.gray, 300.0)
    assert read_stamps(p.stamps, p.stamp_inks, 300.0, "eng", 60.0) == []


def test_the_page_record_keeps_the_stamps_and_their_words_and_reads_older_records():
    page = Page("p9", "page9.pdf", 0, 1700, 2600, 300.0, False, 0, -1.3, ["stamps"], "eng", [])
    page.stamps = [Stamp((1204, 503, 1651, 787), "EXAMINED\nNO 2417\nENTRY", 93.2, -12.0)]
    again = Page.from_json(page.to_json())
    assert again == page and again.stamps[0].box == (1204, 503, 1651, 787)
    boxes_only = json.loads(page.to_json())
    boxes_only["stamps"] = [[1204, 503, 1651, 787]]  # ocrfix 0.6.0's records: the boxes alone
    assert Page.from_dict(boxes_only).stamps == [Stamp((1204, 503, 1651, 787))]
    older = json.loads(page.to_json())
    del older["stamps"]
    assert Page.from_dict(older).stamps == []
