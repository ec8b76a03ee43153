"""Marks and specks: what a speck or a mark standing apart did to a line, undone.

A stray mark, letter or stop standing alone dropped (`Repair.NOISE`), a mark standing apart joined to its
word (`ATTACH`), a comma ending a paragraph read for a full stop (`PARAGRAPH_STOP`), specks at a word's edges
(`MARKS`) or inside it (`SPECK_INSIDE`), and two words a speck ran together split at it (`SPLIT_AT_MARK`).
Each function proposes, with the evidence it found; the scorer (`scorer.py`) decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import regex

from ...tokens import letter_word
from ..confusions import NOISE_CHARS
from ..scorer import Repair, confidence10, logit10
from ..words import (
    _ABBREVIATIONS,
    _ARTICLES,
    _NUMBERISH,
    _STANDING_NUMERALS,
    _SUSPENDED_HYPHEN_FOLLOWERS,
    Corrector,
    Proposal,
    Token,
    split_token,
)
from . import alternatives, unknown

_PROSE_PUNCTUATION = regex.compile(r"^[-–—&\"'“”‘’«»‹›()\[\]*.,;:!?/%$+=]+$")
EM_DASH = "—"
CLOSED_DASH = regex.compile(r"[^\s—]—[^\s—]")
"""An em-dash printed close up between two words (`brows—sometimes`); not a double dash standing for a name (`——`)."""
_DASH_NEIGHBOUR = regex.compile(r"^[\p{L}\p{N}\"'“‘(]")
"""What an em-dash closes up to: a word, or the quotation or bracket it opens."""
_LIST_NUMBER = regex.compile(r"^\d{1,2}[.,]$")
_STOPS_ALONE = regex.compile(r"^[.,;:]{1,3}$")
"""Stops standing alone as a token (`.`, `:.`, `,.,`): after another stop, specks."""
_STRAY_LETTER = regex.compile(r"^[bcdfghjklmnpqrstvwxz]$")
"""A lone lower-case consonant: no word of English, French or Spanish prose (vowels are: a, à, y, o, e)."""
_QUOTES = frozenset("'‘’")
_DASHES = frozenset("-–—")
_OPENING_DASH = regex.compile(r"^[-–—]{1,2}$")
_CLOSED_OPENING_DASH = regex.compile(r"^[-–—]{1,2}\p{Lu}")
_DETACHED = regex.compile(r"^(?:[,.;:!?]|[;:!?][\"”’']{1,2})$")
"""A mark of punctuation standing alone (`them ,`), a quotation mark closing after it with it but for a comma's or a
stop's (`that ?"`; BLN600's tune half reads `had ,'` and `of .'` where the truth has neither, specks)."""
_INNER_MARK = regex.compile(r"^(\p{L}+)([-.,;:'’~]{1,2})(\p{L}+)$")
"""A mark or two between two runs of letters: `acquainted.with`, `refused,and`, `the-watch`, `his.'wife`."""
_MARK_INSIDE = regex.compile(r"^(\p{L}+)([^\p{L}\p{N}\s]{1,2})(\p{L}+)$")
"""Any mark or two inside a run of letters (`char-ged`, `h]ad`, `t+he`, `wa"s`)."""
_COMPOUND_FIRST_WORDS = frozenset(
    {"by", "in", "on", "at", "out", "up", "off", "over", "under", "down", "so", "all", "one", "no"}
)
"""Common words that begin compounds (`by-product`, `in-law`, `at-home`, `so-called`, `all-night`, `one-sided`,
`no-man's-land`): a hyphen after one may be the compound's."""


def attach_detached_quotes(tokens: Sequence[Token], proposals: list[Proposal], taken: set[int]) -> list[Proposal]:
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
            attach(tokens, proposals, taken, i, to_left=not opening, reason="space inside quotation marks removed")
    return proposals


