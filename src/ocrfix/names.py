"""The names index (`OUT/names.tsv`): every dictionary name in a run's final text, the kind of name its
dictionary says it is, how OCR read it and where it stands. An editor checks a volume's names in one list, and
a reader gets an index of them.

A name is found as the corrector finds one (`lexicon.fold`, `lexicon.read_plain`): a multi-word entry as a
phrase (`Andrés Nin`, or `Andres Nin` left as read), a single-word entry as itself or read without its
diacritics (`Coyoacan` left so is still `Coyoacán`'s). Only body lines count: running heads repeat a title on
every page, and folios and noise are no text.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import NamedTuple

from .lexicon import Lexicon, fold, read_plain
from .model import Page
from .tokens import split_token

INDEX_FILE = "names.tsv"
"""The index's file in a run's output folder."""
HEADER = ("name", "kind", "variants", "places")
"""names.tsv's columns: the name as the dictionary prints it; the kinds of the dictionaries listing it
(`lexicon.kind_of`, `|`-separated); the other forms read for it, raw or final (`|`-separated); its places,
`page:line,line; page:line` (1-based lines, as in corrections.tsv)."""
MARKERS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
"""The superscript figures a footnote marker ends a word in (`Trotsky¹`): not part of the name."""


class _Token(NamedTuple):
    """A word of a body line as it now reads, split from its marks, and as OCR read it (a named tuple: a
    volume's every word is one, and a frozen dataclass took three times as long to make)."""

    pre: str
    core: str
    post: str
    raw: str
    """The raw reading's word, with the words a join took in (`C oyoacan`)."""
    line: int
    key: str
    """The word folded (`lexicon.fold`), as phrases are looked up: folded once, tried in many windows."""


@dataclass
class _Found:
    """What the index gathers of one name across the pages."""

    variants: set[str] = field(default_factory=set)
    places: dict[str, list[int]] = field(default_factory=dict)


def names_rows(pages: Iterable[Page], lexicon: Lexicon) -> list[tuple[str, str, str, str]]:
    """One row (`HEADER`) per distinct dictionary name in the pages' final text, in the order of an index."""
    return _rows(((page.id, list(_tokens(page))) for page in pages), lexicon, {})


def text_rows(
    texts: Iterable[tuple[str, Iterable[str]]], lexicon: Lexicon, readings: Mapping[str, Collection[str]]
) -> list[tuple[str, str, str, str]]:
    """`names_rows` of corrected texts (`ocrfix correct --names`): each text's name and its lines, a line's
    number its place. A text keeps no reading beside its words, so `readings` gives them: each corrected word
    and the readings the corrector changed into it anywhere in the text (`Coyoacán`: `C oyoacan`), a name's
    variants wherever it stands."""
    return _rows(((name, list(_text_tokens(lines))) for name, lines in texts), lexicon, readings)


def _rows(
    pages: Iterable[tuple[str, list[_Token]]], lexicon: Lexicon, readings: Mapping[str, Collection[str]]
) -> list[tuple[str, str, str, str]]:
    found: dict[str, _Found] = {}
    starting: dict[str, set[int]] = {}
    for key in lexicon.phrases:
        starting.setdefault(key[0], {1}).add(len(key))
    lengths = {first: sorted(found, reverse=True) for first, found in starting.items()}
    for page_id, tokens in pages:
        for name, window in _matches(tokens, lexicon, lengths):
            entry = found.setdefault(name, _Found())
            read = product(*(readings.get(t.core) or (t.raw,) for t in window))
            for reading in {" ".join(t.core for t in window), *(" ".join(words) for words in read)}:
                if reading and reading != name:
                    entry.variants.add(reading)
            lines = entry.places.setdefault(page_id, [])
            if window[0].line not in lines:
                lines.append(window[0].line)
    return [
        (
            name,
            "|".join(lexicon.kinds[name]),
            "|".join(sorted(f.variants)),
            "; ".join(f"{page}:{','.join(map(str, lines))}" for page, lines in f.places.items()),
        )
        for name, f in sorted(found.items(), key=lambda item: (fold(item[0]), item[0]))
    ]


def _text_tokens(lines: Iterable[str]) -> Iterator[_Token]:
    """The words of a text's lines (a markdown heading's marks are no word)."""
    for n, line in enumerate(lines, start=1):
        for word in line.split():
            pre, core, post = split_token(word.rstrip(MARKERS))
            if core:
                yield _Token(pre, core, post, core, n, fold(core))


def _tokens(page: Page) -> Iterator[_Token]:
    """The words still in the page's body lines, in reading order across its lines (a name may run on)."""
    for n, line in enumerate(page.lines, start=1):
        if line.role != "body":
            continue
        for k, word in enumerate(line.words):
            if not word.final:
                continue
            raw = [word.raw]
            for other in line.words[k + 1 :]:
                if other.final or not any(c.joined for c in other.changes):
                    break
                raw.append(other.raw)
            pre, core, post = split_token(word.final.rstrip(MARKERS))
            # most words are as read: their reading's core is the core
            read = core if raw == [word.final] else split_token(" ".join(raw).rstrip(MARKERS))[1]
            yield _Token(pre, core, post, read, n, fold(core))


def _matches(
    tokens: list[_Token], lexicon: Lexicon, lengths: dict[str, list[int]]
) -> Iterator[tuple[str, list[_Token]]]:
    """Each dictionary name in the tokens and the tokens it spans: the longest phrase first (its words not
    parted by punctuation), then a single word. `lengths`: by the first word of a phrase as folded, the only
    words a phrase is looked for from, the numbers of words of the phrases it begins, longest first, and 1
    (`the`: 12 words to 1; most begin phrases of one length, where all ten lengths of phrase were tried)."""
    i = 0
    while i < len(tokens):
        for n in lengths.get(tokens[i].key, (1,)):
            window = tokens[i : i + n]
            if len(window) < n:
                continue
            name = _phrase(window, lexicon) if n > 1 else _word(window[0], lexicon)
            if name is not None:
                yield name, window
                i += n - 1
                break
        i += 1


def _phrase(window: list[_Token], lexicon: Lexicon) -> str | None:
    """The multi-word entry the words are (`Lexicon.phrase`), its words printed without marks between them."""
    form = lexicon.phrase([t.core for t in window], tuple(t.key for t in window))
    if form is None or any((t.pre and k > 0) or (t.post and k < len(window) - 1) for k, t in enumerate(window)):
        return None  # the marks looked at only for a phrase found: most windows are none
    return " ".join(form)


def _word(token: _Token, lexicon: Lexicon) -> str | None:
    """The single-word entry the word is, or the one it is without its diacritics (`Coyoacan`); not an English
    word that is an entry's plain form (`Revolution`, the journal `Révolution`'s: the word, not the name)."""
    if token.core in lexicon.kinds:
        return token.core
    if lexicon.english_word(token.core.lower()):
        return None
    forms = {w for w in lexicon.folded_names.get(token.key, ()) if w in lexicon.kinds and read_plain(token.core, w)}
    return forms.pop() if len(forms) == 1 else None
