"""Figures painted to paper before Tesseract reads the page: its strokes read as junk text, while the text
round it and its caption stay to the pixel."""

from __future__ import annotations

import json

import numpy as np
import pytesseract
import pytest
from PIL import Image

from conftest import OLDBOOKS, need
from ocrfix.model import Figure, Page
from ocrfix.preprocess import prepare


def page(name: str) -> np.ndarray:
    """A page of oldbooks-dev (../shared), grey."""
    return np.asarray(Image.open(need(OLDBOOKS / f"{name}.png")).convert("L"))


def words(image: np.ndarray) -> list[str]:
    return pytesseract.image_to_string(image, lang="eng", config="--psm 3 --dpi 300").split()


def outside(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The pixels of `image` outside `box`."""
    x0, y0, x1, y1 = box
    keep = np.ones(image.shape, dtype=bool)
    keep[y0:y1, x0:x1] = False
    return image[keep]


def test_a_weave_photograph_goes_and_the_text_round_it_and_its_caption_stay():
    """oldbooks-dev j073, the page's text, a photograph of a diamond weave and its caption (`FIG. 58.`):
    Tesseract read the photograph as a run of junk (`ah a | I 1 4 J a is ih`); with it painted out it reads
    the same words without that run, and every pixel outside the figure's box is the scan's."""
    crop = np.ascontiguousarray(page("j073")[150:1260])
    p = prepare(crop, 300, steps={"figures"})
    assert p.steps == ("figures",) and len(p.figures) == 1
    x0, y0, x1, y1 = p.figures[0]
    assert np.count_nonzero(crop[y0:y1, x0:x1] < 128) > 0.3 * (x1 - x0) * (y1 - y0)  # the dark photograph
    assert np.all(p.image[y0:y1, x0:x1] == 255)
    assert np.array_equal(outside(p.image, p.figures[0]), outside(crop, p.figures[0]))
    before = words(crop)
    last, caption = before.index("frame"), before.index("Fig.")  # the text above, the caption below
    assert caption - last > 3  # the junk read from the photograph
    assert words(p.image) == before[: last + 1] + before[caption:]


def test_a_working_drawing_goes_with_its_dimension_figures():
    """j012: a drawing of the caning needle, in pieces apart from each other, with dimension lines and
    figures (`15 TO 20`) between them: one box over all of it, the text and the caption below kept."""
    scan = page("j012")
    p = prepare(scan, 300, steps={"figures"})
    assert len(p.figures) == 1
    x0, y0, x1, y1 = p.figures[0]
    assert x1 - x0 > 0.7 * scan.shape[1]  # the whole width of the drawing, both needles and the handle
    assert np.array_equal(outside(p.image, p.figures[0]), outside(scan, p.figures[0]))
    read = " ".join(words(p.image))
    assert "FIG. 1." in read and "THE CANING NEEDLE" in read
    assert "15" not in read.split()


def test_a_framed_page_keeps_its_text_and_loses_only_its_ornament():
    """e065: a page framed by rules, a tailpiece ornament under its text. The frame's sides are strokes,
    not a figure: the one box is the ornament's, below the last line of text, which is kept."""
    scan = page("e065")
    p = prepare(scan, 300, steps={"figures"})
    assert len(p.figures) == 1
    x0, y0, x1, y1 = p.figures[0]
    text = scan[:y0]
    assert np.count_nonzero(text < 128) > 0.04 * text.size  # the text block lies above it
    assert np.array_equal(p.image[:y0], text)
    assert y1 - y0 < 0.4 * scan.shape[0]


@pytest.mark.parametrize(
    "name, rows",
    [("e018", slice(500, 1700)), ("j073", slice(1280, 1642)), ("j012", slice(0, 560))],
)
def test_text_without_a_figure_is_handed_on_untouched(name, rows):
    """Body text, a running head, the lines under a figure: nothing found, the very same image."""
    crop = np.ascontiguousarray(page(name)[rows])
    p = prepare(crop, 300, steps={"figures"})
    assert p.steps == () and p.figures == ()
    assert np.array_equal(p.image, crop)


def test_the_page_record_keeps_the_figures_painted_out_and_reads_older_records():
    """j012's drawing as `prepare` finds it, kept in the record: the box survives the JSON round trip as it
    was found (scan pixels, a tuple); a record written before figures were kept loads with none."""
    p = prepare(page("j012"), 300)
    record = Page("j012", "j012.png", 0, 1088, 1642, 300.0, False, 0, p.skew, list(p.steps), "eng", [])
    record.figures = [Figure(box) for box in p.figures]
    again = Page.from_json(record.to_json())
    assert again == record and [f.box for f in again.figures] == list(p.figures)
    older = json.loads(record.to_json())
    del older["figures"]
    assert Page.from_dict(older).figures == []


def test_pieces_framed_over_each_other_are_one_figure():
    """j012 cut from row 455, above the drawing of the caning needle: its handle and its blades gather into
    two figures whose frames grow over each other (one box 570-990 by 124-219 inside the other's width):
    one figure, one box, not two overlapping ones listed in the record and every format."""
    scan = np.ascontiguousarray(page("j012")[455:1000])
    p = prepare(scan, 300)
    assert len(p.figures) == 1
    x0, y0, x1, y1 = p.figures[0]
    assert x0 < 570 and x1 >= 990 and y0 <= 124 and y1 > 219