def sentence_stops(
    tokens: Sequence[Token], taken: set[int], confidence: float, sentence_after: bool = False
) -> list[Proposal]:
    """A comma at a word's end before a word that opens a sentence (`opens_sentence`), on its line or opening the
    next (`sentence_after`), where Tesseract's own alternatives for that glyph include a full stop (`b. 1786,` /
    `He was`): the stop misread. Only words no other repair took, and never a comma after a stop (`Esq.,`)."""
    found = []
    for i, token in enumerate(tokens):
        text = token.text
        if i in taken or not text.endswith(",") or text.endswith(".,") or not split_token(text)[1]:
            continue
        if not (opens_sentence(tokens[i + 1].text) if i + 1 < len(tokens) else sentence_after):
            continue
        stopped = text[:-1] + "."
        if any(c.text == stopped for c in alternatives.candidates(text, token.choices)):
            reason = "comma before a sentence read for a full stop (Tesseract's second reading)"
            found.append(Proposal(i, i + 1, stopped, Repair.SENTENCE_STOP, reason, confidence))
    return found


def opens_sentence(text: str) -> bool:
    """A word that may open a sentence: capitalised, or a list's number (`2.`; `2,` read for it: the genealogies
    of oldbooks-dev number each child, `1. Mary, born ...` / `2. John`)."""
    return split_token(text)[1][:1].isupper() or _LIST_NUMBER.match(text) is not None


def paragraph_stop(tokens: Sequence[Token], proposals: list[Proposal]) -> list[Proposal]:
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


def attach(
    tokens: Sequence[Token], proposals: list[Proposal], taken: set[int], i: int, to_left: bool, reason: str
) -> bool:
    """Token i (a mark standing apart) joins the word beside it, the one before when `to_left`: inside
    that word's own proposal if it has one, else in a new one. False when that word was dropped."""
    k = i - 1 if to_left else i + 1
    neighbour = next((p for p in proposals if (p.end - 1 if to_left else p.start) == k), None)
    if neighbour is None:
        joined = tokens[k].text + tokens[i].text if to_left else tokens[i].text + tokens[k].text
        proposals.append(Proposal(min(i, k), max(i, k) + 1, joined, Repair.ATTACH, reason, 0.9))
    elif neighbour.text:
        joined = neighbour.text + tokens[i].text if to_left else tokens[i].text + neighbour.text
        proposals[proposals.index(neighbour)] = replace(
            neighbour, text=joined, start=min(i, neighbour.start), end=max(i + 1, neighbour.end)
        )
    else:
        return False
    taken.update((i, k))
    return True


def spaced_dash(ctx: Corrector, tokens: Sequence[Token], i: int, taken: set[int]) -> Proposal | None:
    """An em-dash a space keeps from the word after it or before it (`brows— sometimes`, `century —The`): no
    style of print spaces a dash on one side only, so the space is OCR's and the dash closes up, as this book
    prints it elsewhere. One standing alone between two words (`period — Royal`) closes up too, in a text
    that closes its em-dashes up more often than it spaces them (a spaced em-dash may be the text's style).
    En-dashes and hyphens are left: print spaces en-dashes (`1914 – 1918`, `Paris – Moscow`)."""
    if i + 1 >= len(tokens) or i + 1 in taken:
        return None
    here, after = tokens[i].text, tokens[i + 1].text
    if here.endswith("——") or after.startswith("——") or here.endswith(EM_DASH) and here.strip(EM_DASH) == "":
        return None
    reason = "space beside an em-dash removed"
    dash_before = here.endswith(EM_DASH) and _DASH_NEIGHBOUR.match(after)
    dash_after = after.startswith(EM_DASH) and _DASH_NEIGHBOUR.match(after[1:]) and not here.endswith(EM_DASH)
    if dash_before or dash_after:
        return Proposal(i, i + 2, here + after, Repair.ATTACH, reason, 0.9)
    if (
        after == EM_DASH
        and ctx.text.closes_dashes
        and i + 2 < len(tokens)
        and i + 2 not in taken
        and _DASH_NEIGHBOUR.match(tokens[i + 2].text)
        and not here.endswith(EM_DASH)
    ):
        return Proposal(i, i + 3, here + after + tokens[i + 2].text, Repair.ATTACH, reason, 0.9)
    return None


