"""Where the spaces go: a word split by a space or broken at a line end joined (`Repair.JOIN`), joined and
corrected as one reading (`JOIN_MISREAD`), a compound's hyphen restored between its halves (`COMPOUND`), and
words printed apart but read as one split (`RUN_TOGETHER`). Each function proposes; the scorer decides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import regex

from ...lexicon import fold
from ...tokens import letter_word
from ..scorer import Repair, confidence10, logit10
from ..words import (
    _ABBREVIATIONS,
    _NUMBERISH,
    _SUSPENDED_HYPHEN_FOLLOWERS,
    Corrector,
    Proposal,
    Token,
    _capitals,
    _letters,
    _recase_split,
    french_elision,
)
from . import marks, unknown

_HYPHEN_AND_SPECK = regex.compile(r"^-[.,;:'’]{1,2}$")
"""A line-end hyphen with a speck read beside it: still the hyphen of a broken word, not a dash."""
_SPECK_OPENING = regex.compile(r"^[-.,;:'’]{1,2}$")
"""A speck read before the rest of a word broken at a line end (`pri- ,soner`, `de- .ceased`, `diffi- -cult`)."""


def join(
    ctx: Corrector, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int, taken: set[int]
) -> Proposal | None:
    """A word split in two by OCR (`C oyoacan`, `pro- perty`): joined when the join is a word and a part is not."""
    if i + 1 >= len(tokens) or i + 1 in taken:
        return None
    across = _join_across_mark(ctx, cores, i, taken)
    if across is not None:
        return across
    pre_a, a, post_a = cores[i]
    pre_b, b, post_b = cores[i + 1]
    specked = _HYPHEN_AND_SPECK.match(post_a) is not None and b[:1].islower()  # `wit-. nesses`, `sleep-; ing`
    if specked:
        post_a = "-"
    if post_a == "-" and _SPECK_OPENING.match(pre_b) and b[:1].islower():
        pre_b = ""
    if not a or not b or pre_b or (post_a not in ("", "-", ".")):
        return None
    both_words = all(ctx.lexicon.knows(w) or french_elision(w, ctx.lexicon) for w in (a, b))  # `Il n'y`
    spaced = post_a == "" and both_words
    if spaced and not _broken_by_space(ctx, a, b, post_b):
        return None
    if post_a == ".":
        abbreviation = (
            marks.unit_after_figure(cores, i)
            or a.lower() in _ABBREVIATIONS
            and (a.istitle() or ctx.lexicon.zipf(a + b, "en") < ctx.params.real_word_min_zipf)
        )
        if not (b[:1].islower() and ctx.lexicon.knows(a + b) and not abbreviation):
            # `regi. ment`, `police. man`, `per. son` are broken words; `Co. upon` is no `Coupon`, `inst. a` no `insta`
            return None
        if both_words and ctx.lexicon.zipf(a + b) < ctx.params.protect_zipf:  # two words, a rare join
            return None
    joined = a + b
    broken_head = post_a == "-" and _broken_head(ctx, a, b)
    restored = ctx.lexicon.folded_names.get(fold(joined), set())
    # two words joined make an English word, not a word of a title (`th eir` is no `Their Morals and Ours`)
    target = (
        joined
        if spaced
        else next(iter(restored))
        if len(restored) == 1
        else joined
        if ctx.lexicon.knows(joined) or broken_head
        else None
    )
    compound = post_a == "-" and target == joined and _rare_solid(ctx, a, b)
    if compound:
        target = None
    if target is None and post_a == "-" and b[:1].islower():
        misread = None if compound else _join_misread(ctx, tokens, cores, i, joined)  # `pro- readings`: a word misread
        if misread is None and not specked and _compound_halves(ctx, a, b):
            if _words_apart(ctx, a.split("-")[-1], b):  # `would- be` may be a compound too: left as read
                return (
                    None
                    if compound
                    else Proposal(
                        i,
                        i + 2,
                        f"{pre_a}{a} {b}{post_b}",
                        Repair.COMPOUND,
                        "mark read as a hyphen between words",
                        0.85,
                    )
                )
            return Proposal(
                i, i + 2, f"{pre_a}{a}-{b}{post_b}", Repair.COMPOUND, "compound rejoined at its hyphen", 0.85
            )
        return misread
    if target is None or not (broken_head or ctx._plausible(target)) or _NUMBERISH.match(joined):
        return None
    return Proposal(i, i + 2, pre_a + target + post_b, Repair.JOIN, "split word joined", 0.9)


def _broken_by_space(ctx: Corrector, a: str, b: str, post_b: str) -> bool:
    """`The pri soner had`, `on examina tion of`, `althou gh there`: two rare "words" (wordfreq knows most
    strings from the web) that English never has side by side, whose join is a much commoner word; or a
    word's piece beside a word (`_broken_off`)."""
    if not (a.isalpha() and b.isalpha() and b.islower() and (a.islower() or a.istitle())):
        return False
    lex, p = ctx.lexicon, ctx.params
    if lex.bigram(a.lower(), b) > 0:
        return False
    if _broken_off(ctx, a.lower(), b) and post_b != "-":  # `the ses- sions`: the piece is the next word's
        return True
    first = lex.zipf(a.lower(), "en")
    if first > p.broken_halves_max_zipf:  # most words side by side: the first is too common to be a half
        return False
    halves = max(first, lex.zipf(b, "en"))
    solid = lex.zipf((a + b).lower(), "en")
    return halves <= p.broken_halves_max_zipf and solid >= max(halves + p.broken_join_gain, p.protect_zipf)


