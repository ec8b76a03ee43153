"""libtesseract's C API through ctypes: the engine loaded once and kept for page after page.

The `tesseract` command loads its models for every page it reads (0.4 s of CPU for eng+fra+spa,
a quarter of a typical page's time); the library, kept open, loads them once. The same library
is what the command runs, so a page reads the same either way (tests/test_ocr.py checks it).
Only `tessworker`'s child process uses this module: in-process, a Tesseract crash would take the
whole run with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_I = ctypes.c_int
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


class TessApi:
    """One Tesseract engine for one language set, reading grey pages into TSV as the command's `tsv`
    output gives it (without the header row)."""

    def __init__(self, lang: str) -> None:
        self._lib = library()
        self._api = self._lib.TessBaseAPICreate()
        if self._lib.TessBaseAPIInit3(self._api, None, lang.encode()) != 0:
            self.close()
            raise TessLibError(f"tesseract cannot load the languages {lang}")

    def tsv(self, pixels: bytes, width: int, height: int, dpi: int, psm: int) -> str:
        """Read an 8-bit grey page, `width` pixels to a row, scanned at `dpi`."""
        lib, api = self._lib, self._api
        if len(pixels) != width * height:
            raise TessLibError(f"page of {len(pixels)} bytes is not {width} x {height}")
        lib.TessBaseAPISetPageSegMode(api, psm)
        lib.TessBaseAPISetVariable(api, b"user_defined_dpi", str(dpi).encode())
        lib.TessBaseAPISetImage(api, pixels, width, height, 1, width)
        try:
            if lib.TessBaseAPIRecognize(api, None) != 0:
                raise TessLibError("tesseract could not recognise the page")
            text = lib.TessBaseAPIGetTsvText(api, 0)
            try:
                return ctypes.string_at(text).decode("utf-8")
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessBaseAPIClear(api)

    def close(self) -> None:
        if self._api:
            self._lib.TessBaseAPIEnd(self._api)
            self._lib.TessBaseAPIDelete(self._api)
            self._api = None
