"""ALTO 4.4: the corrected words at their boxes, for libraries and digitisation tools.

Tesseract's blocks become ComposedBlocks and its paragraphs TextBlocks, as Tesseract's own ALTO
has them. A word broken at a line end and marked "join" is written as ALTO's hyphenation pair
(HypPart1 + HYP, HypPart2), so ALTO readers rebuild the word as the reading text has it. A
corrected word keeps the OCR reading as an ALTERNATIVE. A footnote marker is a String of its own, of
STYLE "superscript", straight after its word's (no SP between: `hopes.` `¹¹`), at the marker's box where
the record has it. A stamp over the print is an Illustration
of TYPE "stamp" tagged as noise (ALTO has no noise block), after the text in the PrintSpace, at the ROTATION
its lines stand at. An Illustration holds no text, and a String would be read as the page's: the stamp's own
words are the LABEL of a tag of its own (TYPE "stamp words"), which it names in its TAGREFS too.
A figure painted out before OCR is an Illustration of TYPE "figure", after the text and before the stamps,
with no noise tag: it is part of the page, only not text.
"""

from __future__ import annotations

from lxml import etree

from .. import __version__
from ..model import Box, Figure, Page, Stamp, Word
from ..tokens import ends_broken
from . import markup
from .hocr import Ids
from .walk import Block, ExportLine, Raised, blocks_on_scan, figures_on_scan, noise_on_scan, superscript

ALTO = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO} https://www.loc.gov/standards/alto/v4/alto-4-4.xsd"

NOISE_TAG = "tag_noise"
"""ID of the OtherTag that marks a block as noise (ALTO has no noise block of its own)."""
STAMP = "stamp"
"""The Illustration TYPE and the tag LABEL of a stamp's region."""
STAMP_WORDS = "stamp words"
"""The TYPE of the tag whose LABEL is a stamp's own words."""
FIGURE = "figure"
"""The Illustration TYPE of a figure (a drawing, engraving, photograph or ornament) painted out before OCR."""

_Parts = dict[int, tuple[str, str]]
"""SUBS_TYPE and SUBS_CONTENT by id() of the word."""


def render(page: Page, found: list[Block] | None = None) -> bytes:
    """The page as an ALTO 4.4 document (UTF-8), positions in the scan's pixels; `found`: the page's
    `blocks_on_scan`, when the caller has them. Written as text (`markup`), an element a line."""
    found = blocks_on_scan(page) if found is None else found
    ids, parts = Ids(), _hyphen_parts(found)
    width, height = page.scan_size
    out = [
        markup.DECLARATION,
        f'<alto xmlns="{ALTO}" xmlns:xsi="{XSI}" xsi:schemaLocation="{SCHEMA_LOCATION}">\n',
        *_description(page),
    ]
    space: list[str] = []
    for block in found:
        _block(space, block, ids, parts)
    space += [_figure(ids("figure"), figure) for figure in figures_on_scan(page)]
    noise = [(ids("noise"), stamp) for stamp in noise_on_scan(page)]
    space += [_stamp(id_, stamp) for id_, stamp in noise]
    if noise:
        out += _noise_tags(noise)
    out.append("  <Layout>\n")
    out.append(f'    <Page ID="page_1" PHYSICAL_IMG_NR="{page.frame + 1}" WIDTH="{width}" HEIGHT="{height}">\n')
    print_space = f"      <PrintSpace{_position((0, 0, width, height))}"
    out += [print_space, ">\n", *space, "      </PrintSpace>\n"] if space else [print_space, "/>\n"]
    out.append("    </Page>\n  </Layout>\n</alto>\n")
    return markup.document("".join(out))


