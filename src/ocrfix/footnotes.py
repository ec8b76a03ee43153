"""Footnote blocks: the notes a page prints at its foot, told from the record's geometry and their markers.

A footnote is set in smaller type than the body, below the body's last line with a gap (or a rule, which
leaves one), and opens with its marker (`*`, `†`, a figure), the same marker a word of the page's body
ends in (`cendel,*` … `* A rich description of silk.`). The lines from such a line to the page's foot,
all in the small type, are the page's footnote block: their role becomes "footnote", so the reading text
gives them after the page's body, apart from the paragraph that goes on on the next page (`text.py`), and
the hyphenation across the page break joins the body's last line, not the note's.

The body's marker is what tells a note from other small type at a page foot that opens with a mark: a
quotation of verse (`“He seeth hir shape …`, its opening quote read as `*`) has none in the body.
"""

from __future__ import annotations

import statistics
import unicodedata

import regex

from .model import Line, Page

SMALL = 0.9
"""Greatest height of a note's words (their median, in the body's median word heights). Measured on the
four pages of oldbooks-dev with notes: notes 0.60-0.85; the body lines of its 151 pages: see `MIN_BODY`."""
GAP = 0.5
"""Least gap (in the body's line pitch) between the body's last line and a note's first. Measured on
oldbooks-dev: 0.86-1.28 above notes, 0.05-0.30 between the lines of a paragraph."""
MIN_BODY = 3
"""Fewest body lines above a footnote block: a page with less has no body to measure type and pitch by."""
ROLE = "footnote"

_MARKER = regex.compile(r"^[(\[]?([*†‡§¶]+|\d{1,3})[)\]]?")
"""A note's opening marker: marks (`*`, `**`, `†`), figures, either in brackets; superscripts folded first."""
_ENDS_IN_MARKER = regex.compile(r"(?:^|[\p{L}\p{P}])([*†‡§¶]+)$|[\p{L}\p{P}](\d{1,3})$")
"""A body word ending in a marker, or a word that is one (`Ochus,*`, `eodem.” *`, `hopes.11`); a figure
must follow a letter or a mark (a year, `1265`, is no marker)."""
_WORDLIKE = regex.compile(r"\p{L}{3}")


def mark_footnote_blocks(pages: list[Page]) -> None:
    """Decide every page's footnote block afresh (a rerun with the same records agrees with itself); run after
    running heads and folios are marked, as a folio below the notes is no note."""
    for page in pages:
        for line in page.lines:
            if line.role == ROLE:
                line.role = "body"
        for line in footnote_block(page):
            line.role = ROLE


def footnote_block(page: Page) -> list[Line]:
    """The body lines of the page that are its footnote block (see the module's docstring), top to bottom;
    empty when it has none."""
    lines = sorted((line for line in page.lines if line.role == "body" and line.text), key=lambda line: line.box[1])
    if len(lines) <= MIN_BODY:
        return []
    height = statistics.median(h for line in lines if (h := _word_height(line)))
    tops = [line.box[1] for line in lines]
    pitch = statistics.median(b - a for a, b in zip(tops, tops[1:], strict=False))
    start = len(lines)
    while start > MIN_BODY and 0 < _word_height(lines[start - 1]) <= SMALL * height:
        start -= 1  # the trailing run of lines in small type
    for first in range(start, len(lines)):
        gap = lines[first].box[1] - lines[first - 1].box[3]
        opening = _opening_marker(lines[first])
        if gap >= GAP * pitch and opening and opening in _body_markers(lines[:first]):
            return lines[first:]
    return []


def notes(page: Page) -> list[list[Line]]:
    """The page's footnote lines (in the record's order) grouped into notes: a note begins at a line that
    opens with a marker the body's words end in (a block may hold `*` and `†`, each of some lines)."""
    footnotes = [line for line in page.lines if line.role == ROLE and line.text]
    if not footnotes:
        return []  # most pages: their body's markers not looked for (every text of every page asks)
    markers = _body_markers([line for line in page.lines if line.role == "body"])
    found: list[list[Line]] = []
    for line in footnotes:
        if not found or _opening_marker(line) in markers:
            found.append([line])
        else:
            found[-1].append(line)
    return found


def _word_height(line: Line) -> float:
    """The median height of the line's words that hold letters (0 when none does): the size of its type,
    less swayed by a capital or a descender than the line's box."""
    heights = [w.box[3] - w.box[1] for w in line.words if w.final and any(ch.isalpha() for ch in w.final)]
    return statistics.median(heights) if heights else 0.0


def _opening_marker(line: Line) -> str:
    """The marker a note's first line opens with, followed by words ('' when it opens with none)."""
    text = unicodedata.normalize("NFKC", line.text)
    found = _MARKER.match(text)
    if not found or not _WORDLIKE.search(text[found.end() :]):
        return ""
    return found.group(1)


def _body_markers(lines: list[Line]) -> set[str]:
    """The markers the words of these lines end in."""
    found = set()
    for line in lines:
        for word in line.text.split():
            match = _ENDS_IN_MARKER.search(unicodedata.normalize("NFKC", word))
            if match:
                found.add(match.group(1) or match.group(2))
    return found
