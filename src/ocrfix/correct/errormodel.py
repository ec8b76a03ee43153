"""The text's own error model: which glyphs this scan or this OCR engine confuses, learned from the text.

The confusion table (`confusions.py`) is what OCR in general gets wrong. A volume has its own habits
(one newspaper's engine reads every `e` as `o`: `tho`, `boon`, `mooting`), hundreds of times over.
The first pass over a text is sure of many changes (`oxido` -> `oxide`: an unknown reading, one word
near it); the glyph substitutions in those changes are counted, and a second pass reads the text with
the confusions seen often made cheap and undone where a real word was read (`tho` -> `the`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from .confusions import substitution_cost

SURE = 0.9
"""A change the scorer gives at least this probability teaches the model (on BLN600's tune half, 93% of them are right)."""
MIN_SEEN = 3
"""A confusion must be seen in this many sure changes to count: one or two are chance."""


@dataclass(frozen=True)
class ErrorModel:
    seen: dict[tuple[str, str], int]
    """(printed, read) glyph -> how many sure changes undid that substitution; `learn` keeps only the
    confusions this text makes cheaper than the table does."""
    changes: int
    """How many sure changes the model learned from."""

    def cost(self, printed: str, read: str) -> float:
        """The learned cost of `printed` read as `read`: the share of the sure changes that show it, as a
        channel cost (a confusion in every other change costs about 0.3, one in a tenth of them 1)."""
        n = self.seen.get((printed, read), 0)
        if n < MIN_SEEN:
            return 1.0
        return min(1.0, max(0.0, -math.log10(n / self.changes)))

    def discount(self, read: str, printed: str) -> float:
        """How much cheaper the misreading of `printed` as `read` is in this text than the table says:
        for each glyph substituted, the table's cost less the learned one, when that is lower."""
        saved = 0.0
        for op in Levenshtein.editops(read, printed):
            if op.tag == "replace":
                r, p = read[op.src_pos], printed[op.dest_pos]
                saved += max(0.0, substitution_cost(p, r) - self.cost(p, r))
        return saved

    def variants(self, read: str) -> set[str]:
        """The readings with one glyph this text often misreads put back (`tho` -> `the`), or all of them (`boon` ->
        `been`, `rocoivod` -> `received`: Overproof's SMH prints `boon` and `mooting`); not every mixture, whose
        number doubles with each such glyph of the word."""
        found = set()
        for printed, seen in self.seen:
            start = read.find(seen)
            while start != -1:
                found.add(read[:start] + printed + read[start + 1 :])
                start = read.find(seen, start + 1)
        likeliest = {}
        for (printed, seen), _ in sorted(self.seen.items(), key=lambda item: item[1]):
            likeliest[seen] = printed  # the printed glyph seen most often read so wins
        every = "".join(likeliest.get(glyph, glyph) for glyph in read)
        return found | {every} if every != read else found


def learn(pairs: Iterable[tuple[str, str]]) -> ErrorModel | None:
    """The model of (read, printed) word pairs the first pass was sure of, keeping the confusions it makes
    cheaper than the table does; None when there are none (a second pass would read the text the same way:
    BLN600's articles, whose confusions are spread over many glyphs, teach none)."""
    seen: Counter[tuple[str, str]] = Counter()
    changes = 0
    for read, printed in pairs:
        ops = Levenshtein.editops(read.lower(), printed.lower())
        if not ops or any(op.tag != "replace" for op in ops):
            continue  # only glyphs read as other glyphs: a letter lost or added says nothing of which
        changes += 1
        seen.update({(printed.lower()[op.dest_pos], read.lower()[op.src_pos]) for op in ops})
    model = ErrorModel(dict(seen), changes)
    kept = {pair: n for pair, n in seen.items() if model.cost(*pair) < substitution_cost(*pair)}
    return ErrorModel(kept, changes) if kept else None
