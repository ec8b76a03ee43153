"""PAGE XML 2019-07-15: the corrected words at their boxes, for ground-truth and layout tools
(Transkribus, eScriptorium, OCR-D).

Each Tesseract paragraph is a TextRegion; the reading order groups them by Tesseract's blocks, and
the ids match the hOCR's and ALTO's. A stamp over the print is a NoiseRegion, out of the reading order; a
NoiseRegion has no TextEquiv, so the stamp's own words, where read, are its UserAttribute "text". A figure
painted out before OCR is an ImageRegion (PAGE's region for photos and drawings), also out of the reading
order, which holds text regions alone.
A corrected word carries the OCR reading as a second TextEquiv (the lowest index is the main text). A
footnote marker whose box the record has is a Word of its own after its word's, with a TextStyle of
superscript (the line's text has them joined, `hopes.¹¹`); a footnote block is a region of type footnote.
The timestamps are a parameter, so the same record always gives the same file.
"""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from .. import __version__
from ..model import Box, Figure, Line, Page, Stamp, Word
from .hocr import Ids
from .walk import Block, ExportLine, Paragraph, blocks_on_scan, figures_on_scan, noise_on_scan, superscript

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{PAGE_NS} {PAGE_NS}/pagecontent.xsd"
CREATED = "1970-01-01T00:00:00Z"
"""The default timestamp: a fixed value, so output depends on the record alone."""
E = ElementMaker(namespace=PAGE_NS, nsmap={None: PAGE_NS, "xsi": XSI})

_REGION_TYPES = {"head": "header", "folio": "page-number", "noise": "other", "footnote": "footnote"}


def render(page: Page, found: list[Block] | None = None, *, created: str = CREATED) -> bytes:
    """The page as a PAGE 2019-07-15 document (UTF-8); `found`: the page's `blocks_on_scan`, when the caller has
    them; `created` (ISO 8601) is both Created and LastChange."""
    root = E.PcGts(_metadata(created), _page(page, Ids(), blocks_on_scan(page) if found is None else found))
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def points(box: Box) -> str:
    """A box as PAGE's polygon: the four corners, clockwise from the top left."""
    x0, y0, x1, y1 = box
    return f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"


def _metadata(created: str) -> etree._Element:
    return E.Metadata(E.Creator(f"ocrfix {__version__}"), E.Created(created), E.LastChange(created))


def _page(page: Page, ids: Ids, found: list[Block]) -> etree._Element:
    attrs = {
        "imageFilename": page.source,
        "imageWidth": str(page.scan_size[0]),
        "imageHeight": str(page.scan_size[1]),
        "imageXResolution": str(page.dpi),
        "imageYResolution": str(page.dpi),
        "imageResolutionUnit": "PPI",
    }
    element = E.Page(attrs)
    body = (par for block in found for par in block.paragraphs if _is_body(par))
    continued = next(body, None) if page.continues else None
    groups = []
    for block in found:
        regions = [_region(par, ids, continues=par is continued) for par in block.paragraphs]
        element.extend(regions)
        groups.append([region.get("id") for region in regions])
    element.extend(_figure(figure, ids) for figure in figures_on_scan(page))
    element.extend(_noise(stamp, ids) for stamp in noise_on_scan(page))
    if groups:
        element.insert(0, _reading_order(groups, ids))
    return element


def _figure(figure: Figure, ids: Ids) -> etree._Element:
    return E.ImageRegion({"id": ids("image")}, E.Coords(points=points(figure.box)))


def _noise(stamp: Stamp, ids: Ids) -> etree._Element:
    """A NoiseRegion, which has no TextEquiv: the stamp's own words, where read, are user attributes."""
    region = E.NoiseRegion({"id": ids("noise")}, E.Coords(points=points(stamp.box)))
    if stamp.text:
        region.append(
            E.UserDefined(
                E.UserAttribute(name="text", type="xsd:string", value=stamp.text),
                E.UserAttribute(name="conf", type="xsd:float", value=f"{stamp.conf / 100:g}"),
                E.UserAttribute(name="angle", type="xsd:float", value=f"{stamp.angle:g}"),
            )
        )
    return region


def _reading_order(groups: list[list[str]], ids: Ids) -> etree._Element:
    """The regions in reading order, one ordered group per Tesseract block."""
    indexed = [
        E.OrderedGroupIndexed(
            {"id": ids("block"), "index": str(i)},
            *(E.RegionRefIndexed(index=str(j), regionRef=region) for j, region in enumerate(group)),
        )
        for i, group in enumerate(groups)
    ]
    return E.ReadingOrder(E.OrderedGroup({"id": "reading_order"}, *indexed))


def _region(par: Paragraph, ids: Ids, continues: bool) -> etree._Element:
    attrs = {"id": ids("par"), "type": _region_type([line.line for line in par.lines])}
    if continues:
        attrs["continuation"] = "true"
    return E.TextRegion(
        attrs,
        E.Coords(points=points(par.box)),
        *(_line(line, ids) for line in par.lines),
        _text("\n".join(_line_text(line) for line in par.lines)),
    )


def _line(line: ExportLine, ids: Ids) -> etree._Element:
    return E.TextLine(
        {"id": ids("line")},
        E.Coords(points=points(line.line.box)),
        *(element for word in line.words for element in _word(word, ids)),
        _text(_line_text(line)),
    )


def _word(word: Word, ids: Ids) -> list[etree._Element]:
    """The word's Word, and its footnote marker's when the record has the marker's box (PAGE's Coords are
    required)."""
    text, marker = superscript(word)
    if marker is None or marker.box is None:
        text, marker = word.final or "", None
    equivs = [_text(text, index="1", conf=str(round(word.conf / 100, 4)))]
    if word.final != word.raw:
        equivs.append(_text(word.raw, index="2", comments="OCR reading"))
    elements = [E.Word({"id": ids("word")}, E.Coords(points=points(word.box)), *equivs)]
    if marker is not None and marker.box is not None:
        elements.append(
            E.Word(
                {"id": ids("marker")},  # its own kind: the words keep the ids they have in hOCR
                E.Coords(points=points(marker.box)),
                _text(marker.text, index="1", conf=str(marker.conf)),
                E.TextStyle(superscript="true"),
            )
        )
    return elements


def _text(text: str, **attrs: str) -> etree._Element:
    return E.TextEquiv(attrs, E.Unicode(text))


def _line_text(line: ExportLine) -> str:
    return " ".join(word.final or "" for word in line.words)


def _region_type(lines: list[Line]) -> str:
    """PAGE's region type from the lines' roles: a running head is a header, a folio a page number."""
    roles = {line.role for line in lines}
    return _REGION_TYPES.get(roles.pop(), "paragraph") if len(roles) == 1 else "paragraph"


def _is_body(par: Paragraph) -> bool:
    return any(line.line.role == "body" for line in par.lines)
