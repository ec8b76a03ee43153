"""Correction of OCR text that exists without images (`ocrfix correct`): line structure and spacing kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .layout import ends_broken
from .revise import propose_line
from .words import Corrector, Proposal, Token, apply

_TOKEN = regex.compile(r"\S+")
_HEADING = regex.compile(r"^\s{0,3}#{1,6}(?=\s)")
"""A markdown heading's marks (`## Chapter`): OCR text kept as markdown, as the seed is; markup, not specks."""


@dataclass(frozen=True)
class TextChange:
    line: int
    """1-based line number."""
    raw: str
    final: str
    reason: str
    confidence: float
    applied: bool
    alternatives: tuple[str, ...] = ()


def _spans(line: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the words start (after a markdown heading's marks) and each word's span."""
    heading = _HEADING.match(line)
    start = heading.end() if heading else 0
    return start, [m.span() for m in _TOKEN.finditer(line, start)]


PRINTED_LINE_CHARS = 120
"""No printed line of a book or a newspaper column is longer: a line that is holds a whole paragraph."""
_OPENS_SENTENCE = regex.compile(r"^\s*(?:#{1,6}\s+)?[\p{Pi}\p{Ps}\"'*-]*\p{Lu}")


def paragraph_ends(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it closes a paragraph and the next one opens a sentence with a capital.
    A paragraph ends before a blank line, and where a line longer than any printed line (a paragraph
    on one line) ends. In a text that keeps a paragraph a line (most of its letters stand on such
    lines), a short line before a long one is a paragraph or a heading of its own; short lines in a row
    are verse, an address or a list, printed line by line."""
    lengths = [len(line) for line in lines if line.strip()]
    paragraphs = sum(n for n in lengths if n > PRINTED_LINE_CHARS) * 2 > sum(lengths)
    ends = []
    for k, line in enumerate(lines):
        following = next((later for later in lines[k + 1 :] if later.strip()), "")
        blank_next = k + 1 < len(lines) and not lines[k + 1].strip()
        before_paragraph = paragraphs and len(following) > PRINTED_LINE_CHARS
        closes = len(line) > PRINTED_LINE_CHARS or blank_next or before_paragraph
        ends.append(bool(line.strip()) and closes and _OPENS_SENTENCE.match(following) is not None)
    return ends


def correct_line(line: str, corrector: Corrector, broken_before: bool = False,
                 ends_paragraph: bool = False) -> tuple[str, list[Proposal], list[Token]]:
    """The corrected line, the proposals, and the tokens they index. The halves of a word broken at a
    line end (`Representa-` / `tion`, a blank line between at a page break) are left as read: each
    alone is no word, and the line structure is kept, so they are not joined."""
    start, spans = _spans(line)
    tokens = [Token(line[a:b]) for a, b in spans]
    proposals = propose_line(corrector, tokens, broken_before=broken_before, ends_paragraph=ends_paragraph)
    new = apply(tokens, proposals, corrector.params)
    # a dropped word takes the space before it with it; the first word kept takes the line's indent
    indent = line[start : spans[0][0]] if spans else ""
    out, last, kept = [line[:start]], start, False
    for (a, b), word in zip(spans, new, strict=True):
        if word:
            out.append((line[last:a] if kept else indent) + word)
            kept = True
        last = b
    out.append(line[last:])
    return "".join(out), proposals, tokens


REPORT_HEADER = ("line", "raw", "corrected", "confidence", "reason", "applied", "alternatives")


def report_rows(changes: list[TextChange]) -> list[tuple[str, ...]]:
    return [REPORT_HEADER] + [
        (str(c.line), c.raw, c.final, f"{c.confidence:.3f}", c.reason, "yes" if c.applied else "no", "|".join(c.alternatives))
        for c in changes
    ]


def correct_text(text: str, corrector: Corrector) -> tuple[str, list[TextChange]]:
    """The corrected text, line for line, and every change proposed (applied or for review)."""
    lines_out: list[str] = []
    changes: list[TextChange] = []
    corrector = corrector.for_document(text.split())
    broken = False
    lines = text.split("\n")
    for number, (line, ends) in enumerate(zip(lines, paragraph_ends(lines), strict=True), start=1):
        fixed, proposals, tokens = correct_line(line, corrector, broken, ends)
        if tokens:
            broken = ends_broken(tokens[-1].text)
        lines_out.append(fixed)
        for p in proposals:
            raw = " ".join(t.text for t in tokens[p.start : p.end])
            changes.append(TextChange(number, raw, p.text, p.reason, p.confidence, p.applied(corrector.params), p.alternatives))
    return "\n".join(lines_out), changes