def _broken_off(ctx: Corrector, a: str, b: str) -> bool:
    """`poison ing`, `re mained`, `pro duced`, `regime nt`: a word, and after it a piece of a word that is
    no word of the curated English dictionary (a word's end wordfreq knows from the web: `ing`, `nt`,
    `duced`), whose join is one long enough that no slip makes it of another (`Corrector._rare_english`) and
    as common as a protected word, however common the halves (`re`, `pro` are too common for
    `_broken_by_space`). Shorter joins are as often two short words misread (`do lt` is `do it`, not `dolt`);
    a rare join a phrase of two words (`post mortem`, `postmortem` at Zipf 2.75); a first half no English
    word a prefix printed apart (`im possible`, `un known` in BLN600's truth) or a foreign word (`tous les`);
    a first half much commoner than the join a word of its own beside a short word misread (`will ie` is
    `will is`, not `willie`)."""
    lex, p = ctx.lexicon, ctx.params
    solid = lex.zipf(a + b, "en")
    return (
        lex.english_word(a)
        and not lex.english_word(b)
        and ctx._rare_english(a + b)
        and solid >= p.protect_zipf
        and lex.zipf(a, "en") - solid <= p.broken_off_max_drop
    )


def _join_misread(
    ctx: Corrector, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int, joined: str
) -> Proposal | None:
    """A word broken at a line end with a glyph misread in it (`pro- readings`): the halves joined
    and corrected as one reading, when the correction is sure enough to apply."""
    (pre_a, _, _), (_, _, post_b) = cores[i], cores[i + 1]
    confs = [t.conf for t in tokens[i : i + 2] if t.conf is not None]
    as_one = [*cores[:i], (pre_a, joined, post_b), *cores[i + 2 :]]
    best = unknown.best_word(ctx, joined, min(confs) if confs else None, as_one, i)
    if best is None or best[1] < ctx.params.apply_threshold or " " in best[0]:
        return None
    return Proposal(
        i, i + 2, pre_a + best[0] + post_b, Repair.JOIN_MISREAD, "broken word joined and corrected", best[1], best[2]
    )


def _broken_head(ctx: Corrector, a: str, b: str) -> bool:
    """`Scot- land-yard`, `Wal- worth-road`, `re- ceiving-houses`: a compound's first word broken at the line's
    end, whose halves join into a word (`Police- court-yard` stays as read). Where both halves are English words
    the hyphen may be the compound's own (`Horse- ferry-road`, `Holy- well-street` in BLN600's truth): the solid
    word must be commoner than the first half then (`Scotland`; not `Horseferry`, `Holywell`, nor `Guildhall`)."""
    head, _, rest = b.partition("-")
    if not (rest and a.isalpha() and head.isalpha()):
        return False
    lex, solid = ctx.lexicon, (a + head).lower()
    if not (lex.knows(a + head) and ctx._plausible(a + head)):
        return False
    both_words = lex.english_word(a.lower()) and lex.english_word(head)
    return not both_words or lex.zipf(solid, "en") > lex.zipf(a.lower(), "en")


def _compound_halves(ctx: Corrector, a: str, b: str) -> bool:
    """`Church- street`, `Police- court`: two words broken at a compound's own hyphen (not `pre- and post-war`)."""
    return (
        _letters(a)
        and b.isalpha()
        and b.islower()
        and b not in _SUSPENDED_HYPHEN_FOLLOWERS
        and all(ctx.lexicon.knows(part) for part in (*a.split("-"), b))
    )


def _rare_solid(ctx: Corrector, a: str, b: str) -> bool:
    """`twenty- nine`, `would- be`: two common English words whose solid join is rare (wordfreq knows
    `twentynine` from the web) are a compound or two words, not one word broken at the line's end."""
    lex = ctx.lexicon
    halves = min(lex.zipf(a, "en"), lex.zipf(b, "en"))
    return halves >= ctx.params.real_word_min_zipf and lex.zipf(a + b) < ctx.params.compound_solid_zipf


