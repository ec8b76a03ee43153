"""The canonical page record: page -> lines -> words, read and written as JSON.

Every stage reads and writes this record and every output is rendered from it, so it
keeps both the OCR reading (`raw`) and the current text (`final`) of each word, with the
list of changes that led from one to the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]
"""x0, y0, x1, y1 in pixels of the prepared (upright, deskewed) page image."""
Choices = tuple[tuple[tuple[str, float], ...], ...]
"""Tesseract's choices for a word, glyph by glyph: the glyph as read and its confidence among the choices (0-100),
then the other readings of that glyph above confidence 0, best first."""


@dataclass
class Change:
    """One proposed or applied change to a word, kept so it can be reviewed or reverted."""

    raw: str
    final: str
    reason: str
    confidence: float
    applied: bool = True
    alternatives: list[str] = field(default_factory=list)
    """Other candidates considered, best first."""
    repair: str = ""
    """The repair that proposed it (a `correct.scorer.Repair`); empty for a layout step's or a reviewer's."""
    joined: bool = False
    """The word's text went into the word before it (one word OCR read as two): the exports give that word
    both boxes, and it is no change of its own to review."""


@dataclass
class Superscript:
    """Small raised type ending a word, found in the image: a footnote marker (`hopes.¹¹`, `cendel,*`)."""

    text: str
    """As it ends the word's final text: figures in Unicode superscript (`¹¹`), marks as they are (`*`, `†`)."""
    box: Box
    """Its own box, inside or just after the word's, in the prepared page's pixels."""


@dataclass
class Stamp:
    """A stamp, seal or other ink over the print, taken out of the image OCR read: noise, with its own words
    read from its own ink (`stamp_words.py`), never part of the page's text."""

    box: Box
    """In the scan's pixels, not the prepared page's (it was found before the scan was turned)."""
    text: str = ""
    """Its words as read, a line of the stamp a line; empty when none was read with confidence, or in records
    written before stamps were read."""
    conf: float = 0.0
    """Tesseract's mean confidence over the words of `text`, 0-100."""
    angle: float = 0.0
    """Degrees counter-clockwise its lines stand from the scan's rows (a stamp is pressed at an angle)."""


@dataclass
class Figure:
    """A figure (a drawing, engraving, photograph or ornament) painted to paper in the image OCR read, so
    that its strokes are not read as text (`figures.py`): kept so that the editor sees what was left out,
    and whether any type was inside it."""

    box: Box
    """In the scan's pixels, not the prepared page's (it was found before the scan was turned)."""


@dataclass
class Word:
    raw: str
    box: Box
    conf: float
    """Tesseract's word confidence, 0-100."""
    final: str = None  # type: ignore[assignment]  # None on construction only: `__post_init__` makes it the reading
    """The current text: as read unless given. Empty when a change removed it."""
    changes: list[Change] = field(default_factory=list)
    choices: Choices | None = None
    """Tesseract's alternatives for the word's glyphs, where it had any (None: it had none, or the page was read
    by the `tesseract` command, or before ocrfix kept them)."""
    marker: Superscript | None = None
    """The footnote marker ending `final`, read from the image (`markers.py`); None when it has none, or in
    records written before markers had boxes (the exports then find its text from the word's changes)."""
    above: str | None = None
    """What the page image shows over each letter of the word's core as read (`split_token(raw)[1]`): `^` a
    mark, `.` none, `?` cannot tell (`accents.ink_above`); None where not looked at (a word not capitalised,
    glyphs that did not part into its letters, a record written before ocrfix looked)."""

    def __post_init__(self) -> None:
        if self.final is None:
            self.final = self.raw


@dataclass
class Line:
    box: Box
    words: list[Word]
    block: int
    par: int
    role: str = "body"
    """body, head (running head), folio, noise or footnote (a note set in small type at the page foot, after
    the body: `footnotes.py`); body lines make the reading text, and footnotes follow them, apart."""
    hyphen: str = ""
    """For a body or footnote line ending in a hyphen: "join" (a word broken at the line end: drop the hyphen)
    or "keep" (a real hyphen: Serge-Trotsky); the next body line may be on the next page, a note's is its own."""

    @property
    def raw_text(self) -> str:
        return " ".join(w.raw for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.final for w in self.words if w.final)


