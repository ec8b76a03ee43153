"""Plain-text renderings of page records: the aligned lines and the reading text.

One place decides what each text output holds, so `.raw.txt`, `.lines.txt`, `.txt` and
`volume.txt` always agree with each other and with the page record.
"""

from __future__ import annotations

from collections.abc import Iterable

from .footnotes import notes
from .model import Line, Page

FOOTNOTE = "[Footnote: {}]"
"""How a footnote stands in a reading text: its own paragraph after its page's body (after the paragraph
that goes on over the page break, in the volume's text), bracketed and labelled as Project Gutenberg's
texts set a note moved off its page, so it reads as no part of the body and a script finds it by its label."""


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


def footnote_texts(page: Page) -> list[str]:
    """The page's footnotes as the reading text writes them (`FOOTNOTE`), one a paragraph."""
    return [FOOTNOTE.format(join_lines(note)) for note in notes(page)]


def reading_text(page: Page) -> str:
    """The page's reading text: its body paragraphs, then its footnotes, one per line."""
    return "".join(text + "\n" for text in [*map(join_lines, paragraph_lines(page)), *footnote_texts(page)])


def volume_text(pages: Iterable[Page]) -> str:
    """The reading text of the volume, one paragraph per line and a blank line between paragraphs;
    a paragraph broken by a page break is one paragraph again, and the footnotes of the page it broke on
    follow it whole."""
    paragraphs: list[list[Line]] = []
    texts: list[str] = []
    waiting: list[str] = []
    """Footnotes of the pages the last paragraph ran over: they follow it once it ends."""
    for page in pages:
        found = paragraph_lines(page)
        if page.continues and paragraphs and found:
            paragraphs[-1].extend(found.pop(0))
        if found:
            texts += [join_lines(p) for p in paragraphs] + waiting
            paragraphs, waiting = found, []
        waiting += footnote_texts(page)
    texts += [join_lines(p) for p in paragraphs] + waiting
    return "\n".join(text + "\n" for text in texts)
