"""libtesseract's C API through ctypes: the engine loaded once and kept for page after page.

The `tesseract` command loads its models for every page it reads (0.2-0.25 s of CPU for eng+fra+spa,
a sixth of a typical page's time: `benchmarks/ocr_cpu.py`); the library, kept open, loads them once. The same library
is what the command runs, so a page reads the same either way (tests/test_ocr.py checks it).
Only `tessworker`'s child process uses this module: in-process, a Tesseract crash would take the
whole run with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache
from typing import Any, NamedTuple

from .model import Box, Choices, choices_from_json

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_I = ctypes.c_int
_F = ctypes.c_float
_IP = ctypes.POINTER(ctypes.c_int)
_FP = ctypes.POINTER(ctypes.c_float)
_SP = ctypes.POINTER(ctypes.c_char_p)
_SIGNATURES: dict[str, tuple[list, object]] = {
    "TessBaseAPICreate": ([], _P),
    "TessBaseAPIInit3": ([_P, _S, _S], _I),
    "TessBaseAPISetPageSegMode": ([_P, _I], None),
    "TessBaseAPISetVariable": ([_P, _S, _S], _I),
    "TessBaseAPISetImage": ([_P, _S, _I, _I, _I, _I], None),
    "TessBaseAPIRecognize": ([_P, _P], _I),
    "TessBaseAPIGetTsvText": ([_P, _I], _P),
    "TessBaseAPIClear": ([_P], None),
    "TessBaseAPIEnd": ([_P], None),
    "TessBaseAPIDelete": ([_P], None),
    "TessDeleteText": ([_P], None),
    "TessBaseAPIGetIterator": ([_P], _P),
    "TessResultIteratorGetPageIterator": ([_P], _P),
    "TessResultIteratorNext": ([_P, _I], _I),
    "TessResultIteratorGetUTF8Text": ([_P, _I], _P),
    "TessResultIteratorGetChoiceIterator": ([_P], _P),
    "TessResultIteratorDelete": ([_P], None),
    "TessPageIteratorIsAtBeginningOf": ([_P, _I], _I),
    "TessPageIteratorBoundingBox": ([_P, _I, _IP, _IP, _IP, _IP], _I),
    "TessChoiceIteratorGetUTF8Text": ([_P], _S),
    "TessChoiceIteratorConfidence": ([_P], _F),
    "TessChoiceIteratorNext": ([_P], _I),
    "TessChoiceIteratorDelete": ([_P], None),
    "TessBaseAPIDetectOrientationScript": ([_P, _IP, _FP, _SP, _FP], _I),
    "TessVersion": ([], _S),
}


class TessLibError(Exception):
    """The library is missing, or refused the languages or the page; str() is the reason."""


@lru_cache(maxsize=1)
def library() -> ctypes.CDLL:
    """libtesseract with the C API's signatures declared, or TessLibError if it is not installed."""
    name = ctypes.util.find_library("tesseract")
    if name is None:
        raise TessLibError("libtesseract is not installed")
    lib = ctypes.CDLL(name)
    for fn, (args, result) in _SIGNATURES.items():
        getattr(lib, fn).argtypes = args
        getattr(lib, fn).restype = result
    return lib


def version() -> str:
    return library().TessVersion().decode()


CHOICE_ITERATIONS = 2
"""Tesseract's `lstm_choice_iterations`: how many times a line is decoded again with the choices found so far
left out, each time finding at most one more choice per glyph. Tesseract's CPU time over a reading without
choices (eng+fra+spa, the better of two runs a page): 2 cost 2.9% more on 30 pages (26 of oldbooks-dev, 4
samples), Tesseract's default of 5 cost 8.1% on 20 of them, 1 cost 1.3% on the other 10. On 15 pages of
oldbooks-dev's tune half, 2 and 5 spelt the truth of the same 11 of 102 misread words (5 with 2.5 times as many
readings), 1 of 8."""
_RIL_WORD = 3
_RIL_SYMBOL = 4
OSD_LANG = "osd"
"""The language whose engine guesses a page's orientation: osd.traineddata, as the command loads it for `--psm 0`."""
OSD_PSM = 0
"""Tesseract's page segmentation mode `orientation and script detection only`."""