def _words_apart(ctx: Corrector, a: str, b: str) -> bool:
    """`the- wilful`, `throat- with`: a word as common as an article or a preposition is no half of
    a compound (`well- known` and `twenty- one` are: their common halves are less common)."""
    return max(ctx.lexicon.zipf(a, "en"), ctx.lexicon.zipf(b, "en")) >= ctx.params.function_word_zipf


def _join_across_mark(ctx: Corrector, cores: list[tuple[str, str, str]], i: int, taken: set[int]) -> Proposal | None:
    """A word broken at a line end with a mark read between its halves (`pri- e- soners`,
    `Police-con- In stables`): the halves joined, the mark dropped, when the join is a common word."""
    if i + 2 >= len(cores) or taken & {i + 1, i + 2}:
        return None
    (pre_a, a, post_a), (_, mark, _), (pre_c, c, post_c) = cores[i : i + 3]
    if post_a != "-" or pre_c or not (a and c[:1].islower() and c.isalpha()) or len(mark) > ctx.params.intruder_max_len:
        return None
    joined = a + c
    parts = joined.split("-")
    if ctx.lexicon.knows(joined) or len(parts) > 1 and all(ctx.lexicon.knows(part) for part in parts):
        return Proposal(i, i + 3, pre_a + joined + post_c, Repair.JOIN, "broken word joined across a mark", 0.9)
    if _compound_halves(ctx, a, c) and not ctx._english(mark):  # `attached- to the`: a dash, not a broken compound
        return Proposal(i, i + 3, f"{pre_a}{a}-{c}{post_c}", Repair.COMPOUND, "compound rejoined across a mark", 0.85)
    return None


def run_together(ctx: Corrector, core: str) -> tuple[str, float, tuple[str, ...]] | None:
    """Words printed apart and read as one (`ofthe`, `Theprisoner`, `inawhisper`), split where the
    words side by side, each pair attested in the English bigrams, are far likelier than the reading
    as one word (wordfreq knows `ofthe` and `didnot` from the web; no book prints them)."""
    p = ctx.params
    if len(core) < 5 or not core.isalpha() or ctx.lexicon.is_name(core) or _capitals(core) or ctx._rare_english(core):
        return None
    lower = core.lower()
    n = len(lower)
    splits: list[tuple[str, ...]] = [(lower[:a], lower[a:]) for a in range(1, n)]
    splits += [(lower[:a], lower[a:b], lower[b:]) for a in range(1, n - 1) for b in range(a + 1, n)]
    scored = [(score, parts) for parts in splits if (score := _apart(ctx, parts)) is not None]
    if not scored:
        return None
    apart, parts = max(scored)
    odds = apart - ctx.lexicon.zipf(core) - p.run_together_margin
    if odds < 0:
        return None
    return _recase_split(" ".join(parts), core), confidence10(odds + 1.0), ()


def _apart(ctx: Corrector, parts: tuple[str, ...]) -> float | None:
    """log10 frequency (per billion words) of English words side by side, every pair attested; None if not."""
    lex = ctx.lexicon
    if any(
        lex.zipf(w, "en") < ctx.params.split_min_zipf or len(w) == 1 and not letter_word(w, lowered=True) for w in parts
    ):
        return None
    pairs = [lex.bigram(a, b) for a, b in zip(parts, parts[1:], strict=False)]
    if min(pairs) <= 0:
        return None
    return lex.zipf(parts[0], "en") + sum(math.log10(x) for x in pairs)


