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

from .. import __version__
from ..model import Box, Figure, Page, Stamp, Word
from . import markup
from .walk import Block, ExportLine, blocks_on_scan, figures_on_scan, noise_on_scan, superscript

XHTML = "http://www.w3.org/1999/xhtml"

_TWO_LETTER = {"eng": "en", "fra": "fr", "spa": "es", "deu": "de", "ita": "it", "por": "pt", "rus": "ru"}
"""Tesseract's ISO 639-2 codes that have a shorter BCP 47 form."""


def render(page: Page, found: list[Block] | None = None) -> bytes:
    """The page as an hOCR document (UTF-8 XHTML); `found`: the page's `blocks_on_scan`, when the caller has them.
    Written as text (`markup`): a paragraph's lines as they run, its words one space apart."""
    lang = html_lang(page.lang)
    lang_attrs = f' lang="{markup.attribute(lang)}" xml:lang="{markup.attribute(lang)}"' if lang else ""
    out = [
        markup.DECLARATION,
        "<!DOCTYPE html>\n",
        f'<html xmlns="{XHTML}"{lang_attrs}>\n',
        _head(page),
        "  <body>\n",
        *_page(page, Ids(), blocks_on_scan(page) if found is None else found),
        "  </body>\n</html>\n",
    ]
    return markup.document("".join(out))


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


def _head(page: Page) -> str:
    capabilities = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"
    capabilities += " ocrp_lang" if html_lang(page.lang) else ""
    capabilities += " ocr_image" if figures_on_scan(page) else ""
    capabilities += " ocr_noise" if noise_on_scan(page) else ""
    return (
        f"  <head>\n    <title>{markup.text(page.id)}</title>\n"
        '    <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n'
        f'    <meta name="ocr-system" content="ocrfix {__version__}"/>\n'
        f'    <meta name="ocr-capabilities" content="{capabilities}"/>\n  </head>\n'
    )


def _page(page: Page, ids: Ids, found: list[Block]) -> list[str]:
    dpi, (width, height) = round(page.dpi), page.scan_size
    title = f'image "{page.source}"; bbox 0 0 {width} {height}; ppageno {page.frame}; scan_res {dpi} {dpi}'
    inside: list[str] = []
    for block in found:
        _block(inside, block, ids)
    inside += [_figure(figure, ids) for figure in figures_on_scan(page)]
    inside += [_noise(stamp, ids) for stamp in noise_on_scan(page)]
    start = f'    <div class="ocr_page" id="page_1" title="{markup.attribute(title)}"'
    return [start, ">\n", *inside, "    </div>\n"] if inside else [start, "/>\n"]


def _figure(figure: Figure, ids: Ids) -> str:
    return f"      <div{_attrs('ocr_image', ids('image'), figure.box)}></div>\n"  # XHTML wants <div></div>


def _noise(stamp: Stamp, ids: Ids) -> str:
    angle = f"; textangle {stamp.angle:g}" if stamp.angle else ""
    return f"      <div{_attrs('ocr_noise', ids('noise'), stamp.box, angle)}>{markup.text(stamp.text)}</div>\n"


def _block(out: list[str], block: Block, ids: Ids) -> None:
    """A block's paragraphs, each holding its lines as they run (one line break after each), so that no
    indentation is added to the text."""
    out.append(f"      <div{_attrs('ocr_carea', ids('block'), block.box)}>\n")
    for par in block.paragraphs:
        attrs = _attrs("ocr_par", ids("par"), par.box)
        lines = "\n".join(_line(line, ids) for line in par.lines)
        out.append(f"        <p{attrs}>{lines}\n</p>\n")
    out.append("      </div>\n")


def _line(line: ExportLine, ids: Ids) -> str:
    attrs = _attrs("ocr_line", ids("line"), line.line.box)
    return f"<span{attrs}>{' '.join(_word(word, ids) for word in line.words)}</span>"


def _word(word: Word, ids: Ids) -> str:
    text, marker = superscript(word)
    attrs = _attrs("ocrx_word", ids("word"), word.box, f"; x_wconf {round(word.conf)}")
    if word.final != word.raw:
        attrs += f' data-ocr-raw="{markup.attribute(word.raw)}"'
        reason = next((c.reason for c in reversed(word.changes) if c.applied), None)
        if reason:
            attrs += f' data-ocrfix-reason="{markup.attribute(reason)}"'
    if marker is None:
        return f"<span{attrs}>{markup.text(text)}</span>"
    box = ' title="bbox {} {} {} {}"'.format(*marker.box) if marker.box else ""
    return f"<span{attrs}>{markup.text(text)}<sup{box}>{markup.text(marker.text)}</sup></span>"


def _attrs(cls: str, id_: str, box: Box, more: str = "") -> str:
    """` class=... id=... title="bbox ..."`: `more` is made of numbers, never escaped."""
    return f' class="{cls}" id="{id_}" title="bbox {box[0]} {box[1]} {box[2]} {box[3]}{more}"'


def _properties(element: etree._Element) -> dict[str, str]:
    pairs = (p.strip().split(None, 1) for p in element.get("title", "").split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in pairs}


def _bbox(element: etree._Element) -> Box:
    x0, y0, x1, y1 = (int(v) for v in _properties(element)["bbox"].split())
    return (x0, y0, x1, y1)
