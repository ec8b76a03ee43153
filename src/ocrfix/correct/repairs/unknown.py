"""Readings no lexicon knows: the words near them (`Repair.UNKNOWN_WORD`: the candidates, from a SymSpell
index, the distant words of a long reading and the text's own names), a hyphenated reading corrected part by
part (`COMPOUND_PARTS`), and a word or a phrase read without its accents (`ACCENTS`, `PHRASE_ACCENTS`). Each
function proposes; the scorer decides.
"""

from __future__ import annotations

import math
import threading
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
import regex
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ... import diskcache
from ...accents import accent_seen
from ...lexicon import Lexicon, fold, read_plain
from ...tokens import letter_word, split_token
from ..confusions import EDGE_MARKS, variants
from ..scorer import Repair
from ..words import (
    _MISREAD_WORD,
    _WORDLIKE,
    Corrector,
    Proposal,
    Token,
    _capitals,
    _neighbours,
    _recase_split,
    protected,
    recase,
)

_BUILDING = threading.Lock()
_SPECKED_WORD = regex.compile(
    r"(?V1)^(?=(?:.*\p{L}){3})\p{L}[\p{L}'’~^|-]*[[^\p{L}\p{N}\s]--[.,;:'’\p{Pd}\p{Pi}\p{Pf}\"/&]][\p{L}'’~^|-]*\p{L}$"
)
"""Letters with one speck among them read as a mark no word holds (`co)mmunicated`, `b>sen`, `whi(ith`): a word
misread. Not a stop, comma, colon or semicolon: two words a speck ran together are read at those
(`a.litte` -> `a little`, `marks.misread_beside_mark`), and a reading this repair proposes for stops it; nor a
dash, quote, slash or ampersand, which print sets between words (`them–and`, `France—The` in clean text)."""
_INNER_SPECKS = regex.compile(r"[^\p{L}'’-]")
"""What a specked word's candidates are looked up without: all but its letters, apostrophes and hyphens."""
DISTANT_EDITS = 3
SPLIT_LONG_PARTS = 4
"""Letters every word of a split needs when none of them is very common (`_long_words_apart`)."""
RUN_TOGETHER_EDITS = 1
"""Edits per word SymSpell may make when it segments a reading that is no words run together as read
(`hiswifs`, `comeagaic`, `waeSfoand`). Measured on BLN600's tune half (`benchmarks/correction.py --split tune`,
today's scorer): none, CER -26.36%; one, -26.61% at the same damage (0.244% of words), for about 15% more CPU
in the correction, half of that when asked only where the segmentation as read parted a very common word
(with `_SPECKED_WORD`'s readings in too: -26.67% so, -26.72% asked everywhere); two, -26.75%, but damage 0.254%
and 32% more CPU (SymSpell's segmentation at two edits costs three times one's)."""
OWN_SPELLING_READINGS = 5
"""A name read without its diacritics this many times in a text that never reads it with them is the text's
own spelling (an English book's `Coyoacan`), not an accent lost: Tesseract drops an accent on about half of the
confident readings of a name printed with it (6 of 12 `Coyoacán` on the issue's held-out pages), so a text that
prints it five times reads it plain every time about once in 32."""


def word_candidates(ctx: Corrector, core: str) -> frozenset[str]:
    """The words a reading may have been (`_candidates`), found once per reading of the text."""
    return ctx.candidates.get(core, _candidates, ctx, core)


def candidate_edits(word: str) -> int:
    """How many edits from an unknown reading its dictionary candidates may be (one under six letters, else
    two): the corrector's reach, which the volume's names (`run_names`) must match to know the pages they touch."""
    return 1 if len(word) < 6 else 2


