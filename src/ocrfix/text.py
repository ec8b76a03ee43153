"""Plain-text renderings of page records: the aligned lines and the reading text.

One place decides what each text output holds, so `.raw.txt`, `.lines.txt`, `.txt` and
`volume.txt` always agree with each other and with the page record.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Line, Page


def raw_lines(page: Page) -> str:
    """The OCR as read, one printed line per text line."""
    return "".join(line.raw_text + "\n" for line in page.lines)


def corrected_lines(page: Page) -> str:
    """The current text, one printed line per text line: line i matches line i of raw_lines."""
    return "".join(line.text + "\n" for line in page.lines)


def paragraph_lines(page: Page) -> list[list[Line]]:
    """The page's body lines grouped into paragraphs, as Tesseract found them."""
    result: list[list[Line]] = []
    for line in page.lines:
        if line.role != "body" or not line.text:
            continue
        if result and (line.block, line.par) == (result[-1][-1].block, result[-1][-1].par):
            result[-1].append(line)
        else:
            result.append([line])
    return result


def join_lines(lines: Iterable[Line]) -> str:
    """Lines of one paragraph as one line. A line-end hyphen the volume pass marked "join" is
    dropped (`Representa-` + `tion`), one marked "keep" stays (`Serge-` + `Trotsky`), both
    without a space; other line ends become spaces."""
    text = ""
    previous: Line | None = None
    for line in lines:
        words = line.text
        if previous is None:
            text = words
        elif previous.hyphen == "join":
            text = text[:-1] + words
        elif previous.hyphen == "keep":
            text += words
        else:
            text = f"{text} {words}"
        previous = line
    return text


def reading_text(page: Page) -> str:
    """The page's reading text: body paragraphs only, one per line."""
    return "".join(join_lines(p) + "\n" for p in paragraph_lines(page))


def volume_text(pages: Iterable[Page]) -> str:
    """The reading text of the volume, one paragraph per line and a blank line between paragraphs;
    a paragraph broken by a page break is one paragraph again."""
    paragraphs: list[list[Line]] = []
    for page in pages:
        found = paragraph_lines(page)
        if page.continues and paragraphs and found:
            paragraphs[-1].extend(found.pop(0))
        paragraphs.extend(found)
    return "\n".join(join_lines(p) + "\n" for p in paragraphs)
