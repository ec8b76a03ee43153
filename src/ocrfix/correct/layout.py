"""Layout repair: running heads and folios, noise, and hyphenation across lines and pages.

Nothing here matches particular strings. Running heads are lines that repeat near the top or
bottom of nearby pages; folios are lone numbers there; noise is what is set apart from the text
block and reads as nothing the lexicons know, with low confidence (stamps, captions, specks,
show-through). A line-end hyphen is one scored decision on all the evidence (`hyphenation`): the
volume's own printing, the lexicons, the language's hyphenation patterns, capitals.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import pyphen
import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..footnotes import notes
from ..lexicon import Lexicon, fold
from ..model import Change, Line, Page, Word
from ..tokens import HYPHENS, ends_broken, split_token
from .words import Proposal

HEAD_ZONE = 0.12
"""Running heads and folios sit in the top or bottom 12% of the page."""
HEAD_SIMILARITY = 80.0
HEAD_REACH = 3
"""A running head repeats within this many pages (verso and recto heads alternate)."""
JOINED_ZIPF = 3.0
"""A join this common is a word broken at the line end even when both halves are words too (`in-deed`)."""
PRIOR = 0.5
"""Most line-end hyphens break a word (89 of the 93 labelled in oldbooks-dev's tune half): with no other
evidence, or evidence that cancels out, the hyphen goes."""
PRINTED = 4.0
"""The volume's own printing of the word elsewhere outweighs the lexicons', the patterns' and the prior together."""
LEXICON = 2.0
"""The lexicons' word on the join (a word, a compound of theirs, two words whose join is none) outweighs
the patterns'."""
RARE = 1.0
"""A join wordfreq knows only rarely: often a name or a word of the period, as often web debris."""
HALF = 1.0
"""A half that is no word of its own is no half of a compound (`Bog-` `dan`, `Opposition-` `ists`)."""
CAPITALISED = 3.0
"""A word broken at a line end goes on in lower case: a capital after the hyphen (`Serge-` `Trotsky`, `anti-`
`Semitic`) is a compound's unless the whole word is in capitals."""
PATTERN = 1.0
"""The patterns (British English's for English, as SCOWL's list is) break most words where printers did (84
of 89 joins of oldbooks-dev's tune half) and most compounds at their own hyphen too (23 of 25 in its clean
text): weak evidence either way."""
PATTERNS = {"en": ("en_GB",), "fr": ("fr",), "es": ("es",)}
"""pyphen's patterns for each language of the lexicons."""
NOISE_UNKNOWN = 0.5
NOISE_CONF = 70.0

_FOLIO = regex.compile(r"^[\[(]?(\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})[\])]?\.?$")
_SENTENCE_END = regex.compile(r"[.!?:;\"”’)»]$")


def without_halves(proposals: Iterable[Proposal], words: Sequence[str], broken_before: bool) -> list[Proposal]:
    """The proposals for a line that leave alone the halves of a word broken at a line end: its first
    word after a line that ends broken, its last when that ends broken itself (`Representa-` / `tion`).
    Each half alone is no word; the volume pass joins them, or, in plain text, they stay as read."""
    halves = ({0} if broken_before else set()) | ({len(words) - 1} if words and ends_broken(words[-1]) else set())
    return [p for p in proposals if not halves & set(range(p.start, p.end))]


def body_lines(page: Page) -> list[Line]:
    return [line for line in page.lines if line.role == "body"]


# -- running heads and folios ------------------------------------------------------------


def _head_key(line: Line) -> str:
    """A line's text without numbers and punctuation, folded: what repeats from page to page."""
    return " ".join(regex.sub(r"[^\p{L} ]+", " ", fold(line.text)).split())


def _edge_lines(page: Page) -> list[Line]:
    """The first and last line of the page when they sit in the head or foot zone."""
    if not page.lines:
        return []
    by_top = sorted(page.lines, key=lambda line: line.box[1])
    edges = []
    top, bottom = by_top[0], by_top[-1]
    if top.box[3] <= page.height * HEAD_ZONE:
        edges.append(top)
    if bottom is not top and bottom.box[1] >= page.height * (1 - HEAD_ZONE):
        edges.append(bottom)
    return edges


def mark_running_heads(pages: list[Page]) -> None:
    """Mark folios (a lone page number at the top or foot) and running heads (repeated across nearby pages)."""
    for page in pages:  # decided afresh for the whole volume, so a rerun with more pages agrees with itself
        for line in page.lines:
            if line.role in ("head", "folio"):
                line.role = "body"
    edges = [_edge_lines(page) for page in pages]
    for i, lines in enumerate(edges):
        for line in lines:
            if _FOLIO.match(line.text.strip()):
                line.role = "folio"
                continue
            nearby = [
                (abs(j - i), other)
                for j in range(max(0, i - HEAD_REACH), min(len(pages), i + HEAD_REACH + 1))
                if j != i
                for other in edges[j]
            ]
            key = _head_key(line)
            repeated = len(key) >= 4 and any(
                fuzz.ratio(key, _head_key(other)) >= HEAD_SIMILARITY for _, other in nearby
            )
            number = _page_number(line)
            in_sequence = number is not None and any(
                _page_number(other) in (number - d, number + d) for d, other in nearby
            )
            if repeated or in_sequence:
                line.role = "head"


HEAD_MAJORITY = 2.0
"""A running head's word is mended to the volume's reading of it when that reading is at least this many times
as frequent as the word's own among the printings of the head: the head is set from the same type on every page,
so the reading most pages agree on is the print. On oldbooks-dev's tune half, the 10 words of heads mended so
(`CRINOLINE,` for the `CRINOLINE.` of 18 of its 24 pages, `Tutroduction`, `Lreface` in the preface's head) were all
misreadings, and so were the report half's 2 (`Generation—`, `Jfoseph`); a word read two ways about equally often
is left as read."""


def mend_running_heads(pages: list[Page], lexicon: Lexicon) -> None:
    """Each word of a running head read otherwise than on most of the volume's pages that print the same head
    (its words but the folio alike within `HEAD_SIMILARITY`, as many of them) becomes the word most pages read
    there: a glyph or a stop misread on one page (`THE CORSET AND THE CRINOLINE,`). A change the pass made before
    is undone first, so that a rerun over more pages decides afresh."""
    heads = [line for page in pages for line in page.lines if line.role == "head"]
    for line in (line for page in pages for line in page.lines):
        for w in line.words:
            if any(c.reason.startswith(HEAD_REASON) for c in w.changes):
                w.changes = [c for c in w.changes if not c.reason.startswith(HEAD_REASON)]
                w.final = next((c.final for c in reversed(w.changes) if c.applied), w.raw)
    words = {id(line): _head_words(line) for line in heads}
    keys = {id(line): " ".join(split_token(w.final)[1] for w in words[id(line)]) for line in heads}
    readings: dict[int, list[str]] = {id(line): [w.final for w in words[id(line)]] for line in heads}
    for line in heads:
        own = words[id(line)]
        alike = [
            readings[id(other)]
            for other in heads
            if len(words[id(other)]) == len(own) and fuzz.ratio(keys[id(line)], keys[id(other)]) >= HEAD_SIMILARITY
        ]
        for k, word in enumerate(own):
            votes = Counter(reading[k] for reading in alike)
            (best, n), mine = votes.most_common(1)[0], votes[readings[id(line)][k]]
            if best != word.final and n >= HEAD_MAJORITY * mine and _misread(word.final, best, lexicon):
                word.changes.append(
                    Change(word.final, best, f"{HEAD_REASON} {n} of {len(alike)} pages", n / len(alike))
                )
                word.final = best


HEAD_REASON = "running head: read so on"
"""How a running head's word mended from the other pages' readings (`mend_running_heads`) is recorded."""


def _misread(read: str, printed: str, lexicon: Lexicon) -> bool:
    """`read` may be a misreading of `printed`: word for word (the runs of letters between marks), the same word, or
    a word of the lexicons at most one glyph in five away from an unknown reading (`Preface.—Tutroduction.`). Not
    two words (`Third` and `Sixth`, `CANE` and `HAND` in the heads of successive chapters), nor a known word for an
    unknown one (this print's `J` is read `F` more often than not: `Foseph`)."""
    was, now = _LETTERS.findall(read), _LETTERS.findall(printed)
    return len(was) == len(now) and all(
        a == b or lexicon.knows(b) and not lexicon.knows(a) and Levenshtein.normalized_distance(a, b) <= HEAD_MISREAD
        for a, b in zip(was, now, strict=True)
    )


_LETTERS = regex.compile(r"\p{L}+")
HEAD_MISREAD = 0.2
"""The most a running head's word may differ from the volume's reading of it, as a share of its glyphs, to be taken
for a misreading of it (two in `Tutroduction`)."""


def _head_words(line: Line) -> list[Word]:
    """A head's words but its folio (a page number at either end)."""
    words = [w for w in line.words if w.final]
    if words and _FOLIO.match(words[-1].final):
        words = words[:-1]
    if words and _FOLIO.match(words[0].final):
        words = words[1:]
    return words


def _page_number(line: Line) -> int | None:
    """The number at either end of a line, as a running head carries its folio."""
    words = line.text.split()
    for word in (words[0], words[-1]) if words else ():
        if word.isdigit() and len(word) <= 4:
            return int(word)
    return None


# -- noise ---------------------------------------------------------------------------------


def _unknown_share(line: Line, lexicon: Lexicon) -> float:
    """The share of the line's words that are no evidence of text: unknown to every lexicon, or short
    and read with almost no confidence (marks read as `u`, `e`, `Ere` are words only by accident; a
    longer word is not, even poorly read)."""
    words = [w for w in line.words if w.final]
    if not words:
        return 1.0
    unknown = 0
    for w in words:
        core = split_token(w.final)[1]
        known = core and (lexicon.knows(core) or core.isdigit())
        unknown += not known or (len(core) <= 3 and w.conf < NOISE_CONF / 2)
    return unknown / len(words)


def _column(lines: list[Line]) -> tuple[float, float, float]:
    """Left and right edge of the text block (where most lines start and where the full lines end)
    and the median line height."""
    lefts = sorted(line.box[0] for line in lines)
    rights = sorted(line.box[2] for line in lines)
    return (
        lefts[len(lefts) // 10],
        rights[(len(rights) * 9) // 10],
        statistics.median(line.box[3] - line.box[1] for line in lines),
    )


def mark_noise(page: Page, lexicon: Lexicon) -> None:
    """Lines that are mostly unknown, read with low confidence and set apart from the text block
    become noise, and so do such lines in a block (Tesseract's) that already holds noise: a stamp
    is read as a block of its own, of which one line may look less odd than the other. Words of
    body lines lying beyond the block's right edge are removed as noise."""
    lines = body_lines(page)
    if len(lines) < 3:
        return
    left, right, height = _column(lines)
    tops = sorted(line.box[1] for line in lines)
    pitch = statistics.median(b - a for a, b in zip(tops, tops[1:], strict=False)) if len(tops) > 1 else height * 2
    doubtful = []
    for line in lines:
        conf = statistics.mean(w.conf for w in line.words)
        unknown = _unknown_share(line, lexicon)
        x0, y0, x1, y1 = line.box
        outside = x1 < left + height or x0 > right - height or x0 < left - 2 * height or x1 > right + 2 * height
        others = [abs(o.box[1] - y0) for o in lines if o is not line]
        isolated = min(others, default=0) > 1.8 * pitch
        odd_size = not 0.5 * height <= (y1 - y0) <= 1.8 * height
        if unknown >= NOISE_UNKNOWN and conf < NOISE_CONF and (outside or isolated or odd_size):
            line.role = "noise"
        elif unknown == 1.0 and conf < NOISE_CONF / 2:
            line.role = "noise"
        elif unknown >= NOISE_UNKNOWN and conf < NOISE_CONF:
            doubtful.append(line)
    noisy_blocks = {line.block for line in page.lines if line.role == "noise"}
    for line in doubtful:
        if line.block in noisy_blocks:
            line.role = "noise"
    for line in body_lines(page):
        _drop_overhang(line, left, right, height, lexicon)


def _nowhere(word: Word) -> bool:
    """No word of a line that does not reach past the block on this side is beyond it."""
    return False


def _drop_overhang(line: Line, left: float, right: float, height: float, lexicon: Lexicon) -> None:
    """A line reaching past the text block (a stamp or a mark in the margin joined to it) loses its
    overhanging end: the poorly read words no lexicon knows, from the edge inwards while they last."""
    for words, beyond in (
        (line.words[::-1], lambda w: w.box[0] > right or w.box[2] > right + height)
        if line.box[2] > right + height
        else ([], _nowhere),
        (line.words, lambda w: w.box[2] < left or w.box[0] < left - height)
        if line.box[0] < left - height
        else ([], _nowhere),
    ):
        for w in words:
            core = split_token(w.final)[1]
            if w.conf >= NOISE_CONF or (core and lexicon.knows(core)):
                break
            if w.final:
                reason = "noise: beyond the text block" if beyond(w) else "noise: poorly read next to the margin"
                w.changes.append(Change(w.final, "", reason, round(1 - w.conf / 100, 3), True))
                w.final = ""


# -- hyphenation and page breaks -----------------------------------------------------------


@dataclass(frozen=True)
class Hyphenation:
    """A line-end hyphen decided: "join" (a word broken at the line end: drop the hyphen) or "keep" (a
    real hyphen), from the sum of the evidence's weights, each item recorded with its weight."""

    verdict: str
    score: float
    evidence: tuple[tuple[str, float], ...]

    @property
    def reason(self) -> str:
        said = "; ".join(f"{what} ({weight:+g})" for what, weight in self.evidence)
        return f"hyphenation {'joined' if self.verdict == 'join' else 'kept'}: {said}"


def printed_words(texts: Iterable[str]) -> Counter[str]:
    """The words a volume prints, lower case: each word, and a compound printed inside a line both whole
    (with `-` for any hyphen) and by its parts. A word's halves at a line end count as two words, never
    as the word: what is counted is the volume's evidence from elsewhere."""
    counts: Counter[str] = Counter()
    for text in texts:
        for token in text.split():
            core = split_token(token)[1].lower()
            parts = [part for part in regex.split(f"[{HYPHENS}]", core) if part]
            counts.update(parts)
            if len(parts) > 1:
                counts["-".join(parts)] += 1
    return counts


def prepare(lexicon: Lexicon) -> None:
    """Load the hyphenation patterns of the lexicon's languages now (0.17 s of CPU for English, French and
    Spanish), ahead of the volume pass, which a run's last page waits for with a core to spare."""
    for language in {"en", *lexicon.frequencies}.intersection(PATTERNS):
        _patterns(language)


@cache
def _patterns(language: str) -> tuple[pyphen.Pyphen, ...]:
    return tuple(pyphen.Pyphen(lang=name) for name in PATTERNS[language])


def _patterns_break(first: str, second: str, lexicon: Lexicon) -> bool:
    """Whether the hyphenation patterns of the joined word's language (English for a word no lexicon
    holds) break it where the line broke it."""
    joined = first + second
    languages = lexicon.languages_of(joined) or ("en",)
    return any(len(first) in dic.positions(joined) for lg in languages if lg in PATTERNS for dic in _patterns(lg))


def _word(half: str, lexicon: Lexicon) -> bool:
    """A half that is a word of its own, as a compound's halves are: in SCOWL's English list (wordfreq's
    lists hold names and web debris as words: `dan`, `ists`, `ically`)."""
    return lexicon.english_word(half.lower())


def hyphenation(left: str, right: str, lexicon: Lexicon, printed: Mapping[str, int] | None = None) -> Hyphenation:
    """Whether the hyphen ending `left` (a line's last word) breaks one word with `right` (the next
    line's first) or is a real hyphen, weighing all the evidence: how the volume prints the word
    elsewhere (`printed`, from `printed_words`), whether the join is a word of the lexicons, whether the
    language's patterns break the word there, a second half in capitals (`Serge-` `Trotsky`), a compound
    the lexicons know or of two common words whose join is none (`so-called`). A word no lexicon holds
    (`Bog-` `dan`) is joined on the patterns' word: the printer's hyphen is no evidence of a compound."""
    first = split_token(left)[1].rstrip(HYPHENS)
    second = split_token(right)[1]
    if not any(ch.isalpha() for ch in first) or not any(ch.isalpha() for ch in second):
        return Hyphenation("keep", 0.0, (("no word on both sides", 0.0),))
    joined, hyphenated = first + second, f"{first}-{second}".lower()
    evidence: list[tuple[str, float]] = [("most line-end hyphens break a word", PRIOR)]
    solid, compound = (printed or {}).get(joined.lower(), 0), (printed or {}).get(hyphenated, 0)
    if solid != compound:
        evidence.append(
            (
                f"the volume prints {joined.lower() if solid > compound else hyphenated} elsewhere",
                PRINTED if solid > compound else -PRINTED,
            )
        )
    if second[:1].isupper() and not (first.isupper() and second.isupper()):
        evidence.append(("the second half is capitalised", -CAPITALISED))
    if lexicon.knows(hyphenated) or lexicon.knows(f"{first}-{second}"):
        evidence.append(("a compound of the lexicons", -LEXICON))
    last = regex.split(f"[{HYPHENS}]", first)[-1]  # the part the line broke after (`father-in-` `law`)
    if last != first:
        evidence.append(("the first half is a compound already", -LEXICON))
    both_words = _word(last, lexicon) and _word(second, lexicon)
    if lexicon.zipf(joined) >= JOINED_ZIPF or lexicon.english_word(joined.lower()):
        evidence.append(("the join is a word", LEXICON))
    elif both_words:  # wordfreq's `twentynine` is web debris
        evidence.append(("two words whose join is none", -LEXICON))
    elif lexicon.knows(joined):
        evidence.append(("the join is a rare word", RARE))
    if not both_words:
        evidence.append(("a half is no word of its own", HALF))
    breaks = _patterns_break(first, second, lexicon)
    said = "break" if breaks else "do not break"
    evidence.append((f"the patterns {said} the word there", PATTERN if breaks else -PATTERN))
    score = sum(weight for _, weight in evidence)
    return Hyphenation("join" if score > 0 else "keep", score, tuple(evidence))


def hyphen_decision(left: str, right: str, lexicon: Lexicon, printed: Mapping[str, int] | None = None) -> str:
    """`hyphenation`'s verdict alone: "join" or "keep"."""
    return hyphenation(left, right, lexicon, printed).verdict


def mark_hyphenation(pages: list[Page], lexicon: Lexicon) -> None:
    """Decide every line-end hyphen of the body text, the last line of a page joining the next page's
    first, and of each footnote within itself, with the words the volume's body prints as evidence."""
    body = [line for page in pages for line in body_lines(page) if line.text]
    printed = printed_words(line.text for line in body)
    for line in (line for page in pages for line in page.lines):
        line.hyphen = ""
    runs = [body, *(note for page in pages for note in notes(page))]
    for line, following in ((a, b) for run in runs for a, b in zip(run, run[1:], strict=False)):
        last = line.text.split()[-1]
        if ends_broken(last):
            line.hyphen = hyphen_decision(last, following.text.split()[0], lexicon, printed)


def mark_page_continuations(pages: list[Page]) -> None:
    """A page continues the previous page's last paragraph unless its first line is indented
    after a sentence end: a broken word or an unfinished sentence always continues."""
    previous: Line | None = None
    for page in pages:
        lines = body_lines(page)
        page.continues = False
        if previous is not None and lines:
            left, _, height = _column(lines)
            indented = lines[0].box[0] > left + 0.8 * height
            page.continues = bool(previous.hyphen) or not _SENTENCE_END.search(previous.text) or not indented
        if lines:
            previous = lines[-1]