def _candidates(ctx: Corrector, core: str) -> frozenset[str]:
    """Dictionary names read without their accents, the confusions of the table undone, the words of the index
    one or two edits away (three for a long reading), the text's names near a capitalised reading, and the
    words a reading ran together: those frequent enough to be printed. A reading with a speck inside is looked
    up without it."""
    lex = ctx.lexicon
    found = {recase(w, core) if w.islower() else w for w in lex.folded_names.get(fold(core), ())} - {core}
    if _SPECKED_WORD.match(core):  # `co)mmunicated`, `b>sen`: the word without its speck, and its candidates
        core = _INNER_SPECKS.sub("", core)
        found.update(recase(w, core) for w in lex.known({core.lower()}))
    lower = core.lower()
    undone = variants(core)
    names = undone & lex.names
    found |= names  # undoing a confusion may leave a stray capital (`guIneas`): the reading's case, then
    found |= {recase(w, core) for w in lex.known({v.lower() for v in undone - names})}
    if len(core) > 3 and core[0] in EDGE_MARKS and lex.knows(core[1:]):  # a mark read before the word
        found.add(core[1:])
    if len(lower) >= 3:
        near = candidate_index(lex).lookup(lower, _verbosity(), max_edit_distance=candidate_edits(lower))
        found.update(recase(s.term, core) for s in near)
        if not near and lower.isalpha():
            found.update(_confused_and_slipped(lex, lower, core))
    if len(lower) >= ctx.params.distant_min_len and lower.isalpha():  # long words misread in three places
        found.update(recase(w, core) for w in distant_words(lex, lower))
    if core[:1].isupper() and ctx.document_names:
        found.update(
            w
            for w, _, _ in process.extract(
                core, ctx.document_names, scorer=Levenshtein.distance, score_cutoff=2, limit=None
            )
            if w != core
        )
    if _may_be_run_together(ctx, core):
        found.update(run_together_words(ctx, core))
    return frozenset(c for c in found if ctx._plausible(c))


def _confused_and_slipped(lex: Lexicon, lower: str, core: str) -> set[str]:
    """The words of the index one edit from a reading with one confusion of the table undone (`rernbved` ->
    `rembved` -> `removed`, `kpowi` -> `known`): a word misread twice over, once as the table knows and once
    besides, beyond SymSpell's reach. Asked only of a reading with no word in that reach: where there is one,
    more candidates only share out its confidence. On BLN600's tune half, asked of every reading of seven letters
    or more, CER -27.65% -> -27.70%; asked so, -27.84% (from five letters on, the same), the damage the same 0.250%
    of words, no change more in the clean texts, about 2% more CPU in the correction."""
    index = candidate_index(lex)
    return {
        recase(s.term, core)
        for v in variants(lower, limit=1)
        for s in index.lookup(v, _verbosity(), max_edit_distance=1)
    }


def run_together_words(ctx: Corrector, core: str) -> set[str]:
    """The words a reading ran together (`inawhisper`), or ran together and misread one glyph in a word of them
    (`theytwere` -> `they were`, `beenamputatbd` -> `been amputated`, `toyourbaclk` -> `to your back`): SymSpell's
    segmentation, which corrects each word it finds, with no edit, then, where that parted a very common word
    from the rest (`they t were`, `his w ifs`), with `RUN_TOGETHER_EDITS` per word. Every word must be
    printable and one very common (`rise users`, `nine stated` are words for `rifseosers`, `ninputated`: none
    as common as `the` or `his`)."""
    lex, lower = ctx.lexicon, core.lower()
    index = candidate_index(lex)
    split = index.word_segmentation(lower, max_edit_distance=0).corrected_string
    if split.replace(" ", "") == lower and (_words_apart(ctx, split) or _long_words_apart(ctx, split)):
        return {_recase_split(split, core)}
    if not any(len(p) > 1 and lex.zipf(p, "en") >= ctx.params.split_needs_zipf for p in split.split()):
        return set()
    split = index.word_segmentation(lower, max_edit_distance=RUN_TOGETHER_EDITS).corrected_string
    return {recase(split, core)} if _words_apart(ctx, split) else set()


def _words_apart(ctx: Corrector, split: str) -> bool:
    """Words side by side, each printable (a letter alone only if it is a word) and one very common."""
    parts, lex = split.split(), ctx.lexicon
    return (
        len(parts) > 1
        and all(len(p) > 1 or letter_word(p, lowered=True) for p in parts)
        and all(p.isalpha() and lex.zipf(p, "en") >= ctx.params.split_min_zipf for p in parts)
        and max(lex.zipf(p, "en") for p in parts) >= ctx.params.split_needs_zipf
    )


