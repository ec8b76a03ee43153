"""OCR with a real Tesseract on a real page crop, and the page record's round trip."""

import numpy as np
import pytest

from ocrfix.model import Change, Page
from ocrfix.ocr import OcrError, check_languages, read_lines


@pytest.fixture(scope="module")
def crop_lines(text_crop: np.ndarray):
    return read_lines(text_crop, "eng", 300)


def test_one_run_gives_words_with_boxes_lines_and_confidences(crop_lines, text_crop):
    words = [w for line in crop_lines for w in line.words]
    text = " ".join(w.raw for w in words)
    for phrase in ("figurative", "battle-field", "notwithstanding the determined assaults", "correspondent"):
        assert phrase in text
    height, width = text_crop.shape
    for line in crop_lines:
        x0, y0, x1, y1 = line.box
        for w in line.words:
            wx0, wy0, wx1, wy1 = w.box
            assert 0 <= wx0 < wx1 <= width and 0 <= wy0 < wy1 <= height
            assert x0 <= wx0 and wx1 <= x1 + 1 and y0 <= wy0 + 1 and wy1 <= y1 + 1
            assert 0 <= w.conf <= 100
    # lines come top to bottom and the words of a line left to right
    tops = [line.box[1] for line in crop_lines]
    assert tops == sorted(tops)
    assert all(a.box[0] < b.box[0] for line in crop_lines for a, b in zip(line.words, line.words[1:]))


def test_the_page_record_round_trips_losslessly(crop_lines):
    page = Page("e009", "e009.png", 0, 1708, 1205, 300.0, False, 0, 0.0, ["deskew"], "eng", crop_lines)
    word = page.lines[0].words[0]
    word.changes.append(Change(raw=word.raw, final="Preface.", reason="test", confidence=0.9))
    word.final = "Preface."
    again = Page.from_json(page.to_json())
    assert again == page
    assert again.to_json() == page.to_json()


def test_a_missing_language_pack_is_one_clear_error():
    with pytest.raises(OcrError, match="tesseract-ocr-xyz"):
        check_languages("eng+xyz")
