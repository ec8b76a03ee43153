"""Standard formats rendered from the page record (never by running OCR again): one small module per format,
all walking the record the same way (walk.py)."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Page
from . import alto, hocr, pagexml

PAGE_FORMATS: dict[str, tuple[str, Callable[[Page], bytes]]] = {
    "hocr": (".hocr", hocr.render),
    "alto": (".alto.xml", alto.render),
    "page": (".page.xml", pagexml.render),
}
"""Per-page formats: the name `--formats` takes, the file suffix in pages/, the writer."""
VOLUME_FORMATS = ("pdf",)
"""Formats written once for the volume (volume.pdf)."""
ALL_FORMATS = (*PAGE_FORMATS, *VOLUME_FORMATS)
DEFAULT_FORMATS = ("hocr", "alto")