def _long_words_apart(ctx: Corrector, split: str) -> bool:
    """A reading that parts as read into long common words of the curated English dictionary, none very common
    (`trialcommenced`, `assaultupon`, `closerinvestigation`), in a text that misreads as many words as a typical
    noisy one besides this one (`TextEvidence.noisy`): in print read well, such a reading is the print's own compound
    (`beershop`, `newsvendor`, `stackyard`). Short rare words are what a misreading leaves, names what one word
    parts into (`theo poison`)."""
    parts, lex = split.split(), ctx.lexicon
    return (
        ctx.text.noisy
        and len(parts) > 1
        and all(
            len(p) >= SPLIT_LONG_PARTS and lex.english_word(p) and lex.zipf(p, "en") >= ctx.params.split_min_zipf
            for p in parts
        )
    )


def _may_be_run_together(ctx: Corrector, core: str) -> bool:
    """Unknown, letters only, and not a capitalised word (an unknown name) unless a capital inside shows a join."""
    if len(core) < 5 or not core.isalpha() or ctx.lexicon.knows(core):
        return False
    return not core[:1].isupper() or any(c.isupper() for c in core[1:]) and not core.isupper()


def phrase_accents(ctx: Corrector, tokens: Sequence[Token], cores: list[tuple[str, str, str]]) -> list[Proposal]:
    """Multi-word dictionary entries read without their accents or apostrophes (`Andres Nin`)."""
    found: list[Proposal] = []
    folded = [fold(core) for _, core, _ in cores]
    i = 0
    while i < len(tokens):
        for n in (5, 4, 3, 2):
            window = cores[i : i + n]
            if len(window) < n:
                continue
            if tuple(folded[i : i + n]) not in ctx.lexicon.phrases:
                continue
            if any(pre or (post and k < n - 1) for k, (pre, _, post) in enumerate(window)):
                continue
            read = tuple(core for _, core, _ in window)
            printed = ctx.lexicon.phrase(read, tuple(folded[i : i + n]))
            if printed is not None and printed != read:
                found.extend(
                    Proposal(
                        i + k, i + k + 1, pre + word + post, Repair.PHRASE_ACCENTS, "dictionary name with accents", 0.95
                    )
                    for k, ((pre, core, post), word) in enumerate(zip(window, printed, strict=False))
                    if core != word
                )
            i += n - 1
            break
        i += 1
    return found


def compound_parts(ctx: Corrector, core: str, conf: float | None) -> tuple[str, float, tuple[str, ...]] | None:
    """A hyphenated word (`Auicknlad-roid`) is corrected part by part, and so are words an em-dash joins, as print
    sets it close (a chapter's summary: `in England—T'he corps`), each with its own marks; the confidence is the
    weakest part's. A dash ends the words' bigram context, a hyphen does not."""
    pieces = _COMPOUND_JOINS.split(core)  # the parts, and between each two the hyphen or dash that joins them
    if len(pieces) < 3 or not all(pieces[::2]):
        return None  # no compound: not weighed for protection (most words, asked about once a text)
    why = protected(core, ctx.lexicon)
    if why not in (None, "hyphenated compound"):
        return None
    parts, joints = [split_token(part) for part in pieces[::2]], [*pieces[1::2], ""]
    # what each part is read beside: a dash ends the context, as punctuation between words does
    cores = [(pre, part, post + joint.strip("-")) for (pre, part, post), joint in zip(parts, joints, strict=True)]
    fixed, confidence = [], 1.0
    for k, (pre, part, post) in enumerate(parts):
        best = None if protected(part, ctx.lexicon) else best_word(ctx, part, conf, cores, k)
        if best is not None and why and not _known_part_misread(ctx, [p for _, p, _ in parts], k, best[0]):
            best = None
        fixed.append(pre + (best[0] if best else part) + post)
        confidence = min(confidence, best[1]) if best else confidence
    if fixed == pieces[::2]:
        return None
    return "".join(word + joint for word, joint in zip(fixed, joints, strict=True)), confidence, ()


