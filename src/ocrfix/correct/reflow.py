"""The reading text of a volume's OCR text (`ocrfix correct --reflow`).

A first OCR pass of a book is text with the page's furniture still in it: running heads and folios
between the pages, a stamp's fragments, words broken at line ends and page breaks, paragraphs cut in
two where a page ended (pages joined by a blank line, a form feed, a `---` or a page-number line).
This module finds that structure in the text alone, the way `layout.py` finds it from boxes, and
returns the paragraphs with every removal and join as a `StructureChange` with its reason:

- running heads and folios: short lines standing alone whose page numbers run in sequence down the
  volume at no more than a page's distance, and lines repeating such a line's words with a misread
  number; lines standing alone with the same words recurring a page or two apart; lone numbers;
- stamp, caption and cover fragments: short capitalised lines standing apart from prose whose
  words are mostly no words of the volume, of SCOWL's English list, or of the dictionaries;
- hyphenation: a line-end or page-break hyphen is joined or kept on all the evidence, weighed in one
  score (`layout.hyphenation`: the volume's own printing, the lexicons, the language's hyphenation
  patterns, capitals), its reason the evidence;
- page breaks: a paragraph goes on across a blank line when the next line opens in lower case, or
  the text breaks off unfinished (no sentence end) at a page break found above.

Markdown stays Markdown: headings, rules, lists, tables and HTML lines pass through as blocks of their
own, a hard line break (two trailing spaces) is kept. Nothing here matches particular strings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import Enum

import regex
from rapidfuzz import fuzz

from ..lexicon import Lexicon, fold
from ..tokens import ROMAN, ends_broken, letter_word, split_token
from .layout import hyphenation, printed_words

PAGE_LINES_MAX = 120
"""No page of text is longer (lines, blank lines included): 1.5 times the longest page of plain
Tesseract text in oldbooks-dev (78 lines). Page numbers further apart than this per page are no folios
(chapter numbers: `CHAPTER I` ... `CHAPTER II` eight pages on)."""
FOLIO_STEP_MAX = 4
"""Folios of consecutive pages differ by at most this: plates without folios between (oldbooks-dev's
e050 `42` is followed by e051 `45`)."""
HEAD_WORDS_MAX = 10
HEAD_CHARS_MAX = 70
"""A running head is short: the longest in oldbooks-dev's ground truth has 7 words, 48 characters."""
HEAD_SIMILARITY = 85.0
"""Two heads' words (folded, numbers left out) this similar are the same head misread."""
HEAD_SAME = 95.0
"""With no page number to go by, a head's recurrences differ by a misread letter at most (a section
title differs by a name: `Second Generation.—Joseph I.`, `Second Generation.—Joshua I.`, 87)."""
HEAD_REPEATS = 3
"""Lines standing alone with no page number are running heads when their words recur this often,
each within two pages of the last (two could be a chapter title and the head of the next page)."""
FRAGMENT_WORDS_MAX = 5
FRAGMENT_NO_WORDS = 0.5
"""A run of capitalised short lines is a stamp's or a caption's fragments when at least this share of
its words are no words (the seed's stamp: 7 of 10; its title page and headings: none)."""
FRAGMENT_NO_WORDS_MIN = 2
"""One capitalised word no lexicon knows, alone, is as likely an acronym (the seed's `CIP`) as a fragment."""

