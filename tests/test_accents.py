"""Accents seen in the page image: a name printed with its accent and read without it is told from one printed
plain (lines set in the samples' face and read by Tesseract), and no unaccented word of a real scan shows one."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from types import ModuleType

import numpy as np
import pytest

from conftest import ROOT, SAMPLES
from ocrfix.accents import accent_seen, ink_above, page_marks
from ocrfix.lexicon import fold, strip_accents
from ocrfix.model import Page, Word
from ocrfix.ocr import DEFAULT_LANG, read_lines
from ocrfix.preprocess import prepare
from ocrfix.sources import list_pages, load_page
from ocrfix.tokens import split_token


@cache
def bench() -> ModuleType:
    """benchmarks/accents.py, whose pages these are (it renders lines as the samples' generator sets them)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("accents_bench", ROOT / "benchmarks" / "accents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NAMES = ["Étienne", "Coyoacán", "Thälmann", "Lérida", "Peiró"]


@cache
def read_names(face: str, dpi: int) -> tuple[np.ndarray, list[tuple[str, Word]]]:
    """`NAMES` set in two sentences each, printed with their accents and plain, on one page rendered in `face`
    at `dpi`: the page, and each line's name as printed with the word Tesseract read for it."""
    lines = [t.format(n) for name in NAMES for n in (name, strip_accents(name)) for t in bench().PROSE[:2]]
    image, baselines = bench().render_page(lines, face, dpi, noisy=False)
    return image, list(bench().name_readings(image, baselines, lines, dpi))


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("face", ["Liberation Serif", "DejaVu Serif"])
def test_an_accent_printed_is_seen_and_a_plain_letter_is_clean(face, dpi):
    """Asked about the dictionary's form, a word read with or without the accent it was printed with says
    True, a word printed plain False."""
    image, readings = read_names(face, dpi)
    asked = 0
    for printed, word in readings:
        core = split_token(word.raw)[1]
        if fold(core) != fold(printed):
            continue  # misread beyond its accents
        dictionary = next(n for n in NAMES if fold(n) == fold(printed))
        assert accent_seen(ink_above(image, word.box, word.raw), core, dictionary) is (printed == dictionary)
        asked += 1
    assert asked >= 0.9 * len(NAMES) * 4


@pytest.mark.slow
@pytest.mark.parametrize("page_id", ["page2", "page4", "page6-p0001"])
def test_no_accent_is_seen_over_a_real_page_s_unaccented_words(page_id):
    """On the samples (clean; noisy JPEG with show-through; bilevel with speckle and broken type) every
    capitalised word is looked at, and asked as if a dictionary printed an acute on each of its vowels."""
    ref = next(r for r in list_pages(SAMPLES / "scans")[0] if r.id == page_id)
    scan = load_page(ref)
    assert scan.dpi is not None
    image = prepare(scan.gray, scan.dpi).image
    lines = read_lines(image, DEFAULT_LANG, scan.dpi)
    page = Page(page_id, "", 0, image.shape[1], image.shape[0], scan.dpi, False, 0, 0.0, [], DEFAULT_LANG, lines)
    truth = (SAMPLES / "gt" / f"{page_id}.gt.txt").read_text(encoding="utf-8")
    accented = {fold(w) for w in truth.split() if strip_accents(w) != w}
    marks = page_marks(page, image)
    asked = clean = 0
    for word, above in zip(page.words, marks, strict=True):
        core = split_token(word.raw)[1]
        assert (above is None) or (core[:1].isupper() and len(above) == len(core))
        if above is None or not core.isascii() or fold(word.raw) in accented:
            continue
        for k, letter in enumerate(core):
            if letter in "aeouAEOU":
                seen = accent_seen(above, core, core[:k] + letter.translate(ACUTE) + core[k + 1 :])
                assert seen is not True, (word.raw, above)
                asked += 1
                clean += seen is False
    assert asked >= 40 and clean >= asked / 2  # most letters are told clean, not left unsure


ACUTE = str.maketrans("aeouAEOU", "áéóúÁÉÓÚ")


def test_a_word_cut_by_the_image_s_top_edge_is_no_failure():
    """A scan cut through a line (the top half of a page held upside down): the word's ink touches the image's
    edge, where the line above would be, so nothing can be said, and the page is still read."""
    image, readings = read_names("Liberation Serif", 300)
    _, word = readings[0]
    x0, y0, x1, y1 = word.box
    half = (y1 - y0) // 2
    cut = image[y0 + half :, :]  # the image now begins halfway down the word: every glyph touches its edge
    assert ink_above(cut, (x0, 0, x1, y1 - y0 - half), word.raw) is None
