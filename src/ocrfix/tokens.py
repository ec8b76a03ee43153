"""What a token of OCR text is made of, for every module that reads one: the word between its marks,
the hyphens that break a word at a line end, and the words of one letter."""

from __future__ import annotations

from functools import lru_cache

import regex

_SPLIT = regex.compile(r"^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$", regex.S)

ROMAN = regex.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", regex.I)
"""A roman numeral, in either case (`xiv`, `IV`): a folio, a chapter's number, a king's."""

HYPHENS = "-\u00ad\u2010\u00ac"
"""What ends the first half of a word broken at a line end: a hyphen, a soft hyphen, Unicode's hyphen,
and the not sign Tesseract reads a hyphen as."""
_HYPHEN_END = regex.compile(rf"\p{{L}}[{HYPHENS}]$")


@lru_cache(maxsize=1 << 15)
def split_token(text: str) -> tuple[str, str, str]:
    """Leading punctuation, the word, trailing punctuation. Cached (a few MB at most): the corrector splits
    each token of a line several times, and a text prints its words again and again."""
    m = _SPLIT.match(text)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


def letter_word(word: str, lowered: bool = False) -> bool:
    """`a` and `I`, the English words of one letter (`A` opening a sentence; `i` in a lower-cased text):
    any other letter standing alone is a speck, an initial or part of a word OCR split."""
    return word in ("a", "A", "I") or lowered and word == "i"


def ends_broken(word: str) -> bool:
    """The word ends in a hyphen after a letter: maybe a word broken at the line end (`Representa-`)."""
    return _HYPHEN_END.search(word) is not None
