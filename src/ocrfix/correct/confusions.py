"""The OCR channel model: how likely it is that a printed word was read as the OCR text.

A weighted edit distance in which the usual OCR confusions (rn/m, li/h, cl/d, 1/l/I, e/c,
dropped accents, case slips) cost a fraction of an arbitrary edit. The candidate generator
uses the same table to propose the words a reading may have been.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# (as printed, as read) -> cost. Arbitrary edits cost 1.
CONFUSIONS: dict[tuple[str, str], float] = {
    ("m", "rn"): 0.3,
    ("m", "in"): 0.4,
    ("m", "ni"): 0.4,
    ("m", "iii"): 0.5,
    ("rn", "m"): 0.4,
    ("h", "li"): 0.3,
    ("h", "il"): 0.5,
    ("h", "b"): 0.5,
    ("b", "h"): 0.5,
    ("h", "ll"): 0.5,
    ("d", "cl"): 0.3,
    ("w", "vv"): 0.3,
    ("w", "v"): 0.6,
    ("w", "iv"): 0.4,
    ("w", "lv"): 0.5,
    ("n", "ii"): 0.4,
    ("u", "ll"): 0.6,
    ("ll", "U"): 0.6,
    ("th", "tl"): 0.6,
    ("u", "ii"): 0.4,
    ("n", "ri"): 0.4,
    ("n", "u"): 0.5,
    ("u", "n"): 0.5,
    ("ni", "m"): 0.5,
    ("in", "m"): 0.5,
    ("fi", "h"): 0.6,
    ("l", "1"): 0.3,
    ("l", "I"): 0.3,
    ("l", "i"): 0.4,
    ("l", "|"): 0.3,
    ("I", "l"): 0.3,
    ("I", "1"): 0.3,
    ("I", "|"): 0.3,
    ("i", "l"): 0.4,
    ("i", "1"): 0.4,
    ("i", "í"): 0.4,
    ("1", "l"): 0.4,
    ("1", "I"): 0.4,
    ("t", "l"): 0.6,
    ("l", "t"): 0.6,
    ("f", "t"): 0.5,
    ("t", "f"): 0.5,
    ("s", "f"): 0.5,
    ("f", "s"): 0.6,
    ("e", "c"): 0.3,
    ("c", "e"): 0.3,
    ("e", "o"): 0.5,
    ("o", "e"): 0.5,
    ("a", "o"): 0.5,
    ("o", "a"): 0.5,
    ("a", "e"): 0.6,
    ("e", "a"): 0.6,
    ("o", "0"): 0.3,
    ("O", "0"): 0.3,
    ("0", "o"): 0.4,
    ("0", "O"): 0.4,
    ("s", "5"): 0.5,
    ("S", "5"): 0.5,
    ("g", "q"): 0.5,
    ("q", "g"): 0.5,
    ("y", "v"): 0.5,
    ("v", "y"): 0.5,
    ("r", "t"): 0.6,
    ("t", "r"): 0.6,
    ("c", "o"): 0.6,
    ("o", "c"): 0.6,
    ("B", "8"): 0.5,
    ("S", "8"): 0.6,
    ("Z", "2"): 0.6,
    ("G", "6"): 0.6,
    ("b", "6"): 0.6,
    ("E", "F"): 0.5,
    ("F", "E"): 0.5,
    ("P", "F"): 0.6,
    ("R", "B"): 0.6,
    ("B", "R"): 0.6,
    ("C", "G"): 0.6,
    ("G", "C"): 0.6,
    ("O", "Q"): 0.6,
    ("Q", "O"): 0.6,
    ("D", "O"): 0.6,
    ("k", "lc"): 0.4,
    ("k", "lx"): 0.5,
    ("ri", "n"): 0.5,
    ("rn", "nr"): 0.6,
    ("é", "e'"): 0.4,
    ("'", "’"): 0.1,
    ("’", "'"): 0.1,
    ("-", "—"): 0.5,
    (",", "."): 0.5,
    (".", ","): 0.5,
    # seen at least 40 times in word alignments of BLN600's tune half (19th-century newsprint)
    ("s", "e"): 0.5,
    ("u", "a"): 0.5,
    ("h", "i"): 0.5,
    ("n", "i"): 0.5,
    ("m", "n"): 0.5,
    ("s", "a"): 0.5,
    ("n", "t"): 0.5,
    ("n", "s"): 0.5,
    ("h", "l"): 0.5,
    ("t", "b"): 0.5,
    ("a", "i"): 0.5,
    ("n", "a"): 0.5,
    ("r", "i"): 0.5,
    ("a", "s"): 0.5,
    ("e", "s"): 0.5,
    ("n", "r"): 0.5,
}
ACCENT_COST = 0.2
"""An accent dropped or misread (é/e, á/a, ñ/n): common with Tesseract's mixed-language models."""
CASE_COST = 0.4
NOISE_CHARS = frozenset("_|~^¦•■□►¬`")
"""Characters a printed book's prose does not contain among a word's letters; where OCR puts them there, they
are noise (standing alone, `•` is a bullet: `words._TYPOGRAPHY`)."""
NOISE_COST = 0.3
EDGE_MARKS = frozenset("Iil1|'.,")
"""What a speck or a rule beside a word reads as (`Ifemale`, `lDemagogues`)."""
EDGE_COST = 0.4
SPACE_COST = 0.3
"""A space between two printed words that OCR ran together (`asagent`)."""
EDIT_COST = 1.0