_FOLIO_TOKEN = regex.compile(r"^[\[(]?(\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})[\])]?$")
"""A page number: with a stop after it, a number opens a list's item (`1. Barnabas.`) or ends a name (`Joseph I.`)."""
_MISREAD_FOLIO = regex.compile(r"^[\[(]?[\divxlcdmIVXLCDMlI|$S]{1,5}[\])]?$")
"""A folio as OCR may misread it (`v1`, `I4`, `$2`)."""
_LONE_NUMBER = regex.compile(r"^\s*[-–—=\[(<]*\s*(?:page\s+)?\d{1,4}\s*[-–—=\])>]*\s*$", regex.I)
"""A page-number line: `12`, `[12]`, `— 12 —`, `Page 12`."""
_SIGNATURE = regex.compile(r"^\s*(?:\p{Lu}{1,2}\s?\d{1,2}\*?|\p{Lu}{0,2}\s?\d{0,2}\*)\s*$")
"""A printer's signature mark at a gathering's first page: `B 2`, `C3`, `1*`, `B*`."""
_OPENS_LOWER = regex.compile(r"^[\p{Pi}\p{Ps}\"'*_]*\p{Ll}")
_UNFINISHED = regex.compile(r"[\p{L},;]$")
"""Prose that stops on a word or a comma has not ended its sentence."""
_ENUMERATOR = regex.compile(r"^\s*(\d{1,3})\.\s+\S")
_ITEM_END = regex.compile(r"[.:;][\p{Pf}\p{Pe}\"']*\s*$")
_HEADING = regex.compile(r"^\s{0,3}#{1,6}(\s|$)")
_RULE = regex.compile(r"^\s{0,3}([-*_=])(\s*\1){2,}\s*$")
LIST_MARK = regex.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")
"""A Markdown list item's mark: markup, not a speck."""
_LIST = regex.compile(LIST_MARK.pattern + r"(?=\S)")
_HTML = regex.compile(r"^\s*<[^>]+>.*>\s*$|^\s*<[^>]+>\s*$")
_TABLE = regex.compile(r"\t|^\s*\|")
_MARKUP = regex.compile(r"<[^>]*>|[*_#`>|]")


class Kind(Enum):
    PROSE = "prose"
    HEADING = "heading"
    LIST = "list"
    TABLE = "table"
    HTML = "html"
    RULE = "rule"


@dataclass(frozen=True)
class SourceLine:
    number: int
    """1-based line number in the input."""
    text: str


@dataclass
class Block:
    """Lines of the input between blank lines, of one kind (a Markdown heading, list item, rule or HTML
    line is a block of its own; table rows go together)."""

    kind: Kind
    lines: list[SourceLine]
    page_break_before: bool = False
    """A form feed stood before it."""


@dataclass(frozen=True)
class StructureChange:
    """A line removed or two lines joined, with its reason: the report's row."""

    line: int
    raw: str
    final: str
    reason: str
    confidence: float


@dataclass
class Paragraph:
    """A block of the reading text: its kind and its lines as read (a prose paragraph's lines are
    joined by `render`; other kinds keep theirs)."""

    kind: Kind
    lines: list[SourceLine]
    joins: list[str] = field(default_factory=list)
    """How each line joins the next: " " (a space), "" (a hyphen dropped or kept solid), "\\n" (a hard break)."""

    def render(self) -> tuple[str, list[tuple[int, int]]]:
        """The paragraph's text and where each of its lines starts in it: (offset, input line number)."""
        if self.kind is not Kind.PROSE:
            text, starts = "", []
            for line in self.lines:
                starts.append((len(text) + 1 if text else 0, line.number))
                text = f"{text}\n{line.text}" if text else line.text
            return text, starts
        text, starts = self.lines[0].text.strip(), [(0, self.lines[0].number)]
        for line, join in zip(self.lines[1:], self.joins, strict=True):
            text += "  \n" if join == "\n" else join
            starts.append((len(text), line.number))
            text += line.text.strip()
        return text, starts


# -- reading the blocks ------------------------------------------------------------------------


def _kind(text: str, markdown: bool) -> Kind:
    if _TABLE.search(text):
        return Kind.TABLE
    if _RULE.match(text):
        return Kind.RULE
    if not markdown:
        return Kind.PROSE
    if _HEADING.match(text):
        return Kind.HEADING
    if _LIST.match(text):
        return Kind.LIST
    if _HTML.match(text):
        return Kind.HTML
    return Kind.PROSE


def read_blocks(text: str, markdown: bool, marks: list[SourceLine] | None = None) -> list[Block]:
    """The input's blocks in order; a form feed (a page's end in Tesseract's text) is a page break.
    Lines of marks only (no letter, no digit, no Markdown rule) are left out, into `marks`."""
    marks = [] if marks is None else marks
    blocks: list[Block] = []
    current: Block | None = None
    page_break = False
    for number, raw in enumerate(text.split("\n"), start=1):
        pieces = raw.removesuffix("\r").split("\f")  # CRLF line ends too
        for k, piece in enumerate(pieces):
            if k:
                page_break, current = True, None
            if not piece.strip():
                if k == 0:
                    current = None
                continue
            kind = _kind(piece, markdown)
            line = SourceLine(number, piece if markdown else piece.rstrip())  # a hard break is Markdown's
            if kind is Kind.PROSE and not any(ch.isalnum() for ch in piece):
                marks.append(line)  # a speck or a rule's remnant read as a line of marks (`'`, `|`, `~`)
                continue
            groups = kind in (Kind.PROSE, Kind.TABLE)
            lazy = current is not None and current.kind is Kind.LIST and kind is Kind.PROSE  # a list item's next line
            if current is not None and (groups and current.kind is kind or lazy):
                current.lines.append(line)
            else:
                current = Block(kind, [line], page_break)
                blocks.append(current)
                page_break = False
            if not groups and kind is not Kind.LIST:
                current = None
    if not markdown:
        blocks = [item for block in blocks for item in _split_list(block)]
    return [part for block in blocks for part in _split_furniture(block)]


