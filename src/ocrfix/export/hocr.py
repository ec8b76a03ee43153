"""hOCR 1.2: the corrected words at their boxes, as XHTML that hOCR tools and browsers both read.

Each word shows its final text; a corrected word keeps the OCR reading in `data-ocr-raw` and
the reason of its last applied change in `data-ocrfix-reason`, so the hOCR stays auditable.
A footnote marker is a `<sup>` ending its word's span (`hopes.<sup>¹¹</sup>`), with its own bbox where
the record has it. A stamp over the print is an `ocr_noise` at its box, after the text, holding the stamp's
own words as read (a line of the stamp a line; none when none was read), with the `textangle` its lines
stand at (degrees counter-clockwise): no `ocrx_word`, so hOCR tools do not take them for the page's words.
A figure painted out before OCR is an empty `ocr_image` at its box, after the text and before the noise
(hOCR's class for an image area of unknown kind: a drawing, an engraving or a photograph alike).
"""

from __future__ import annotations

from itertools import count

from lxml import etree
from lxml.builder import ElementMaker

from .. import __version__
from ..model import Box, Figure, Page, Stamp, Word
from .walk import Block, ExportLine, Paragraph, blocks_on_scan, figures_on_scan, noise_on_scan, superscript

XHTML = "http://www.w3.org/1999/xhtml"
E = ElementMaker(namespace=XHTML, nsmap={None: XHTML})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_TWO_LETTER = {"eng": "en", "fra": "fr", "spa": "es", "deu": "de", "ita": "it", "por": "pt", "rus": "ru"}
"""Tesseract's ISO 639-2 codes that have a shorter BCP 47 form."""


def render(page: Page, found: list[Block] | None = None) -> bytes:
    """The page as an hOCR document (UTF-8 XHTML); `found`: the page's `blocks_on_scan`, when the caller has them."""
    html = E.html(_head(page), E.body(_page(page, Ids(), blocks_on_scan(page) if found is None else found)))
    lang = html_lang(page.lang)
    if lang:
        html.set("lang", lang)
        html.set(_XML_LANG, lang)
    return etree.tostring(html, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>", pretty_print=True)


def read_words(data: bytes) -> list[tuple[str, Box, float]]:
    """Text (a `<sup>`'s with it), box and x_wconf of every ocrx_word, in document order (to check what a
    writer wrote)."""
    words = etree.fromstring(data).iterfind(f".//{{{XHTML}}}span[@class='ocrx_word']")
    return [("".join(w.itertext()), _bbox(w), float(_properties(w)["x_wconf"])) for w in words]


def html_lang(lang: str) -> str | None:
    """A BCP 47 tag for a single Tesseract language (`eng` -> `en`); None for a mix like `eng+fra`."""
    return _TWO_LETTER.get(lang, lang) if lang.isalpha() else None


class Ids:
    """Ids numbered through the page per kind (line_1_1, line_1_2, ...), as Tesseract numbers them;
    the XML formats use them too, so one element has one id in every format."""

    def __init__(self) -> None:
        self._counters: dict[str, count[int]] = {}

    def __call__(self, kind: str) -> str:
        return f"{kind}_1_{next(self._counters.setdefault(kind, count(1)))}"


def _head(page: Page) -> etree._Element:
    capabilities = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"
    capabilities += " ocrp_lang" if html_lang(page.lang) else ""
    capabilities += " ocr_image" if figures_on_scan(page) else ""
    capabilities += " ocr_noise" if noise_on_scan(page) else ""
    return E.head(
        E.title(page.id),
        E.meta({"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"}),
        E.meta(name="ocr-system", content=f"ocrfix {__version__}"),
        E.meta(name="ocr-capabilities", content=capabilities),
    )


def _page(page: Page, ids: Ids, found: list[Block]) -> etree._Element:
    dpi, (width, height) = round(page.dpi), page.scan_size
    title = f'image "{page.source}"; bbox 0 0 {width} {height}; ppageno {page.frame}; scan_res {dpi} {dpi}'
    element = E.div({"class": "ocr_page", "id": "page_1", "title": title}, *(_block(b, ids) for b in found))
    element.extend(_figure(figure, ids) for figure in figures_on_scan(page))
    element.extend(_noise(stamp, ids) for stamp in noise_on_scan(page))
    return element


def _figure(figure: Figure, ids: Ids) -> etree._Element:
    return E.div(_attrs("ocr_image", ids("image"), figure.box), "")  # "": <div></div>, as XHTML wants


def _noise(stamp: Stamp, ids: Ids) -> etree._Element:
    angle = f"; textangle {stamp.angle:g}" if stamp.angle else ""
    return E.div(_attrs("ocr_noise", ids("noise"), stamp.box, angle), stamp.text)  # "": <div></div>


def _block(block: Block, ids: Ids) -> etree._Element:
    return E.div(_attrs("ocr_carea", ids("block"), block.box), *(_paragraph(p, ids) for p in block.paragraphs))


def _paragraph(par: Paragraph, ids: Ids) -> etree._Element:
    return E.p(_attrs("ocr_par", ids("par"), par.box), *(_line(line, ids) for line in par.lines))


def _line(line: ExportLine, ids: Ids) -> etree._Element:
    span = E.span(_attrs("ocr_line", ids("line"), line.line.box))
    for word in line.words:
        element = _word(word, ids)
        element.tail = " "
        span.append(element)
    span[-1].tail = None
    span.tail = "\n"
    return span


def _word(word: Word, ids: Ids) -> etree._Element:
    text, marker = superscript(word)
    attrs = _attrs("ocrx_word", ids("word"), word.box, f"; x_wconf {round(word.conf)}")
    if word.final != word.raw:
        attrs["data-ocr-raw"] = word.raw
        reason = next((c.reason for c in reversed(word.changes) if c.applied), None)
        if reason:
            attrs["data-ocrfix-reason"] = reason
    if marker is None:
        return E.span(attrs, text)
    box = {"title": "bbox {} {} {} {}".format(*marker.box)} if marker.box else {}
    return E.span(attrs, text, E.sup(box, marker.text))


def _attrs(cls: str, id_: str, box: Box, more: str = "") -> dict[str, str]:
    return {"class": cls, "id": id_, "title": "bbox {} {} {} {}".format(*box) + more}


def _properties(element: etree._Element) -> dict[str, str]:
    pairs = (p.strip().split(None, 1) for p in element.get("title", "").split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in pairs}


def _bbox(element: etree._Element) -> Box:
    x0, y0, x1, y1 = (int(v) for v in _properties(element)["bbox"].split())
    return (x0, y0, x1, y1)
