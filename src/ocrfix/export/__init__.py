"""Standard formats rendered from the page record (never by running OCR again): one small module per format,
all walking the record the same way (walk.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Page
from . import alto, hocr, pagexml
from .walk import Block, blocks_on_scan

PAGE_FORMATS: dict[str, tuple[str, Callable[[Page, list[Block]], bytes]]] = {
    "hocr": (".hocr", hocr.render),
    "alto": (".alto.xml", alto.render),
    "page": (".page.xml", pagexml.render),
}
"""Per-page formats: the name `--formats` takes, the file suffix in pages/, the writer (given the page's walk)."""
VOLUME_FORMATS = ("pdf",)
"""Formats written once for the volume (volume.pdf)."""
ALL_FORMATS = (*PAGE_FORMATS, *VOLUME_FORMATS)
DEFAULT_FORMATS = ("hocr", "alto")


def render_formats(page: Page, formats: Iterable[str]) -> dict[str, bytes]:
    """The per-page formats asked for, by file suffix, from one walk of the page's boxes mapped onto the scan
    (the walk is a third of an ALTO's time and half an hOCR's: 0.6 s of CPU for 160 pages)."""
    wanted = [PAGE_FORMATS[name] for name in formats if name in PAGE_FORMATS]
    found = blocks_on_scan(page) if wanted else []
    return {suffix: render(page, found) for suffix, render in wanted}