def run_together_unseen(ctx: Corrector, core: str) -> tuple[str, float, tuple[str, ...]] | None:
    """Words printed apart and read as one where the bigram list has no record of the two side by side
    (`Thecoroner`, `Charlwoodfor`, `Grimewas`, `OnWednesday`: it holds 69% of the pairs of BLN600's truth),
    tried when no other repair has anything for a reading no lexicon knows, read once in the text. One of
    the words is very common (`Params.split_needs_zipf`: `the`, `was`, `very`, `said`), which is no half of a
    compound (`potman`, `vanload`, `Lickfold` are words or names of their own), or each opens with a capital
    (`EastGrinstead`); the other is a common English word, a long one of the curated dictionary however rare
    (`wasmottled`, `thatcoolness`), or one the text prints elsewhere (its names: `Charlwood`). Of the
    splits, the likeliest in English, an unseen pair backing off to the second word's frequency. On BLN600's
    tune half, OCR, moving the very common word from Zipf 6.5 to 6.0 and taking long dictionary words brought
    7 more changes, all 7 the truth's; taking words as common as 6.0 for the other word too (`her`, `its`)
    3 more the truth's and one not (`Doheater` -> `Do heater`)."""
    p = ctx.params
    if (
        len(core) < p.unseen_split_min_len
        or not core.isalpha()
        or ctx.lexicon.knows(core)
        or ctx._name(core)
        or ctx._rare_english(core)
        or ctx.document_counts.get(core.lower(), 0) >= p.document_name_count
        or core[1:] != core[1:].lower()
        and not _camel(core)
    ):
        return None
    lower, camel = core.lower(), _camel(core)
    scored = []
    for k in range(1, len(lower)):
        a, b = lower[:k], lower[k:]
        if not (_unseen_part(ctx, core[:k], a) and _unseen_part(ctx, core[k:], b)):
            continue
        if camel != core[k].isupper():  # a camel-cased reading parts at its second capital alone
            continue
        if not camel and max(ctx.lexicon.zipf(a, "en"), ctx.lexicon.zipf(b, "en")) < p.split_needs_zipf:
            continue
        scored.append((math.log10(max(ctx.lexicon.frequency(a, "en"), 1e-9)) + sum(ctx._sides(b, a, None)), a, b))
    if not scored:
        return None
    _, a, b = max(scored)
    odds = (
        logit10(p.unseen_split_confidence) + ctx.text.misread_odds
    )  # in print read well, the print's own (`Thamesfrom`)
    return _recase_split(f"{a} {b}", core), confidence10(odds), ()


def run_together_many(ctx: Corrector, core: str) -> tuple[str, float, tuple[str, ...]] | None:
    """Three words or more printed apart and read as one (`andhehadpaidallexpenses`, `juryreturnedaverdict`,
    `OntheFridaybefore`): a reading no lexicon knows that SymSpell's segmentation parts, with no edit, into common
    English words (each as common as a split's word must be, a letter alone only if it is a word), two of every
    three pairs side by side attested in the English bigrams. A misread word parts so into short rare pieces with
    pairs English never has (`we as dis bon our ed`, `cu at ter jg lte`); the longer the reading, the less a chance
    parting into common words attested side by side. Tried before `run_together`, whose splits the scorer,
    fitted on splits into two words or three, weighs by their words' frequency and edits: it rejects these
    (0.35-0.53); recorded as `Repair.RUN_TOGETHER_MANY`, which it has no weights for."""
    p = ctx.params
    if len(core) < p.many_split_min_len or not core.isalpha() or _capitals(core) or ctx.lexicon.knows(core):
        return None
    lower = core.lower()
    parts = unknown.candidate_index(ctx.lexicon).word_segmentation(lower, max_edit_distance=0).corrected_string.split()
    if len(parts) < p.many_split_min_words or "".join(parts) != lower:
        return None
    if any(_rare_piece(ctx, w) for w in parts):
        return None
    unattested = sum(ctx.lexicon.bigram(a, b) <= 0 for a, b in zip(parts, parts[1:], strict=False))
    if 3 * unattested > len(parts) - 1:
        return None
    return _recase_split(" ".join(parts), core), p.many_split_confidence, ()


def _rare_piece(ctx: Corrector, word: str) -> bool:
    """A piece no split of many words holds: rarer than a split's word, or as short as a word of two letters
    and less common than a function word (`ma`, `al`, `re`, `ed` are what a misread word parts into:
    `matrimonal` -> `ma trim on al`), or a letter alone that is no word."""
    zipf = ctx.lexicon.zipf(word, "en")
    if len(word) == 1 and not letter_word(word, lowered=True):
        return True
    return zipf < (ctx.params.split_needs_zipf if len(word) <= 2 else ctx.params.split_min_zipf)


def _unseen_part(ctx: Corrector, read: str, word: str) -> bool:
    """A word of a split the bigram list cannot vouch for (`read` as read, `word` lower case): `a` or `I`, a word
    as common as a function word, a long word of the curated English dictionary (`Corrector._rare_english`:
    `mottled`, `remanded`), or one of four letters or more, common in English or printed elsewhere in the
    text. Rarer short words are what a misread word or a name leaves (`ce`, `cr`, `sa`; `Daton`, `Webus`)."""
    if len(word) == 1:
        return letter_word(read)
    if ctx.lexicon.zipf(word, "en") >= ctx.params.function_word_zipf or ctx._rare_english(word):
        return True
    common = ctx.lexicon.zipf(word, "en") >= ctx.params.split_min_zipf
    return len(word) >= 4 and (common or ctx.document_counts.get(word, 0) > 0)


def _camel(core: str) -> bool:
    """`EastGrinstead`, `OnWednesday`: two capitalised words run together, a capital opening each (not `HEann`)."""
    capitals = [k for k, c in enumerate(core) if c.isupper()]
    return len(capitals) == 2 and capitals[0] == 0 and capitals[1] >= 2
