"""Words read as other words, or as words where none is printed: a word misread as another (`Repair.REAL_WORD`,
a letter lost from a very common word among them), a mark read as a short word between two words
(`INTRUDER`), and an article where English has none or a word read twice (`DOUBLED`). Each function proposes;
the scorer decides.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence

from ..confusions import EDGE_MARKS, variants
from ..scorer import Repair, confidence10
from ..words import (
    _ARTICLES,
    _STANDING_NUMERALS,
    Corrector,
    Proposal,
    Token,
    _letters,
    _neighbours,
    recase,
)

_SPECK_MARKS = frozenset(",;*[]|'")
"""Marks on a token that a speck, not the text, put there (a comma or semicolon may be the text's own)."""
_LONE_VOWELS = frozenset("eiouy")
"""Lone vowels that are no word of English prose (`a` is; `I` is in capitals), though French or Spanish has `e`, `o`, `u`, `y`."""
_VOWEL_SPECKS = frozenset(":!-.")
"""Marks a speck leaves before a lone vowel besides `_SPECK_MARKS` (`was then :e indicted`, `he had !y received`);
after it only a colon (`owing her e: the`): a stop after a letter may be an initial's or a numeral's."""


def intruder(ctx: Corrector, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> Proposal | None:
    """A short token between two words that a mark in the margin or a speck made (`son of Ig a
    publican`, `charged with as being`): dropped when the English bigrams prefer the two words
    side by side to having it between them by a wide margin. Numbers, names and tokens
    Tesseract was sure of stay."""
    p = ctx.params
    if (tokens[i].conf or 0.0) >= p.protect_capitalised_conf:
        return None
    if _no_pronoun(ctx, cores, i):
        return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as `I` where no pronoun stands", p.noise_confidence)
    if _lone_vowel(ctx, cores, i):
        return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as a word between words", p.noise_confidence)
    if i == 0 or i + 1 >= len(tokens):
        return None
    (_, left, left_post), (pre, core, post), (right_pre, right, _) = cores[i - 1 : i + 2]
    if right_pre or not (_letters(left) and _letters(right)):
        return None
    if not set(pre + post) <= _SPECK_MARKS:  # marks a speck leaves on the token go with it (`was *st practically`)
        return None
    if _stray_capital(ctx, left, left_post, pre + core + post, right):
        return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as a letter between words", p.noise_confidence)
    if left_post == "" and not pre + post:
        doubled = _doubled_article(left, core, right)
        if doubled is not None:
            return Proposal(i, i + 1, "", Repair.DOUBLED, doubled, p.noise_confidence)
        if _after_article(left, core, right):
            reason = "mark read as a letter after an article"
            return Proposal(i, i + 1, "", Repair.INTRUDER, reason, p.noise_confidence)
    if left_post not in ("", ",", ";"):  # `the owner, fi, who`; a stop ends the context
        return None
    if not (core.isalpha() and len(core) <= p.intruder_max_len) or core in _STANDING_NUMERALS:
        return None
    if ctx.lexicon.is_name(core) and core != "I":
        return None  # `I` is a name's numeral only after the name (`Nicholas I`); the pronoun is a word like any
    if not (
        core.islower() or core.istitle() and left.islower() and right.islower()
    ):  # a capital mid-sentence is suspect, before a name not
        return None
    if ctx._foreign(left) or ctx._foreign(right):
        return None  # the English bigrams do not judge a French or Spanish phrase (`de ma mère`)
    pair = ctx.lexicon.bigram(left, right)
    if pair <= 0:  # with no evidence that the neighbours go together, dropping a word only removes a factor
        return None
    together = math.log10(pair)
    # a misread short word (`oi`, `lt`, `ef`) is corrected, not dropped: the likeliest word it may be stands between
    lost = _lost_letter(ctx, core)
    between = max(
        sum(ctx._sides(c, left, right))
        - (p.real_word_channel * _misread_cost(ctx, core, c, lost) if c != core else 0.0)
        for c in {core}
        | lost
        | {v for v in variants(core.lower(), limit=1) if ctx.lexicon.zipf(v, "en") >= p.real_word_min_zipf}
    )
    word = ctx.lexicon.zipf(core, "en") >= p.real_word_min_zipf
    margin = p.intruder_word_margin if word and core not in ("a", "A") else p.intruder_margin
    if together - between < margin:
        return None
    confidence = confidence10(together - between - margin + 1.0)
    return Proposal(i, i + 1, "", Repair.INTRUDER, "mark read as a word between words", confidence)


def _lone_vowel(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> bool:
    """`pathetic e appeal`, `diameter, i with`, `was then :e indicted`, a line opening `e The Act 45 Vic.`: a lone
    vowel that is no word of English prose, with the marks a speck leaves, between two English words (a stop or a comma
    before it or not) or opening a line before one. `Ortega y Gasset`, `de ma mère` keep theirs."""
    pre, core, post = cores[i]
    specks = set(pre) <= _SPECK_MARKS | _VOWEL_SPECKS and set(post) <= _SPECK_MARKS | {":"}
    if core not in _LONE_VOWELS or not specks or i + 1 >= len(cores):
        return False
    right_pre, right, _ = cores[i + 1]
    if right_pre or not (_letters(right) and ctx._english(right)):
        return False
    if i == 0:
        return True
    _, left, left_post = cores[i - 1]
    return _letters(left) and left_post in ("", ",", ";", ".") and ctx._english(left)


def _no_pronoun(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> bool:
    """`I` standing alone where the pronoun cannot stand: before a word English puts after it less often than anywhere
    (symspellpy's bigram list lacks the pair, or holds it rarely: `I the` is the web's; `I am`, `I think`, `I Shall`
    are common), the word capitalised (`The I Lord Mayor`, `meeting at I Madrid`, a paragraph opening `I Most of them
    were` in text read no better than print read well, `Params.line_start_pronoun_odds`) or, in lower case, after a
    word English puts the pronoun after far less often than after any word (`what the I vestry had done`, `charged
    with I stabbing`). A speck of a column's rule or a paragraph's indent read as a letter, not a name's numeral
    (`Nicholas I`) nor a capitalised heading's word (`HOW I ESCAPED`)."""
    pre, core, post = cores[i]
    if core != "I" or pre or post or i + 1 >= len(cores):
        return False
    right_pre, right, _ = cores[i + 1]
    lex = ctx.lexicon
    if right_pre or not right.isalpha() or right == "I" or not lex.knows(right):
        return False
    if lex.bigram("i", right) >= lex.frequency(right, "en"):
        return False
    if i == 0:
        return right[:1].isupper() and ctx.params.line_start_pronoun_odds + ctx.text.misread_odds > 0
    _, left, left_post = cores[i - 1]
    name = ctx._name(left) and left.lower() not in _ARTICLES  # `The` is a word of the dictionaries' titles
    if not left.isalpha() or name or left.isupper() and right.isupper():
        return False
    if right[:1].isupper():
        return True
    return not left_post and ctx._english(right) and _before_pronoun(ctx, left) < ctx.params.pronoun_after_odds


def _before_pronoun(ctx: Corrector, word: str) -> float:
    """How often English puts `I` after the word, as a share of how often it prints `I` at all: from the bigram list,
    or for a pair it lacks, the most it can be (`Params.unseen_pair_share`)."""
    lex = ctx.lexicon
    after = lex.bigram(word, "i") or min(1.0, ctx.params.unseen_pair_share / max(lex.frequency(word, "en"), 1e-9))
    return after / lex.frequency("i", "en")


def _after_article(left: str, core: str, right: str) -> bool:
    """`her face bore an e ashy whiteness`: a lower-case letter or `I` alone after an article, before a lower-case
    word, is a speck: an article is followed by what it determines (in the ground truths of BLN600, oldbooks-dev and
    the French lines, never by these). A capital letter after one names something (`the N Division`), and a figure
    counts (`the 3 men`): numbers are never dropped."""
    lone = len(core) == 1 and (core.islower() or core == "I") and core != "a"  # `a a`: `DOUBLED`'s
    return lone and left.lower() in _ARTICLES and right.islower()


def _stray_capital(ctx: Corrector, left: str, left_post: str, token: str, right: str) -> bool:
    """`created some S amusement`, `interest to E recall`: a capital letter alone between two lower-case
    words is a speck, not an initial (which keeps its stop and comes before a name), nor a letter
    named after an article (`the N Division`), nor the first letter of the next word broken off
    (`R eedphat`)."""
    return (
        len(token) == 1
        and token.isupper()
        and token not in "AIO"
        and token not in _STANDING_NUMERALS
        and left_post == ""
        and left.islower()
        and right.islower()
        and left not in _ARTICLES
        and ctx.lexicon.knows(right)
        and not ctx.lexicon.knows(token + right)
    )


def real_word(
    ctx: Corrector, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int
) -> tuple[str, float, tuple[str, ...]] | None:
    """A word that is a word, but not the one printed (`he bad been`, `tho`, `hut`): another common
    English word one cheap confusion away, which the neighbours prefer by a wide margin. A common
    reading needs both neighbours to prefer the candidate (the bigram list is sparse: one missing
    pair is weak evidence) and a much commoner candidate (content words read as other content words
    are where bigrams mislead); a rare one (`tbe`, `wae`) needs one neighbour."""
    p = ctx.params
    if len(core) < 2 or not core.isalpha() or core.isupper():
        return None
    lower = core.lower()
    # how surely the text's habit makes each word of the reading (0 for any other: `habit_odds`), asked once
    habits = {c: ctx.habit_odds(lower, c) for c in ctx.errors.variants(lower)} if ctx.errors is not None else {}
    habit = any(habits.values())
    if ctx.lexicon.is_name(core) and not habit:
        return None  # a name, unless the text reads a word so by habit (`Ho` for `He` where it reads `e` as `o`)
    left, right = _neighbours(cores, i)
    if all(w is None or ctx._foreign(w) for w in (left, right)):
        return None  # the English bigrams say nothing of a word among French ones (`sur les sées`)
    zipf = ctx.lexicon.zipf(lower)
    common = zipf >= p.protect_zipf
    # where the line starts or a mark cuts off the words before (`injured, aud death`, `Ar the`), how
    # often English has the word at all stands in for how often it follows them
    cut = left is None and right is not None
    needed = 2 if common and not cut and not habit else 1  # the text's habit is evidence enough for one
    floor = max(p.real_word_min_zipf, zipf + p.real_word_commoner if common else 0.0)
    if (left is not None) + (right is not None) < needed:
        return None
    reading = ctx._sides(lower, left, right, cut)
    bonus = p.conf_weight * conf / 100.0 if conf is not None else 0.0
    scored = []
    memos = ctx.general if ctx.errors is None else ctx.taught  # the text's error model is the text's
    for c, cost, frequency in memos["rivals"].get(lower, _rivals, ctx, lower):
        sides = ctx._sides(c, left, right, cut)
        if any(s < r for s, r in zip(sides, reading, strict=False)):
            continue
        # a rival as common as the reading (`he`/`be`) needs the neighbours' word much more
        needs = p.real_word_margin if frequency >= floor else p.real_word_rival_margin
        scored.append((sum(sides) - p.real_word_channel * cost + habits.get(c, 0.0), c, needs))
    scored.sort(reverse=True)
    base = sum(reading) + bonus - ctx.text.misread_odds  # in a text read well, likelier as printed
    if not scored or scored[0][0] - base < scored[0][2]:
        return None
    confidence = 1.0 / (sum(10 ** (s - scored[0][0]) for s, _, _ in scored) + 10 ** (base - scored[0][0]))
    return recase(scored[0][1], core), round(confidence, 3), tuple(recase(c, core) for _, c, _ in scored[1:5])


def _rivals(ctx: Corrector, lower: str) -> tuple[tuple[str, float, float], ...]:
    """The common English words a word may be misread for, one cheap confusion away, wherever it stands:
    each with the confusion's cost and its Zipf frequency in English."""
    p = ctx.params
    lost = _lost_letter(ctx, lower) | _glyph_off(ctx, lower)
    learned = ctx.errors.variants(lower) if ctx.errors is not None else set()
    found = []
    for c in variants(lower, limit=1) | learned | _without_edge_mark(lower) | lost:
        if not (c.isalpha() and c.islower() and ctx.lexicon.zipf(c, "en") >= p.real_word_min_zipf):
            continue
        cost = _misread_cost(ctx, lower, c, lost)
        if cost <= p.real_word_max_cost:
            found.append((c, cost, ctx.lexicon.zipf(c, "en")))
    return tuple(found)


def _lost_letter(ctx: Corrector, read: str) -> set[str]:
    """`of th Gas Company`, `the prisoner ws convicted`, `solid mass, nd by`: the very common words (`the`,
    `was`, `and`) that a two-letter reading, itself no common word, is with one letter lost to a faint
    or broken glyph."""
    if (
        not (len(read) == 2 and read.isalpha() and read.islower())
        or ctx.lexicon.zipf(read, "en") >= ctx.params.lost_letter_max_zipf
    ):
        return set()
    longer = (read[:k] + c + read[k:] for k in range(len(read) + 1) for c in string.ascii_lowercase)
    return {w for w in longer if ctx.lexicon.zipf(w, "en") >= ctx.params.function_word_zipf}


def _glyph_off(ctx: Corrector, read: str) -> set[str]:
    """`afd` for `and`, `thu` for `the`, `thai` for `that`: the very common words a reading of three or four letters,
    which English seldom prints and its curated dictionary does not hold, is with one glyph misread as any other,
    a slip that costs as much as a letter lost (the confusion table holds the usual ones only). Measured on
    BLN600's tune half against the output without it (word windows nearer or further from the truth): 26 nearer,
    5 further, CER -26.994% -> -27.047%, no more words damaged. Two-letter readings too (`ws` then has `is`
    and `as` besides `was`, which split its confidence): 37 nearer, 40 further; rivals down to Zipf 6.0 (`has`,
    `who`, `out`): 4 nearer, 6 further."""
    if (
        not (3 <= len(read) <= 4 and read.isalpha() and read.islower())
        or ctx.lexicon.zipf(read, "en") >= ctx.params.lost_letter_max_zipf
        or ctx.lexicon.english_word(read)
    ):
        return set()
    other = (read[:k] + c + read[k + 1 :] for k in range(len(read)) for c in string.ascii_lowercase)
    return {w for w in other if w != read and ctx.lexicon.zipf(w, "en") >= ctx.params.function_word_zipf}


def _misread_cost(ctx: Corrector, read: str, printed: str, lost: set[str]) -> float:
    """The channel cost of `printed` read as `read`, a letter lost from a very common word counted as a confusion."""
    return ctx.params.lost_letter_cost if printed in lost else ctx._channel(read, printed)


def _without_edge_mark(word: str) -> set[str]:
    """The word without a mark read beside it (`andi` -> `and`): what a speck at either end leaves."""
    return {w for w in (word[1:] if word[:1] in EDGE_MARKS else "", word[:-1] if word[-1:] in EDGE_MARKS else "") if w}


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