def closes_opening_dashes(words: Mapping[str, int]) -> bool:
    """The text prints a dash closed up onto a capitalised word (`-The`, `–Mr.`) more often than a dash alone: the
    style of a report whose paragraphs open with one (the truths of BLN600's tune half print 507 paragraphs that
    open `-The` and 6 that open `- The`; French dialogue sets its dashes apart, `— Vous`)."""
    closed = alone = 0
    for word, n in words.items():
        if word[:1] in _DASHES:  # most tokens open with a letter
            if _CLOSED_OPENING_DASH.match(word):
                closed += n
            elif _OPENING_DASH.match(word):
                alone += n
    return closed > alone


def opening_dash(ctx: Corrector, tokens: Sequence[Token], i: int) -> Proposal | None:
    """A dash opening a line, set apart from the capitalised word after it (`- The prisoner`), in a text that closes
    such dashes up (`closes_opening_dashes`): the space is OCR's. On BLN600's tune half, of 39 such lines in texts
    that close their dashes, 28 open with the dash closed up in the truth, none with it apart, and 11 otherwise,
    most with no dash in the truth (closed up, the dash costs one character there, not two): (28 + 1) / (28 + 2),
    less in a text read better than the tuning text, as the print's own."""
    if i != 0 or len(tokens) < 2 or not ctx.text.closes_opening_dashes or not _OPENING_DASH.match(tokens[0].text):
        return None
    after = tokens[1].text
    if not after[:1].isupper():
        return None
    confidence = confidence10(logit10(ctx.params.opening_dash_confidence) + ctx.text.misread_odds)
    return Proposal(
        0, 2, tokens[0].text + after, Repair.OPENING_DASH, "space after an opening dash removed", confidence
    )


def detached_punctuation(ctx: Corrector, tokens: Sequence[Token], i: int) -> bool:
    """A comma or full stop standing apart from the word before it (`them ,`); a semicolon, colon,
    question or exclamation mark too after an English word (French sets those apart with a space),
    with the quotation mark that closes after it or not (`that ?"`: of the 15 the OCR of BLN600's tune half reads,
    13 are closed up in the truth, 2 misread besides; none of the truths of BLN600, oldbooks-dev or the French lines
    sets one apart).
    Not the first stop of a spaced ellipsis (`he said . . . and`)."""
    if i == 0 or not _DETACHED.match(tokens[i].text) or _spaced_ellipsis(tokens, i):
        return False
    mark = tokens[i].text[0]
    before = tokens[i - 1].text
    if _abbreviated(before) and mark in ",;:":
        return True  # `on the 3rd inst. , at noon`
    if not before[-1:].isalnum():
        return False
    return mark in ",." or ctx._english(split_token(before)[1])


def noise(ctx: Corrector, tokens: Sequence[Token], cores: list[tuple[str, str, str]], i: int) -> str | None:
    """Why token i is specks or marks read as text rather than a printed word, or None."""
    token, (_, core, post) = tokens[i], cores[i]
    if token.conf is not None and token.conf >= ctx.params.protect_capitalised_conf:
        return None
    if not core and not _PROSE_PUNCTUATION.match(token.text):
        return "noise: stray marks"
    numeral = i == len(tokens) - 1 and core.upper() in _STANDING_NUMERALS  # a contents row's page number
    if _STRAY_LETTER.match(core) and not post.startswith(".") and not numeral and not _elided_particle(cores, i):
        return "noise: stray letter"
    if _repeated_stop(tokens, i):
        return "noise: a stop after a stop"
    return None