def _known_part_misread(ctx: Corrector, parts: list[str], k: int, word: str) -> bool:
    """A compound whose parts are all words of some lexicon (`Police-courb`, `drawing-reom`, `Migh-street`) has part
    k misread as a word English seldom prints, no word of the curated English dictionary (`Pall-mall`), when it
    becomes a common English word beside parts that are English words or names, and the parts are no word broken
    at a hyphen (`char-ged`) nor a glyph or two (`wate-e`). Measured on BLN600's tune half against the output that
    left such compounds alone (word windows nearer or further from the truth): 18 nearer, 5 further (the pieces
    of longer words broken at a line's end, `tice-work` of `lattice-work`), CER -26.960% -> -26.994%, no more
    words damaged; every part corrected as the scorer would have it, without this test: 25 nearer, 21 further."""
    lex, part = ctx.lexicon, parts[k]
    return (
        all(len(p) > 1 for p in parts)
        and not lex.knows("".join(parts))
        and lex.zipf(part.lower(), "en") < ctx.params.protect_zipf
        and not lex.english_word(part.lower())
        and lex.zipf(word.lower(), "en") >= ctx.params.real_word_min_zipf
        and all(ctx._english(p.lower()) or ctx._name(p) for j, p in enumerate(parts) if j != k)
    )


_COMPOUND_JOINS = regex.compile(r"([-—])")
"""What joins a compound's parts: its hyphen, or an em-dash set close between two words."""


def restore_accents(ctx: Corrector, core: str, above: str | None = None) -> tuple[str, float, tuple[str, ...]] | None:
    """A capitalised word that is a dictionary word but for its diacritics (`Coyoacan`, `Hgnefoss`, a title's
    `Proletarienne` capitalised): the dictionary's spelling, however confidently Tesseract read it. Accents are
    lost to the OCR's languages, not to noise: a text read well loses them as often (the seed's only
    misreadings), and confidence measures the letters' shapes, which a dropped accent keeps. Where the page
    image was looked at (`above`, `accents.accent_seen`), it decides: a mark over the letters restores the
    accents, clean plain letters keep the reading. Without it, a plain form common in a general lexicon
    (`Jesus`, `Etienne`: English and French web text write them so) is restored only when the text prints the
    dictionary's form too; one the text keeps as its own spelling never (`own_spelling`)."""
    if not core[:1].isupper() or ctx.lexicon.is_name(core):
        return None
    forms = [w for w in {recase(w, core) for w in ctx.lexicon.folded_names.get(fold(core), ())} if read_plain(core, w)]
    if len(forms) != 1:
        return None
    seen = accent_seen(above, core, forms[0])
    if seen is not None:
        return (forms[0], 0.9, ()) if seen else None
    if own_spelling(ctx, core, forms[0]):
        return None
    if ctx.lexicon.zipf(core) >= ctx.params.protect_zipf and not ctx.document_counts.get(forms[0].lower(), 0):
        return None
    return forms[0], 0.9, ()


def own_spelling(ctx: Corrector, read: str, printed: str) -> bool:
    """The text reads `read` often (`OWN_SPELLING_READINGS`) and never `printed`: its spelling, not a misreading."""
    return ctx.text.readings.get(read, 0) >= OWN_SPELLING_READINGS and not ctx.document_counts.get(printed.lower(), 0)


