"""The one walk over a page record that every export format shares: page -> blocks -> paragraphs -> lines -> words.

Formats differ in their markup, not in what they say: a block (Tesseract's text area), its
paragraphs, their lines and the words with their boxes, confidences, OCR reading and final text.
Words a correction emptied are left out (noise removed), or folded into the word they were joined to
(`C` + `oyoacan`: one word `Coyoacán` over both boxes); lines with no word left are left out.
`blocks` keeps the record's boxes (the prepared page's pixels); `blocks_on_scan` gives the boxes on
the scan, which is what hOCR, ALTO and PAGE describe. Next to the text, `noise_on_scan` gives the page's
noise regions (the stamps taken out of the image OCR read), which every format lists apart from the text,
each with the stamp's own words where they were read, never among the page's words; `figures_on_scan`
gives the figures painted to paper before OCR read the page, which every format lists as an image area
holding no text, so an editor sees where the page was not read.
A footnote marker ending a word (`hopes.¹¹`) is told apart by `superscript`, for the formats that mark its
style; its text stays as the texts have it (superscript figures), so every format says the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..geometry import ScanMap
from ..markers import MARKS
from ..markers import REPAIR as MARKER_REPAIR
from ..model import Box, Figure, Line, Page, Stamp, Word

_RAISED = frozenset(MARKS.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")))
"""What a marker `markers.py` wrote may be made of: superscript figures, and the marks as they are."""


@dataclass(frozen=True)
class ExportLine:
    line: Line
    words: list[Word]
    """The words that still have text, in reading order."""
    index: int
    """0-based position of the line in the page record (and in lines.txt)."""


@dataclass(frozen=True)
class Paragraph:
    par: int
    box: Box
    lines: list[ExportLine]


@dataclass(frozen=True)
class Block:
    block: int
    box: Box
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class Raised:
    """A word's footnote marker, apart from the word's own text."""

    text: str
    box: Box | None
    """On the scan where the exports use it; None in records written before markers had boxes."""
    conf: float
    """The re-reading's confidence, 0-1."""


def superscript(word: Word) -> tuple[str, Raised | None]:
    """The word's text without its footnote marker, and the marker: the record's (`Word.marker`), or in an
    older record the superscript figures and marks ending a word that `markers.py` changed. (`hopes.`,
    `¹¹`); the word's whole text and None when it has no marker."""
    text = word.final or ""
    change = next((c for c in reversed(word.changes) if c.applied and c.repair == MARKER_REPAIR), None)
    if change is None:
        return text, None
    if word.marker is not None and text.endswith(word.marker.text):
        return text[: -len(word.marker.text)], Raised(word.marker.text, word.marker.box, change.confidence)
    core = text.rstrip("".join(_RAISED))
    if word.marker is not None or core == text or not core:
        return text, None
    return core, Raised(text[len(core) :], None, change.confidence)


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def blocks(page: Page) -> list[Block]:
    """The page's text as nested blocks and paragraphs, in the record's reading order."""
    result: list[Block] = []
    for index, line in enumerate(page.lines):
        words = _visible_words(line)
        if not words:
            continue
        entry = ExportLine(line, words, index)
        if not result or result[-1].block != line.block:
            result.append(Block(line.block, line.box, []))
        block = result[-1]
        if not block.paragraphs or block.paragraphs[-1].par != line.par:
            block.paragraphs.append(Paragraph(line.par, line.box, []))
        block.paragraphs[-1].lines.append(entry)
    return [
        Block(
            b.block,
            union([e.line.box for p in b.paragraphs for e in p.lines]),
            [Paragraph(p.par, union([e.line.box for e in p.lines]), p.lines) for p in b.paragraphs],
        )
        for b in result
    ]


def blocks_on_scan(page: Page) -> list[Block]:
    """The walk with every box mapped onto the scan: the upright rectangle around the mapped box."""
    scan_map = ScanMap.of(page)
    if scan_map.identity:
        return blocks(page)
    to_scan = scan_map.box
    return [Block(b.block, to_scan(b.box), [_paragraph_on(p, to_scan) for p in b.paragraphs]) for b in blocks(page)]


def noise_on_scan(page: Page) -> list[Stamp]:
    """The page's noise regions, on the scan: the stamps, seals and other ink over the print that
    preprocessing took out of the image OCR read, with their own words. They were found on the scan before
    it was turned or deskewed, so their boxes are the scan's pixels already and are not mapped."""
    return list(page.stamps)


def figures_on_scan(page: Page) -> list[Figure]:
    """The page's figures, on the scan: the drawings, engravings and photographs painted to paper before OCR
    read the page. Found on the scan before it was turned, like the stamps, so their boxes are not mapped."""
    return list(page.figures)


def _paragraph_on(par: Paragraph, to_scan: Callable[[Box], Box]) -> Paragraph:
    lines = [
        ExportLine(replace(e.line, box=to_scan(e.line.box)), [_word_on(w, to_scan) for w in e.words], e.index)
        for e in par.lines
    ]
    return Paragraph(par.par, to_scan(par.box), lines)


def _word_on(word: Word, to_scan: Callable[[Box], Box]) -> Word:
    marker = word.marker and replace(word.marker, box=to_scan(word.marker.box))
    return replace(word, box=to_scan(word.box), marker=marker)


def _visible_words(line: Line) -> list[Word]:
    words: list[Word] = []
    for w in line.words:
        if w.final:
            words.append(w)
        elif words and w.changes and w.changes[-1].joined:
            words[-1] = replace(words[-1], box=union([words[-1].box, w.box]))
    return words
