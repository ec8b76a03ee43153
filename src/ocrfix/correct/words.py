"""Word correction with evidence: candidates, a noisy-channel score, protection, and a margin.

For each reading the corrector weighs how likely each candidate word is (its frequency and its
neighbours, via English bigrams), how likely OCR was to turn it into the reading (the confusion
model), and how sure Tesseract was. A word changes only when the best candidate beats the
reading as printed by a margin; below the confidence threshold the change is proposed for
review, not applied. Names, numbers, abbreviations and known words (in any language) are
protected.

This module holds what the repairs share: the tokens and proposals, the weights, protection, and the
`Corrector` that carries a text's evidence and calls the repairs, each a module of `repairs/` that only
proposes.
"""

from __future__ import annotations

import copy
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import regex

from ..lexicon import Lexicon, fold
from ..model import Choices
from ..tokens import letter_word, split_token
from .confusions import channel_cost
from .errormodel import SURE, ErrorModel, learn
from .memo import CANDIDATES_KEPT, Memo, general
from .scorer import Evidence, Repair, logit10, model

_NUMBERISH = regex.compile(
    r"^[\p{N}.,:/⁄–-]*\p{N}[\p{N}.,:/⁄–-]*(st|nd|rd|th|s|e|er|re|o|a|º|ª|d|l|ft|yds?|lbs?|oz|cwt)?$", regex.I
)
_ROMAN = regex.compile(r"^[IVXLCDM]+$|^[ivxlcdm]+$")
_WORDLIKE = regex.compile(r"^\p{L}[\p{L}'’-]*\p{L}$|^\p{L}$")
_POSSESSIVE = regex.compile(r"['’]s?$")
_NAME_APOSTROPHE = regex.compile(r"^\p{Lu}['’]\p{Lu}")
FRENCH_COMMON_ZIPF = 5.0
"""A French word this common may follow an elision however common it is in English (`d'or`, `l'on`)..."""
FRENCH_ELIDED_ZIPF = 3.5
"""...one this common, if English does not have it ten times as often (`l'opinion`, not `T'he`)."""
_ELISION = regex.compile(
    r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]([aeiouyhàâæéèêëîïôœûùü][\p{L}'’]*)$", regex.I
)
"""`l'on`, `d'un`, `qu'il`, `c'est`: French elides an article, a pronoun or a conjunction before a vowel or
a mute h; the lexicons (wordfreq's tokens) hold the halves, not the whole."""
_TYPOGRAPHY = regex.compile(r"(?V1)^[^\p{L}\p{N}]*[[\p{S}\p{Po}]--\p{ASCII}][^\p{L}\p{N}]*$")
"""Marks holding a symbol or sign beyond ASCII (`©`, `•`, `·`, `§`, `¶`, `†`, `£`, `°`, `→`, `…`): printed, not
specks, which read as ASCII marks (`_`, `|`, `~`, `<`, `^`). In BLN600's OCR no speck standing alone was read as
another (its lone `�`, 8 of them, stand for `£`); in Tesseract's reading of oldbooks-dev the few standing alone are
mostly letters misread (`N. ¥.`, `§ cents`), which dropping would not mend."""
_ABBREVIATIONS = frozenset(
    "etc viz cf ult inst prox esq vol vols chap ch pp fig ibid op cit al approx dept govt gen col capt lieut "
    "sergt serjt insp supt rev hon jun sen bros co v vs st mr mrs dr no nos ms mss per cent "
    "bart bt vic alt messrs wm thos geo jas chas lb lbs oz cwt ft yds".split()
)
"""Lower-case words that end with a full stop inside a sentence (`etc. and`, `ult. the`, `per cent. of`)."""
_ARTICLES = frozenset({"a", "an", "the"})
"""No clause ends on one (`In the, course of`), and a letter after one is named, not a speck (`the N Division`)."""
_STANDING_NUMERALS = frozenset("VX")
"""Capital letters that stand alone in prose as numerals (`chapter V`, `Pius X`); `A`, `I` and `O` are words. In
lower case, ending a line, a page number (a contents row's `Glossary of organisations x`, a running head's
`PREFACE. v`), where a speck seldom stands: in BLN600's OCR one lone `v` or `x` ends a line in 480 articles."""
_SUSPENDED_HYPHEN_FOLLOWERS = frozenset({"and", "or", "nor", "to", "et", "ou", "y", "o"})
"""`pre- and post-war`: a hyphen that waits for the next compound, not a compound broken at its hyphen."""
_MISREAD_WORD = regex.compile(r"^(?=(?:.*\p{L}){2})[\p{L}\p{N}'’~^|-]+$")
"""Letters with a digit or noise character among them (`w5as`, `T~iE`): a word misread, not a number."""


def misread_mark(core: str) -> bool:
    """A word's core that shows it was misread: letters with a digit or noise character among them (`w5as`), or
    a capital after its first letter in a word not all capitals (`oF`, `hRs`, `tHe`). Not what print itself sets
    so: a number with its ordinal's or unit's letters (`21st`, `3rd`, `5ft`), a Scottish or Irish name (`McCall`,
    `MacDonald`): 299 of the 304 marks of the ground truth of BLN600's tune half and of oldbooks-dev."""
    if _PRINTED_MIXED.match(core):
        return False
    if _WORDLIKE.match(core):
        return core.isalpha() and not core.isupper() and any(c.isupper() for c in core[1:])
    return _MISREAD_WORD.match(core) is not None


_PRINTED_MIXED = regex.compile(r"^(?:\p{N}+\p{Ll}+|Ma?c\p{Lu}\p{Ll}+)$")
"""Digits and letters, or capitals inside a word, as print sets them (`misread_mark`)."""


UNMARKED_WORDS = 160
"""Words a text must have for the absence of any mark of misreading (`misread_mark`) to count in full: OCR that
marks 1.3% of its words, as BLN600's does (tune half), leaves 160 words unmarked about one time in eight
(measured there: 16 of the 229 articles of 160 words or more have no mark; of their ground truth 226 of 230, of
oldbooks-dev's ground truth 122 of its 123 pages). A shorter text counts in proportion."""

WORDS_PER_MARK = 466
"""Unmarked words that one mark outweighs: a long text with a mark here and there (a heading run into its
paragraph, `RESEARCHfails`, in a whole book's ground truth) is still print read well. Marks as a Poisson count:
one is log10(r_ocr / r_clean) = 2.58 against clean print, each unmarked word (r_ocr - r_clean) log10(e) = 0.0055
for it, with r_ocr = 1.28% (BLN600's tune OCR, 1,429 in 111,452 words) and r_clean = 0.0034% (its ground truth and
oldbooks-dev's, 5 in 149,273): 2.58 / 0.0055 words."""


def _unmarked(readings: Mapping[str, int]) -> float:
    """`Corrector.unmarked` of a text's readings: its unmarked words less `WORDS_PER_MARK` for each mark, over
    `UNMARKED_WORDS`, between 0 and 1."""
    words = marks = 0
    for core, n in readings.items():
        if misread_mark(core):
            marks += n
        elif _WORDLIKE.match(core):
            words += n
    return max(0.0, min(1.0, (words - WORDS_PER_MARK * marks) / UNMARKED_WORDS))


_REASONS = {
    Repair.ACCENTS: "dictionary name with accents",
    Repair.SPLIT_AT_MARK: "words run together at a mark split",
    Repair.RUN_TOGETHER: "run-together words split",
    Repair.RUN_TOGETHER_UNSEEN: "run-together words split",
    Repair.RUN_TOGETHER_MANY: "run-together words split",
    Repair.UNKNOWN_WORD: "OCR confusion",
    Repair.COMPOUND_PARTS: "OCR confusion in a compound's part",
    Repair.SPECK_INSIDE: "mark inside a word removed",
    Repair.REAL_WORD: "real word misread (context)",
}
"""What each repair of a word alone says it did, for a person reading the report."""

BIGRAM_FLOOR = 1e-4
"""Bigram probabilities are read relative to this: an attested pair of neighbours adds evidence, none takes it away."""


@dataclass(frozen=True)
class Params:
    """The scorer's weights; tuned on half of BLN600 (benchmarks/correction.py)."""

    unknown_zipf: float = 0.5
    """How plausible an unknown reading is as printed (on the Zipf scale): the bar a candidate must clear."""
    known_bonus: float = 3.0
    """Zipf points a reading gets for being a word of a general lexicon (rare words read from noise are common)."""
    protect_zipf: float = 3.0
    """A reading at least this frequent in a general lexicon is never changed."""
    channel_weight: float = 1.3
    """Zipf points lost per unit of confusion-weighted edit distance."""
    context_weight: float = 0.3
    """Weight of the bigram evidence from the neighbouring words."""
    conf_weight: float = 3.0
    """Zipf points a reading gains when Tesseract was fully sure of it (scaled by its confidence)."""
    margin: float = 0.0
    """How far the best candidate must beat the reading to be proposed at all."""
    temperature: float = 0.5
    """Turns score differences into a confidence between 0 and 1."""
    apply_threshold: float = 0.5
    """Proposals at or above this confidence are applied; below it they go to review."""
    min_candidate_zipf: float = 1.0
    """Candidates rarer than this are not considered (rare words are more often wrong than right)."""
    protect_capitalised_conf: float = 80.0
    """An unknown capitalised word (or a stray mark) read at least this confidently is left alone."""
    split_min_zipf: float = 3.5
    """Every word of a split reading (`asagent` -> `as agent`) must be at least this common."""
    split_penalty: float = 1.5
    """Zipf points a candidate loses for each extra word it splits the reading into."""
    capitalised_max_cost: float = 1.0
    """An unknown capitalised word may be a name no dictionary knows: change it only for one misread glyph (`Hampatead`)."""
    capitalised_min_zipf: float = 2.5
    """...and only for a word at least this common (`Rutzen` is no misread `Rutten`)."""
    split_needs_zipf: float = 6.0
    """A run-together split must free at least one very common word (`ofthe`, `asagent`)."""
    noise_confidence: float = 0.85
    """Confidence given to removing a stray mark or letter."""
    alternatives_confidence: float = 0.8
    """Confidence of a word no lexicon knows, that no other repair proposes a word for, being the known word its
    glyph alternatives spell (`Repair.ALTERNATIVES`; too few examples for the scorer to weigh): on the tune half
    of oldbooks-dev (benchmarks/fit_scorer.py's records) 3 such changes moved the text, all 3 to the truth (4 more
    only swapped one wrong word for another), (3 + 1) / (3 + 2). As an override of the other repairs' candidates
    it fixed 1 word and damaged 2 on the report half (benchmarks/alternatives.py before this repair)."""
    sentence_stop_confidence: float = 0.84
    """Confidence of a comma before a word that opens a sentence, on its line or the next, that Tesseract also read as
    a full stop, being the stop: on the tune half of oldbooks-dev (benchmarks/alternatives.py) 20 of its 23 changes
    were fixes, the other 3 wrong either way (a `1.` read `I,`), (20 + 1) / (23 + 2). Tesseract's margin for the
    stop does not tell the wrong ones apart (the same -0.9 to 0 either way)."""
    opening_dash_confidence: float = 0.967
    """Confidence of a dash opening a line set apart from its word being closed up onto it in print, in a text that
    closes its dashes up and is read as badly as the tuning text (`Repair.OPENING_DASH`, `marks.opening_dash`)."""
    money_min_sums: int = 1
    """Sums of money (`10s.`, `50l.`) a text must print read right before a reading with a figure read as a letter
    (`lOs.`) may be one."""
    money_confidence: float = 0.93
    """Confidence of a reading before a stop being a sum with its unit or a figure misread (`Repair.MONEY`: `20i.` ->
    `20s.`, `lOs.` -> `10s.`): on BLN600's tune half its 12 changes all brought the word nearer its truth,
    (12 + 1) / (12 + 2). Too few for the scorer to fit."""
    money_min_pounds_read: int = 2
    """Figures above 31 ending in `1` before a full stop (`501.`, `6,0001.,`), beyond those ending in another figure,
    a text must print before one after a word may be pounds with their `l` read as the figure of its shape
    (`money.pounds_read`): the OCR of 11 of the 235 articles of BLN600's tune half prints two or more, the truth of
    none of its 480 articles (3 print one: `a cheque for 341.`, `aged 81.`), and one page of oldbooks-dev's 151 two,
    after a capital (`FIG. 51.`, `Fig. 51.`)."""
    pounds_confidence: float = 0.84
    """Confidence of such a figure being pounds (`Repair.MONEY`: `501.` -> `50l.`): on BLN600's tune half 25 of its 29
    changes gave the truth, the other 4 were nearer it (the truth `100l.` of `101.`), none further, (25 + 1) / (29 + 2).
    Too few for the scorer to fit."""
    real_word_margin: float = 3.0
    """log10 odds by which the neighbours must prefer another common word to a word as read (`he bad been`)."""
    real_word_channel: float = 3.0
    """log10 odds lost per unit of confusion cost when a real word is read as another."""
    real_word_min_zipf: float = 4.0
    """Only common English words are proposed for a real word misread (`had`, `the`, `but`)."""
    real_word_max_cost: float = 0.6
    """Only one cheap glyph confusion turns a real word into another."""
    real_word_commoner: float = 0.75
    """A common reading is changed for a word this many Zipf points commoner (`bad` -> `had`, not `locked` -> `looked`)..."""
    real_word_rival_margin: float = 4.0
    """...or for a rival as common when the neighbours want it by this many log10 odds (`When be arrived`)."""
    backoff: float = 0.4
    """Stupid backoff: an unattested pair of neighbours counts this share of the second word's frequency."""
    foreign_discount: float = 1.0
    """Zipf points a candidate's frequency in another language loses in English prose."""
    english_word_min_len: int = 6
    """Words of the curated English dictionary this long are taken as printed, not as misreadings."""
    lost_letter_max_zipf: float = 4.5
    """A two-letter reading rarer than this may be a very common word with a letter lost (`th`, `ws`)..."""
    lost_letter_cost: float = 0.6
    """...a loss that costs as much as a glyph confusion (an arbitrary edit costs 1)."""
    intruder_max_len: int = 2
    """Only tokens this short are taken for marks read as a word between two words (`son of Ig a publican`)."""
    intruder_margin: float = 2.5
    """log10 odds by which the bigrams must prefer the two neighbours side by side to having the token between."""
    intruder_word_margin: float = 5.0
    """The same for a token that is a word (`he`, `as`, `by`): short words are where bigrams mislead most."""
    unseen_pair_share: float = 1.2e-5
    """symspellpy's bigram list holds the pairs its corpus prints at least 6.4 million times in 5.4e11 words: a pair
    it lacks is printed less often than this share of all words, so after a word of frequency f at most this / f."""
    line_start_pronoun_odds: float = 1.6
    """log10 odds that `I` opening a line before a capitalised word is a speck of the paragraph's indent or the column's
    rule, in text as noisy as the tuning text (`TextEvidence.misread_odds` moves them): in BLN600's tune half 41 lines of
    the OCR open so, its truth none, log10 (41 + 1) / (0 + 1); print read well (below -1.6) keeps it."""
    pronoun_after_odds: float = 1 / 3
    """A word after which English puts the pronoun `I` less than this share as often as after any word is no word
    it follows (`the`, `of`, `with`, `at`: 0.09-0.26 of chance; `or`, `was`, `had`, `her`, which may, 0.45-0.5)."""
    run_together_margin: float = 3.0
    """Zipf points by which words side by side (their frequency and bigram) must beat a reading as one word."""
    unseen_split_min_len: int = 5
    """A reading no repair mends may be two words the bigram list never pairs if it is this long: the length from which
    `joins.run_together` splits a reading too (shorter ones are misread short words as often: `tlie`)."""
    unseen_split_confidence: float = 0.83
    """Confidence of such a split being right (`Repair.RUN_TOGETHER_UNSEEN`) in a text as noisy as the tuning text
    (its log10 odds move with `TextEvidence.misread_odds`, as the scorer's prior does): on BLN600's tune half, OCR and truth,
    14 of its 16 changes brought the words nearer the truth, one moved none (`Ittil` -> `it til`) and one split a
    run-together word of the print itself (`Thamesfrom`), (14 + 1) / (16 + 2). Too few for the scorer to fit."""
    many_split_min_len: int = 10
    """A reading may be three words or more run together (`joins.run_together_many`) if it is this long."""
    many_split_min_words: int = 3
    """...and parts into this many words at least (two are `joins.run_together`'s, weighed by the scorer)."""
    many_split_confidence: float = 0.96
    """Confidence of such a split being right (`Repair.RUN_TOGETHER_MANY`, which the scorer has no weights for): on
    BLN600's tune half, OCR, all 26 of its changes brought the truth (18 the unknown-word repair had made too, where
    the scorer took its segmentation; 8 it had left), (26 + 1) / (26 + 2); on the truth of BLN600, oldbooks and ocr17
    it changes nothing (`benchmarks/clean_text.py`)."""
    distant_min_len: int = 9
    """Readings this long may be three edits from the printed word (SymSpell looks two edits away)."""
    document_bonus: float = 1.5
    """Zipf points a candidate gains for being printed elsewhere in the same text (`complainant` in a police report)."""
    document_capitalised_cost: float = 1.0
    """...and a capitalised one may be misread this much further from a word printed elsewhere in the text."""
    function_word_zipf: float = 6.5
    """Words this common (`the`, `for`, `with`, `he`) are not halves of a compound broken at its hyphen."""
    broken_halves_max_zipf: float = 4.3
    """Two words side by side, neither commoner than this and never paired in English, may be one word broken
    by a space (`pri soner`)..."""
    broken_join_gain: float = 0.5
    """...when their join is this many Zipf points commoner than either."""
    broken_off_max_drop: float = 2.0
    """A word's piece beside a word is joined to it (`joins._broken_off`) only if the word is at most this many Zipf
    points commoner than the join: on BLN600's tune half the seven joins that brought the truth had 0.07-1.32
    (`pro duced`, `travel.. lers`), the one that did not 2.56 (`will ie`, which is `will is`)."""
    compound_solid_zipf: float = 2.0
    """Two common words broken at a hyphen join solid only if the solid word is at least this common (`twenty- nine`)."""
    document_name_count: int = 2
    """An unknown capitalised word read this many times in a text is taken for one of its names."""
    switched_off: frozenset[Repair] = frozenset()
    """Repairs that propose nothing: to measure what each is worth (`benchmarks/correction.py --without`)."""
    typical_unknown_share: float = 0.0348
    """The share of a text's lower-case words that no lexicon knows in the OCR these weights were tuned on
    (BLN600's tune half: the geometric mean over its 235 articles, each counted as `Corrector._misread_odds`
    counts it, which this share smooths): a text with this share has no prior either way."""
    misread_weight: float = 2.1
    """log10 odds that a word is misread gained for each tenfold more of its text's lower-case words that no
    lexicon knows, or lost for each tenfold fewer. Measured: a logistic fit of whether a change was right on
    its margin and on the log of the text's share, over the changes made to BLN600's tune half, OCR and
    ground truth (clean print, where every change is wrong): 2.13 for unknown words, 2.16 for real words
    misread (2.23 and 2.27 over all of BLN600); at the typical share the fits' boundary is within 0.3 of the
    tuned margin. Within the OCR alone the share tells little (a change is right about 84% of the time
    whatever the article's noise); between OCR and clean print it is decisive."""
    quote_speck_odds: float = 1.5
    """log10 odds that a straight apostrophe on a common English word, opening or closing no quotation on
    its line, is a speck, in text as noisy as the tuning text: on BLN600's tune half, dropping one made 316
    words right and 9 wrong. In a text read well (`TextEvidence.misread_odds` below -1.5, as in clean print)
    it is a quotation's, closed on another line."""


@dataclass(frozen=True)
class Token:
    text: str
    conf: float | None = None
    """Tesseract's confidence 0-100, None for text that comes without it."""
    choices: Choices | None = None
    """Tesseract's alternatives for the word's glyphs (`Word.choices`), None for text that comes without them."""
    above: str | None = None
    """What the page image shows over each letter of the word's core (`Word.above`), None for text without an image."""


@dataclass(frozen=True)
class Proposal:
    """Replace tokens[start:end] by `text` (words joined by spaces; empty to drop them)."""

    start: int
    end: int
    text: str
    repair: Repair
    reason: str
    confidence: float
    alternatives: tuple[str, ...] = ()
    evidence: Evidence | None = None
    """What the scorer weighed (set by `Corrector.propose`); `confidence` is then its probability."""
    rivals: tuple[tuple[str, float], ...] = ()
    """The repair's other candidates for the word, each with its own confidence: the scorer weighs them too."""

    def applied(self, params: Params) -> bool:
        return self.confidence >= params.apply_threshold


def protected(core: str, lexicon: Lexicon) -> str | None:
    """Why this word must not be changed, or None."""
    if not core:
        return "no word"
    if lexicon.is_name(core):
        return "in a dictionary"
    if _NUMBERISH.match(core):
        return "number or date"
    if _ROMAN.match(core) and len(core) > 1:
        return "roman numeral"
    if core.isupper() and len(core) <= 5:
        return "acronym"
    if "-" in core and all(lexicon.knows(part) for part in core.split("-") if part):
        return "hyphenated compound"
    base = _POSSESSIVE.sub("", core)
    if base != core and lexicon.knows(base):
        return "possessive"
    if _NAME_APOSTROPHE.match(core):
        return "name with apostrophe"
    if french_elision(core, lexicon):
        return "French elision"
    return None


def french_elision(word: str, lexicon: Lexicon) -> bool:
    """`l'on`, `d'aujourd'hui`, `n'y`: an elided article, pronoun or conjunction before a French word."""
    elided = _ELISION.match(word)
    return elided is not None and _french(elided.group(1).lower(), lexicon)


def _french(word: str, lexicon: Lexicon) -> bool:
    """A French word after an elision: a very common French word (`on`, `or`), or a common one not much
    commoner in English (`opinion`; not `he` of `T'he`); a letter alone only if it is `a` or `y` (`n'a`,
    `il y`), the others being specks as often."""
    fr, en = lexicon.zipf(word, "fr"), lexicon.zipf(word, "en")
    common = fr >= FRENCH_COMMON_ZIPF or fr >= FRENCH_ELIDED_ZIPF and fr >= en - 1.0
    return (len(word) > 1 or word in ("a", "y")) and common


def recase(word: str, like: str) -> str:
    if _capitals(like):
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@dataclass(frozen=True)
class TextEvidence:
    """What the text being corrected shows about itself, counted from all its tokens before any word of it is
    corrected (`Corrector.for_counts`); none for a word corrected with no text around it."""

    counts: Mapping[str, int] = field(default_factory=dict)
    """How often the text prints each alphabetic word (each part of a hyphenated one too), in its case as read."""
    readings: Mapping[str, int] = field(default_factory=dict)
    """How often the text reads each token's word exactly as here (`for'ard`, `Ratsey`)."""
    misread_odds: float = 0.0
    """log10 of how much likelier a word of this text is misread than one of the text the weights were
    tuned on (0 without a text; below 0 for a cleaner text): weighed against correcting a word, unknown
    (`unknown.best_word`) or real (`realword.real_word`), and against taking a quotation mark for a speck."""
    noisy: bool = False
    """The text misreads words as often as a typical noisy text does, not counting any one of them: the evidence
    a reading of its own is no word of the print needs (a line alone with one unknown word shows nothing)."""
    closes_dashes: bool = False
    """The text closes its em-dashes up (`brows—sometimes`) more often than it sets one alone between spaces."""
    closes_opening_dashes: bool = False
    """The text closes a dash up onto a capitalised word (`-The`) more often than it sets one alone (`marks.opening_dash`)."""
    pounds_read: int = 0
    """How many more figures above 31 the text prints before a full stop ending in `1` than in another figure
    (`money.pounds_read`)."""


class Corrector:
    """What every repair shares: the lexicon, the weights, what the text shows about itself and its misread
    prior, its learned error model and the language scores. `propose` asks the repairs (`repairs/`) in a fixed
    order and has each proposal scored."""

    def __init__(self, lexicon: Lexicon, params: Params = Params(), text: TextEvidence = TextEvidence()) -> None:
        self.lexicon = lexicon
        self.params = params
        self.scorer = model()
        """The fitted scorer that decides each proposal; None before one is fitted (each repair's own confidence stands)."""
        self.errors: ErrorModel | None = None
        """The text's own confusions, once learned (`learned_from`)."""
        self.text = text
        self.document_counts = Counter[str]()
        for w, n in text.counts.items():
            self.document_counts[w.lower()] += n
        """How often the text prints each word, any case."""
        self.document_words = frozenset(self.document_counts)
        """The text's words, lower case."""
        self.document_total = sum(self.document_counts.values())
        """How many words the text prints."""
        self.unmarked = _unmarked(text.readings)
        """How surely the text shows no mark of misreading (`scorer.Evidence.unmarked`)."""
        self.sums = money.sums(text.readings)
        """How many sums of money (`10s.`, `50l.`) the text prints read right."""
        self.compound_heads = Counter[str]()
        """How often the text prints each word as the last part of a hyphenated compound (`street` of
        `Bow-street`), lower case."""
        for core, n in text.readings.items():
            head = core.rpartition("-")[2]
            if head != core and head.isalpha():
                self.compound_heads[head.lower()] += n
        self.document_names = tuple(
            w
            for w, n in text.counts.items()
            if n >= params.document_name_count
            and len(w) >= 4
            and w[:1].isupper()
            and not w.isupper()
            and not lexicon.knows(w)
        )
        """Capitalised words no dictionary knows, read the same way several times in this text: its names."""
        self._document_names = frozenset(self.document_names)
        """The same, to look a word up in (a long text has thousands)."""
        self._plain_scores: Memo[tuple[str, str | None], float] = Memo()
        """`language_score` without neighbours, by word and language."""
        self.candidates: Memo[str, frozenset[str]] = Memo(CANDIDATES_KEPT)
        """`unknown.word_candidates`, by reading."""
        self.general = general(lexicon, params)
        """What a repair finds for a word alone from the lexicon and the weights only, nothing of the text: kept
        for every text corrected with them (`memo.general`), by the repair's name, then the word."""
        self._english_words: Memo[str, bool] = self.general["english"]
        self._foreign_words: Memo[str, bool] = self.general["foreign"]
        self.alone: defaultdict[str, Memo[Any, Any]] = defaultdict(Memo)
        """What a repair that reads a word alone (and the fixed evidence) finds for it: by the repair's name, then
        the word."""
        self.taught: defaultdict[str, Memo[Any, Any]] = defaultdict(Memo)
        """The same for repairs whose finding weighs the text's error model too: one set per model (`with_errors`)."""

    def for_document(self, words: Iterable[str]) -> Corrector:
        """This corrector, with the words of one text as evidence: a word printed elsewhere in the
        text is a likelier correction than one of the same frequency that is not, a name read
        the same way several times is a candidate for its misreadings, and a text read well has
        few misread words (`TextEvidence`)."""
        return self.for_counts(Counter(words))

    def for_counts(self, words: Mapping[str, int]) -> Corrector:
        """`for_document` from each token of the text and how often the text prints it (a text too long
        to hold, counted as it was read)."""
        readings: Counter[str] = Counter()
        for word, n in words.items():  # each distinct token split once: a long text repeats its words
            readings[split_token(word)[1]] += n
        counts: Counter[str] = Counter()
        for core, n in readings.items():
            for part in core.split("-"):  # `Bermondsey-street` too
                if part.isalpha():
                    counts[part] += n
        closed = sum(n for word, n in words.items() if marks.CLOSED_DASH.search(word))
        text = TextEvidence(
            counts=counts,
            readings=readings,
            misread_odds=self._misread_odds(readings),
            noisy=self._misread_odds(readings, besides=1) >= 0,
            closes_dashes=closed > words.get(marks.EM_DASH, 0),
            closes_opening_dashes=marks.closes_opening_dashes(words),
            pounds_read=money.pounds_read(words),
        )
        return Corrector(self.lexicon, self.params, text)

    def learned_from(self, lines: Iterable[tuple[Sequence[Token], Sequence[Proposal]]]) -> Corrector:
        """This corrector with the text's own error model, learned from the sure corrections of a first
        pass over it (each line's tokens and proposals); itself when they teach nothing."""
        errors = learn(pair for tokens, proposals in lines for pair in sure_pairs(tokens, proposals))
        return self if errors is None else self.with_errors(errors)

    def with_errors(self, errors: ErrorModel | None) -> Corrector:
        """This corrector with the text's error model (None: the confusion table alone)."""
        taught = copy.copy(self)
        taught.errors = errors
        if errors != self.errors:
            taught.taught = defaultdict(Memo)
        return taught

    def _channel(self, read: str, printed: str) -> float:
        """The channel cost, cheaper for the confusions this text is known to make."""
        cost = channel_cost(read, printed)
        return cost - self.errors.discount(read, printed) if self.errors is not None and cost else cost

    def habit_odds(self, read: str, printed: str) -> float:
        """log10 odds, from the text's own counts, that a `read` of it (lower case) is a misread `printed`: the
        text's error model undoes it, and the text prints `read` far more often than English does, beside `printed`
        (`tho` 30 times to `the`'s 200, English once to 2,000: all but one in 300 of its `tho` are misreadings) and
        among all its words (a long text that never prints `de` still prints `do` as often as English does). The
        reading judged is not counted (one `wore` beside one `were` shows nothing); 0 when the rest show nothing."""
        if self.errors is None or printed not in self.errors.variants(read):
            return 0.0
        others = self.document_counts.get(read, 0) - 1
        lex = self.lexicon
        excess = min(
            others
            / max(1, self.document_counts.get(printed, 0))
            / 10 ** (lex.zipf(read, "en") - lex.zipf(printed, "en")),
            others / max(1, self.document_total) / max(lex.frequency(read, "en"), 1e-9),
        )
        return math.log10(excess - 1) if excess > 2 else 0.0

    def _misread_odds(self, cores: Mapping[str, int], besides: int = 0) -> float:
        """The prior of the noisy channel, from how well the text was read: the share of its lower-case words
        that no lexicon knows (a capitalised one may be a name), which are misreadings nearly all, clean
        print having almost none (BLN600's OCR 4.7%, its ground truth 0.09%, the seed 0.08%). A text read
        with fewer misreads fewer of its real words too. The count starts from a typical text's share of one
        unknown word, so that a short text, which shows little, is taken for about as noisy as a typical one.
        `besides`: that many of its unknown words not counted (the odds the rest of the text gives a reading)."""
        words = {c: n for c, n in cores.items() if _WORDLIKE.match(c) or _MISREAD_WORD.match(c)}
        unknown = sum(
            n
            for c, n in words.items()
            if c[:1].islower() and not self.lexicon.knows(c) and protected(c, self.lexicon) is None
        )
        share = (max(0, unknown - besides) + 1) / (sum(words.values()) + 1 / self.params.typical_unknown_share)
        return self.params.misread_weight * math.log10(share / self.params.typical_unknown_share)

    def _in_document(self, word: str) -> bool:
        """Every word of the candidate is read elsewhere in the text, in any case (`Charge` at a sentence's start)."""
        return all(p.lower() in self.document_words for p in word.split())

    def _name(self, word: str) -> bool:
        """A name: of the dictionaries or of this text."""
        return self.lexicon.is_name(word) or word in self._document_names

    # -- scoring ---------------------------------------------------------------------------
    def language_score(self, word: str, left: str | None, right: str | None, lang: str | None = None) -> float:
        """How likely the word is here: its frequency (in `lang`, or its best language) and its neighbours' bigrams."""
        score = self._plain_scores.get((word, lang), self._plain_score, word, lang)
        weight = self.params.context_weight
        if weight and left:
            score += weight * math.log10(1 + self.lexicon.bigram(left, word.split()[0]) / BIGRAM_FLOOR)
        if weight and right:
            score += weight * math.log10(1 + self.lexicon.bigram(word.split()[-1], right) / BIGRAM_FLOOR)
        return score

    def _plain_score(self, word: str, lang: str | None) -> float:
        """The word's frequency alone (its parts' mean, less the penalty for splitting a reading into them)."""
        parts = word.split()
        return sum(self._zipf(p, lang) for p in parts) / len(parts) - self.params.split_penalty * (len(parts) - 1)

    def _zipf(self, word: str, lang: str | None = None) -> float:
        """The word's frequency; in `lang`'s prose, what another language adds counts less (a British
        spelling shared with French, `organisation`, keeps most of its weight; `travers` does not win)."""
        if self._name(word):
            return max(self.lexicon.zipf(word), self.params.min_candidate_zipf + 1.0)
        if lang is None:
            return self.lexicon.zipf(word)
        return max(self.lexicon.zipf(word, lang), self.lexicon.zipf(word) - self.params.foreign_discount)

    def reading_score(self, core: str, conf: float | None, left: str | None, right: str | None) -> float:
        """The case for the reading as printed: its own language score if it is a word, with its
        neighbours' evidence, and Tesseract's confidence in it."""
        known = self.language_score(core, left, right) + self.params.known_bonus if self.lexicon.knows(core) else 0.0
        score = max(self.params.unknown_zipf, known)
        if core in self._document_names:  # read the same way elsewhere in the text: as likely as a candidate would be
            score = max(score, self.language_score(core, left, right) + self.params.document_bonus)
        if conf is not None:
            score += self.params.conf_weight * (conf / 100.0)
        return score

    # -- candidates ------------------------------------------------------------------------
    def _plausible(self, word: str) -> bool:
        parts = word.split()
        if len(parts) > 1 and any(len(p) == 1 and not letter_word(p) for p in parts):
            return False
        return all(self._name(p) or self.lexicon.zipf(p) >= self.params.min_candidate_zipf for p in parts)

    # -- proposals -------------------------------------------------------------------------
    def propose(
        self,
        tokens: Sequence[Token],
        recurring: frozenset[str] = frozenset(),
        only: Collection[int] | None = None,
        ends_paragraph: bool = False,
        sentence_after: bool = False,
    ) -> list[Proposal]:
        """Proposals for one line of tokens, non-overlapping, left to right. Words in `recurring`
        (read the same way, confidently, elsewhere on the page) are taken as printed; with `only`,
        a repair starts only at those positions. `ends_paragraph`: the line closes a paragraph and
        the next one opens with a capital; `sentence_after`: the next line opens a sentence (`marks.opens_sentence`)."""
        cores = [split_token(t.text) for t in tokens]
        proposals = unknown.phrase_accents(self, tokens, cores)
        taken = {i for p in proposals for i in range(p.start, p.end)}
        for i in range(len(tokens)):
            if i in taken or only is not None and i not in only:
                continue
            if _TYPOGRAPHY.match(tokens[i].text):
                continue  # `©`, `•` standing alone: printed, not specks
            dash = marks.spaced_dash(self, tokens, i, taken) or marks.opening_dash(self, tokens, i)
            if dash is not None:
                proposals.append(dash)
                taken.update(range(dash.start, dash.end))
                continue
            if marks.detached_punctuation(self, tokens, i) and marks.attach(
                tokens, proposals, taken, i, to_left=True, reason="space before punctuation removed"
            ):
                continue  # `them ;` -> `them;`
            if Repair.MONEY not in self.params.switched_off:
                sum_ = money.amount(self, cores, i)
                if sum_ is not None:
                    proposals.append(sum_)
                    taken.add(i)
                    continue
            noise = marks.noise(self, tokens, cores, i)
            if noise is not None:
                proposals.append(Proposal(i, i + 1, "", Repair.NOISE, noise, self.params.noise_confidence))
                taken.add(i)
                continue
            joined = joins.join(self, tokens, cores, i, taken)
            if joined is not None:
                proposals.append(joined)
                taken.update(range(joined.start, joined.end))
                continue
            if cores[i][1] in recurring:  # the book's word, however it reads, unless a name's but for its diacritics
                restored = self._restored(tokens, cores, i)
                if restored is not None:
                    proposals.append(restored)
                    taken.add(i)
                continue
            intruder = realword.intruder(self, tokens, cores, i)
            if intruder is not None:
                proposals.append(intruder)
                taken.add(i)
                continue
            single = self._word(tokens, cores, i)
            if single is not None:
                proposals.append(single)
                taken.add(i)
        proposals = marks.attach_detached_quotes(tokens, proposals, taken)
        last = only is None or len(tokens) - 1 in only
        proposals += marks.sentence_stops(tokens, taken, self.params.sentence_stop_confidence, sentence_after and last)
        if ends_paragraph and tokens and last:
            proposals = marks.paragraph_stop(tokens, proposals)
        scored = []
        for p in proposals:
            if p.repair in self.params.switched_off or self.rejected(tokens, p):
                continue
            scored.append(self._decided(tokens, cores, p))
        return sorted(scored, key=lambda p: p.start)

    def _decided(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], p: Proposal) -> Proposal:
        """The proposal, or the rival the scorer finds likelier to be right, with the scorer's probability as
        its confidence and the other candidates as its alternatives."""
        options = (
            [p, *(replace(p, text=text, confidence=c) for text, c in p.rivals)] if self.scorer is not None else [p]
        )
        best: Proposal | None = None
        for q in options:
            evidence = self.evidence(tokens, cores, q)
            probability = self.scorer.probability(evidence) if self.scorer is not None else None
            confidence = round(probability, 3) if probability is not None else q.confidence
            if best is None or confidence > best.confidence:
                best = replace(q, confidence=confidence, evidence=evidence)
        assert best is not None
        if len(options) > 1:  # the candidates not taken, in the repair's order
            chosen = split_token(best.text)[1]
            best = replace(
                best, alternatives=tuple(w for w in (split_token(q.text)[1] for q in options) if w != chosen)
            )
        return replace(best, rivals=())

    def evidence(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], p: Proposal) -> Evidence:
        """What the scorer weighs about a proposal, whichever repair made it."""
        lex = self.lexicon
        read = [core for _, core, _ in cores[p.start : p.end] if core]
        new = [core for core in (split_token(w)[1] for w in p.text.split()) if core]
        left, right = _neighbours(cores, p.start)[0], _neighbours(cores, p.end - 1)[1]
        context = 0.0
        if len(read) == 1 and len(new) == 1 and read[0].isalpha() and new[0].isalpha() and (left or right):
            context = sum(self._sides(new[0].lower(), left, right)) - sum(self._sides(read[0].lower(), left, right))
        confs = [t.conf for t in tokens[p.start : p.end] if t.conf is not None]
        token, alone = tokens[p.start], p.end == p.start + 1
        return Evidence(
            repair=p.repair,
            prior=logit10(p.confidence),
            misread_odds=self.text.misread_odds,
            known=bool(read) and all(lex.knows(w) for w in read),
            reading_zipf=sum(lex.zipf(w) for w in read) / len(read) if read else 0.0,
            candidate_zipf=sum(lex.zipf(w) for w in new) / len(new) if new else 0.0,
            channel=min(self._channel(" ".join(read), " ".join(new)), 4.0),
            reading_repeats=math.log2(max(1, self.text.readings.get(read[0], 0))) if read else 0.0,
            candidate_in_text=math.log2(1 + min((self.document_counts.get(w.lower(), 0) for w in new), default=0)),
            capitalised=bool(read) and read[0][:1].isupper(),
            conf=min(confs) / 100.0 if confs else None,
            context=max(-10.0, min(10.0, context)),
            drop=not new,
            choices=alone and alternatives.spells(token.text, token.choices),
            glyph_margin=alternatives.glyph_margin(token.text, token.choices, p.text) if alone else None,
            unmarked=self.unmarked,
        )

    def rejected(self, tokens: Sequence[Token], p: Proposal) -> bool:
        """A reviewer said no to this change of these words between these neighbours."""
        if not self.lexicon.rejected:
            return False
        raw = " ".join(t.text for t in tokens[p.start : p.end])
        left = tokens[p.start - 1].text if p.start > 0 else ""
        right = tokens[p.end].text if p.end < len(tokens) else ""
        return (raw, p.text, left, right) in self.lexicon.rejected

    def _rare_english(self, word: str) -> bool:
        """`beheld`, `potman`, `wilful`, `burglarious`: a word of the curated English dictionary, long enough
        that no glyph slip makes one of another (`fora`, `thew`, `oust` are words too, and `for`, `the`,
        `out` misread), is no misreading of a commoner word, however rarely the web writes it."""
        return len(word) >= self.params.english_word_min_len and self.lexicon.english_word(word)

    def _foreign(self, word: str) -> bool:
        """Clearly a French or Spanish word: ten times commoner in one of them than in English (`les`, `sur`)."""
        return self._foreign_words.get(word, self._more_foreign, word)

    def _more_foreign(self, word: str) -> bool:
        lex = self.lexicon
        return max(lex.zipf(word, "fr"), lex.zipf(word, "es")) > lex.zipf(word, "en") + 1.0

    def _english(self, word: str) -> bool:
        """A common English word, commoner in English than in French or Spanish (its parts, if hyphenated)."""
        return self._english_words.get(word, self._commonly_english, word)

    def _commonly_english(self, word: str) -> bool:
        lex = self.lexicon
        return all(
            lex.zipf(part, "en") >= self.params.protect_zipf
            and lex.zipf(part, "en") >= max(lex.zipf(part, "fr"), lex.zipf(part, "es"))
            for part in word.split("-")
        )

    def _word(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> Proposal | None:
        pre, core, post = cores[i]
        token = tokens[i]
        unsure = (
            token.conf is None or token.conf < self.params.protect_capitalised_conf
        )  # a sure reading keeps its marks
        title = case.title(self, cores, i) if unsure else None
        if title is not None:
            return Proposal(
                i, i + 1, pre + title + post, Repair.TITLE, "title before a name misread", self.params.noise_confidence
            )
        clean_pre, clean_post = marks.edge_marks(self, cores, i, unsure)
        noise = (clean_pre, clean_post) != (pre, post)
        recased = case.recased(self, cores, i)
        if recased != core:
            cores = [*cores[:i], (pre, recased, post), *cores[i + 1 :]]
        found = self._repaired(recased, token.conf, cores, i, token.above)
        if found is None and recased != core:
            return Proposal(i, i + 1, clean_pre + recased + clean_post, Repair.CASE, "letter case repaired", 0.9)
        spelt = (
            alternatives.known_readings(self, tokens, i, self.params.alternatives_confidence)
            if found is None and Repair.ALTERNATIVES not in self.params.switched_off
            else []
        )
        if spelt:  # what no other repair proposes: where one does, the spellings are evidence for its candidate
            return replace(spelt[0], rivals=tuple((q.text, q.confidence) for q in spelt[1:]))
        if found is None and not noise:
            return None
        if found is None:
            return Proposal(i, i + 1, clean_pre + core + clean_post, Repair.MARKS, "noise characters removed", 0.9)
        repair, (word, confidence, others, *rivals) = found
        reason = "dictionary name with accents" if fold(word) == fold(core) else _REASONS[repair]
        return Proposal(
            i,
            i + 1,
            clean_pre + word + clean_post,
            repair,
            reason,
            confidence,
            others,
            rivals=tuple((clean_pre + w + clean_post, c) for w, c in rivals[0]) if rivals else (),
        )

    def _restored(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> Proposal | None:
        """A word read the same way confidently elsewhere is taken as printed (`recurring`), but a dictionary name
        read without its diacritics loses them on every confident reading alike: restored all the same."""
        if Repair.ACCENTS in self.params.switched_off:
            return None
        pre, core, post = cores[i]
        found = unknown.restore_accents(self, core, tokens[i].above)
        if found is None:
            return None
        word, confidence, _ = found
        return Proposal(i, i + 1, pre + word + post, Repair.ACCENTS, _REASONS[Repair.ACCENTS], confidence)

    def _repaired(
        self, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int, above: str | None = None
    ) -> tuple[Repair, tuple] | None:
        """The first repair of a word alone that proposes something, the most specific evidence first, and what it
        proposes; `above`: the image's marks over the word's letters (`Token.above`)."""
        alone = self.alone
        attempts = (
            (Repair.ACCENTS, lambda: alone["accents"].get((core, above), unknown.restore_accents, self, core, above)),
            (Repair.SPLIT_AT_MARK, lambda: alone["mark"].get(core, marks.mark_between_words, self, core)),
            (Repair.RUN_TOGETHER_MANY, lambda: self.general["many"].get(core, joins.run_together_many, self, core)),
            (Repair.RUN_TOGETHER, lambda: self.general["run"].get(core, joins.run_together, self, core)),
            (Repair.UNKNOWN_WORD, lambda: unknown.best_word(self, core, conf, cores, i)),
            (
                Repair.COMPOUND_PARTS,
                lambda: self.taught["parts"].get((core, conf), unknown.compound_parts, self, core, conf),
            ),
            (Repair.SPECK_INSIDE, lambda: self.general["speck"].get(core, marks.speck_inside, self, core)),
            (Repair.SPLIT_AT_MARK, lambda: marks.misread_beside_mark(self, core, conf, cores, i)),
            (Repair.REAL_WORD, lambda: realword.real_word(self, core, conf, cores, i)),
            (Repair.RUN_TOGETHER_UNSEEN, lambda: joins.run_together_unseen(self, core)),
        )
        # a word the text's own confusions make of the reading comes before words it may have run together
        # (`theso`: `these`, not `the so`, where the text reads `e` as `o`)
        habit = self.errors is not None and any(self.lexicon.knows(v) for v in self.errors.variants(core.lower()))
        for repair, attempt in sorted(attempts, key=lambda a: not (habit and a[0] is Repair.UNKNOWN_WORD)):
            if repair in self.params.switched_off:
                continue
            found = attempt()
            if found is not None:
                return repair, found
        return None

    def _sides(self, word: str, left: str | None, right: str | None, cut: bool = False) -> tuple[float, ...]:
        """log10 P(word | left) and log10 P(right | word) from the English bigrams, backing off to frequencies;
        with the words before `cut` off, log10 P(word) in place of the first."""
        lex, b = self.lexicon, self.params.backoff
        sides = [math.log10(max(lex.frequency(word, "en"), 1e-9))] if cut else []
        for first, second in ((left, word), (word, right)):
            if first is not None and second is not None:
                pair = lex.bigram(first, second)
                sides.append(math.log10(pair if pair > 0 else b * max(lex.frequency(second, "en"), 1e-9)))
        return tuple(sides)


def sure_pairs(tokens: Sequence[Token], proposals: Sequence[Proposal]) -> list[tuple[str, str]]:
    """(reading, correction) of a line's sure changes of one unknown word: what a text's error model learns from."""
    return [
        (split_token(tokens[p.start].text)[1], split_token(p.text)[1])
        for p in proposals
        if p.repair is Repair.UNKNOWN_WORD and p.confidence >= SURE and p.end == p.start + 1
    ]


def _neighbours(cores: list[tuple[str, str, str]], i: int) -> tuple[str | None, str | None]:
    """The words either side of word i that run on into it: punctuation between ends the context."""
    left = cores[i - 1][1] if i > 0 and not cores[i - 1][2] and not cores[i][0] else None
    right = cores[i + 1][1] if i + 1 < len(cores) and not cores[i][2] and not cores[i + 1][0] else None
    return left or None, right or None


def _capitals(word: str) -> bool:
    """Set in capitals, though OCR lost a few (`YOrUNG`, `MARnARoET`): most letters upper case."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and sum(c.isupper() for c in letters) > len(letters) / 2


def _letters(word: str) -> bool:
    """Letters, perhaps joined by hyphens (`Police-constable`)."""
    return word.replace("-", "").isalpha()


def _recase_split(split: str, like: str) -> str:
    """`pertyofsirrobert` split as `perty of sir robert` takes the reading's capitals back, letter for letter."""
    letters = iter(like)
    return "".join(c if c == " " else (c.upper() if next(letters).isupper() else c) for c in split)


def apply(tokens: Sequence[Token], proposals: Sequence[Proposal], params: Params) -> list[str]:
    """The corrected tokens of a line: applied proposals replace their span (later tokens of a span become empty)."""
    out = [t.text for t in tokens]
    for p in proposals:
        if p.applied(params):
            out[p.start] = p.text
            for k in range(p.start + 1, p.end):
                out[k] = ""
    return out


# the repairs propose through the context defined above, and import its types: imported last
from .repairs import alternatives, case, joins, marks, money, realword, unknown  # noqa: E402