def best_word(
    ctx: Corrector, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int
) -> tuple[str, float, tuple[str, ...], tuple[tuple[str, float], ...]] | None:
    if ctx.general["as printed"].get(core, _as_printed, ctx, core):
        return None
    is_capitalised = core[:1].isupper()
    if is_capitalised and conf is not None and conf >= ctx.params.protect_capitalised_conf:
        return None
    left, right = _neighbours(cores, i)
    reading = (
        ctx.reading_score(core, conf, left, right) - ctx.text.misread_odds
    )  # in a text read well, likelier as printed
    # in English prose, a French or Spanish word is an unlikely correction (`troasers` is not `travers`)
    lang = "en" if any(w is not None and ctx._english(w) for w in (left, right)) else None
    candidates = word_candidates(ctx, core)
    if ctx.errors is not None:  # and the words the text's own confusions make of it (`docoasod`: `deceased`)
        candidates |= {c for c in ctx.errors.variants(core) if ctx.lexicon.knows(c) and ctx._plausible(c)}
    if lang is None and _accented(core):  # an accent read outside English prose is a French or Spanish word's
        candidates = frozenset(c for c in candidates if _accented(c) or ctx._foreign(c))
    scored = sorted(
        (
            (
                ctx.language_score(c, left, right, lang)
                + ctx.params.document_bonus * ctx._in_document(c)
                - ctx.params.channel_weight * ctx._channel(core, c),
                c,
            )
            for c in candidates
        ),
        reverse=True,
    )
    if is_capitalised and not _capitals(core):  # maybe a name no dictionary knows: only a cheap misreading, to a word
        scored = [  # not rare, unless the word is printed elsewhere in the text (`Thosnas` where it says `Thomas`)
            (sc, c)
            for sc, c in scored
            if ctx._channel(core, c)
            <= ctx.params.capitalised_max_cost + (ctx.params.document_capitalised_cost if ctx._in_document(c) else 0.0)
            and (ctx._name(c) or ctx._in_document(c) or ctx.lexicon.zipf(c) >= ctx.params.capitalised_min_zipf)
        ]
    if not scored or scored[0][0] - reading < ctx.params.margin:
        return None
    t = ctx.params.temperature
    weights = [math.exp((s - scored[0][0]) / t) for s, _ in scored]
    weights.append(math.exp((reading - scored[0][0]) / t))
    total = sum(weights)
    rivals = tuple(
        (c, round(w / total, 3)) for (_, c), w in zip(scored[1:5], weights[1:], strict=False)
    )  # not the reading's
    return scored[0][1], round(weights[0] / total, 3), tuple(c for c, _ in rivals), rivals


def _as_printed(ctx: Corrector, core: str) -> bool:
    """A reading to take as printed wherever it stands: protected, no word, a rare English word, or a common one."""
    return bool(
        protected(core, ctx.lexicon)
        or not (_WORDLIKE.match(core) or _MISREAD_WORD.match(core) or _SPECKED_WORD.match(core))
        or ctx._rare_english(core)
        or ctx.lexicon.zipf(core) >= ctx.params.protect_zipf
    )


def prepare(lexicon: Lexicon) -> None:
    """Build the indexes these repairs look words up in now, not at the first unknown word: processes
    forked afterwards share them instead of each building its own."""
    candidate_index(lexicon)
    _words_by_length(lexicon)
    _ = lexicon.table_words


def candidate_index(lexicon: Lexicon):
    """A SymSpell index of the English words down to Zipf 2 (British and period forms are rare in
    wordfreq: `gaol`, `shew`, `misdemeanour`) and the dictionary names, built once per lexicon even
    when several page threads need it at the same moment."""
    with _BUILDING:
        return _build_symspell(lexicon)


@lru_cache(maxsize=4)
def _build_symspell(lexicon: Lexicon):
    """The index is filled from the user's cache when an earlier run built it from the same lexicon
    (`diskcache`: 0.13-0.17 s of CPU instead of 3 s), found by the lexicon's digest and the code and versions
    that choose and index its words, not by the words themselves (choosing them, then joining and hashing
    them, cost 0.19 s and 0.03 s)."""
    from symspellpy import SymSpell

    if not lexicon.digest:
        raise ValueError("a lexicon not made by lexicon.load has no digest to cache its index by")
    index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    inputs = [
        f"{version('symspellpy')}|{regex.__version__}|{index._max_dictionary_edit_distance}|{index._prefix_length}",
        lexicon.digest,
        _WORDLIKE.pattern,
        Path(__file__).read_text(encoding="utf-8"),
    ]
    tables = diskcache.cached(
        "symspell", "\0".join(inputs).encode(), lambda: _symspell_tables(index, _indexed_words(lexicon))
    )
    index._words, index._max_length = tables["words"], tables["max_length"]
    index._deletes = _Deletes(tables["deletes"], tables["suggestions"], tables["starts"])
    return index


