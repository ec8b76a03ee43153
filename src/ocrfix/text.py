"""Plain-text renderings of page records: the aligned lines and the reading text.

One place decides what each text output holds, so `.raw.txt`, `.lines.txt`, `.txt` and
`volume.txt` always agree with each other and with the page record.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from .model import Line, Page

_BROKEN_WORD = regex.compile(r"\p{L}[-\u00ad\u2010\u00ac]$")
_CONTINUATION = regex.compile(r"^\p{Ll}")


def raw_lines(page: Page) -> str:
    """The OCR as read, one printed line per text line."""
    return "".join(line.raw_text + "\n" for line in page.lines)


def corrected_lines(page: Page) -> str:
    """The current text, one printed line per text line: line i matches line i of raw_lines."""
    return "".join(line.text + "\n" for line in page.lines)


def paragraphs(page: Page) -> list[str]:
    """The page's body text as paragraphs, line-end hyphenation joined."""
    result: list[str] = []
    current: list[Line] = []
    for line in page.lines:
        if line.role != "body":
            continue
        if current and (line.block, line.par) != (current[-1].block, current[-1].par):
            result.append(join_lines(line.text for line in current))
            current = []
        current.append(line)
    if current:
        result.append(join_lines(line.text for line in current))
    return [p for p in result if p]


def join_lines(lines: Iterable[str]) -> str:
    """Lines of one paragraph as one line. A hyphen at a line end joins without a space; it is
    dropped when the second part starts in lower case (`Representa-` + `tion`) and kept before a
    capital (`Serge-` + `Trotsky`). Other line ends become spaces."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if _BROKEN_WORD.search(text):
            text = (text[:-1] if _CONTINUATION.match(line) else text) + line
        else:
            text = f"{text} {line}" if text else line
    return text


def reading_text(page: Page) -> str:
    """The page's reading text: body paragraphs only, one per line."""
    return "".join(p + "\n" for p in paragraphs(page))


def volume_text(pages: Iterable[Page]) -> str:
    """The reading text of the volume: every page's paragraphs, a blank line between paragraphs."""
    return "\n".join(p + "\n" for page in pages for p in paragraphs(page))