def edge_marks(ctx: Corrector, cores: list[tuple[str, str, str]], i: int, unsure: bool) -> tuple[str, str]:
    """The marks before and after word i without noise characters and, when Tesseract was `unsure` of the
    reading (a sure reading keeps its marks), without specks read as apostrophes or stops."""
    pre, _, post = cores[i]
    clean_pre = "".join(c for c in pre if c not in NOISE_CHARS) if pre else pre  # most words have no marks
    clean_post = "".join(c for c in post if c not in NOISE_CHARS) if post else post
    if unsure:
        clean_pre, clean_post = _unpaired_apostrophes(ctx, cores, i, clean_pre, clean_post)
        clean_pre, clean_post = _stray_stops(ctx, cores, i, clean_pre, clean_post)
    return clean_pre, clean_post


def _unpaired_apostrophes(
    ctx: Corrector, cores: list[tuple[str, str, str]], i: int, pre: str, post: str
) -> tuple[str, str]:
    """`charged 'with`, `the' trial`: a straight apostrophe on a common English word that neither opens
    a quotation closed later on the line nor closes one opened earlier (nor is a plural's possessive),
    in a text with specks enough that it is likelier one of them than a quotation's."""
    core = cores[i][1]
    if not core or not ctx._english(core) or ctx.params.quote_speck_odds + ctx.text.misread_odds <= 0:
        return pre, post
    # only straight marks are taken for specks: curly quotes are typography
    if pre == "'" and not any(_QUOTES & set(p) for _, _, p in cores[i:]):  # `history!'` closes it too
        pre = ""
    if post == "'" and not core.endswith("s") and not any(_QUOTES & set(p) for p, _, _ in cores[: i + 1]):
        post = ""
    return pre, post


def _stray_stops(ctx: Corrector, cores: list[tuple[str, str, str]], i: int, pre: str, post: str) -> tuple[str, str]:
    """Specks read as stops on a common English word: a second stop after the first (`struggle,.`,
    `LAW.,`; not an abbreviation's, `inst.,`), a full stop before a word that goes on in lower case
    (`greatly. alarmed`, `Railway Company. was`; not `etc. and`, `Capt. and`), a full stop or hyphen
    before a word that follows another (`he -was`, `the .prisoner`), a comma, semicolon or colon after
    an article."""
    core = cores[i][1]
    if core.lower() in _ARTICLES and core != "A" and post in (",", ";", ":") and i + 1 < len(cores) and cores[i + 1][1]:
        return (
            pre,
            "",
        )  # `suffering from a, very severe`, `replied in the, negative`: no article ends a clause (`A,` may be a letter's)
    if not (core.isalpha() and ctx._english(core)):
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
    if (
        post == "."
        and long_enough
        and following[:1].islower()
        and following.isalpha()
        and core.lower() not in _ABBREVIATIONS
        and not unit_after_figure(cores, i)
    ):
        post = ""
    return pre, post


def mark_between_words(ctx: Corrector, core: str) -> tuple[str, float, tuple[str, ...]] | None:
    """Two words read right that a speck read as a mark ran together (`acquainted.with`,
    `refused,and`, `A'girl`, `Majesty'spleasure`): the space back."""
    split = _at_mark(ctx, core)
    if split is None or not (_as_read(ctx, split[0]) and _as_read(ctx, split[2])):
        return None
    first, kept, second = split
    return _side_by_side(ctx, first, kept, second, 0.9)