def _indexed_words(lexicon: Lexicon) -> list[tuple[str, int]]:
    """The words of the index with their counts: the English words down to Zipf 2, then the names, sorted so
    that the same lexicon always makes the same index."""
    en = lexicon.frequencies["en"]
    words = [(w, max(1, int(f * 1e9))) for w, f in en.items() if f >= 10 ** (2.0 - 9) and _WORDLIKE.match(w)]
    return words + [(name.lower(), 1000) for name in sorted(lexicon.names) if _WORDLIKE.match(name)]


def _symspell_tables(index: Any, words: list[tuple[str, int]]) -> dict[str, Any]:
    """The tables of `index` once `words` are in it, as plain data for the cache: its deletes as `_Deletes`
    keeps them."""
    for word, count in words:
        index.create_dictionary_entry(word, count)
    deletes = sorted(index._deletes)
    suggestions = ["\n".join(index._deletes[d]) for d in deletes]
    return {
        "words": index._words,
        "deletes": deletes,
        "suggestions": "".join(suggestions),
        "starts": array("I", accumulate(map(len, suggestions), initial=0)).tobytes(),
        "max_length": index._max_length,
    }


class _Deletes:
    """SymSpell's deletes (a word's prefix with letters deleted -> the words it comes from, in their order), as
    much as its look-ups use of the dict it keeps: the deletes in a sorted list, found by bisection, and the words
    of the k-th in `suggestions[starts[k]:starts[k + 1]]`, one a line. Read from the cache in 0.11 s of CPU where
    the dict took 0.47 s (820k keys hashed into a table, and a list for each); a look-up costs 3 µs against the
    dict's 0.2 µs, and the samples' 9 pages make 2,500 (their correction's CPU 0.93 s with the dict, 0.88 s)."""

    def __init__(self, deletes: list[str], suggestions: str, starts: bytes) -> None:
        self._deletes, self._suggestions, self._starts = deletes, suggestions, memoryview(starts).cast("I")

    def __contains__(self, delete: str) -> bool:
        k = bisect_left(self._deletes, delete)
        return k < len(self._deletes) and self._deletes[k] == delete

    def __getitem__(self, delete: str) -> list[str]:
        k = bisect_left(self._deletes, delete)
        if k == len(self._deletes) or self._deletes[k] != delete:
            raise KeyError(delete)
        return self._suggestions[self._starts[k] : self._starts[k + 1]].split("\n")


def distant_words(lexicon: Lexicon, word: str) -> list[str]:
    """Common English words three edits from a long reading (`freqauotly` -> `frequently`): beyond
    SymSpell's reach, found by a scan of the words of similar length that share letter pairs enough with it."""
    pool = _words_near_length(lexicon, len(word))
    return [
        w
        for w, _, _ in process.extract(
            word, pool.sharing(word), scorer=Levenshtein.distance, score_cutoff=DISTANT_EDITS, limit=10
        )
    ]