class WordChoices(NamedTuple):
    """A word of the TSV that Tesseract had alternatives for: its box as the TSV gives it (left, top, right,
    bottom) and, per glyph, the glyph as read and the alternatives (see `model.Choices`)."""

    box: Box
    glyphs: Choices

    @classmethod
    def from_json(cls, data: list[Any]) -> WordChoices:
        """The word from its JSON lists (the resident reader's reply)."""
        (x0, y0, x1, y1), glyphs = data
        return cls((x0, y0, x1, y1), choices_from_json(glyphs))


class Reading(NamedTuple):
    """A page as read: the TSV, and the words among it that Tesseract had alternatives for."""

    tsv: str
    choices: list[WordChoices]


class TessApi:
    """One Tesseract engine for one language set, reading grey pages into TSV as the command's `tsv`
    output gives it (without the header row); for `OSD_LANG`, guessing their orientation."""

    def __init__(self, lang: str) -> None:
        self._lib = library()
        self._api = self._lib.TessBaseAPICreate()
        if self._lib.TessBaseAPIInit3(self._api, None, lang.encode()) != 0:
            self.close()
            raise TessLibError(f"tesseract cannot load the languages {lang}")
        self._lib.TessBaseAPISetVariable(self._api, b"lstm_choice_iterations", str(CHOICE_ITERATIONS).encode())

    def read(
        self, pixels: bytes, width: int, height: int, dpi: int, psm: int, choices: bool = False, whitelist: str = ""
    ) -> Reading:
        """Read an 8-bit grey page, `width` pixels to a row, scanned at `dpi`; with `choices`, also the
        alternatives of the glyphs Tesseract was unsure of (its `lstm_choice_mode` 2: the TSV stays the same);
        with a `whitelist`, only its characters (Tesseract's `tessedit_char_whitelist`, for this reading alone:
        every reading sets it, and Tesseract applies it as it recognises)."""
        lib, api = self._lib, self._api
        lib.TessBaseAPISetVariable(api, b"lstm_choice_mode", b"2" if choices else b"0")
        lib.TessBaseAPISetVariable(api, b"tessedit_char_whitelist", whitelist.encode())
        self._set_page(pixels, width, height, dpi, psm)
        try:
            if lib.TessBaseAPIRecognize(api, None) != 0:
                raise TessLibError("tesseract could not recognise the page")
            text = lib.TessBaseAPIGetTsvText(api, 0)
            try:
                tsv = ctypes.string_at(text).decode("utf-8")
            finally:
                lib.TessDeleteText(text)
            return Reading(tsv, self._choices() if choices else [])
        finally:
            lib.TessBaseAPIClear(api)

    def orientation(self, pixels: bytes, width: int, height: int, dpi: int) -> tuple[int, float] | None:
        """The page's orientation as the command gives it (`tesseract IMAGE - -l osd --psm 0 --dpi DPI`): the
        degrees to turn it clockwise upright (its `Rotate`) and the confidence (printed with two decimals);
        None when Tesseract has no opinion (too few characters). The engine must be `OSD_LANG`'s. The command
        finds the page's lines first and then detects the orientation afresh over the same thresholded page;
        this does the second alone, and so gives the same answer for half the work."""
        lib, api = self._lib, self._api
        self._set_page(pixels, width, height, dpi, OSD_PSM)
        degrees, conf, script, script_conf = ctypes.c_int(), ctypes.c_float(), ctypes.c_char_p(), ctypes.c_float()
        try:
            found = lib.TessBaseAPIDetectOrientationScript(
                api, ctypes.byref(degrees), ctypes.byref(conf), ctypes.byref(script), ctypes.byref(script_conf)
            )
        finally:
            lib.TessBaseAPIClear(api)
        if not found:
            return None
        # the command's `Rotate` is the turn back from the orientation found; it prints the confidence "%.2f"
        return (360 - degrees.value) % 360, round(conf.value, 2)

    def _set_page(self, pixels: bytes, width: int, height: int, dpi: int, psm: int) -> None:
        """Hand Tesseract an 8-bit grey page, its resolution and how to segment it."""
        if len(pixels) != width * height:
            raise TessLibError(f"page of {len(pixels)} bytes is not {width} x {height}")
        self._lib.TessBaseAPISetPageSegMode(self._api, psm)
        self._lib.TessBaseAPISetVariable(self._api, b"user_defined_dpi", str(dpi).encode())
        self._lib.TessBaseAPISetImage(self._api, pixels, width, height, 1, width)

    def _choices(self) -> list[WordChoices]:
        """The recognised page's words that have a glyph with an alternative of confidence above 0."""
        lib = self._lib
        found: list[WordChoices] = []
        it = lib.TessBaseAPIGetIterator(self._api)
        if not it:  # nothing on the page
            return found
        page_it = lib.TessResultIteratorGetPageIterator(it)
        corners = [ctypes.c_int() for _ in range(4)]
        box: Box = (0, 0, 0, 0)
        glyphs: list[tuple[tuple[str, float], ...]] = []
        try:
            while True:
                if lib.TessPageIteratorIsAtBeginningOf(page_it, _RIL_WORD):
                    _keep(found, box, glyphs)
                    lib.TessPageIteratorBoundingBox(page_it, _RIL_WORD, *map(ctypes.byref, corners))
                    box = (corners[0].value, corners[1].value, corners[2].value, corners[3].value)
                    glyphs = []
                glyph = self._glyph(it)
                if glyph is not None:
                    glyphs.append(glyph)
                if not lib.TessResultIteratorNext(it, _RIL_SYMBOL):
                    break
            _keep(found, box, glyphs)
        finally:
            lib.TessResultIteratorDelete(it)
        return found

    def _glyph(self, it: int) -> tuple[tuple[str, float], ...] | None:
        """The glyph at the iterator as read, with its confidence among Tesseract's choices (0 when they
        leave it out), then the other choices above confidence 0, best first; None where no glyph is."""
        lib = self._lib
        text = lib.TessResultIteratorGetUTF8Text(it, _RIL_SYMBOL)
        if not text:
            return None
        try:
            read = ctypes.string_at(text).decode("utf-8")
        finally:
            lib.TessDeleteText(text)
        best: dict[str, float] = {}
        choice = lib.TessResultIteratorGetChoiceIterator(it)
        if choice:
            try:
                while True:
                    name = (lib.TessChoiceIteratorGetUTF8Text(choice) or b"").decode("utf-8")
                    if name:
                        conf = round(float(lib.TessChoiceIteratorConfidence(choice)), 1)
                        best[name] = max(conf, best.get(name, 0.0))
                    if not lib.TessChoiceIteratorNext(choice):
                        break
            finally:
                lib.TessChoiceIteratorDelete(choice)
        own = best.pop(read, 0.0)
        others = sorted(((name, conf) for name, conf in best.items() if conf > 0), key=lambda c: -c[1])
        return ((read, own), *others)

    def close(self) -> None:
        if self._api:
            self._lib.TessBaseAPIEnd(self._api)
            self._lib.TessBaseAPIDelete(self._api)
            self._api = None


def _keep(found: list[WordChoices], box: Box, glyphs: list[tuple[tuple[str, float], ...]]) -> None:
    """Add the word to `found` if one of its glyphs has an alternative: most words have none, and the
    record keeps only what can serve as evidence."""
    if any(len(glyph) > 1 for glyph in glyphs):
        found.append(WordChoices(box, tuple(glyphs)))