def speck_inside(ctx: Corrector, core: str) -> tuple[str, float, tuple[str, ...]] | None:
    """`was char-ged with`, `and h]ad paid`, `a fig-ht of`, `t+he fact`: a mark or two inside a word,
    which without them is a common English word, and not between two words (`to-day`, `by-law`) nor
    after an elided article (`l'on`, `d'un`) or an initial (`B.-In our next`). Tried after the
    reading as a misread word, which knows when the mark stands for a letter (`mou~th` is `month`)."""
    m = _MARK_INSIDE.match(core)
    if m is None or ctx.lexicon.knows(core):
        return None
    first, mark, second = m.groups()
    joined = first + second
    if _as_read(ctx, first) and _as_read(ctx, second):
        return None
    if (
        mark in _QUOTES
        and len(first) <= 2
        or len(first) == 1
        and first.isupper()
        and "." in mark
        and second[:1].isupper()
    ):
        return None
    # a two-letter word needs to be as common as `to`, `of`, `on` (`a-d` is no `ad`)
    needs = ctx.params.real_word_min_zipf if len(joined) > 2 else ctx.params.function_word_zipf
    return (joined, 0.9, ()) if ctx.lexicon.zipf(joined.lower(), "en") >= needs else None


def misread_beside_mark(
    ctx: Corrector, core: str, conf: float | None, cores: list[tuple[str, str, str]], i: int
) -> tuple[str, float, tuple[str, ...]] | None:
    """The same with a word misread on either side (`robbery'mighb`, `from'sechool`): each side
    corrected as a word of its own (after the reading as one word had its chance: `Wiiii'am`)."""
    split = _at_mark(ctx, core)
    if split is None or "-" in core:  # beside a hyphen, as often a compound's as a speck: no correcting
        return None
    first, kept, second = split
    apart = [*cores[:i], ("", first, ""), ("", second, ""), *cores[i + 1 :]]
    words, confidence = [], 0.9
    for k, part in enumerate((first, second)):
        word = _part_as_word(ctx, part, conf, apart, i + k)
        if word is None:
            return None
        words.append(word[0])
        confidence = min(confidence, word[1])
    return _side_by_side(ctx, words[0], kept, words[1], confidence)


def _side_by_side(
    ctx: Corrector, first: str, kept: str, second: str, confidence: float
) -> tuple[str, float, tuple[str, ...]] | None:
    """The two words side by side; the article only where English has it before the second (`a~out` is `about`).
    A speck between a capitalised word and one the text prints as a compound's last part (twice or more, as a
    name is its own, `Params.document_name_count`) more often than alone was its hyphen (`Oxford.street` ->
    `Oxford-street` in a report of `Bow-street` and `Fleet-street`)."""
    if first in ("a", "A") and ctx.lexicon.bigram(first, second) <= 0:
        return None
    heads = ctx.compound_heads[second.lower()]
    if (
        not kept
        and first[:1].isupper()
        and heads >= ctx.params.document_name_count
        and heads > ctx.text.readings.get(second, 0)
    ):
        return f"{first}-{second}", confidence, ()
    return f"{first}{kept} {second}", confidence, ()


def _at_mark(ctx: Corrector, core: str) -> tuple[str, str, str] | None:
    """A token that may be two words with a speck read as a mark between them: the words, and what
    to keep of the mark after the first (a comma, semicolon or colon may be the text's; an apostrophe
    before `s` and a word is a possessive's)."""
    m = None if core.isalpha() else _INNER_MARK.match(core)  # letters alone (most words) hold no mark
    if m is None or ctx.lexicon.knows(core):
        return None
    first, mark, second = m.groups()
    if ctx.lexicon.zipf(first + second, "en") >= ctx.params.real_word_min_zipf:  # `with~out`, `to-day`
        return None
    if "-" in mark:
        return (first, "", second) if mark == "-" and _speck_hyphen(ctx, first, second) else None
    if len(first) == 1 and not letter_word(first):
        return None  # `o'clock`, `l'homme`
    if mark == "." and first.lower() in _ABBREVIATIONS:
        return None  # `St.Paul`
    if mark in _QUOTES and any(
        ctx.lexicon.knows(first[:k]) and ctx.lexicon.zipf(first[k:] + mark + second, "en") >= ctx.params.protect_zipf
        for k in range(1, len(first))
    ):
        return None  # `threeO'clock`: a word run into a word with an apostrophe
    if mark in _QUOTES and second[0] == "s" and not _as_read(ctx, second) and _as_read(ctx, second[1:]):
        return first, mark + "s", second[1:]
    return first, "".join(c for c in mark if c in ",;:"), second