class _Pool:
    """Words, and where each pair of letters stands among them: the words within `DISTANT_EDITS` edits of a
    reading share at least max(length) - 1 - 2 * DISTANT_EDITS pairs with it (one edit breaks at most two
    pairs: the q-gram lemma), so only those are compared letter by letter."""

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.lengths = np.array([len(w) for w in words], dtype=np.int32)
        found, n = np.zeros(0, np.int64), np.zeros(0, np.int64)
        if words:  # counted at once, not a word at a time (the pools of lengths 6-25: 0.135 s of CPU so, 0.015 s)
            # each word's letters as code points, a shorter word's padded with 0, which no letter is
            letters = np.array(words).view(np.uint32).reshape(len(words), -1).astype(np.int64)
            codes = letters[:, :-1] << _CODE_BITS | letters[:, 1:]
            at = np.broadcast_to(np.arange(len(words), dtype=np.int64)[:, None], codes.shape)
            real = letters[:, 1:] != 0
            # each (pair, word) once, with how often the word holds the pair: in order of pair, then word
            found, n = np.unique(codes[real] * len(words) + at[real], return_counts=True)
        self._table(found // max(1, len(words)), (found % max(1, len(words))).astype(np.int32), n.astype(np.int32))

    def _table(self, codes: np.ndarray, at: np.ndarray, n: np.ndarray) -> None:
        """The pairs' table from its rows in order of pair (`codes`, each pair's `_code`), then of word: the
        words that hold each pair and how often, slices of the rows."""
        self.codes, self.at, self.n = codes, at, n
        starts = np.flatnonzero(np.diff(codes, prepend=-1)).tolist()
        self.pairs = {
            chr(code >> _CODE_BITS) + chr(code & _CODE_MASK): (at[a:b], n[a:b])
            for code, a, b in zip(codes[starts].tolist(), starts, [*starts, len(codes)][1:], strict=True)
        }

    @classmethod
    def joined(cls, pools: list[_Pool]) -> _Pool:
        """The pool of the words of `pools` one after another: their tables joined, each word's pairs counted
        once for every pool it joins rather than again."""
        joined = cls(())
        joined.words = tuple(w for pool in pools for w in pool.words)
        joined.lengths = np.concatenate([pool.lengths for pool in pools])
        starts = np.cumsum([0] + [len(pool.words) for pool in pools[:-1]])
        codes = np.concatenate([pool.codes for pool in pools])
        order = np.argsort(codes, kind="stable")  # each pair's words in the pools' order, then in each pool's
        at = np.concatenate([pool.at + np.int32(start) for start, pool in zip(starts.tolist(), pools, strict=True)])
        joined._table(codes[order], at[order], np.concatenate([pool.n for pool in pools])[order])
        return joined

    def sharing(self, word: str) -> list[str]:
        """The words that may be within `DISTANT_EDITS` edits of `word`, in their order."""
        shared = np.zeros(len(self.words), dtype=np.int32)
        for pair, n in Counter(_pairs(word)).items():
            found = self.pairs.get(pair)
            if found is not None:
                shared[found[0]] += np.minimum(found[1], n)
        needed = np.maximum(self.lengths, len(word)) - 1 - 2 * DISTANT_EDITS
        return [self.words[k] for k in np.flatnonzero(shared >= needed)]


_CODE_BITS = 21
"""Bits of a code point: a pair of letters is one number, the first's code point shifted by these."""
_CODE_MASK = (1 << _CODE_BITS) - 1


def _pairs(word: str) -> list[str]:
    return [word[k : k + 2] for k in range(len(word) - 1)]


@lru_cache(maxsize=64)
def _words_near_length(lexicon: Lexicon, length: int) -> _Pool:
    """The common English words within three letters of `length`, shortest first: one pool per length,
    built once, not for every reading, from the pools of each length within reach (`_words_of_length`)."""
    return _Pool.joined(
        [_words_of_length(lexicon, n) for n in range(length - DISTANT_EDITS, length + DISTANT_EDITS + 1)]
    )


@lru_cache(maxsize=128)
def _words_of_length(lexicon: Lexicon, length: int) -> _Pool:
    """The common English words of `length` letters: each length's pairs counted once, though seven pools
    (`_words_near_length`) hold its words (the pools of lengths 8-20 cost 0.73 s of CPU counted afresh, 0.30 s
    joined)."""
    return _Pool(_words_by_length(lexicon).get(length, ()))


@lru_cache(maxsize=4)
def _words_by_length(lexicon: Lexicon) -> dict[int, tuple[str, ...]]:
    """The common English words (Zipf 3 and above), letters only, grouped by length."""
    groups: dict[int, list[str]] = {}
    for word, freq in lexicon.frequencies["en"].items():
        if freq >= 1e-6 and word.isalpha():
            groups.setdefault(len(word), []).append(word)
    return {n: tuple(ws) for n, ws in groups.items()}


def _accented(word: str) -> bool:
    return any(c.isalpha() and not c.isascii() for c in word)


def _verbosity():
    from symspellpy import Verbosity

    return Verbosity.ALL
