"""A page read by Tesseract: words with boxes, line and block structure and confidences.

Tesseract itself is reached through `_exec.tesseract` alone; this module turns its TSV into lines.
"""

from __future__ import annotations

import numpy as np

from ._exec.tesseract import OcrCrash, OcrError, check_languages, read_page, start_readers, stop_readers, version
from .model import Box, Choices, Line, Word
from .tesslib import WordChoices

__all__ = [
    "DEFAULT_LANG",
    "DEFAULT_TIMEOUT",
    "OcrCrash",
    "OcrError",
    "check_languages",
    "parse_tsv",
    "read_lines",
    "start_readers",
    "stop_readers",
    "tesseract_version",
]

DEFAULT_LANG = "eng+fra+spa"
DEFAULT_TIMEOUT = 600.0
PSM = 3
"""Fully automatic page segmentation, Tesseract's default."""
_LINE_LEVEL = 4
_WORD_LEVEL = 5
_COLUMNS = 12
tesseract_version = version


def read_lines(image: np.ndarray, lang: str, dpi: float, timeout: float = DEFAULT_TIMEOUT) -> list[Line]:
    """The text lines Tesseract finds on the page, each with its words (and their glyphs' alternatives, where
    Tesseract had any), in reading order."""
    return parse_tsv(*read_page(image, lang, dpi, PSM, timeout))


def parse_tsv(tsv: str, choices: list[WordChoices] | None = None) -> list[Line]:
    """Group Tesseract's TSV rows into lines of words; empty words and lines are dropped. A word of `choices`
    goes to the word of the same box whose text its glyphs spell.

    Confidences are kept as whole numbers, as pytesseract gave them (their fractions mean nothing)."""
    alternatives: dict[Box, Choices] = {word.box: word.glyphs for word in choices or []}
    lines: dict[tuple[int, int, int], Line] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < _COLUMNS - 1 or not cells[0].isdigit():  # the header, or no row at all
            continue
        level, _, block, par, line, _, left, top, width, height = map(int, cells[:10])
        key = (block, par, line)
        box = (left, top, left + width, top + height)
        if level == _LINE_LEVEL:
            lines[key] = Line(box=box, words=[], block=block, par=par)
        elif level == _WORD_LEVEL:
            text = cells[11].strip() if len(cells) == _COLUMNS else ""
            if text and key in lines:
                glyphs = alternatives.get(box)
                if glyphs is not None and "".join(glyph[0][0] for glyph in glyphs) != text:
                    glyphs = None  # not this word's: never seen, but a wrong glyph list would mislead
                word = Word(raw=text, box=box, conf=float(int(float(cells[10]))), choices=glyphs)
                lines[key].words.append(word)
    return [line for line in lines.values() if line.words]