def _split_list(block: Block) -> list[Block]:
    """The items of a numbered list that Tesseract read as one paragraph (`4. Nicholas.` / `5. Catherine.`):
    lines opening with numbers in sequence, each after a line that ends a sentence, are items of their own."""
    starts = [
        (k, int(m.group(1)))
        for k, line in enumerate(block.lines)
        if (m := _ENUMERATOR.match(line.text)) and (k == 0 or _ITEM_END.search(block.lines[k - 1].text))
    ]
    in_sequence = {k for (a, n), (b, m) in zip(starts, starts[1:], strict=False) if m == n + 1 for k in (a, b)}
    cuts = sorted(in_sequence - {0})
    if block.kind is not Kind.PROSE or not cuts:
        return [block]
    bounds = [0, *cuts, len(block.lines)]
    parts = [Block(Kind.PROSE, block.lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    parts[0].page_break_before = block.page_break_before
    return parts


def _split_furniture(block: Block) -> list[Block]:
    """A prose block as Tesseract may read it, with a page's furniture run into it: its first line a
    short title-like line with a page number at an end (`22 Sixth Generation. Joseph I.` over the
    page's first paragraph), its last a page number standing alone. Those lines become blocks of
    their own, for the tests of heads and folios."""
    if block.kind is not Kind.PROSE or len(block.lines) < 2:
        return [block]
    lines = list(block.lines)
    head = (
        [lines.pop(0)]
        if _numberish_end(lines[0].text) and _title_like(lines[0].text) and len(lines[0].text.strip()) <= HEAD_CHARS_MAX
        else []
    )
    foot = [lines.pop()] if lines and len(lines) > 1 and _LONE_NUMBER.match(lines[-1].text) else []
    parts = [Block(Kind.PROSE, part) for part in (head, lines, foot) if part]
    parts[0].page_break_before = block.page_break_before
    return parts


def is_markdown(text: str, name: str = "") -> bool:
    """Markdown by its name, or by its own headings and emphasis (two Markdown headings or more)."""
    if name.lower().endswith((".md", ".markdown")):
        return True
    return sum(1 for line in text.split("\n") if _HEADING.match(line) and line.strip("# ")) >= 2


# -- words as evidence -------------------------------------------------------------------------


def _letters(text: str) -> str:
    return "".join(ch for ch in _MARKUP.sub(" ", text) if ch.isalpha())


def _words(text: str) -> list[str]:
    """The words of a line, markup and punctuation left out."""
    return [core for token in _MARKUP.sub(" ", text).split() if (core := split_token(token)[1])]


@dataclass(frozen=True)
class Volume:
    """The volume's own words: what its prose prints is a word of the volume."""

    lexicon: Lexicon
    printed: Counter[str]
    """Lower-case words of the volume's prose (lines with lower-case letters), hyphenated compounds whole."""

    @classmethod
    def of(cls, blocks: Sequence[Block], lexicon: Lexicon) -> Volume:
        prose = (
            _MARKUP.sub(" ", line.text)
            for block in blocks
            for line in block.lines
            if any(ch.islower() for ch in line.text)
        )
        return cls(lexicon, printed_words(prose))

    def is_word(self, token: str) -> bool | None:
        """Whether a token as read is a word (printed at least twice in the volume's prose, so
        elsewhere than here; in SCOWL's English list; in a dictionary; a number), is none (a mixture
        of cases, anything else), or may be either (None): a letter alone (an initial as often as a
        speck), marks alone (ditto marks, a dash), a capitalised word of four letters or more (a name
        no dictionary holds), digits among more letters. A number with its unit is a word (`22cm.`)."""
        core = split_token(token)[1]
        if not core:
            return None
        digits = sum(ch.isdigit() for ch in core)
        if digits:  # a number, with its unit (`275p.`, `22cm.`) or misread (`16g90`)
            return True if digits >= sum(ch.isalpha() for ch in core) else None
        if len(core) == 1:
            return True if letter_word(core) else None
        lower = core.lower()
        if len(core) >= 4 and core[:1].isupper() and core[1:].islower() and not self.lexicon.english_word(lower):
            return None  # a name no dictionary holds
        cased = core.islower() or core.isupper() or core[:1].isupper() and core[1:].islower()
        return cased and (self.printed[lower] >= 2 or self.lexicon.english_word(lower) or self.lexicon.is_name(core))

    def no_word(self, word: str) -> bool:
        """A word that is no word of this volume: not printed in its prose, not in SCOWL's English list,
        not in a dictionary (wordfreq's lists hold web debris such as `immi`: they are no evidence here)."""
        lower = word.lower()
        if len(_letters(word)) < 3 or any(ch.isdigit() for ch in word):
            return False
        return not (
            self.printed[lower]
            or self.lexicon.english_word(lower)
            or self.lexicon.is_name(word)
            or self.lexicon.is_name(word.capitalize())
        )


# -- running heads and folios ------------------------------------------------------------------


def _head_key(text: str) -> str:
    """A head's words without its page number, folded: what repeats from page to page."""
    words = _MARKUP.sub(" ", fold(text)).split()
    while words and _MISREAD_FOLIO.match(words[0].rstrip(".,")):
        words.pop(0)
    while words and _MISREAD_FOLIO.match(words[-1].rstrip(".,")):
        words.pop()
    return " ".join(regex.sub(r"[^\p{L} ]+", " ", " ".join(words)).split())


def _folio(text: str) -> tuple[str, int] | None:
    """The page number at either end of a short line: (kind, value), kind "arabic" or "roman"."""
    words = text.split()
    for word in (words[0], words[-1]) if words else ():
        m = _FOLIO_TOKEN.match(word)
        if not m:
            continue
        number = m.group(1)
        if number.isdigit():
            return "arabic", int(number)
        if ROMAN.match(number) and (len(words) > 1 or len(number) > 1):
            return "roman", _roman_value(number)
    return None


def _roman_value(numeral: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    digits = [values[ch] for ch in numeral.lower()]
    return sum(-d if k + 1 < len(digits) and d < digits[k + 1] else d for k, d in enumerate(digits))


def _standing_alone(block: Block) -> bool:
    """A block of one short prose line: where a head, a folio or a fragment stands."""
    if block.kind is not Kind.PROSE or len(block.lines) != 1:
        return False
    text = block.lines[0].text.strip()
    return len(text) <= HEAD_CHARS_MAX and len(text.split()) <= HEAD_WORDS_MAX


def _chains(candidates: list[tuple[int, str, int]]) -> list[list[int]]:
    """Runs of page numbers in sequence: (position, kind, value) in text order; each chain rises by
    1 to FOLIO_STEP_MAX a step, within PAGE_LINES_MAX lines a page. The longest first, each at least two."""
    left = list(range(len(candidates)))
    chains = []
    while len(left) >= 2:
        best: dict[int, list[int]] = {}
        for b in left:
            pos_b, kind_b, value_b = candidates[b]
            best[b] = [b]
            for a in left:
                if a >= b:
                    break
                pos_a, kind_a, value_a = candidates[a]
                step = value_b - value_a
                if (
                    kind_a == kind_b
                    and 0 < step <= FOLIO_STEP_MAX
                    and pos_b - pos_a <= step * PAGE_LINES_MAX
                    and len(best[a]) + 1 > len(best[b])
                ):
                    best[b] = best[a] + [b]
        chain = max(best.values(), key=len)
        if len(chain) < 2:
            break
        chains.append(chain)
        left = [k for k in left if k not in chain]
    return chains


def find_page_furniture(blocks: Sequence[Block]) -> dict[int, str]:
    """Running heads and folios: block index -> the reason it is one."""
    alone = [k for k, b in enumerate(blocks) if _standing_alone(b)]
    found: dict[int, str] = {}
    for k in alone:
        text = blocks[k].lines[0].text
        if _LONE_NUMBER.match(text):
            found[k] = "folio: a page number standing alone"
        elif _SIGNATURE.match(text):
            found[k] = "signature mark: a letter and a number or an asterisk standing alone"
    numbered = [(k, f) for k in alone if (f := _folio(blocks[k].lines[0].text)) is not None]
    candidates = [(blocks[k].lines[0].number, kind, value) for k, (kind, value) in numbered]
    keys: set[str] = set()
    for chain in _chains(candidates):
        chain = _head_like(chain, [blocks[numbered[c][0]].lines[0].text for c in chain])
        if len(chain) < 2:
            continue
        values = [candidates[c][2] for c in chain]
        for c in chain:
            k = numbered[c][0]
            key = _head_key(blocks[k].lines[0].text)
            found.setdefault(
                k,
                f"running head: page numbers in sequence ({values[0]}-{values[-1]}, {len(chain)} pages)"
                if key
                else f"folio: page numbers in sequence ({values[0]}-{values[-1]})",
            )
            if len(key) >= 4:
                keys.add(key)
    numberish = [
        k for k in alone if _numberish_end(blocks[k].lines[0].text) and len(_head_key(blocks[k].lines[0].text)) >= 4
    ]
    for k in numberish:  # the same head with its page number misread (`v1 PREFACE,` / `PREFACE. Vi`)
        if k in found:
            continue
        line = blocks[k].lines[0]
        key = _head_key(line.text)
        near = any(fuzz.ratio(key, other) >= HEAD_SIMILARITY for other in keys) or any(
            j != k
            and abs(blocks[j].lines[0].number - line.number) <= 2 * PAGE_LINES_MAX
            and fuzz.ratio(key, _head_key(blocks[j].lines[0].text)) >= HEAD_SIMILARITY
            for j in numberish
        )
        if near:
            found[k] = "running head: the words of a head with a page number, its number misread"
    found.update(_recurring_heads(blocks, alone, found))
    for k in alone:
        text = blocks[k].lines[0].text
        if (
            k not in found
            and 0 < k < len(blocks) - 1
            and _title_like(text)
            and _numberish_end(text)
            and blocks[k - 1].kind is Kind.PROSE
            and blocks[k + 1].kind is Kind.PROSE
            and _continues(blocks[k - 1].lines[-1].text, blocks[k + 1].lines[0].text, page_break=False, full_line=0)
        ):
            found[k] = "running head: a title line with a page number cutting a sentence in two"
    return found


def _numberish_end(text: str) -> bool:
    """A page number, read right or misread, at either end of the line (a letter alone is a word: `I laced`)."""
    words = text.split()
    return bool(words) and any(
        _MISREAD_FOLIO.match(w) and (any(ch.isdigit() for ch in w) or len(w) > 1) for w in (words[0], words[-1])
    )


def _head_like(chain: list[int], texts: list[str]) -> list[int]:
    """The members of a chain that are bare numbers, set as titles, or whose words recur in it: a
    running head is a title and repeats (verso and recto alternate); the numbered items of a list
    (`6 Stephen, born about 1786; married Susan Mayhew.`) are neither."""
    keys = [_head_key(t) for t in texts]
    return [
        c
        for c, key, text in zip(chain, keys, texts, strict=True)
        if not key or _title_like(text) or sum(fuzz.ratio(key, other) >= HEAD_SIMILARITY for other in keys) >= 2
    ]


def _title_like(text: str) -> bool:
    """Set as a title: every word of four letters or more opens with a capital, and no colon ends it."""
    words = [w for w in _words(text) if len(w) >= 4]
    return bool(words) and all(w[:1].isupper() for w in words) and not text.rstrip().endswith(":")


def _recurring_heads(blocks: Sequence[Block], alone: list[int], found: dict[int, str]) -> dict[int, str]:
    """Lines standing alone and set as titles, with no number, whose words recur HEAD_REPEATS times or
    more, each within two pages of the one before: a running head with its folio at the foot or none.
    Where the volume's heads carry numbers, their words standing alone are a section's title."""
    numbered_keys = {_head_key(blocks[k].lines[0].text) for k in found}
    unnumbered = [
        k
        for k in alone
        if k not in found
        and not any(ch.isdigit() for ch in blocks[k].lines[0].text)
        and _title_like(blocks[k].lines[0].text)
        and len(key := _head_key(blocks[k].lines[0].text)) >= 4
        and not any(fuzz.ratio(key, other) >= HEAD_SIMILARITY for other in numbered_keys)
    ]
    groups: list[list[int]] = []
    for k in unnumbered:
        key = _head_key(blocks[k].lines[0].text)
        for group in groups:
            last = blocks[group[-1]].lines[0]
            near = blocks[k].lines[0].number - last.number <= 2 * PAGE_LINES_MAX
            if near and fuzz.ratio(key, _head_key(last.text)) >= HEAD_SAME:
                group.append(k)
                break
        else:
            groups.append([k])
    return {
        k: f"running head: the same words standing alone {len(g)} times, a page or two apart"
        for g in groups
        if len(g) >= HEAD_REPEATS
        for k in g
    }


# -- stamp, caption and cover fragments --------------------------------------------------------


def _capitalised_fragment(text: str) -> bool:
    """A short line of capitals (a heading's marks aside), or of digits only."""
    bare = _HEADING.sub("", text)
    letters = _letters(bare)
    return len(bare.split()) <= FRAGMENT_WORDS_MAX and not any(ch.islower() for ch in letters)


def find_fragments(blocks: Sequence[Block], volume: Volume, removed: dict[int, str]) -> dict[int, tuple[str, float]]:
    """Runs of blocks standing apart (between blank lines) whose every line is a short line of capitals,
    at least FRAGMENT_NO_WORDS of whose words are no words of the volume: block index -> (reason, share)."""
    found: dict[int, tuple[str, float]] = {}
    run: list[int] = []

    def close() -> None:
        words = [
            w
            for k in run
            for line in blocks[k].lines
            for w in _words(_HEADING.sub("", line.text))
            if len(_letters(w)) >= 3
        ]
        if words:
            no_words = sum(volume.no_word(w) for w in words)
            share = no_words / len(words)
            if share >= FRAGMENT_NO_WORDS and no_words >= FRAGMENT_NO_WORDS_MIN:
                for k in run:
                    found[k] = (
                        f"fragment: short capitalised lines apart from prose, {share:.0%} of their words no words",
                        share,
                    )
        run.clear()

    for k, block in enumerate(blocks):
        fragment_like = block.kind in (Kind.PROSE, Kind.HEADING) and all(
            _capitalised_fragment(line.text) for line in block.lines
        )
        if fragment_like or (k in removed and run):
            run.append(k)
        else:
            close()
    close()
    return found


def find_garbage(blocks: Sequence[Block], volume: Volume, removed: Collection[int]) -> dict[int, str]:
    """Short lines standing alone that read as no text (an illustration or a speckled margin read
    as `Aun KG Nm`, `| | is`): more of their tokens are no words than are words, and two at least.
    A word is printed elsewhere in the volume, in SCOWL's English list or a dictionary, or a number;
    a letter alone (an initial) is neither."""
    found = {}
    for k, block in enumerate(blocks):
        if k in removed or not _standing_alone(block):
            continue
        verdicts = [volume.is_word(token) for token in block.lines[0].text.split()]
        words, no_words = verdicts.count(True), verdicts.count(False)
        if no_words >= 2 and no_words > words:
            found[k] = f"noise: {no_words} of {len(verdicts)} tokens no words, standing alone"
    return found


# -- paragraphs --------------------------------------------------------------------------------


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1] if words else ""


def _full_line(blocks: Sequence[Block]) -> int:
    """How long a full line of the text's prose is at the least: the lower quartile of its prose
    lines' lengths (most lines of prose are full; the last of a paragraph, a title are not)."""
    lengths = sorted(len(line.text.strip()) for b in blocks if b.kind is Kind.PROSE for line in b.lines)
    return lengths[len(lengths) // 4] if lengths else 0


def _continues(previous: str, following: str, page_break: bool, full_line: int) -> str | None:
    """Why the paragraph ending in `previous` goes on in the block opening with `following`, or None:
    a word broken at the line end; a line opening in lower case (a sentence does not open so, a
    quotation after a colon goes on the sentence that introduces it); or, at a page break found
    above, a full line of prose that breaks off where no sentence ends (a comma, a word): a line
    shorter than `full_line` characters ends a paragraph, or is a title or a caption."""
    if ends_broken(_last_word(previous)):
        return "a word broken at the line end"
    if _OPENS_LOWER.match(_MARKUP.sub("", following).lstrip()):
        return "the next line opens in lower case"
    ends = _MARKUP.sub("", previous).rstrip()
    if page_break and _UNFINISHED.search(ends) and len(ends) >= full_line:
        return "the sentence breaks off at a page break"
    return None


def _join_halves(left: str, right: str, volume: Volume) -> tuple[str, str]:
    """Whether a line ending in a hyphen joins the next with the hyphen dropped ("join") or kept ("keep"), and why."""
    last, first = _last_word(left), right.split()[0] if right.split() else ""
    decision = hyphenation(last, first, volume.lexicon, volume.printed)
    return decision.verdict, decision.reason


def reflow(text: str, lexicon: Lexicon, markdown: bool) -> tuple[list[Paragraph], list[StructureChange]]:
    """The paragraphs of the reading text and every line removed or joined, with its reason."""
    marks: list[SourceLine] = []
    blocks = read_blocks(text, markdown, marks)
    volume = Volume.of(blocks, lexicon)
    furniture = find_page_furniture(blocks)
    fragments = find_fragments(blocks, volume, furniture)
    garbage = find_garbage(blocks, volume, furniture.keys() | fragments.keys())
    changes = [
        StructureChange(line.number, line.text.strip(), "", "noise: a line of marks only", 1.0) for line in marks
    ]
    removed: set[int] = set()
    for k, reason in furniture.items():
        if k not in fragments:
            removed.add(k)
            changes += [StructureChange(line.number, line.text.strip(), "", reason, 1.0) for line in blocks[k].lines]
    for k, (reason, share) in fragments.items():
        removed.add(k)
        changes += [StructureChange(line.number, line.text.strip(), "", reason, share) for line in blocks[k].lines]
    for k, reason in garbage.items():
        removed.add(k)
        changes.append(StructureChange(blocks[k].lines[0].number, blocks[k].lines[0].text.strip(), "", reason, 1.0))

    full_line = _full_line(blocks)
    paragraphs: list[Paragraph] = []
    page_break = False
    for k, block in enumerate(blocks):
        if k in removed:
            page_break = page_break or k in furniture
            continue
        if block.kind is Kind.RULE and not markdown:
            page_break = True  # a rule in plain text separates pages
            changes.append(
                StructureChange(block.lines[0].number, block.lines[0].text.strip(), "", "page separator", 1.0)
            )
            continue
        page_break = page_break or block.page_break_before
        previous = paragraphs[-1] if paragraphs else None
        if previous is not None and previous.kind is Kind.PROSE and block.kind is Kind.PROSE:
            why = _continues(previous.lines[-1].text, block.lines[0].text, page_break, full_line)
            if why:
                _extend(
                    previous,
                    block.lines,
                    volume,
                    changes,
                    f"paragraph continued across a blank line{' and a page break' if page_break else ''}: {why}",
                )
                page_break = False
                continue
        paragraph = Paragraph(block.kind, [block.lines[0]])
        paragraphs.append(paragraph)
        if len(block.lines) > 1:
            _extend(paragraph, block.lines[1:], volume, changes, None)
        page_break = False
    return paragraphs, sorted(changes, key=lambda c: c.line)


def _extend(
    paragraph: Paragraph, lines: list[SourceLine], volume: Volume, changes: list[StructureChange], across: str | None
) -> None:
    """Add lines to a prose paragraph, deciding each line-end hyphen; `across` is the reason a blank
    line between is no paragraph break (recorded), None inside a block."""
    for line in lines:
        previous = paragraph.lines[-1]
        if previous.text.endswith(("  ", "\\")) and across is None:
            join = "\n"
        elif ends_broken(_last_word(previous.text)):
            decision, reason = _join_halves(previous.text, line.text, volume)
            join = ""
            if decision == "join":
                paragraph.lines[-1] = SourceLine(previous.number, previous.text.rstrip()[:-1])
            halves = f"{_last_word(previous.text)} / {line.text.split()[0]}"
            joined = _last_word(paragraph.lines[-1].text) + line.text.split()[0]
            changes.append(
                StructureChange(previous.number, halves, joined, reason + (f"; {across}" if across else ""), 1.0)
            )
        else:
            join = " "
            if across:
                changes.append(
                    StructureChange(
                        previous.number,
                        f"{_last_word(previous.text)} ¶ {line.text.split()[0]}",
                        f"{_last_word(previous.text)} {line.text.split()[0]}",
                        across,
                        1.0,
                    )
                )
        paragraph.lines.append(line)
        paragraph.joins.append(join)
        across = None