@dataclass
class Page:
    id: str
    source: str
    """The scan file the page came from (as given on the command line)."""
    frame: int
    """0-based page index inside a multi-page TIFF or PDF, 0 otherwise."""
    width: int
    height: int
    """Size of the prepared page (upright, deskewed) that Tesseract read: the frame of every box in the record."""
    dpi: float
    dpi_estimated: bool
    rotation: int
    """Degrees clockwise the scan was turned to make it upright."""
    skew: float
    """Skew angle measured on the scan, degrees; corrected in the prepared image."""
    steps: list[str]
    """Preprocessing steps applied, in order."""
    lang: str
    lines: list[Line] = field(default_factory=list)
    continues: bool = False
    """The page's first paragraph continues the previous page's last (set by the volume pass)."""
    cache_key: str = ""
    """Digest of the scan's content and the settings that made this record: a rerun with the same key skips the page."""
    scan_width: int = 0
    scan_height: int = 0
    """Size of the scan itself in pixels (0 in records older than ocrfix 0.2)."""
    outputs: dict[str, str] = field(default_factory=dict)
    """SHA-256 of each file written from this record, by suffix (`.txt`, `.hocr`, ...): a rerun redoes a
    page whose file no longer matches (a text truncated by hand keeps its modification time)."""
    stamps: list[Stamp] = field(default_factory=list)
    """The stamps, seals and other ink over the print that preprocessing took out of the image Tesseract read
    (`Prepared.stamps`), with their own words. Empty in records written before stamps were looked for; in
    those written before their words were read, boxes alone (read as stamps with no text)."""
    figures: list[Figure] = field(default_factory=list)
    """The figures painted to paper in the image Tesseract read (`Prepared.figures`): none of their ink was
    read. Empty in records written before figures were kept."""

    @property
    def scan_size(self) -> tuple[int, int]:
        """(width, height) of the scan; for old records, the prepared size turned back (exact unless deskewed)."""
        if self.scan_width and self.scan_height:
            return self.scan_width, self.scan_height
        return (self.height, self.width) if self.rotation % 180 == 90 else (self.width, self.height)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    def to_json(self) -> str:
        """One compact line: records are written twice per page in a run, and the encoder is
        several times faster without indentation and without copying the record first."""
        return json.dumps(self, default=vars, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Page:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        lines = [_line_from_dict(ld) for ld in data.get("lines", [])]
        stamps = [_stamp(item) for item in data.get("stamps", [])]
        figures = [Figure(tuple(item["box"])) for item in data.get("figures", [])]  # type: ignore[arg-type]
        return cls(**{**data, "lines": lines, "stamps": stamps, "figures": figures})


def _line_from_dict(data: dict[str, Any]) -> Line:
    words = [
        Word(
            **{
                **wd,
                "box": tuple(wd["box"]),
                "changes": [Change(**c) for c in wd.get("changes", [])],
                "choices": None if wd.get("choices") is None else choices_from_json(wd["choices"]),
                "marker": None if wd.get("marker") is None else _superscript(wd["marker"]),
            }
        )
        for wd in data["words"]
    ]
    return Line(**{**data, "box": tuple(data["box"]), "words": words})


def _stamp(data: dict[str, Any] | list[int]) -> Stamp:
    """A stamp of the record: an object, or in records written before stamps were read, its box alone."""
    if isinstance(data, list):
        return Stamp(tuple(data))  # type: ignore[arg-type]  # four ints
    return Stamp(**{**data, "box": tuple(data["box"])})


def _superscript(data: dict[str, Any]) -> Superscript:
    return Superscript(**{**data, "box": tuple(data["box"])})


def choices_from_json(data: list[list[list[Any]]]) -> Choices:
    """`Word.choices` from JSON's lists."""
    return tuple(tuple((str(text), float(conf)) for text, conf in glyph) for glyph in data)
