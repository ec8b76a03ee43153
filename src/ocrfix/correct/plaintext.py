"""Correction of OCR text that exists without images (`ocrfix correct`): line structure and spacing kept."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import regex

from ..outputs import CHANGE_COLUMNS, change_fields
from ..tokens import ends_broken
from .reflow import LIST_MARK, Kind, reflow
from .revise import propose_line
from .words import Corrector, Proposal, Token, apply

_TOKEN = regex.compile(r"<(su[pb])>[^<>]*</\1>|<[^<>\s][^<>]*>|[^\s<]+|<")
"""A word, or a piece of HTML markup kept as it is (`<sup>2</sup>`, a footnote's marker, is apart from its word)."""
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
    repair: str = ""
    """The repair that proposed it (a `scorer.Repair`); empty for a change of structure."""


def _spans(line: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the words start (after a markdown heading's marks) and each word's or markup's span."""
    heading = _HEADING.match(line)
    start = heading.end() if heading else 0
    return start, [m.span() for m in _TOKEN.finditer(line, start)]


def _markup(token: str) -> bool:
    return token.startswith("<") and token.endswith(">") and len(token) > 2


PRINTED_LINE_CHARS = 120
"""No printed line of a book or a newspaper column is longer: a line that is holds a whole paragraph."""
_OPENS_SENTENCE = regex.compile(r"^\s*(?:#{1,6}\s+)?[\p{Pi}\p{Ps}\"'*-]*\p{Lu}")


def keeps_paragraphs(lengths: Iterable[int]) -> bool:
    """Whether a text keeps a paragraph a line: most of its letters (the lengths of its non-blank lines)
    stand on lines longer than any printed line."""
    long = total = 0
    for n in lengths:
        total += n
        long += n if n > PRINTED_LINE_CHARS else 0
    return long * 2 > total


def lines_keep_paragraphs(lines: Iterable[str]) -> bool:
    """`keeps_paragraphs` of a text's lines (a text read line by line counts its lengths as it goes)."""
    return keeps_paragraphs(len(line) for line in lines if line.strip())


def paragraph_ends(lines: Sequence[str], paragraphs: bool | None = None, after: str = "") -> list[bool]:
    """For each line, whether it closes a paragraph and the next one opens a sentence with a capital.
    A paragraph ends before a blank line, and where a line longer than any printed line (a paragraph
    on one line) ends. In a text that keeps a paragraph a line (`paragraphs`; by default judged from
    these lines), a short line before a long one is a paragraph or a heading of its own; short lines in
    a row are verse, an address or a list, printed line by line. `after`: the first non-blank line after
    these (a block of a longer text)."""
    if paragraphs is None:
        paragraphs = lines_keep_paragraphs(lines)
    following = [after] * len(lines)  # the next non-blank line after each
    for k in range(len(lines) - 2, -1, -1):
        following[k] = lines[k + 1] if lines[k + 1].strip() else following[k + 1]
    ends = []
    for k, line in enumerate(lines):
        blank_next = k + 1 < len(lines) and not lines[k + 1].strip()
        before_paragraph = paragraphs and len(following[k]) > PRINTED_LINE_CHARS
        closes = len(line) > PRINTED_LINE_CHARS or blank_next or before_paragraph
        ends.append(bool(line.strip()) and closes and _OPENS_SENTENCE.match(following[k]) is not None)
    return ends


@dataclass(frozen=True)
class CorrectedLine:
    text: str
    proposals: list[Proposal]
    tokens: list[Token]
    """The words the proposals index (markup left out)."""
    spans: list[tuple[int, int]]
    """Each token's span in the line as read."""


def correct_line(
    line: str, corrector: Corrector, broken_before: bool = False, ends_paragraph: bool = False
) -> CorrectedLine:
    """The corrected line, the proposals, and the tokens they index. The halves of a word broken at a
    line end (`Representa-` / `tion`, a blank line between at a page break) are left as read: each
    alone is no word, and the line structure is kept, so they are not joined. HTML markup is no word:
    it stays as it is, and the words on either side are neighbours."""
    start, spans = _spans(line)
    words = [(a, b) for a, b in spans if not _markup(line[a:b])]
    tokens = [Token(line[a:b]) for a, b in words]
    proposals = propose_line(corrector, tokens, broken_before=broken_before, ends_paragraph=ends_paragraph)
    new = dict(zip(words, apply(tokens, proposals, corrector.params), strict=True))
    # a dropped word takes the space before it with it; the first word kept takes the line's indent
    indent = line[start : spans[0][0]] if spans else ""
    out, last, kept = [line[:start]], start, False
    for a, b in spans:
        word = new.get((a, b), line[a:b])
        if word:
            out.append((line[last:a] if kept else indent) + word)
            kept = True
        last = b
    out.append(line[last:])
    return CorrectedLine("".join(out), proposals, tokens, words)


REPORT_HEADER = ("line", *CHANGE_COLUMNS)


def report_rows(changes: list[TextChange]) -> list[tuple[str, ...]]:
    return [REPORT_HEADER, *((str(c.line), *change_fields(c)) for c in changes)]


@dataclass(frozen=True)
class Block:
    """Consecutive lines of a text, corrected together, with what their correction needs of the rest."""

    lines: Sequence[str]
    """Without their line ends."""
    paragraphs: bool
    """The whole text keeps a paragraph a line (`keeps_paragraphs`)."""
    broken: bool = False
    """The last line with words before the block ends in a broken word (`Representa-`)."""
    after: str = ""
    """The first non-blank line after the block."""
    first: int = 1
    """The number of its first line in the text."""


def corrected_block(block: Block, corrector: Corrector) -> Iterator[CorrectedLine]:
    """Each line of the block corrected, in order (`corrector` already knows the whole text's words): a
    line's correction needs only itself, whether a broken word ends the line before, and whether it ends
    a paragraph, so a text corrected block by block reads as one corrected whole."""
    broken = block.broken
    for line, ends in zip(block.lines, paragraph_ends(block.lines, block.paragraphs, block.after), strict=True):
        fixed = correct_line(line, corrector, broken, ends)
        if fixed.tokens:
            broken = ends_broken(fixed.tokens[-1].text)
        yield fixed


def corrected_lines(text: str, corrector: Corrector) -> Iterator[CorrectedLine]:
    """Each line of the text corrected, in order (`corrector` already knows the text's words)."""
    lines = text.split("\n")
    return corrected_block(Block(lines, lines_keep_paragraphs(lines)), corrector)


def last_word(line: str) -> str | None:
    """The line's last word as `correct_line` reads it (markup left out), None without one."""
    words = [line[a:b] for a, b in _spans(line)[1] if not _markup(line[a:b])]
    return words[-1] if words else None


def text_changes(fixed: CorrectedLine, corrector: Corrector, line_of: Callable[[int], int]) -> list[TextChange]:
    """The line's proposals as report rows; `line_of` gives the input line of a character offset."""
    return [
        TextChange(
            line_of(fixed.spans[p.start][0]),
            " ".join(t.text for t in fixed.tokens[p.start : p.end]),
            p.text,
            p.reason,
            p.confidence,
            p.applied(corrector.params),
            p.alternatives,
            p.repair,
        )
        for p in fixed.proposals
    ]


def reflow_text(text: str, corrector: Corrector, markdown: bool) -> tuple[str, list[TextChange]]:
    """The reading text of a volume's OCR text (see `reflow`): a paragraph a line, a blank line
    between blocks, its words corrected; every line removed or joined and every word changed, each
    at its line in the input. Tables, rules and HTML lines pass as they are."""
    paragraphs, structure = reflow(text, corrector.lexicon, markdown)
    corrector = corrector.for_document(text.split())
    changes = [TextChange(c.line, c.raw, c.final, c.reason, c.confidence, True) for c in structure]
    rendered = [p.render() for p in paragraphs]
    out = []
    for k, (paragraph, (body, starts)) in enumerate(zip(paragraphs, rendered, strict=True)):
        if paragraph.kind in (Kind.TABLE, Kind.RULE, Kind.HTML):
            out.append(body)
            continue
        following = rendered[k + 1][0] if k + 1 < len(rendered) else ""
        mark = LIST_MARK.match(body) if paragraph.kind is Kind.LIST else None
        prefix = mark.group(0) if mark else ""
        fixed = correct_line(
            body[len(prefix) :], corrector, ends_paragraph=_OPENS_SENTENCE.match(following) is not None
        )
        changes += text_changes(fixed, corrector, _input_line(starts, len(prefix)))
        out.append(prefix + fixed.text)
    changes.sort(key=lambda c: c.line)
    return "\n\n".join(out) + ("\n" if out else ""), changes


def _input_line(starts: Sequence[tuple[int, int]], skipped: int) -> Callable[[int], int]:
    """The input line of a character offset in a paragraph's corrected words, its list mark (`skipped`
    characters) left out: `starts` holds where each input line's text begins in the paragraph."""
    offsets = [offset for offset, _ in starts]
    return lambda at: starts[bisect_right(offsets, at + skipped) - 1][1]
