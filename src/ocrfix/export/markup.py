"""XML written as text, byte for byte as lxml's `tostring(..., encoding="UTF-8", pretty_print=True)` wrote it.

Building lxml elements costs about 9 µs an element (each attribute checked and set on its own), serialising
them a tenth of that; a page's words and spaces are thousands of elements. The formats write their markup as
text instead, escaped as libxml2 escapes it, and refuse what lxml refuses (`ValueError`: a control character,
U+FFFE, U+FFFF), so a file is what it was and a record that could not be written still cannot.
Pretty printing is libxml2's: an element holding only elements has each on a line of its own, indented two
spaces a level; an element holding text (hOCR's paragraphs) is written as it is, with no line break added.
"""

from __future__ import annotations

import re

DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
"""The XML declaration lxml writes (single quotes)."""
INDENT = "  "
"""One level of libxml2's pretty printing."""

_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\r\t]')
_TEXT_SPECIAL = re.compile("[&<>\r]")
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""What is no XML character: lxml refuses a string holding one."""


def attribute(value: str) -> str:
    """An attribute's value as libxml2 writes it between double quotes."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def text(value: str) -> str:
    """Character data as libxml2 writes it."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def attributes(attrs: dict[str, str]) -> str:
    """` NAME="value"` for each attribute, in order."""
    return "".join(f' {name}="{attribute(value)}"' for name, value in attrs.items())


def document(markup: str) -> bytes:
    """The document's bytes, after the same check lxml makes of every string it is given."""
    found = _REFUSED.search(markup)
    if found is not None:
        raise ValueError(
            f"All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
            f" ({found.group()!r} at {found.start()})"
        )
    return markup.encode("utf-8")
