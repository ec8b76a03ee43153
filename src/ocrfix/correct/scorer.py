"""One scorer for every proposed change: the probability that it is right, from evidence all repairs share.

A repair (`Repair`) only proposes; the decision is this module's. Its weights are a logistic regression
fitted by `benchmarks/fit_scorer.py` on the tune halves of BLN600 (newspaper OCR and its ground truth)
and oldbooks-dev (Tesseract page records and their ground truth), and stored in `scorer.json`: here
they are only applied, a dot product, so loading costs nothing and scikit-learn is needed only to fit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

WEIGHTS = Path(__file__).with_name("scorer.json")


class Repair(StrEnum):
    """What proposed a change: one id a repair, recorded with every change it makes."""

    NOISE = "noise"  # a stray mark, letter or stop standing alone dropped
    ATTACH = "attach"  # a mark standing apart joined to its word (`them ,`, `" bobby"`)
    PARAGRAPH_STOP = "paragraph-stop"  # a comma ending a paragraph read for a full stop
    OPENING_DASH = "opening-dash"  # the dash opening a paragraph closed up onto its word (`- The` -> `-The`)
    SENTENCE_STOP = "sentence-stop"  # a comma before a capital that Tesseract also read as a full stop
    PHRASE_ACCENTS = "phrase-accents"  # a dictionary phrase read without its accents (`Andres Nin`)
    JOIN = "join"  # a word split by a space or broken at a line end joined
    JOIN_MISREAD = "join-misread"  # a broken word joined and corrected as one reading
    COMPOUND = "compound"  # a compound's hyphen restored between its halves
    INTRUDER = "intruder"  # a mark read as a short word between two words dropped
    DOUBLED = "doubled"  # an article where English has none, or a word read twice (`at the the time`)
    TITLE = "title"  # `Air.` before a name is `Mr.`
    CASE = "case"  # capitals strewn through a known word
    MARKS = "marks"  # noise characters or specks at a word's edges removed
    ACCENTS = "accents"  # a capitalised word read without its accents (`Coyoacan`)
    SPLIT_AT_MARK = "split-at-mark"  # two words a speck ran together (`acquainted.with`)
    RUN_TOGETHER = "run-together"  # words printed apart read as one (`ofthe`)
    RUN_TOGETHER_UNSEEN = "run-together-unseen"  # the same, two words the bigram list never pairs (`neverspoke`)
    RUN_TOGETHER_MANY = "run-together-many"  # the same, three words or more (`andhehadpaidallexpenses`)
    UNKNOWN_WORD = "unknown-word"  # a reading no lexicon knows, corrected to a word near it
    COMPOUND_PARTS = "compound-parts"  # a hyphenated reading corrected part by part
    SPECK_INSIDE = "speck-inside"  # a mark inside a word (`char-ged`)
    REAL_WORD = "real-word"  # a word misread as another word (`he bad been`)
    ALTERNATIVES = "alternatives"  # a reading no lexicon knows, for a word Tesseract's glyph alternatives spell
    MONEY = "money"  # a sum's unit read as a figure or letter (`501.` for `50l.`, `20i.` for `20s.`)


@dataclass(frozen=True)
class Evidence:
    """What is known about one proposed change, in the terms every repair shares."""

    repair: Repair
    prior: float
    """The repair's own case for the change: the log10 odds of the confidence it computed."""
    misread_odds: float
    """How much likelier a word of this text is misread than one of a typical noisy text (log10; below 0: cleaner)."""
    known: bool
    """Every word as read is a word of a lexicon."""
    reading_zipf: float
    candidate_zipf: float
    """How common the words as read and as proposed are (Zipf scale, 0 for none)."""
    channel: float
    """How costly a misreading the change undoes (confusion-weighted edits; 0 when only marks move)."""
    reading_repeats: float
    """log2 of how often the text prints the reading's word: a word printed again and again is the text's own."""
    candidate_in_text: float
    """log2(1 + how often the text prints the proposed word)."""
    capitalised: bool
    conf: float | None
    """Tesseract's confidence in the reading (0-1), None for text without it."""
    context: float
    """log10 odds the neighbours' bigrams give the proposal over the reading."""
    drop: bool
    """The change removes the reading."""
    choices: bool = False
    """Tesseract gave glyph alternatives for the word as read (text from a run, a glyph it was unsure of)."""
    glyph_margin: float | None = None
    """Where those alternatives spell the proposal, how much Tesseract preferred its glyphs to those it read
    (`repairs.alternatives.glyph_margin`; below 0: it was surer of its reading); None where they do not."""
    unmarked: float = 0.0
    """How surely no word of the text bears a mark of misreading (`words.misread_mark`): print read well, or no OCR
    at all, whose unknown words are its own (old spellings, Latin). 1 for a text long enough to show it
    (`words.UNMARKED_WORDS`), less for a shorter one or one whose marks outweigh its words (`words.WORDS_PER_MARK`
    each), 0 without a text."""


MIN_EXAMPLES = 30
"""A repair proposed fewer times than this in the tuning data is not fitted: its own confidence stands."""


@dataclass(frozen=True)
class Model:
    intercept: float
    weights: dict[str, float]
    repairs: frozenset[str]
    """The repairs the data had examples enough of to fit."""

    def probability(self, evidence: Evidence) -> float | None:
        """The probability that the change is right; None for a repair the weights were not fitted on."""
        if evidence.repair not in self.repairs:
            return None
        return self.of_features(features(evidence))

    def of_features(self, x: dict[str, float]) -> float:
        """The logistic regression itself, on the evidence as named numbers (`features`)."""
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in x.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def features(e: Evidence) -> dict[str, float]:
    """The evidence as named numbers: the repair as a one-hot prior and with its own confidence, the rest shared."""
    has_conf = e.conf is not None
    clean = min(0.0, e.misread_odds)  # a text read better than typical: each repair loses its own share of its case
    shared = {
        "misread_odds": e.misread_odds,
        "misread_clean": clean,
        "known": float(e.known),
        "reading_zipf": e.reading_zipf,
        "candidate_zipf": e.candidate_zipf,
        "channel": e.channel,
        "reading_repeats": e.reading_repeats,
        "candidate_in_text": e.candidate_in_text,
        "capitalised": float(e.capitalised),
        "has_conf": float(has_conf),
        "conf": e.conf if e.conf is not None else 0.0,
        "context": e.context,
        "drop": float(e.drop),
        "known_misread": float(e.known) * e.misread_odds,
        "repeats_misread": e.reading_repeats * e.misread_odds,
        # Tesseract's glyph alternatives, neutral (0) for a word without them
        "tesseract_choices": float(e.choices),
        "tesseract_margin": e.glyph_margin or 0.0,
        "tesseract_spelt": float(e.glyph_margin is not None),
        "unmarked": e.unmarked,
    }
    return {
        **shared,
        f"repair={e.repair}": 1.0,
        f"prior|{e.repair}": e.prior,
        f"misread|{e.repair}": e.misread_odds,
        f"clean|{e.repair}": clean,
    }


def logit10(confidence: float) -> float:
    """log10 odds of a confidence, kept finite."""
    p = min(max(confidence, 1e-4), 1 - 1e-4)
    return math.log10(p / (1 - p))


def confidence10(odds: float) -> float:
    """The confidence of log10 odds (`logit10`'s inverse), to three places as a repair gives its own."""
    return round(1.0 / (1.0 + 10**-odds), 3)


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The fitted weights, or None before any were fitted (each repair's own confidence then stands)."""
    if not WEIGHTS.exists():
        return None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return Model(data["intercept"], data["weights"], frozenset(data["repairs"]))
