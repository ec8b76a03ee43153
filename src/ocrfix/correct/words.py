"""Word correction with evidence: candidates, a noisy-channel score, protection, and a margin.

For each reading the corrector weighs how likely each candidate word is (its frequency and its
neighbours, via English bigrams), how likely OCR was to turn it into the reading (the confusion
model), and how sure Tesseract was. A word changes only when the best candidate beats the
reading as printed by a margin; below the confidence threshold the change is proposed for
review, not applied. Names, numbers, abbreviations and known words (in any language) are
protected.
"""

from __future__ import annotations

import copy
import math
import string
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..lexicon import Lexicon, fold, strip_accents
from .confusions import EDGE_MARKS, NOISE_CHARS, channel_cost, variants
from .errormodel import SURE, ErrorModel, learn
from .scorer import Evidence, Repair, logit10, model

_SPLIT = regex.compile(r"^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$", regex.S)
_NUMBERISH = regex.compile(r"^[\p{N}.,:/–-]*\p{N}[\p{N}.,:/–-]*(st|nd|rd|th|s|e|er|re|o|a|º|ª|d|l|ft|yds?|lbs?|oz|cwt)?$", regex.I)
_ROMAN = regex.compile(r"^[IVXLCDM]+$|^[ivxlcdm]+$")
_ABBREVIATION = regex.compile(r"^(\p{Lu}\.)+\p{Lu}?$|^\p{L}{1,4}$")
_WORDLIKE = regex.compile(r"^\p{L}[\p{L}'’-]*\p{L}$|^\p{L}$")
_POSSESSIVE = regex.compile(r"['’]s?$")
_NAME_APOSTROPHE = regex.compile(r"^\p{Lu}['’]\p{Lu}")
FRENCH_COMMON_ZIPF = 5.0
"""A French word this common may follow an elision however common it is in English (`d'or`, `l'on`)..."""
FRENCH_ELIDED_ZIPF = 3.5
"""...one this common, if English does not have it ten times as often (`l'opinion`, not `T'he`)."""
_ELISION = regex.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]([aeiouyhàâæéèêëîïôœûùü][\p{L}'’]*)$", regex.I)
"""`l'on`, `d'un`, `qu'il`, `c'est`: French elides an article, a pronoun or a conjunction before a vowel or
a mute h; the lexicons (wordfreq's tokens) hold the halves, not the whole."""
_PROSE_PUNCTUATION = regex.compile(r"^[-–—&\"'“”‘’«»‹›()\[\]*.,;:!?/%$+=]+$")
_TYPOGRAPHY = regex.compile(r"(?V1)^[^\p{L}\p{N}]*[[\p{S}\p{Po}]--\p{ASCII}][^\p{L}\p{N}]*$")
"""Marks holding a symbol or sign beyond ASCII (`©`, `•`, `·`, `§`, `¶`, `†`, `£`, `°`, `→`, `…`): printed, not
specks, which read as ASCII marks (`_`, `|`, `~`, `<`, `^`). In BLN600's OCR no speck standing alone was read as
another (its lone `�`, 8 of them, stand for `£`); in Tesseract's reading of oldbooks-dev the few standing alone are
mostly letters misread (`N. ¥.`, `§ cents`), which dropping would not mend."""
_STOPS_ALONE = regex.compile(r"^[.,;:]{1,3}$")
"""Stops standing alone as a token (`.`, `:.`, `,.,`): after another stop, specks."""
_STRAY_LETTER = regex.compile(r"^[bcdfghjklmnpqrstvwxz]$")
"""A lone lower-case consonant: no word of English, French or Spanish prose (vowels are: a, à, y, o, e)."""
_QUOTES = frozenset("'‘’")
_HYPHEN_AND_SPECK = regex.compile(r"^-[.,;:'’]{1,2}$")
"""A line-end hyphen with a speck read beside it: still the hyphen of a broken word, not a dash."""
_SPECK_MARKS = frozenset(",;*[]|'")
"""Marks on a token that a speck, not the text, put there (a comma or semicolon may be the text's own)."""
_INNER_MARK = regex.compile(r"^(\p{L}+)([-.,;:'’~]{1,2})(\p{L}+)$")
"""A mark or two between two runs of letters: `acquainted.with`, `refused,and`, `the-watch`, `his.'wife`."""
_MARK_INSIDE = regex.compile(r"^(\p{L}+)([^\p{L}\p{N}\s]{1,2})(\p{L}+)$")
"""Any mark or two inside a run of letters (`char-ged`, `h]ad`, `t+he`, `wa"s`)."""
_INNER_CAPITALS = regex.compile(r"^(Mc|Mac|Fitz|O|D|De|Di|Da|La|Le|Van|Von)\p{Lu}\p{Ll}")
"""Names that carry a capital inside (`McCall`, `MacDonald`, `DeWitt`, `LaGuardia`)."""
_ABBREVIATIONS = frozenset(
    "etc viz cf ult inst prox esq vol vols chap ch pp fig ibid op cit al approx dept govt gen col capt lieut "
    "sergt serjt insp supt rev hon jun sen bros co v vs st mr mrs dr no nos ms mss per cent "
    "bart bt vic alt messrs wm thos geo jas chas lb lbs oz cwt ft yds".split()
)
"""Lower-case words that end with a full stop inside a sentence (`etc. and`, `ult. the`, `per cent. of`)."""
_LONE_VOWELS = frozenset("eiouy")
"""Lone vowels that are no word of English prose (`a` is; `I` is in capitals), though French or Spanish has `e`, `o`, `u`, `y`."""
_TITLE_READ = regex.compile(r"^[\p{L}\p{N}]{0,2}[rR]([sS]?)$")
"""How newsprint OCR reads `Mr` and `Mrs` (`Mir`, `Air`, `lr`, `Blr`, `DIr`, `Airs`, `M4RS`): the `r` survives, the `M` breaks."""
_OTHER_TITLES = frozenset({"mr", "mrs", "dr", "sir", "sr", "jr", "fr", "br", "hr"})
"""Titles that end in `r` too (`Fr.` Father, `Sr.` Senior or Señor, `Hr.` Herr): not `Mr` misread."""
_ARTICLES = frozenset({"a", "an", "the"})
"""No clause ends on one (`In the, course of`), and a letter after one is named, not a speck (`the N Division`)."""
_REVERENT_PRONOUNS = frozenset({"He", "His", "Him", "Thou", "Thee", "Thy", "Thine"})
"""Pronouns of the deity, capitalised mid-sentence on purpose."""
_STANDING_NUMERALS = frozenset("VX")
"""Capital letters that stand alone in prose as numerals (`chapter V`, `Pius X`); `A`, `I` and `O` are words. In
lower case, ending a line, a page number (a contents row's `Glossary of organisations x`, a running head's
`PREFACE. v`), where a speck seldom stands: in BLN600's OCR one lone `v` or `x` ends a line in 480 articles."""
_SUSPENDED_HYPHEN_FOLLOWERS = frozenset({"and", "or", "nor", "to", "et", "ou", "y", "o"})
"""`pre- and post-war`: a hyphen that waits for the next compound, not a compound broken at its hyphen."""
_COMPOUND_FIRST_WORDS = frozenset({"by", "in", "on", "at", "out", "up", "off", "over", "under", "down", "so", "all", "one", "no"})
"""Common words that begin compounds (`by-product`, `in-law`, `at-home`, `so-called`, `all-night`, `one-sided`,
`no-man's-land`): a hyphen after one may be the compound's."""
_MISREAD_WORD = regex.compile(r"^(?=(?:.*\p{L}){2})[\p{L}\p{N}'’~^|-]+$")
"""Letters with a digit or noise character among them (`w5as`, `T~iE`): a word misread, not a number."""


_REASONS = {
    Repair.ACCENTS: "dictionary name with accents",
    Repair.SPLIT_AT_MARK: "words run together at a mark split",
    Repair.RUN_TOGETHER: "run-together words split",
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
    run_together_margin: float = 3.0
    """Zipf points by which words side by side (their frequency and bigram) must beat a reading as one word."""
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
    words right and 9 wrong. In a text read well (`Corrector.misread_odds` below -1.5, as in clean print)
    it is a quotation's, closed on another line."""


@dataclass(frozen=True)
class Token:
    text: str
    conf: float | None = None
    """Tesseract's confidence 0-100, None for text that comes without it."""


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

    def applied(self, params: Params) -> bool:
        return self.confidence >= params.apply_threshold


def split_token(text: str) -> tuple[str, str, str]:
    """Leading punctuation, the word, trailing punctuation."""
    m = _SPLIT.match(text)
    assert m is not None
    return m.group(1), m.group(2), m.group(3)


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
    if base != core and (lexicon.knows(base) or base[:1].isupper()):
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


class Corrector:
    def __init__(self, lexicon: Lexicon, params: Params = Params(), document: Mapping[str, int] | None = None,
                 misread_odds: float = 0.0, readings: Mapping[str, int] | None = None) -> None:
        self.lexicon = lexicon
        self.params = params
        self.scorer = model()
        """The fitted scorer that decides each proposal; None before one is fitted (each repair's own confidence stands)."""
        self.errors: ErrorModel | None = None
        """The text's own confusions, once learned (`learned_from`)."""
        self.misread_odds = misread_odds
        """log10 of how much likelier a word of this text is misread than one of the text the weights were
        tuned on (0 without a text; below 0 for a cleaner text): weighed against correcting a word, unknown
        (`_best`) or real (`_real_word`), and against taking a quotation mark for a speck."""
        document = document or {}  # how often each word is read in the text being corrected, in its case as read
        self.document_counts = Counter[str]()
        for w, n in document.items():
            self.document_counts[w.lower()] += n
        """How often the text prints each word, any case."""
        self.document_words = frozenset(self.document_counts)
        """The text's words, lower case."""
        self.readings = readings or {}
        """How often the text reads each token's word exactly as here (`for'ard`, `Ratsey`)."""
        self.document_names = tuple(
            w for w, n in document.items()
            if n >= params.document_name_count and len(w) >= 4 and w[:1].isupper() and not w.isupper() and not lexicon.knows(w)
        )
        """Capitalised words no dictionary knows, read the same way several times in this text: its names."""

    def for_document(self, words: Iterable[str]) -> Corrector:
        """This corrector, with the words of one text as evidence: a word printed elsewhere in the
        text is a likelier correction than one of the same frequency that is not, a name read
        the same way several times is a candidate for its misreadings, and a text read well has
        few misread words (`misread_odds`)."""
        cores = [split_token(w)[1] for w in words]
        counts = Counter(part for core in cores for part in core.split("-") if part.isalpha())  # `Bermondsey-street` too
        return Corrector(self.lexicon, self.params, counts, self._misread_odds(cores), Counter(cores))

    def learned_from(self, lines: Iterable[tuple[Sequence[Token], Sequence[Proposal]]]) -> Corrector:
        """This corrector with the text's own error model, learned from the sure corrections of a first
        pass over it (each line's tokens and proposals); itself when they teach nothing."""
        pairs = (
            (split_token(tokens[p.start].text)[1], split_token(p.text)[1])
            for tokens, proposals in lines for p in proposals
            if p.repair is Repair.UNKNOWN_WORD and p.confidence >= SURE and p.end == p.start + 1
        )
        errors = learn(pairs)
        if errors is None:
            return self
        taught = copy.copy(self)
        taught.errors = errors
        return taught

    def _channel(self, read: str, printed: str) -> float:
        """The channel cost, cheaper for the confusions this text is known to make."""
        cost = channel_cost(read, printed)
        return cost - self.errors.discount(read, printed) if self.errors is not None and cost else cost

    def _misread_odds(self, cores: Sequence[str]) -> float:
        """The prior of the noisy channel, from how well the text was read: the share of its lower-case words
        that no lexicon knows (a capitalised one may be a name), which are misreadings nearly all, clean
        print having almost none (BLN600's OCR 4.7%, its ground truth 0.09%, the seed 0.08%). A text read
        with fewer misreads fewer of its real words too. The count starts from a typical text's share of one
        unknown word, so that a short text, which shows little, is taken for about as noisy as a typical one."""
        words = [c for c in cores if _WORDLIKE.match(c) or _MISREAD_WORD.match(c)]
        unknown = sum(c[:1].islower() and not self.lexicon.knows(c) and protected(c, self.lexicon) is None for c in words)
        share = (unknown + 1) / (len(words) + 1 / self.params.typical_unknown_share)
        return self.params.misread_weight * math.log10(share / self.params.typical_unknown_share)

    def _in_document(self, word: str) -> bool:
        """Every word of the candidate is read elsewhere in the text, in any case (`Charge` at a sentence's start)."""
        return all(p.lower() in self.document_words for p in word.split())

    def _name(self, word: str) -> bool:
        """A name: of the dictionaries or of this text."""
        return self.lexicon.is_name(word) or word in self.document_names

    # -- scoring ---------------------------------------------------------------------------
    def language_score(self, word: str, left: str | None, right: str | None, lang: str | None = None) -> float:
        """How likely the word is here: its frequency (in `lang`, or its best language) and its neighbours' bigrams."""
        parts = word.split()
        score = sum(self._zipf(p, lang) for p in parts) / len(parts) - self.params.split_penalty * (len(parts) - 1)
        weight = self.params.context_weight
        if weight and left:
            score += weight * math.log10(1 + self.lexicon.bigram(left, parts[0]) / BIGRAM_FLOOR)
        if weight and right:
            score += weight * math.log10(1 + self.lexicon.bigram(parts[-1], right) / BIGRAM_FLOOR)
        return score

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
        if core in self.document_names:  # read the same way elsewhere in the text: as likely as a candidate would be
            score = max(score, self.language_score(core, left, right) + self.params.document_bonus)
        if conf is not None:
            score += self.params.conf_weight * (conf / 100.0)
        return score

    # -- candidates ------------------------------------------------------------------------
    def candidates(self, core: str) -> set[str]:
        lex = self.lexicon
        found = {recase(w, core) if w.islower() else w for w in lex.folded_names.get(fold(core), ())} - {core}
        lower = core.lower()
        for v in variants(core):  # undoing a confusion may leave a stray capital (`guIneas`): the reading's case, then
            if lex.is_name(v):
                found.add(v)
            elif lex.knows(v.lower()):
                found.add(recase(v.lower(), core))
        if len(core) > 3 and core[0] in EDGE_MARKS and lex.knows(core[1:]):  # a mark read before the word
            found.add(core[1:])
        if len(lower) >= 3:
            for s in candidate_index(lex).lookup(lower, _verbosity(), max_edit_distance=1 if len(lower) < 6 else 2):
                found.add(recase(s.term, core))
        if len(lower) >= self.params.distant_min_len and lower.isalpha():  # long words misread in three places
            found.update(recase(w, core) for w in distant_words(lex, lower))
        if core[:1].isupper() and self.document_names:
            found.update(w for w, _, _ in process.extract(core, self.document_names, scorer=Levenshtein.distance, score_cutoff=2, limit=None) if w != core)
        if self._may_be_run_together(core):
            split = candidate_index(lex).word_segmentation(lower, max_edit_distance=0).corrected_string
            parts = split.split()
            if (
                len(parts) > 1
                and split.replace(" ", "") == lower
                and all(len(p) > 1 or p in "ai" for p in parts)
                and all(lex.zipf(p, "en") >= self.params.split_min_zipf for p in parts)
                and max(lex.zipf(p, "en") for p in parts) >= self.params.split_needs_zipf
            ):
                found.add(_recase_split(split, core))
        return {c for c in found if self._plausible(c)}

    def _may_be_run_together(self, core: str) -> bool:
        """Unknown, letters only, and not a capitalised word (an unknown name) unless a capital inside shows a join."""
        if len(core) < 5 or not core.isalpha() or self.lexicon.knows(core):
            return False
        return not core[:1].isupper() or any(c.isupper() for c in core[1:]) and not core.isupper()

    def _plausible(self, word: str) -> bool:
        parts = word.split()
        if len(parts) > 1 and any(len(p) == 1 and p not in "aAI" for p in parts):
            return False
        return all(self._name(p) or self.lexicon.zipf(p) >= self.params.min_candidate_zipf for p in parts)

    # -- proposals -------------------------------------------------------------------------
    def propose(self, tokens: Sequence[Token], recurring: frozenset[str] = frozenset(), only: Collection[int] | None = None,
                ends_paragraph: bool = False) -> list[Proposal]:
        """Proposals for one line of tokens, non-overlapping, left to right. Words in `recurring`
        (read the same way, confidently, elsewhere on the page) are taken as printed; with `only`,
        a repair starts only at those positions. `ends_paragraph`: the line closes a paragraph and
        the next one opens with a capital."""
        cores = [split_token(t.text) for t in tokens]
        proposals = self._phrases(tokens, cores)
        taken = {i for p in proposals for i in range(p.start, p.end)}
        for i in range(len(tokens)):
            if i in taken or only is not None and i not in only:
                continue
            if _TYPOGRAPHY.match(tokens[i].text):
                continue  # `©`, `•` standing alone: printed, not specks
            if self._detached_punctuation(tokens, i) and self._attach(tokens, proposals, taken, i, to_left=True,
                                                                      reason="space before punctuation removed"):
                continue  # `them ;` -> `them;`
            noise = self._noise(tokens, cores, i)
            if noise is not None:
                proposals.append(Proposal(i, i + 1, "", Repair.NOISE, noise, self.params.noise_confidence))
                taken.add(i)
                continue
            joined = self._join(tokens, cores, i, taken)
            if joined is not None:
                proposals.append(joined)
                taken.update(range(joined.start, joined.end))
                continue
            if cores[i][1] in recurring:
                continue
            intruder = self._intruder(tokens, cores, i)
            if intruder is not None:
                proposals.append(intruder)
                taken.add(i)
                continue
            single = self._word(tokens, cores, i)
            if single is not None:
                proposals.append(single)
                taken.add(i)
        proposals = self._attach_detached_quotes(tokens, proposals, taken)
        if ends_paragraph and tokens and (only is None or len(tokens) - 1 in only):
            proposals = self._paragraph_stop(tokens, proposals)
        scored = []
        for p in proposals:
            if p.repair in self.params.switched_off or self.rejected(tokens, p):
                continue
            evidence = self.evidence(tokens, cores, p)
            probability = self.scorer.probability(evidence) if self.scorer is not None else None
            confidence = round(probability, 3) if probability is not None else p.confidence
            scored.append(replace(p, confidence=confidence, evidence=evidence))
        return sorted(scored, key=lambda p: p.start)

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
        return Evidence(
            repair=p.repair,
            prior=logit10(p.confidence),
            misread_odds=self.misread_odds,
            known=bool(read) and all(lex.knows(w) for w in read),
            reading_zipf=sum(lex.zipf(w) for w in read) / len(read) if read else 0.0,
            candidate_zipf=sum(lex.zipf(w) for w in new) / len(new) if new else 0.0,
            channel=min(self._channel(" ".join(read), " ".join(new)), 4.0),
            reading_repeats=math.log2(max(1, self.readings.get(read[0], 0))) if read else 0.0,
            candidate_in_text=math.log2(1 + min((self.document_counts.get(w.lower(), 0) for w in new), default=0)),
            capitalised=bool(read) and read[0][:1].isupper(),
            conf=min(confs) / 100.0 if confs else None,
            context=max(-10.0, min(10.0, context)),
            drop=not new,
        )

    def _attach_detached_quotes(self, tokens: Sequence[Token], proposals: list[Proposal], taken: set[int]) -> list[Proposal]:
        """A quotation mark standing apart (`no " bobby"`, `brother, " No,`) joins the word it opens or
        closes: opening when the marks before it on the line are even (or it is “), closing otherwise."""
        marks = 0
        for i, token in enumerate(tokens):
            if token.text not in ('"', "“", "”") or i in taken:
                marks += token.text.count('"')
                continue
            opening = token.text == "“" or token.text == '"' and marks % 2 == 0
            marks += token.text.count('"')
            k = i + 1 if opening else i - 1
            if 0 <= k < len(tokens) and split_token(tokens[k].text)[1]:
                self._attach(tokens, proposals, taken, i, to_left=not opening, reason="space inside quotation marks removed")
        return proposals

    @staticmethod
    def _paragraph_stop(tokens: Sequence[Token], proposals: list[Proposal]) -> list[Proposal]:
        """A paragraph does not end on a comma: before a paragraph that opens with a capital, a comma
        after the last word is a full stop misread (`no hope of his recovery,` / `The prisoners were`)."""
        last = len(tokens) - 1
        own = next((p for p in proposals if p.end == len(tokens)), None)
        text = tokens[last].text if own is None else own.text
        _, core, post = split_token(text.split()[-1]) if text else ("", "", "")
        if not core or not post.endswith(","):
            return proposals
        reason = "comma ending a paragraph read for a full stop"
        stopped = text[:-1] if set(post) & set(".!?") else text[:-1] + "."  # `INFANTICIDE.,`: the comma a speck
        if own is None:
            return [*proposals, Proposal(last, last + 1, stopped, Repair.PARAGRAPH_STOP, reason, 0.9)]
        mended = replace(own, text=stopped, reason=f"{own.reason}; {reason}")
        return [mended if p is own else p for p in proposals]

    @staticmethod
    def _attach(tokens: Sequence[Token], proposals: list[Proposal], taken: set[int], i: int, to_left: bool, reason: str) -> bool:
        """Token i (a mark standing apart) joins the word beside it, the one before when `to_left`: inside
        that word's own proposal if it has one, else in a new one. False when that word was dropped."""
        k = i - 1 if to_left else i + 1
        neighbour = next((p for p in proposals if (p.end - 1 if to_left else p.start) == k), None)
        if neighbour is None:
            joined = tokens[k].text + tokens[i].text if to_left else tokens[i].text + tokens[k].text
            proposals.append(Proposal(min(i, k), max(i, k) + 1, joined, Repair.ATTACH, reason, 0.9))
        elif neighbour.text:
            joined = neighbour.text + tokens[i].text if to_left else tokens[i].text + neighbour.text
            span = {"start": min(i, neighbour.start), "end": max(i + 1, neighbour.end)}
            proposals[proposals.index(neighbour)] = replace(neighbour, text=joined, **span)
        else:
            return False
        taken.update((i, k))
        return True

    def rejected(self, tokens: Sequence[Token], p: Proposal) -> bool:
        """A reviewer said no to this change of these words between these neighbours."""
        if not self.lexicon.rejected:
            return False
        raw = " ".join(t.text for t in tokens[p.start : p.end])
        left = tokens[p.start - 1].text if p.start > 0 else ""
        right = tokens[p.end].text if p.end < len(tokens) else ""
        return (raw, p.text, left, right) in self.lexicon.rejected

    def _detached_punctuation(self, tokens: Sequence[Token], i: int) -> bool:
        """A comma or full stop standing apart from the word before it (`them ,`); a semicolon, colon,
        question or exclamation mark too after an English word (French sets those apart with a space).
        Not the first stop of a spaced ellipsis (`he said . . . and`)."""
        if i == 0 or len(tokens[i].text) != 1 or tokens[i].text not in ",.;:!?" or _spaced_ellipsis(tokens, i):
            return False
        before = tokens[i - 1].text
        if _abbreviated(before) and tokens[i].text in ",;:":
            return True  # `on the 3rd inst. , at noon`
        if not before[-1:].isalnum():
            return False
        return tokens[i].text in ",." or self._english(split_token(before)[1])

    def _noise(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> str | None:
        """Why token i is specks or marks read as text rather than a printed word, or None."""
        token, (pre, core, post) = tokens[i], cores[i]
        if token.conf is not None and token.conf >= self.params.protect_capitalised_conf:
            return None
        if not core and not _PROSE_PUNCTUATION.match(token.text):
            return "noise: stray marks"
        numeral = i == len(tokens) - 1 and core.upper() in _STANDING_NUMERALS  # a contents row's page number
        if _STRAY_LETTER.match(core) and not post.startswith(".") and not numeral:
            return "noise: stray letter"
        if _repeated_stop(tokens, i):
            return "noise: a stop after a stop"
        return None

    def _phrases(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]]) -> list[Proposal]:
        """Multi-word dictionary entries read without their accents or apostrophes (`Andres Nin`)."""
        found: list[Proposal] = []
        i = 0
        while i < len(tokens):
            for n in (5, 4, 3, 2):
                window = cores[i : i + n]
                if len(window) < n:
                    continue
                key = tuple(fold(core) for _, core, _ in window)
                printed = self.lexicon.phrases.get(key)
                if printed is None or any(pre or (post and k < n - 1) for k, (pre, _, post) in enumerate(window)):
                    continue
                read = tuple(core for _, core, _ in window)
                if printed != read and tuple(map(strip_accents, printed)) == tuple(map(strip_accents, read)):
                    found.extend(
                        Proposal(i + k, i + k + 1, pre + word + post, Repair.PHRASE_ACCENTS, "dictionary name with accents", 0.95)
                        for k, ((pre, core, post), word) in enumerate(zip(window, printed))
                        if core != word
                    )
                i += n - 1
                break
            i += 1
        return found

    def _join(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int, taken: set[int]) -> Proposal | None:
        """A word split in two by OCR (`C oyoacan`, `pro- perty`): joined when the join is a word and a part is not."""
        if i + 1 >= len(tokens) or i + 1 in taken:
            return None
        across = self._join_across_mark(cores, i, taken)
        if across is not None:
            return across
        pre_a, a, post_a = cores[i]
        pre_b, b, post_b = cores[i + 1]
        specked = _HYPHEN_AND_SPECK.match(post_a) is not None and b[:1].islower()  # `wit-. nesses`, `sleep-; ing`
        if specked:
            post_a = "-"
        if not a or not b or pre_b or (post_a not in ("", "-", ".")):
            return None
        both_words = all(self.lexicon.knows(w) or french_elision(w, self.lexicon) for w in (a, b))  # `Il n'y`
        spaced = post_a == "" and both_words
        if spaced and not self._broken_by_space(a, b):
            return None
        if post_a == ".":
            abbreviation = a.lower() in _ABBREVIATIONS and (a.istitle() or self.lexicon.zipf(a + b, "en") < self.params.real_word_min_zipf)
            if not (b[:1].islower() and self.lexicon.knows(a + b) and not abbreviation):
                return None  # `regi. ment`, `police. man`, `per. son` are broken words; `Co. upon` is no `Coupon`, `inst. a` no `insta`
            if both_words and self.lexicon.zipf(a + b) < self.params.protect_zipf:  # two words, a rare join
                return None
        joined = a + b
        restored = self.lexicon.folded_names.get(fold(joined), set())
        # two words joined make an English word, not a word of a title (`th eir` is no `Their Morals and Ours`)
        target = joined if spaced else next(iter(restored)) if len(restored) == 1 else joined if self.lexicon.knows(joined) else None
        compound = post_a == "-" and target == joined and self._rare_solid(a, b)
        if compound:
            target = None
        if target is None and post_a == "-" and b[:1].islower():
            misread = None if compound else self._join_misread(tokens, cores, i, joined)  # `pro- readings`: a word misread
            if misread is None and not specked and self._compound_halves(a, b):
                if self._words_apart(a.split("-")[-1], b):  # `would- be` may be a compound too: left as read
                    return None if compound else Proposal(i, i + 2, f"{pre_a}{a} {b}{post_b}", Repair.COMPOUND, "mark read as a hyphen between words", 0.85)
                return Proposal(i, i + 2, f"{pre_a}{a}-{b}{post_b}", Repair.COMPOUND, "compound rejoined at its hyphen", 0.85)
            return misread
        if target is None or not self._plausible(target) or _NUMBERISH.match(joined):
            return None
        return Proposal(i, i + 2, pre_a + target + post_b, Repair.JOIN, "split word joined", 0.9)

    def _broken_by_space(self, a: str, b: str) -> bool:
        """`The pri soner had`, `on examina tion of`, `althou gh there`: two rare "words" (wordfreq knows most
        strings from the web) that English never has side by side, whose join is a much commoner word."""
        if not (a.isalpha() and b.isalpha() and b.islower() and (a.islower() or a.istitle())):
            return False
        lex, p = self.lexicon, self.params
        halves = max(lex.zipf(a.lower(), "en"), lex.zipf(b, "en"))
        solid = lex.zipf((a + b).lower(), "en")
        return halves <= p.broken_halves_max_zipf and solid >= max(halves + p.broken_join_gain, p.protect_zipf) and lex.bigram(a.lower(), b) <= 0

    def _join_misread(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int, joined: str) -> Proposal | None:
        """A word broken at a line end with a glyph misread in it (`pro- readings`): the halves joined
        and corrected as one reading, when the correction is sure enough to apply."""
        (pre_a, _, _), (_, _, post_b) = cores[i], cores[i + 1]
        confs = [t.conf for t in tokens[i : i + 2] if t.conf is not None]
        as_one = [*cores[:i], (pre_a, joined, post_b), *cores[i + 2 :]]
        best = self._best(joined, min(confs) if confs else None, as_one, i)
        if best is None or best[1] < self.params.apply_threshold or " " in best[0]:
            return None
        return Proposal(i, i + 2, pre_a + best[0] + post_b, Repair.JOIN_MISREAD, "broken word joined and corrected", best[1], best[2])

    def _compound_halves(self, a: str, b: str) -> bool:
        """`Church- street`, `Police- court`: two words broken at a compound's own hyphen (not `pre- and post-war`)."""
        return (
            _letters(a) and b.isalpha() and b.islower() and b not in _SUSPENDED_HYPHEN_FOLLOWERS
            and all(self.lexicon.knows(part) for part in (*a.split("-"), b))
        )

    def _rare_solid(self, a: str, b: str) -> bool:
        """`twenty- nine`, `would- be`: two common English words whose solid join is rare (wordfreq knows
        `twentynine` from the web) are a compound or two words, not one word broken at the line's end."""
        lex = self.lexicon
        halves = min(lex.zipf(a, "en"), lex.zipf(b, "en"))
        return halves >= self.params.real_word_min_zipf and lex.zipf(a + b) < self.params.compound_solid_zipf

    def _words_apart(self, a: str, b: str) -> bool:
        """`the- wilful`, `throat- with`: a word as common as an article or a preposition is no half of
        a compound (`well- known` and `twenty- one` are: their common halves are less common)."""
        return max(self.lexicon.zipf(a, "en"), self.lexicon.zipf(b, "en")) >= self.params.function_word_zipf

    def _join_across_mark(self, cores: list[tuple[str, str, str]], i: int, taken: set[int]) -> Proposal | None:
        """A word broken at a line end with a mark read between its halves (`pri- e- soners`,
        `Police-con- In stables`): the halves joined, the mark dropped, when the join is a common word."""
        if i + 2 >= len(cores) or taken & {i + 1, i + 2}:
            return None
        (pre_a, a, post_a), (_, mark, _), (pre_c, c, post_c) = cores[i : i + 3]
        if post_a != "-" or pre_c or not (a and c[:1].islower() and c.isalpha()) or len(mark) > self.params.intruder_max_len:
            return None
        joined = a + c
        parts = joined.split("-")
        if self.lexicon.knows(joined) or len(parts) > 1 and all(self.lexicon.knows(part) for part in parts):
            return Proposal(i, i + 3, pre_a + joined + post_c, Repair.JOIN, "broken word joined across a mark", 0.9)
        if self._compound_halves(a, c) and not self._english(mark):  # `attached- to the`: a dash, not a broken compound
            return Proposal(i, i + 3, f"{pre_a}{a}-{c}{post_c}", Repair.COMPOUND, "compound rejoined across a mark", 0.85)
        return None

    def _intruder(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> Proposal | None:
        """A short token between two words that a mark in the margin or a speck made (`son of Ig a
        publican`, `charged with as being`): dropped when the English bigrams prefer the two words
        side by side to having it between them by a wide margin. Numbers, names and tokens
        Tesseract was sure of stay."""
        p = self.params
        if i == 0 or i + 1 >= len(tokens) or (tokens[i].conf or 0.0) >= p.protect_capitalised_conf:
            return None
        (_, left, left_post), (pre, core, post), (right_pre, right, _) = cores[i - 1 : i + 2]
        if not set(pre + post) <= _SPECK_MARKS or right_pre or not (_letters(left) and _letters(right)):
            return None  # marks a speck leaves on the token go with it (`was *st practically`, `his a] shoulder`)
        if core in _LONE_VOWELS and left_post in ("", ",", ";", ".") and self._english(left) and self._english(right):
            return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as a word between words", p.noise_confidence)  # `pathetic e appeal`, `diameter, i with`
        if self._stray_capital(left, left_post, pre + core + post, right):
            return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as a letter between words", p.noise_confidence)
        if left_post == "" and not pre + post:
            doubled = _doubled_article(left, core, right)
            if doubled is not None:
                return Proposal(i, i + 1, "", Repair.DOUBLED, doubled, p.noise_confidence)
        if left_post not in ("", ",", ";"):  # `the owner, fi, who`; a stop ends the context
            return None
        if not (core.isalpha() and len(core) <= p.intruder_max_len) or core in _STANDING_NUMERALS:
            return None
        if self.lexicon.is_name(core) and core != "I":
            return None  # `I` is a name's numeral only after the name (`Nicholas I`); the pronoun is a word like any
        if not (core.islower() or core.istitle() and left.islower() and right.islower()):  # a capital mid-sentence is suspect, before a name not
            return None
        if self._foreign(left) or self._foreign(right):
            return None  # the English bigrams do not judge a French or Spanish phrase (`de ma mère`)
        pair = self.lexicon.bigram(left, right)
        if pair <= 0:  # with no evidence that the neighbours go together, dropping a word only removes a factor
            return None
        together = math.log10(pair)
        # a misread short word (`oi`, `lt`, `ef`) is corrected, not dropped: the likeliest word it may be stands between
        lost = self._lost_letter(core)
        between = max(
            sum(self._sides(c, left, right)) - (p.real_word_channel * self._misread_cost(core, c, lost) if c != core else 0.0)
            for c in {core} | lost | {v for v in variants(core.lower(), limit=1) if self.lexicon.zipf(v, "en") >= p.real_word_min_zipf}
        )
        word = self.lexicon.zipf(core, "en") >= p.real_word_min_zipf
        margin = p.intruder_word_margin if word and core not in ("a", "A") else p.intruder_margin
        if together - between < margin:
            return None
        confidence = 1.0 / (1.0 + 10 ** (between - together + margin - 1.0))
        return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as a word between words", round(confidence, 3))

    def _stray_capital(self, left: str, left_post: str, token: str, right: str) -> bool:
        """`created some S amusement`, `interest to E recall`: a capital letter alone between two lower-case
        words is a speck, not an initial (which keeps its stop and comes before a name), nor a letter
        named after an article (`the N Division`), nor the first letter of the next word broken off
        (`R eedphat`)."""
        return (
            len(token) == 1 and token.isupper() and token not in "AIO" and token not in _STANDING_NUMERALS
            and left_post == "" and left.islower() and right.islower()
            and left not in _ARTICLES and self.lexicon.knows(right) and not self.lexicon.knows(token + right)
        )

    def _unpaired_apostrophes(self, cores: list[tuple[str, str, str]], i: int, pre: str, post: str) -> tuple[str, str]:
        """`charged 'with`, `the' trial`: a straight apostrophe on a common English word that neither opens
        a quotation closed later on the line nor closes one opened earlier (nor is a plural's possessive),
        in a text with specks enough that it is likelier one of them than a quotation's."""
        core = cores[i][1]
        if not core or not self._english(core) or self.params.quote_speck_odds + self.misread_odds <= 0:
            return pre, post
        # only straight marks are taken for specks: curly quotes are typography
        if pre == "'" and not any(_QUOTES & set(p) for _, _, p in cores[i:]):  # `history!'` closes it too
            pre = ""
        if post == "'" and not core.endswith("s") and not any(_QUOTES & set(p) for p, _, _ in cores[: i + 1]):
            post = ""
        return pre, post

    def _stray_stops(self, cores: list[tuple[str, str, str]], i: int, pre: str, post: str) -> tuple[str, str]:
        """Specks read as stops on a common English word: a second stop after the first (`struggle,.`,
        `LAW.,`; not an abbreviation's, `inst.,`), a full stop before a word that goes on in lower case
        (`greatly. alarmed`, `Railway Company. was`; not `etc. and`, `Capt. and`), a full stop or hyphen
        before a word that follows another (`he -was`, `the .prisoner`), a comma, semicolon or colon after
        an article."""
        core = cores[i][1]
        if core.lower() in _ARTICLES and core != "A" and post in (",", ";", ":") and i + 1 < len(cores) and cores[i + 1][1]:
            return pre, ""  # `suffering from a, very severe`, `replied in the, negative`: no article ends a clause (`A,` may be a letter's)
        if not (core.isalpha() and self._english(core)):
            return pre, post
        if len(post) == 2 and set(post) <= set(".,;") and not _shortened(core):  # `road,.`, `LAW.,`; not `W.,`, `Bart.,`
            post = post[0]
        before = cores[i - 1] if i > 0 else None
        after = cores[i + 1] if i + 1 < len(cores) else None
        if pre in (".", "-") and before is not None and before[1][-1:].isalpha() and not before[2]:
            pre = ""
        if after is None or after[0]:
            return pre, post
        following = after[1]
        long_enough = core.islower() or core.istitle() and len(core) > 3  # not an initial or `Mr.`, `St.`, `Co.`
        if post == "." and long_enough and following[:1].islower() and following.isalpha() and core.lower() not in _ABBREVIATIONS:
            post = ""
        return pre, post

    def _recase(self, cores: list[tuple[str, str, str]], i: int) -> str:
        """Capitals strewn through a known word (`sAid`, `POLICe`, `JAnuary`) made consistent: all capitals
        in a heading or where most letters are, else as its first letter says. A capitalised word stays one
        (`that More stood`: a surname, however common the word), unless it is a function word's case slip."""
        core = cores[i][1]
        lower = core.lower()
        if self._capital_slip(cores, i):
            return lower
        if not core.isalpha() or core.islower() or core.isupper() or core.istitle() or _INNER_CAPITALS.match(core):
            return core
        if self.lexicon.is_name(core) or not self.lexicon.knows(lower):
            return core
        capitals = sum(c.isupper() for c in core) / len(core)
        heading = any(0 <= k < len(cores) and len(cores[k][1]) > 1 and cores[k][1].isupper() for k in (i - 1, i + 1))
        if heading or capitals >= 0.75:
            return core.upper()
        return lower[:1].upper() + lower[1:] if core[0].isupper() else lower

    def _capital_slip(self, cores: list[tuple[str, str, str]], i: int) -> bool:
        """`loaded when It was picked`, `close contact With him`: a word as common as a function word,
        capitalised between two lower-case English words with no mark between, is a case slip; not
        before a capitalised word (a title: `his book In Defence of Marxism`), not a name, and not a pronoun
        that reverence capitalises (`the Lord had said that He would`)."""
        if not 0 < i < len(cores) - 1:
            return False
        (_, left, left_post), (pre, core, post), (right_pre, right, _) = cores[i - 1 : i + 2]
        return (
            core.istitle() and core.isalpha() and len(core) > 1 and core not in _REVERENT_PRONOUNS
            and not (left_post or pre or post or right_pre)
            and len(left) > 1 and left.isalpha() and left.islower() and right.isalpha() and right.islower()
            and self.lexicon.zipf(core.lower(), "en") >= self.params.function_word_zipf and not self.lexicon.is_name(core)
            and self._english(left) and self._english(right)
        )

    def _rare_english(self, word: str) -> bool:
        """`beheld`, `potman`, `wilful`, `burglarious`: a word of the curated English dictionary, long enough
        that no glyph slip makes one of another (`fora`, `thew`, `oust` are words too, and `for`, `the`,
        `out` misread), is no misreading of a commoner word, however rarely the web writes it."""
        return len(word) >= self.params.english_word_min_len and self.lexicon.english_word(word)

    def _foreign(self, word: str) -> bool:
        """Clearly a French or Spanish word: ten times commoner in one of them than in English (`les`, `sur`)."""
        lex = self.lexicon
        return max(lex.zipf(word, "fr"), lex.zipf(word, "es")) > lex.zipf(word, "en") + 1.0

    def _english(self, word: str) -> bool:
        """A common English word, commoner in English than in French or Spanish (its parts, if hyphenated)."""
        lex = self.lexicon
        return all(
            lex.zipf(part, "en") >= self.params.protect_zipf and lex.zipf(part, "en") >= max(lex.zipf(part, "fr"), lex.zipf(part, "es"))
            for part in word.split("-")
        )

    def _word(self, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> Proposal | None:
        pre, core, post = cores[i]
        token = tokens[i]
        unsure = token.conf is None or token.conf < self.params.protect_capitalised_conf  # a sure reading keeps its marks
        title = self._title(cores, i) if unsure else None
        if title is not None:
            return Proposal(i, i + 1, pre + title + post, Repair.TITLE, "title before a name misread", self.params.noise_confidence)
        clean_pre = "".join(c for c in pre if c not in NOISE_CHARS)
        clean_post = "".join(c for c in post if c not in NOISE_CHARS)
        if unsure:
            clean_pre, clean_post = self._unpaired_apostrophes(cores, i, clean_pre, clean_post)
            clean_pre, clean_post = self._stray_stops(cores, i, clean_pre, clean_post)
        noise = (clean_pre, clean_post) != (pre, post)
        recased = self._recase(cores, i)
        if recased != core:
            cores = [*cores[:i], (pre, recased, post), *cores[i + 1 :]]
        found = self._repaired(recased, token.conf, cores, i)
        if found is None and recased != core:
            return Proposal(i, i + 1, clean_pre + recased + clean_post, Repair.CASE, "letter case repaired", 0.9)
        if found is None and not noise:
            return None
        if found is None:
            return Proposal(i, i + 1, clean_pre + core + clean_post, Repair.MARKS, "noise characters removed", 0.9)
        repair, (word, confidence, alternatives) = found
        reason = "dictionary name with accents" if fold(word) == fold(core) else _REASONS[repair]
        return Proposal(i, i + 1, clean_pre + word + clean_post, repair, reason, confidence, alternatives)

    def _repaired(self, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int) -> tuple[Repair, tuple[str, float, tuple[str, ...]]] | None:
        """The first repair of a word alone that proposes something, the most specific evidence first, and what it proposes."""
        attempts = (
            (Repair.ACCENTS, lambda: self._restore_accents(core)),
            (Repair.SPLIT_AT_MARK, lambda: self._mark_between_words(core)),
            (Repair.RUN_TOGETHER, lambda: self._run_together(core)),
            (Repair.UNKNOWN_WORD, lambda: self._best(core, conf, cores, i)),
            (Repair.COMPOUND_PARTS, lambda: self._compound(core, conf)),
            (Repair.SPECK_INSIDE, lambda: self._speck_inside(core)),
            (Repair.SPLIT_AT_MARK, lambda: self._misread_beside_mark(core, conf, cores, i)),
            (Repair.REAL_WORD, lambda: self._real_word(core, conf, cores, i)),
        )
        for repair, attempt in attempts:
            if repair in self.params.switched_off:
                continue
            found = attempt()
            if found is not None:
                return repair, found
        return None

    def _title(self, cores: list[tuple[str, str, str]], i: int) -> str | None:
        """`before Air. Gillespie`, `opened by Mir. Aspinall`, `Airs. Benton deposed`: a short reading
        ending in `r.` or `rs.` before a name is `Mr.` or `Mrs.`; not an initial (`Sir R. Carden`),
        another title, a word in lower case (`the open air. Mr.`), or before a word that opens sentences."""
        pre, core, post = cores[i]
        m = _TITLE_READ.match(core)
        if m is None or post != "." or i + 1 >= len(cores) or len(core) == 1 and core.isupper() or core.lower() in _OTHER_TITLES:
            return None
        if core.islower() and self.lexicon.zipf(core) >= self.params.protect_zipf:
            return None
        after_pre, after, _ = cores[i + 1]
        if after_pre or not (after[:1].isupper() and after.isalpha()) or self.lexicon.zipf(after.lower(), "en") >= self.params.function_word_zipf:
            return None
        title = "Mrs" if m.group(1) else "Mr"
        return title.upper() if core.isupper() and len(core) > 1 else title

    def _mark_between_words(self, core: str) -> tuple[str, float, tuple[str, ...]] | None:
        """Two words read right that a speck read as a mark ran together (`acquainted.with`,
        `refused,and`, `A'girl`, `Majesty'spleasure`): the space back."""
        split = self._at_mark(core)
        if split is None or not (self._as_read(split[0]) and self._as_read(split[2])):
            return None
        first, kept, second = split
        return self._side_by_side(first, kept, second, 0.9)

    def _speck_inside(self, core: str) -> tuple[str, float, tuple[str, ...]] | None:
        """`was char-ged with`, `and h]ad paid`, `a fig-ht of`, `t+he fact`: a mark or two inside a word,
        which without them is a common English word, and not between two words (`to-day`, `by-law`) nor
        after an elided article (`l'on`, `d'un`) or an initial (`B.-In our next`). Tried after the
        reading as a misread word, which knows when the mark stands for a letter (`mou~th` is `month`)."""
        m = _MARK_INSIDE.match(core)
        if m is None or self.lexicon.knows(core):
            return None
        first, mark, second = m.groups()
        joined = first + second
        if self._as_read(first) and self._as_read(second):
            return None
        if mark in _QUOTES and len(first) <= 2 or len(first) == 1 and first.isupper() and "." in mark and second[:1].isupper():
            return None
        # a two-letter word needs to be as common as `to`, `of`, `on` (`a-d` is no `ad`)
        needs = self.params.real_word_min_zipf if len(joined) > 2 else self.params.function_word_zipf
        return (joined, 0.9, ()) if self.lexicon.zipf(joined.lower(), "en") >= needs else None

    def _misread_beside_mark(self, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int) -> tuple[str, float, tuple[str, ...]] | None:
        """The same with a word misread on either side (`robbery'mighb`, `from'sechool`): each side
        corrected as a word of its own (after the reading as one word had its chance: `Wiiii'am`)."""
        split = self._at_mark(core)
        if split is None or "-" in core:  # beside a hyphen, as often a compound's as a speck: no correcting
            return None
        first, kept, second = split
        apart = [*cores[:i], ("", first, ""), ("", second, ""), *cores[i + 1 :]]
        words, confidence = [], 0.9
        for k, part in enumerate((first, second)):
            word = self._part_as_word(part, conf, apart, i + k)
            if word is None:
                return None
            words.append(word[0])
            confidence = min(confidence, word[1])
        return self._side_by_side(words[0], kept, words[1], confidence)

    def _side_by_side(self, first: str, kept: str, second: str, confidence: float) -> tuple[str, float, tuple[str, ...]] | None:
        """The two words side by side; the article only where English has it before the second (`a~out` is `about`)."""
        if first in ("a", "A") and self.lexicon.bigram(first, second) <= 0:
            return None
        return f"{first}{kept} {second}", confidence, ()

    def _at_mark(self, core: str) -> tuple[str, str, str] | None:
        """A token that may be two words with a speck read as a mark between them: the words, and what
        to keep of the mark after the first (a comma, semicolon or colon may be the text's; an apostrophe
        before `s` and a word is a possessive's)."""
        m = _INNER_MARK.match(core)
        if m is None or self.lexicon.knows(core):
            return None
        first, mark, second = m.groups()
        if self.lexicon.zipf(first + second, "en") >= self.params.real_word_min_zipf:  # `with~out`, `to-day`
            return None
        if "-" in mark:
            return (first, "", second) if mark == "-" and self._speck_hyphen(first, second) else None
        if len(first) == 1 and first not in "aAI":
            return None  # `o'clock`, `l'homme`
        if mark == "." and first.lower() in _ABBREVIATIONS:
            return None  # `St.Paul`
        if mark in _QUOTES and any(
            self.lexicon.knows(first[:k]) and self.lexicon.zipf(first[k:] + mark + second, "en") >= self.params.protect_zipf
            for k in range(1, len(first))
        ):
            return None  # `threeO'clock`: a word run into a word with an apostrophe
        if mark in _QUOTES and second[0] == "s" and not self._as_read(second) and self._as_read(second[1:]):
            return first, mark + "s", second[1:]
        return first, "".join(c for c in mark if c in ",;:"), second

    def _as_read(self, word: str) -> bool:
        return self._english(word) and (len(word) > 1 or word in "aAI")

    def _part_as_word(self, part: str, conf: float | None, cores: list[tuple[str, str, str]], i: int) -> tuple[str, float] | None:
        """One side of a token split at a mark, as an English word: as read, or corrected when it is
        long enough to carry evidence (two letters read wrong may be any word)."""
        if self._as_read(part):
            return part, 0.9
        best = self._best(part, conf, cores, i) if len(part) >= 3 else None
        if best is None or " " in best[0] or len(best[0]) < 3 or not self._english(best[0]):
            return None
        return best[0], best[1]

    def _speck_hyphen(self, first: str, second: str) -> bool:
        """`with the-watch of`, `his-home`: a hyphen between two English words is a speck only after a
        word as common as an article or a preposition, which no compound starts with unless the two
        make a common word solid too (`to-day`, `to-morrow`) or it begins compounds (`by-product`, `so-called`); after
        any other word it may be a compound's or a dash's (`well-known`, `darkness-the boat`)."""
        if not (self._english(first) and self._english(second)) or not second.islower() or second in _SUSPENDED_HYPHEN_FOLLOWERS:
            return False
        return self.lexicon.zipf(first, "en") >= self.params.function_word_zipf and first.lower() not in _COMPOUND_FIRST_WORDS

    def _run_together(self, core: str) -> tuple[str, float, tuple[str, ...]] | None:
        """Words printed apart and read as one (`ofthe`, `Theprisoner`, `inawhisper`), split where the
        words side by side, each pair attested in the English bigrams, are far likelier than the reading
        as one word (wordfreq knows `ofthe` and `didnot` from the web; no book prints them)."""
        p = self.params
        if len(core) < 5 or not core.isalpha() or self.lexicon.is_name(core) or _capitals(core) or self._rare_english(core):
            return None
        lower = core.lower()
        n = len(lower)
        splits = [(lower[:a], lower[a:]) for a in range(1, n)]
        splits += [(lower[:a], lower[a:b], lower[b:]) for a in range(1, n - 1) for b in range(a + 1, n)]
        scored = [(score, parts) for parts in splits if (score := self._apart(parts)) is not None]
        if not scored:
            return None
        apart, parts = max(scored)
        odds = apart - self.lexicon.zipf(core) - p.run_together_margin
        if odds < 0:
            return None
        return _recase_split(" ".join(parts), core), round(1.0 / (1.0 + 10 ** -(odds + 1.0)), 3), ()

    def _apart(self, parts: tuple[str, ...]) -> float | None:
        """log10 frequency (per billion words) of English words side by side, every pair attested; None if not."""
        lex = self.lexicon
        if any(lex.zipf(w, "en") < self.params.split_min_zipf or len(w) == 1 and w not in "ai" for w in parts):
            return None
        pairs = [lex.bigram(a, b) for a, b in zip(parts, parts[1:])]
        if min(pairs) <= 0:
            return None
        return lex.zipf(parts[0], "en") + sum(math.log10(x) for x in pairs)

    def _compound(self, core: str, conf: float | None) -> tuple[str, float, tuple[str, ...]] | None:
        """A hyphenated word (`Auicknlad-roid`) is corrected part by part; its confidence is its weakest part's."""
        parts = core.split("-")
        if len(parts) < 2 or not all(parts) or protected(core, self.lexicon):
            return None
        fixed, confidence = [], 1.0
        for k, part in enumerate(parts):
            best = None if protected(part, self.lexicon) else self._best(part, conf, [("", p, "") for p in parts], k)
            fixed.append(best[0] if best else part)
            confidence = min(confidence, best[1]) if best else confidence
        return ("-".join(fixed), confidence, ()) if fixed != parts else None

    def _restore_accents(self, core: str) -> tuple[str, float, tuple[str, ...]] | None:
        """A capitalised word that is a dictionary word but for its accents (`Coyoacan`, a title's `Proletarienne`
        capitalised): the dictionary's spelling. Accents are lost to the OCR's languages, not to noise: a text
        read well loses them as often (the seed's only misreadings), so this is no misreading the text's
        prior weighs."""
        if not core[:1].isupper() or self.lexicon.is_name(core) or self.lexicon.zipf(core) >= self.params.protect_zipf:
            return None
        forms = {recase(w, core) for w in self.lexicon.folded_names.get(fold(core), ())}
        forms = [w for w in forms if w != core and strip_accents(w) == strip_accents(core)]
        if len(forms) != 1:
            return None
        return forms[0], 0.9, ()

    def _best(self, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int) -> tuple[str, float, tuple[str, ...]] | None:
        if protected(core, self.lexicon) or not (_WORDLIKE.match(core) or _MISREAD_WORD.match(core)) or self._rare_english(core):
            return None
        if self.lexicon.zipf(core) >= self.params.protect_zipf:
            return None
        is_capitalised = core[:1].isupper()
        if is_capitalised and conf is not None and conf >= self.params.protect_capitalised_conf:
            return None
        left, right = _neighbours(cores, i)
        reading = self.reading_score(core, conf, left, right) - self.misread_odds  # in a text read well, likelier as printed
        # in English prose, a French or Spanish word is an unlikely correction (`troasers` is not `travers`)
        lang = "en" if any(w is not None and self._english(w) for w in (left, right)) else None
        candidates = self.candidates(core)
        if lang is None and _accented(core):  # an accent read outside English prose is a French or Spanish word's
            candidates = {c for c in candidates if _accented(c) or self._foreign(c)}
        scored = sorted(
            (
                (self.language_score(c, left, right, lang) + self.params.document_bonus * self._in_document(c) - self.params.channel_weight * self._channel(core, c), c)
                for c in candidates
            ),
            reverse=True,
        )
        if is_capitalised and not _capitals(core):  # maybe a name no dictionary knows: only a cheap misreading, to a word
            scored = [  # not rare, unless the word is printed elsewhere in the text (`Thosnas` where it says `Thomas`)
                (sc, c) for sc, c in scored
                if self._channel(core, c) <= self.params.capitalised_max_cost + (self.params.document_capitalised_cost if self._in_document(c) else 0.0)
                and (self._name(c) or self._in_document(c) or self.lexicon.zipf(c) >= self.params.capitalised_min_zipf)
            ]
        if not scored or scored[0][0] - reading < self.params.margin:
            return None
        t = self.params.temperature
        weights = [math.exp((s - scored[0][0]) / t) for s, _ in scored]
        weights.append(math.exp((reading - scored[0][0]) / t))
        confidence = weights[0] / sum(weights)
        return scored[0][1], round(confidence, 3), tuple(c for _, c in scored[1:5])

    def _real_word(self, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int) -> tuple[str, float, tuple[str, ...]] | None:
        """A word that is a word, but not the one printed (`he bad been`, `tho`, `hut`): another common
        English word one cheap confusion away, which the neighbours prefer by a wide margin. A common
        reading needs both neighbours to prefer the candidate (the bigram list is sparse: one missing
        pair is weak evidence) and a much commoner candidate (content words read as other content words
        are where bigrams mislead); a rare one (`tbe`, `wae`) needs one neighbour."""
        p = self.params
        if len(core) < 2 or not core.isalpha() or self.lexicon.is_name(core) or core.isupper():
            return None
        left, right = _neighbours(cores, i)
        if all(w is None or self._foreign(w) for w in (left, right)):
            return None  # the English bigrams say nothing of a word among French ones (`sur les sées`)
        lower = core.lower()
        common = self.lexicon.zipf(lower) >= p.protect_zipf
        # where the line starts or a mark cuts off the words before (`injured, aud death`, `Ar the`), how
        # often English has the word at all stands in for how often it follows them
        cut = left is None and right is not None
        needed = 2 if common and not cut else 1
        floor = max(p.real_word_min_zipf, self.lexicon.zipf(lower) + p.real_word_commoner if common else 0.0)
        if (left is not None) + (right is not None) < needed:
            return None
        reading = self._sides(lower, left, right, cut)
        bonus = p.conf_weight * conf / 100.0 if conf is not None else 0.0
        scored = []
        lost = self._lost_letter(lower)
        learned = self.errors.variants(lower) if self.errors is not None else set()
        for c in variants(lower, limit=1) | learned | _without_edge_mark(lower) | lost:
            if not (c.isalpha() and c.islower() and self.lexicon.zipf(c, "en") >= p.real_word_min_zipf):
                continue
            cost = self._misread_cost(lower, c, lost)
            sides = self._sides(c, left, right, cut)
            if cost > p.real_word_max_cost or any(s < r for s, r in zip(sides, reading)):
                continue
            # a rival as common as the reading (`he`/`be`) needs the neighbours' word much more
            needs = p.real_word_margin if self.lexicon.zipf(c, "en") >= floor else p.real_word_rival_margin
            scored.append((sum(sides) - p.real_word_channel * cost, c, needs))
        scored.sort(reverse=True)
        base = sum(reading) + bonus - self.misread_odds  # in a text read well, likelier as printed
        if not scored or scored[0][0] - base < scored[0][2]:
            return None
        confidence = 1.0 / (sum(10 ** (s - scored[0][0]) for s, _, _ in scored) + 10 ** (base - scored[0][0]))
        return recase(scored[0][1], core), round(confidence, 3), tuple(recase(c, core) for _, c, _ in scored[1:5])

    def _lost_letter(self, read: str) -> set[str]:
        """`of th Gas Company`, `the prisoner ws convicted`, `solid mass, nd by`: the very common words (`the`,
        `was`, `and`) that a two-letter reading, itself no common word, is with one letter lost to a faint
        or broken glyph."""
        if not (len(read) == 2 and read.isalpha() and read.islower()) or self.lexicon.zipf(read, "en") >= self.params.lost_letter_max_zipf:
            return set()
        longer = (read[:k] + c + read[k:] for k in range(len(read) + 1) for c in string.ascii_lowercase)
        return {w for w in longer if self.lexicon.zipf(w, "en") >= self.params.function_word_zipf}

    def _misread_cost(self, read: str, printed: str, lost: set[str]) -> float:
        """The channel cost of `printed` read as `read`, a letter lost from a very common word counted as a confusion."""
        return self.params.lost_letter_cost if printed in lost else self._channel(read, printed)

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


_BUILDING = threading.Lock()


def candidate_index(lexicon: Lexicon):
    """A SymSpell index of the English words down to Zipf 2 (British and period forms are rare in
    wordfreq: `gaol`, `shew`, `misdemeanour`) and the dictionary names, built once per lexicon even
    when several page threads need it at the same moment."""
    with _BUILDING:
        return _build_symspell(lexicon)


@lru_cache(maxsize=4)
def _build_symspell(lexicon: Lexicon):
    from symspellpy import SymSpell

    index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    en = lexicon.frequencies["en"]
    for word, freq in en.items():
        if freq >= 10 ** (2.0 - 9) and _WORDLIKE.match(word):
            index.create_dictionary_entry(word, max(1, int(freq * 1e9)))
    for name in lexicon.names:
        if _WORDLIKE.match(name):
            index.create_dictionary_entry(name.lower(), 1000)
    return index


DISTANT_EDITS = 3


def distant_words(lexicon: Lexicon, word: str) -> list[str]:
    """Common English words three edits from a long reading (`freqauotly` -> `frequently`): beyond
    SymSpell's reach, found by a direct scan of the words of similar length (about a millisecond)."""
    pool = _words_near_length(lexicon, len(word))
    return [w for w, _, _ in process.extract(word, pool, scorer=Levenshtein.distance, score_cutoff=DISTANT_EDITS, limit=10)]


@lru_cache(maxsize=64)
def _words_near_length(lexicon: Lexicon, length: int) -> tuple[str, ...]:
    """The common English words within three letters of `length`, shortest first: one pool per length,
    built once, not for every reading."""
    by_length = _words_by_length(lexicon)
    return tuple(w for n in range(length - DISTANT_EDITS, length + DISTANT_EDITS + 1) for w in by_length.get(n, ()))


@lru_cache(maxsize=4)
def _words_by_length(lexicon: Lexicon) -> dict[int, tuple[str, ...]]:
    """The common English words (Zipf 3 and above), letters only, grouped by length."""
    groups: dict[int, list[str]] = {}
    for word, freq in lexicon.frequencies["en"].items():
        if freq >= 1e-6 and word.isalpha():
            groups.setdefault(len(word), []).append(word)
    return {n: tuple(ws) for n, ws in groups.items()}


def _neighbours(cores: list[tuple[str, str, str]], i: int) -> tuple[str | None, str | None]:
    """The words either side of word i that run on into it: punctuation between ends the context."""
    left = cores[i - 1][1] if i > 0 and not cores[i - 1][2] and not cores[i][0] else None
    right = cores[i + 1][1] if i + 1 < len(cores) and not cores[i][2] and not cores[i + 1][0] else None
    return left or None, right or None


def _without_edge_mark(word: str) -> set[str]:
    """The word without a mark read beside it (`andi` -> `and`): what a speck at either end leaves."""
    return {w for w in (word[1:] if word[:1] in EDGE_MARKS else "", word[:-1] if word[-1:] in EDGE_MARKS else "") if w}


def _repeated_stop(tokens: Sequence[Token], i: int) -> bool:
    """`severely punished. . On the`, `to me. : D) not`, a line opening `. He`: a full stop, comma, colon or
    semicolon (three at most) standing alone where a stop has already ended the words before, or
    nothing stands before it, is a speck. A spaced ellipsis (`. . .`) is printing, not specks."""
    if not _STOPS_ALONE.match(tokens[i].text) or i > 0 and tokens[i - 1].text[-1:] not in ".,;:!?":
        return False
    return not _spaced_ellipsis(tokens, i)


def _doubled_article(left: str, core: str, right: str) -> str | None:
    """Why `core`, standing between two words with no mark, is no word: `a` before an article or after
    `the`/`an` (`found a the doors`, `in the a fender`, `of a a like kind`: English has no two articles in a
    row, and `a` is the likeliest speck), or `the` a second time (`at the the time`). `the A battery`,
    where `A` names something, keeps it."""
    if core in ("a", "A") and left.islower() and right in _ARTICLES or core == "a" and left in ("the", "an"):
        return "mark read as a word between words"
    if core == "the" and left == "the":
        return "a word read twice"
    return None


def _abbreviated(token: str) -> bool:
    """`inst.`, `Co.`, `W.`, `M.P.`, `10l.`: an abbreviation, an initial or a sum with its stop, which a comma,
    semicolon or colon may follow."""
    _, core, post = split_token(token)
    return post == "." and (_shortened(core) or _NUMBERISH.match(core) is not None)


def _shortened(core: str) -> bool:
    """`inst`, `Bart`, `W`, `M.P`: an abbreviation or an initial, whose stop a comma may follow (`Bart.,`)."""
    return core.lower() in _ABBREVIATIONS or len(core) == 1 and core.isupper() or "." in core


def _spaced_ellipsis(tokens: Sequence[Token], i: int) -> bool:
    """Token i stands beside a full stop standing alone: a stop of `. . .`."""
    return tokens[i].text == "." and any(0 <= k < len(tokens) and tokens[k].text == "." for k in (i - 1, i + 1))


def _accented(word: str) -> bool:
    return any(c.isalpha() and not c.isascii() for c in word)


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


def _verbosity():
    from symspellpy import Verbosity

    return Verbosity.ALL


def apply(tokens: Sequence[Token], proposals: Sequence[Proposal], params: Params) -> list[str]:
    """The corrected tokens of a line: applied proposals replace their span (later tokens of a span become empty)."""
    out = [t.text for t in tokens]
    for p in proposals:
        if p.applied(params):
            out[p.start] = p.text
            for k in range(p.start + 1, p.end):
                out[k] = ""
    return out