def read_words(data: bytes) -> list[tuple[str, Box, float]]:
    """Text, box and WC of every String, in document order, the hyphen of a HypPart1 put back and a
    superscript String (a footnote marker) put back onto its word (to check what a writer wrote)."""
    words: list[tuple[str, Box, float]] = []
    for line in etree.fromstring(data).iter(f"{{{ALTO}}}TextLine"):
        for s in line.iterfind(f"{{{ALTO}}}String"):
            if s.get("STYLE") == "superscript" and words:
                text, box, wc = words[-1]
                words[-1] = (text + s.get("CONTENT", ""), box, wc)
                continue
            x, y, w, h = (int(float(s.get(k, "0"))) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
            words.append((s.get("CONTENT", ""), (x, y, x + w, y + h), float(s.get("WC", "nan"))))
        hyp = line.find(f"{{{ALTO}}}HYP")
        if hyp is not None:
            text, box, wc = words[-1]
            words[-1] = (text + hyp.get("CONTENT", ""), box, wc)
    return words


def _word_confidence(conf: float) -> str:
    """ALTO's WC (0-1) from Tesseract's 0-100."""
    return str(round(conf / 100, 4))


def _hyphen_parts(found: list[Block]) -> _Parts:
    """The two halves of every word broken at a line end and marked "join", with the word they
    make as the reading text joins it (`dis-` + `ease.` -> `disease.`); within this page only."""
    body = [line for b in found for p in b.paragraphs for line in p.lines if line.line.role == "body"]
    parts: _Parts = {}
    for line, following in zip(body, body[1:], strict=False):
        first, second = line.words[-1], following.words[0]
        head = first.final or ""
        if line.line.hyphen == "join" and ends_broken(head):
            joined = head[:-1] + superscript(second)[0]
            parts[id(first)] = ("HypPart1", joined)
            parts[id(second)] = ("HypPart2", joined)
    return parts


def _description(page: Page) -> list[str]:
    return [
        "  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n",
        f"    <sourceImageInformation>\n      <fileName>{markup.text(page.source)}</fileName>\n"
        "    </sourceImageInformation>\n",
        '    <OCRProcessing ID="ocr_1">\n',
        *_processing_steps(page),
        "    </OCRProcessing>\n  </Description>\n",
    ]


def _stamp(id_: str, stamp: Stamp) -> str:
    refs = f"{NOISE_TAG} {_words_tag(id_)}" if stamp.text else NOISE_TAG
    rotation = f' ROTATION="{stamp.angle:g}"' if stamp.angle else ""
    return f'        <Illustration ID="{id_}"{_position(stamp.box)}{rotation} TAGREFS="{refs}" TYPE="{STAMP}"/>\n'


def _figure(id_: str, figure: Figure) -> str:
    return f'        <Illustration ID="{id_}"{_position(figure.box)} TYPE="{FIGURE}"/>\n'


def _words_tag(id_: str) -> str:
    return f"{id_}_words"


def _noise_tags(noise: list[tuple[str, Stamp]]) -> list[str]:
    """The tag of noise, and a tag of each stamp's own words where some were read."""
    tags = [
        {
            "ID": NOISE_TAG,
            "TYPE": "noise",
            "LABEL": STAMP,
            "DESCRIPTION": "a stamp, seal or other ink over the print, taken out of the image OCR read: not the "
            f"page's text (its own words, where read, are the LABEL of its tag of TYPE '{STAMP_WORDS}')",
        },
        *(
            {
                "ID": _words_tag(id_),
                "TYPE": STAMP_WORDS,
                "LABEL": stamp.text,
                "DESCRIPTION": f"read from the stamp's own ink, mean confidence {_word_confidence(stamp.conf)}",
            }
            for id_, stamp in noise
            if stamp.text
        ),
    ]
    return ["  <Tags>\n", *(f"    <OtherTag{markup.attributes(tag)}/>\n" for tag in tags), "  </Tags>\n"]


def _processing_steps(page: Page) -> list[str]:
    """What made the text: ocrfix's image preparation, Tesseract, then ocrfix's correction."""
    steps = []
    if page.steps:
        settings = f"rotation {page.rotation}; skew {page.skew}; dpi {page.dpi}"
        steps += [
            "      <preProcessingStep>\n        <processingCategory>preOperation</processingCategory>\n",
            *_descriptions(page.steps),
            f"        <processingStepSettings>{markup.text(settings)}</processingStepSettings>\n",
            _software("ocrfix", __version__),
            "      </preProcessingStep>\n",
        ]
    steps += [
        "      <ocrProcessingStep>\n        <processingCategory>contentGeneration</processingCategory>\n",
        f"        <processingStepSettings>lang {markup.text(page.lang)}</processingStepSettings>\n",
        _software("Tesseract"),
        "      </ocrProcessingStep>\n",
        "      <postProcessingStep>\n        <processingCategory>contentModification</processingCategory>\n",
        *_descriptions(_correction_summary(page)),
        _software("ocrfix", __version__),
        "      </postProcessingStep>\n",
    ]
    return steps


def _descriptions(texts: list[str]) -> list[str]:
    return [f"        <processingStepDescription>{markup.text(t)}</processingStepDescription>\n" for t in texts]


def _correction_summary(page: Page) -> list[str]:
    words = page.words
    changed = sum(w.final != w.raw for w in words)
    unapplied = sum(not c.applied for w in words for c in w.changes)
    return [
        f"{changed} of {len(words)} words corrected or removed as noise after OCR",
        f"{unapplied} proposed corrections not applied",
    ]


def _software(name: str, version: str = "") -> str:
    version_line = f"          <softwareVersion>{version}</softwareVersion>\n" if version else ""
    return (
        f"        <processingSoftware>\n          <softwareName>{name}</softwareName>\n{version_line}"
        "        </processingSoftware>\n"
    )


def _block(out: list[str], block: Block, ids: Ids, parts: _Parts) -> None:
    out.append(f'        <ComposedBlock ID="{ids("block")}"{_position(block.box)}>\n')
    for par in block.paragraphs:
        out.append(f'          <TextBlock ID="{ids("par")}"{_position(par.box)}>\n')
        for line in par.lines:
            _line(out, line, ids, parts)
        out.append("          </TextBlock>\n")
    out.append("        </ComposedBlock>\n")


def _line(out: list[str], line: ExportLine, ids: Ids, parts: _Parts) -> None:
    out.append(f'            <TextLine ID="{ids("line")}"{_position(line.line.box)}>\n')
    previous: Box | None = None
    for word in line.words:
        if previous is not None:
            out.append(_space(previous, word.box))
        text, marker = superscript(word)
        out.append(_string(word, text, ids, parts.get(id(word))))
        previous = word.box
        if marker is not None:
            out.append(_marker(marker, ids))
            previous = marker.box or word.box
    last = line.words[-1]
    if parts.get(id(last), ("",))[0] == "HypPart1":
        out.append(f'              <HYP CONTENT="{markup.attribute((last.final or "")[-1])}"/>\n')
    out.append("            </TextLine>\n")


def _string(word: Word, content: str, ids: Ids, part: tuple[str, str] | None) -> str:
    more = ""
    if part is not None:
        more = f' SUBS_TYPE="{part[0]}" SUBS_CONTENT="{markup.attribute(part[1])}"'
        if part[0] == "HypPart1":
            content = content[:-1]  # the hyphen is the line's HYP
    attrs = f'ID="{ids("word")}" CONTENT="{markup.attribute(content)}"{_position(word.box)}'
    attrs += f' WC="{_word_confidence(word.conf)}"{more}'
    if word.final == word.raw:
        return f"              <String {attrs}/>\n"
    alternative = f'<ALTERNATIVE PURPOSE="OCR reading">{markup.text(word.raw)}</ALTERNATIVE>'
    return f"              <String {attrs}>\n                {alternative}\n              </String>\n"


def _marker(marker: Raised, ids: Ids) -> str:
    """A footnote marker's String: its own, in superscript, where the record has its box; its ids are of
    their own kind, so the words keep the ids they have in hOCR."""
    position = _position(marker.box) if marker.box else ""
    content = markup.attribute(marker.text)
    return (
        f'              <String ID="{ids("marker")}" CONTENT="{content}"{position} WC="{marker.conf}"'
        ' STYLE="superscript"/>\n'
    )


def _space(left: Box, right: Box) -> str:
    """The gap between two words of a line."""
    return (
        f'              <SP HPOS="{left[2]}" VPOS="{min(left[1], right[1])}" WIDTH="{max(0, right[0] - left[2])}"/>\n'
    )


def _position(box: Box) -> str:
    """` HPOS="..." VPOS="..." WIDTH="..." HEIGHT="..."`."""
    x0, y0, x1, y1 = box
    return f' HPOS="{x0}" VPOS="{y0}" WIDTH="{x1 - x0}" HEIGHT="{y1 - y0}"'
