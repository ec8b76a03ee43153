"""What a person should check: the run's uncertain changes and readings, grouped so one decision settles many.

An item is one place in one page; a group gathers the items that make the same decision (every
`Andres` -> `Andrés` proposed by the same rule), as the concordance views of post-correction tools do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from .. import lexicon
from ..model import Box, Page
from ..tokens import split_token

REVIEW_CONFIDENCE = 0.9
"""Changes the scorer gives less than this probability of being right are shown, applied or not: its
probabilities are calibrated (docs/benchmarks.md, calibration), so at least one in ten of those shown is wrong."""
UNSURE_READING = 60.0
"""Unchanged words Tesseract read with less confidence than this are shown too, when they are probably
misread: a word no lexicon knows, or a word with marks beside it that prose does not put there (where
footnote markers and specks end up). A known word standing clean was read right, however faintly: on the
samples, 9 of the 9 such words shown before were (`benchmarks/review_precision.py`)."""
_CLEAN_POST = frozenset({"", ".", ",", ";", ":"})
SECONDS_PER_GROUP = 8
"""A reviewer's pace, for the summary's estimate: one look and one key per group."""


@dataclass(frozen=True)
class Item:
    page: str
    line: int
    """0-based index into the page record's lines."""
    word: int
    """0-based index into the line's words (for a noise line: its first word)."""
    box: Box
    line_box: Box
    context: str
    """The line as it now reads, to show the word in its sentence."""
    next_line: tuple[str, int] | None = None
    """For a page-break hyphen: the next page's first body line (page id, line), where the word goes on."""


@dataclass
class Group:
    kind: str
    """change (a correction), unknown (an unsure reading left alone), noise (a line dropped), join (a page-break hyphen)."""
    raw: str
    proposed: str
    reason: str
    confidence: float
    applied: bool
    alternatives: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable across runs of the same decision: it names the group in decisions.json."""
        text = "\x1f".join((self.kind, self.raw, self.proposed, self.reason))
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def collect(
    pages: list[Page], knows: Callable[[str], bool] | None = None, settled: Collection[tuple[str, str, int, int]] = ()
) -> list[Group]:
    """Every group that needs a person, least confident first. `knows`: whether a word is a word
    (the general lexicon's test unless given); `settled`: (kind, page, line, word) of the places a
    reviewer has decided already, which are not asked again."""
    knows = knows or lexicon.load().knows
    groups: dict[tuple[str, str, str, str], Group] = {}

    def add(
        kind: str, raw: str, proposed: str, reason: str, conf: float, applied: bool, alts: list[str], item: Item
    ) -> None:
        if (kind, item.page, item.line, item.word) in settled:
            return
        group = groups.setdefault(
            (kind, raw, proposed, reason), Group(kind, raw, proposed, reason, conf, applied, alts)
        )
        group.confidence = min(group.confidence, conf)
        group.items.append(item)

    for n, page in enumerate(pages):
        last_body = max((i for i, line in enumerate(page.lines) if line.role == "body"), default=None)
        for li, line in enumerate(page.lines):
            if line.role == "noise" and line.words:
                conf = sum(w.conf for w in line.words) / len(line.words) / 100
                add(
                    "noise",
                    line.raw_text,
                    "",
                    "noise line dropped from the reading text",
                    conf,
                    True,
                    [],
                    Item(page.id, li, 0, line.box, line.box, line.raw_text),
                )
                continue
            if li == last_body and line.hyphen and line.words:
                w = line.words[-1]
                next_line = _first_body_line(pages[n + 1]) if n + 1 < len(pages) else None
                go_on = f" / {pages[n + 1].lines[next_line[1]].text}" if next_line else ""
                add(
                    "join",
                    w.final,
                    w.final.rstrip("-\u00ad\u2010¬") if line.hyphen == "join" else w.final,
                    f"page-break hyphen: {line.hyphen}",
                    0.5,
                    True,
                    [],
                    Item(page.id, li, len(line.words) - 1, w.box, line.box, line.text + go_on, next_line),
                )
            for wi, w in enumerate(line.words):
                asked = [c for c in w.changes if not c.joined and c.confidence < REVIEW_CONFIDENCE]
                unsure = (
                    not w.changes
                    and w.conf < UNSURE_READING
                    and line.role == "body"
                    and w.final
                    and not _clean_known_word(w.raw, knows)
                )
                if not asked and not unsure:
                    continue  # most words: no place made for them (a volume's every word made one)
                item = Item(page.id, li, wi, w.box, line.box, line.text)
                for c in asked:
                    add(
                        "change",
                        c.raw,
                        c.final,
                        c.reason,
                        c.confidence,
                        c.applied,
                        _as_read(c.raw, c.alternatives),
                        item,
                    )
                if unsure:
                    add("unknown", w.raw, w.raw, "read with low confidence", w.conf / 100, False, [], item)
    return sorted(groups.values(), key=lambda g: (g.confidence, g.raw))


def _as_read(raw: str, alternatives: list[str]) -> list[str]:
    """The alternatives (bare words) with the reading's punctuation round them, as a pick would read."""
    pre, _, post = split_token(raw)
    return [pre + a + post for a in alternatives]


def _first_body_line(page: Page) -> tuple[str, int] | None:
    """Where a word broken at the foot of the previous page goes on."""
    li = next((i for i, line in enumerate(page.lines) if line.role == "body" and line.words), None)
    return None if li is None else (page.id, li)


def _clean_known_word(token: str, known: Callable[[str], bool]) -> bool:
    pre, core, post = split_token(token)
    return not pre and post in _CLEAN_POST and core.isalpha() and known(core)


def minutes_to_review(groups: list[Group]) -> float:
    return round(len(groups) * SECONDS_PER_GROUP / 60, 1)