def _as_read(ctx: Corrector, word: str) -> bool:
    return ctx._english(word) and (len(word) > 1 or letter_word(word))


def _part_as_word(
    ctx: Corrector, part: str, conf: float | None, cores: list[tuple[str, str, str]], i: int
) -> tuple[str, float] | None:
    """One side of a token split at a mark, as an English word: as read, or corrected when it is
    long enough to carry evidence (two letters read wrong may be any word)."""
    if _as_read(ctx, part):
        return part, 0.9
    best = unknown.best_word(ctx, part, conf, cores, i) if len(part) >= 3 else None
    if best is None or " " in best[0] or len(best[0]) < 3 or not ctx._english(best[0]):
        return None
    return best[0], best[1]


def _speck_hyphen(ctx: Corrector, first: str, second: str) -> bool:
    """`with the-watch of`, `his-home`: a hyphen between two English words is a speck only after a
    word as common as an article or a preposition, which no compound starts with unless the two
    make a common word solid too (`to-day`, `to-morrow`) or it begins compounds (`by-product`, `so-called`); after
    any other word it may be a compound's or a dash's (`well-known`, `darkness-the boat`)."""
    if (
        not (ctx._english(first) and ctx._english(second))
        or not second.islower()
        or second in _SUSPENDED_HYPHEN_FOLLOWERS
    ):
        return False
    return ctx.lexicon.zipf(first, "en") >= ctx.params.function_word_zipf and first.lower() not in _COMPOUND_FIRST_WORDS


def _elided_particle(cores: list[tuple[str, str, str]], i: int) -> bool:
    """`Puerta d’ Anchusi`, `l’ Orient`: a letter with an apostrophe before a capitalised word is a name's elided
    particle, printed apart. (BLN600's OCR reads one stray letter so, `f' T`, in 600 articles; oldbooks-dev prints
    `d’ Anchusi` and `d’ Arriola` 14 times.)"""
    _, core, post = cores[i]
    return (
        core.islower()
        and post in ("'", "’")
        and i + 1 < len(cores)
        and not cores[i + 1][0]
        and cores[i + 1][1][:1].isupper()
        and cores[i + 1][1][1:2].islower()
    )


UNIT_LETTERS = 3
"""The longest abbreviation of a measure taken as one after a figure (`in`, `ft`, `yd`, `lb`, `oz`, `cwt`)."""


def unit_after_figure(cores: list[tuple[str, str, str]], i: int) -> bool:
    """`3 in. long`, `¼ in. to ½ in.`, `2 ft. high`: a short lower-case word with its stop after a figure is the
    abbreviation of a measure, whose stop a lower-case word may follow. (In BLN600's 600 articles of OCR two figures
    are followed so, each by one letter, `6 i. t`; oldbooks-dev's book of woodwork prints `in.` after one 56 times.)"""
    _, core, post = cores[i]
    return (
        i > 0
        and post == "."
        and 0 < len(core) <= UNIT_LETTERS
        and core.isalpha()
        and core.islower()
        and not cores[i - 1][2]
        and _NUMBERISH.match(cores[i - 1][1]) is not None
    )


def _repeated_stop(tokens: Sequence[Token], i: int) -> bool:
    """`severely punished. . On the`, `to me. : D) not`, a line opening `. He`: a full stop, comma, colon or
    semicolon (three at most) standing alone where a stop has already ended the words before, or
    nothing stands before it, is a speck. A spaced ellipsis (`. . .`) is printing, not specks."""
    if not _STOPS_ALONE.match(tokens[i].text) or i > 0 and tokens[i - 1].text[-1:] not in ".,;:!?":
        return False
    return not _spaced_ellipsis(tokens, i)


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