def _base(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))


@lru_cache(maxsize=20_000)
def substitution_cost(printed: str, read: str) -> float:
    if printed == read:
        return 0.0
    if _base(printed) == _base(read):
        return ACCENT_COST
    if printed.lower() == read.lower():
        return CASE_COST
    if _base(printed).lower() == _base(read).lower():
        return ACCENT_COST + CASE_COST
    return CONFUSIONS.get((printed, read), EDIT_COST)


def _by_first_read(entries: Iterable[tuple[str, str, float]]) -> dict[str, tuple[tuple[str, str, float], ...]]:
    """(as printed, as read, cost) entries by the first character as read: a reading's position needs only those."""
    index: dict[str, tuple[tuple[str, str, float], ...]] = {}
    for printed, read, cost in entries:
        index[read[0]] = (*index.get(read[0], ()), (printed, read, cost))
    return index


_MULTI = _by_first_read((p, r, c) for (p, r), c in CONFUSIONS.items() if len(p) > 1 or len(r) > 1)
"""The confusions of more than one character."""


@lru_cache(maxsize=200_000)
def channel_cost(read: str, printed: str) -> float:
    """The cost of OCR reading `printed` as `read`: 0 for the same text, ~0.3 per likely confusion, 1 per edit.
    The cheapest alignment: each cell of the table is the least of the ways into it (a character read and not
    printed, printed and not read, one for another, or a confusion of several ending there)."""
    n, m = len(read), len(printed)
    inf = float("inf")
    dropped = [  # each character read that was not printed
        NOISE_COST if c in NOISE_CHARS else EDGE_COST if (i == 0 or i == n - 1) and c in EDGE_MARKS else EDIT_COST
        for i, c in enumerate(read)
    ]
    lost = [SPACE_COST if c == " " else EDIT_COST for c in printed]  # each printed character not read
    d = [[inf] * (m + 1) for _ in range(n + 1)]
    row = d[0]
    row[0] = 0.0
    for j in range(m):
        row[j + 1] = row[j] + lost[j]
    for i in range(n + 1):
        if i:
            above, row = row, d[i]
            drop = dropped[i - 1]
            subs = _substitutions(read[i - 1], printed)
            row[0] = left = above[0] + drop  # no confusion ends in the first column
            for j in range(m):
                v = row[j + 1]  # a confusion of several characters ending here, if any
                x = left + lost[j]
                if x < v:
                    v = x
                x = above[j + 1] + drop
                if x < v:
                    v = x
                x = above[j] + subs[j]
                if x < v:
                    v = x
                row[j + 1] = left = v
        if i < n:  # the confusions of several characters that start here
            for p, r, c in _MULTI.get(read[i], ()):
                if read.startswith(r, i):
                    target, k = d[i + len(r)], len(p)
                    j = printed.find(p)
                    while j != -1:
                        if row[j] + c < target[j + k]:
                            target[j + k] = row[j] + c
                        j = printed.find(p, j + 1)
    return d[n][m]


def _substitutions(read: str, printed: str) -> list[float]:
    """The cost of each character of `printed` read as the character `read`."""
    costs = _SUBSTITUTED.get(read)
    if costs is None:
        costs = _SUBSTITUTED[read] = {}
    out = []
    for a in printed:
        cost = costs.get(a)
        if cost is None:
            cost = costs[a] = 0.0 if a == read else substitution_cost(a, read)
        out.append(cost)
    return out


_SUBSTITUTED: dict[str, dict[str, float]] = {}
"""`substitution_cost` by the character read, then the character printed (0 for the same): a row of the table
costs one look-up per character."""


_UNDO_ONE = {
    seen: tuple(p for p, r, _ in entries if len(r) == 1)
    for seen, entries in _by_first_read((p, r, c) for (p, r), c in CONFUSIONS.items()).items()
}
"""A character as read -> what it may have been printed as (the confusions of one character read)."""
_UNDO_SEVERAL = {
    first: tuple((p, r) for p, r, _ in entries if len(r) > 1)
    for first, entries in _by_first_read((p, r, c) for (p, r), c in CONFUSIONS.items()).items()
}
"""The first of several characters as read -> (as printed, as read): the confusions of several characters read."""


@lru_cache(maxsize=1024)
def variants(read: str, limit: int = 2) -> frozenset[str]:
    """Words the reading may have been, by undoing up to `limit` confusions from the table (cached: the
    repairs ask five times for each reading of BLN600's OCR, one after another; a reading has hundreds)."""
    found = {read}
    frontier = {read}
    for _ in range(limit):
        nxt: set[str] = set()
        for word in frontier:
            _undo_one(word, nxt)
        nxt -= found
        found |= nxt
        frontier = nxt
    found.discard(read)
    return frozenset(found)


def _undo_one(word: str, into: set[str]) -> None:
    """Every word that one confusion of the table, undone anywhere in `word`, makes, added to `into`."""
    for i, ch in enumerate(word):
        head = word[:i]
        one = _UNDO_ONE.get(ch)
        if one:
            tail = word[i + 1 :]
            for printed in one:
                into.add(head + printed + tail)
        several = _UNDO_SEVERAL.get(ch)
        if several:
            for printed, seen in several:
                if word.startswith(seen, i):
                    into.add(head + printed + word[i + len(seen) :])
