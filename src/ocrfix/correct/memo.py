"""Bounded memos of a corrector's work on a word alone: a text prints its words again and again, and what
a repair finds for a word by itself (whether it is protected, its candidates and their frequencies) is the
same wherever the word stands. Only work that reads nothing but the memo's key and the corrector's fixed
evidence (its lexicon, weights and the text's counts) is memoised: the decisions stay exactly the same.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

WORDS_KEPT = 50_000
"""Words a memo remembers before it forgets the oldest: all the distinct tokens of BLN600's 1.37 MB of OCR
(47,392), so the common words, asked about on every line, are always found, while a worker's memos of a text
of any length stay bounded (a few tens of MB: an entry is a word and a small finding)."""
CANDIDATES_KEPT = 30_000
"""Readings whose candidates a memo remembers: BLN600's 1.37 MB of OCR asks for the candidates of 19,791
distinct readings; a reading's are about twenty words (2 KB), so a worker holds at most about 60 MB of them."""

_UNKNOWN = object()
"""What a memo holds for a key it does not know (None is a finding like any)."""


class Memo(Generic[K, V]):
    """A function's results by key, the oldest forgotten beyond `size` (insertion order: a word asked about
    often is asked again soon after it is forgotten, and remembered again)."""

    __slots__ = ("_found", "_size")

    def __init__(self, size: int = WORDS_KEPT) -> None:
        self._found: dict[K, V] = {}
        self._size = size

    def get(self, key: K, compute: Callable[..., V], *args: Any) -> V:
        """The result for `key`: remembered, or `compute(*args)` remembered now."""
        found = self._found
        value = found.get(key, _UNKNOWN)  # not a KeyError raised: most words are asked about once
        if value is not _UNKNOWN:
            return value  # type: ignore[return-value]
        value = compute(*args)
        if len(found) >= self._size:
            del found[next(iter(found))]
        found[key] = value
        return value

    def __len__(self) -> int:
        return len(self._found)


_GENERAL = threading.local()


def general(*fixed: Hashable) -> defaultdict[str, Memo[Any, Any]]:
    """Memos, by the name of what they hold, of findings for a word alone that read nothing of a text, only
    `fixed` (the lexicon and the weights): one set for every text this thread corrects with them, since a
    volume's pages each have a corrector of their own and each found the same for `the` again. One set a thread,
    for the last `fixed` it asked for: a memo is no thing to share between threads (two would forget its oldest
    word at once), and a thread corrects one page after another."""
    held = getattr(_GENERAL, "memos", None)
    if held is None or held[0] != fixed:
        held = _GENERAL.memos = (fixed, defaultdict(Memo))
    return held[1]
