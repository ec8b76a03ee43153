"""The words the corrector knows: general English, French and Spanish with frequencies, English
bigrams, and the period dictionaries (names, organisations, places, publications) plus a volume's own.

General frequencies come from wordfreq (maintained, offline, the same source for all three
languages); English bigrams from symspellpy's bundled bigram list; a curated English word list from
SCOWL (Debian's `wbritish-large`), which tells a real word wordfreq finds rare (`beheld`, `potman`)
from web debris it counts as often (`tbe`, `ith`). Everything is loaded once per process (`load` is
cached) because loading costs seconds and every page needs the same data; wordfreq's frequencies and the
tables read from files (bigrams, the word list, the dictionaries) are kept between runs in the user's cache
(`diskcache`), so that a run imports no wordfreq unless they changed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import itertools
import math
import os
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from . import diskcache

LANGUAGES = ("en", "fr", "es")
MIN_FREQUENCY = 1e-8
"""Frequencies below this (wordfreq's floor) count as unknown."""
ENGLISH_WORD_LIST = Path(os.environ.get("OCRFIX_ENGLISH_WORDS", "/usr/share/dict/british-english-large"))
"""SCOWL's British English list (Debian's wbritish-large, which `make setup` installs); without it the
corrector works from frequencies alone and changes more rare words."""
UNIGRAMS = "frequency_dictionary_en_82_765.txt"
BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"
"""symspellpy's English word and bigram counts: P(second | first) is their ratio."""
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


UNDECOMPOSED: dict[str, tuple[str, ...]] = {
    "ø": ("o", "g", "a"),
    "Ø": ("O",),
    "æ": ("ae",),
    "Æ": ("Ae", "AE"),
    "œ": ("oe",),
    "Œ": ("Oe", "OE"),
    "ł": ("l",),
    "Ł": ("L",),
    "đ": ("d",),
    "Đ": ("D",),
    "ß": ("ss", "B", "fi"),
    "ı": ("i",),
}
"""Letters Unicode does not decompose (NFD leaves `ø`, `ł`, `ß` whole): the plain form an accent-blind OCR or
typist writes first, then what Tesseract reads the letter as (`Hønefoss` read `Hgnefoss`, `Hanefoss`;
`Straße` read `StraBe`, `Strafie`: the shapes its English model knows nearest)."""
_PLAIN = str.maketrans({letter: forms[0] for letter, forms in UNDECOMPOSED.items()})


def _unaccented(text: str) -> str:
    """Combining accents and typographic apostrophes removed, case kept; letters NFD keeps whole stay."""
    decomposed = unicodedata.normalize("NFD", text.translate(APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def strip_accents(text: str) -> str:
    """Accents and typographic apostrophes removed, `ø` `æ` `ł` `ß` written plain, case kept: what survives an
    accent-blind OCR."""
    if text.isascii():
        return text
    return _unaccented(text).translate(_PLAIN)


def fold(text: str) -> str:
    """Lower case, accents and typographic apostrophes removed: the key for looking names up."""
    return strip_accents(text).lower()


def misreadings(text: str) -> frozenset[str]:
    """What an OCR that drops diacritics may read for `text`, case kept: its accents stripped, and each letter
    Unicode does not decompose as its plain form or a look-alike (`Hønefoss`: `Honefoss`, `Hgnefoss`,
    `Hanefoss`). The one matching rule of names: a reading among these is the entry read without its marks."""
    if text.isascii():
        return frozenset((text,))
    plain = _unaccented(text)
    options = [UNDECOMPOSED.get(c, (c,)) for c in plain]
    return frozenset("".join(p) for p in itertools.product(*options))


def read_plain(read: str, printed: str) -> bool:
    """`read` is `printed` with its diacritics lost or misread (any apostrophe read as the plain one): `Coyoacan`
    of `Coyoacán`, `Hgnefoss` of `Hønefoss`, `Ouvriére` of `Ouvrière`, `L’Humanite` of `L'Humanité`; not
    `printed` itself, nor a reading with a diacritic of a printed form that has none (`À` of the `A` of a town's
    name, `A Pobra do Caramiñal`)."""
    return read != printed and strip_accents(printed) != printed and _unaccented(read) in misreadings(printed)


def default_dictionary_dir() -> Path:
    """`ocrfix/dictionaries` in an installed wheel, the repository's `dictionaries/` in a checkout."""
    bundled = Path(__file__).with_name("dictionaries")
    return bundled if bundled.is_dir() else Path(__file__).resolve().parents[2] / "dictionaries"


def user_data_dir() -> Path:
    """Where review decisions are remembered across volumes: $OCRFIX_USER_DIR, or ~/.local/share/ocrfix."""
    return Path(os.environ.get("OCRFIX_USER_DIR") or Path.home() / ".local" / "share" / "ocrfix")


def user_dictionary() -> Path:
    """Names and words reviewers accepted: read by every run like the bundled dictionaries."""
    return user_data_dir() / "user-dictionary.txt"


def rejections_file() -> Path:
    """Changes reviewers rejected, with their context (raw, proposed, left word, right word), TSV."""
    return user_data_dir() / "rejections.tsv"


def read_rejections(path: Path) -> set[tuple[str, str, str, str]]:
    if not path.is_file():
        return set()
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {(r[0], r[1], r[2], r[3]) for r in rows if len(r) == 4}


def read_entries(path: Path) -> list[str]:
    """Entries of one dictionary file: one per line, `#` comments, TAB then `|`-separated alternatives."""
    entries: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFC", line.strip())
        if not line or line.startswith("#"):
            continue
        for form in line.replace("\t", "|").split("|"):
            form = " ".join(form.translate(APOSTROPHES).split())
            if form:
                entries.append(form)
    return entries


@dataclass(eq=False)  # identity hash: one lexicon per process keys the caches built on it
class Lexicon:
    frequencies: dict[str, dict[str, float]]
    """Per language: lower-case word -> frequency (share of running words)."""
    bigrams: dict[str, float]
    """English: P(second word | first word), lower case, by the two words joined by a space (neither holds one): as
    strings rather than pairs, the table's read from the cache takes 0.06 s of CPU and 28 MB, not 0.08 s and 56 MB."""
    names: set[str] = field(default_factory=set)
    """The words of the dictionary entries, as printed (case-sensitive); of a multi-word entry only
    those with a capital, its lower-case words being ordinary words of some language."""
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """Folded words of a multi-word entry (each as any of its `misreadings`) -> the entry's words as printed."""
    folded_names: dict[str, set[str]] = field(default_factory=dict)
    """Folded single word (or a look-alike's: `hgnefoss`) -> the printed words of entries read so without their
    diacritics (lower-case ones too: their accents)."""
    rejected: set[tuple[str, str, str, str]] = field(default_factory=set)
    """(reading, proposal, left neighbour, right neighbour) a reviewer rejected: never proposed again there."""
    english_words: frozenset[str] = frozenset()
    """Lower-case words of a curated English dictionary (SCOWL): real words, however rare."""
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each dictionary entry as printed -> the kinds of the files that list it (`kind_of`), in loading order:
    what the names index says a name is."""
    digest: str = ""
    """SHA-256 of everything `load` built the frequencies and the tables from (`_tables_inputs`): the key of the
    indexes cached on them (`repairs.unknown.candidate_index`). Empty for a lexicon not made by `load`."""

    def add_entries(self, entries: Iterable[str], kind: str) -> None:
        for entry in entries:
            if kind not in self.kinds.get(entry, ()):
                self.kinds[entry] = (*self.kinds.get(entry, ()), kind)
            words = tuple(entry.split())
            for word in words:
                for key in {m.lower() for m in misreadings(word)}:  # its accents, even `prolétarienne`'s
                    self.folded_names.setdefault(key, set()).add(word)
                if len(words) == 1 or word != word.lower():  # `de`, `la`, `the` in a title or name are not names
                    self.names.add(word)
            if len(words) > 1:
                keys = itertools.product(*({m.lower() for m in misreadings(w)} for w in words))
                self.phrases.update((key, words) for key in keys)

    def frequency(self, word: str, lang: str | None = None) -> float:
        """The word's highest frequency among the languages (or in one), 0 when unknown. In one language, a
        look-up in its table, uncached: the corrector asks about hundreds of variants of a word that are no
        word, each once (`realword._rivals`), which a cache would only remember in place of the words it asks
        about again."""
        if not lang:
            return _best_frequency(self, word)
        table = self.frequencies.get(lang)
        return table.get(_key(word), 0.0) if table is not None else 0.0

    def zipf(self, word: str, lang: str | None = None) -> float:
        """log10 of frequency per billion words (wordfreq's Zipf scale); 0 for unknown words."""
        f = self.frequency(word, lang)
        return math.log10(f * 1e9) if f > 0 else 0.0

    def is_name(self, word: str) -> bool:
        return word in self.names

    def has_accented_form(self, word: str) -> bool:
        """A dictionary spells `word`, as folded, with diacritics (`Etienne`, `Honefoss`): a reading whose accents
        the image may show lost."""
        return any(strip_accents(w) != w for w in self.folded_names.get(fold(word), ()))

    def knows(self, word: str) -> bool:
        """A word printed correctly: in a general lexicon or a dictionary."""
        return self.is_name(word) or self.frequency(word) >= MIN_FREQUENCY

    def known(self, words: set[str]) -> set[str]:
        """Those of `words` that `knows` knows, found by set operations for plain lower-case words (every
        word of a frequency table is above MIN_FREQUENCY): a candidate generator asks about hundreds at once."""
        plain = {w for w in words if w.isascii() and w.islower()}
        return plain & self.names | plain & self.table_words | {w for w in words - plain if self.knows(w)}

    def phrase(self, read: Sequence[str], folded: tuple[str, ...]) -> tuple[str, ...] | None:
        """The multi-word entry the words `read` are, as printed or read without its diacritics (`Andres Nin`),
        `folded` being their `fold`s; of the entries printed alike but for case (`Confédération Générale du
        Travail`, `Confédération générale du travail`), the one they are."""
        printed = self.phrases.get(folded)
        if printed is None:
            return None
        for form in self._alike_phrases.get(tuple(fold(w) for w in printed), [printed]):
            if all(r == w or read_plain(r, w) for r, w in zip(read, form, strict=True)):
                return form
        return None

    @cached_property
    def _alike_phrases(self) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
        """The multi-word entries by their folded words: `phrases` keeps one of the entries that fold alike.
        Built once the lexicon is complete (`load`)."""
        found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for entry in self.kinds:
            words = tuple(entry.split())
            if len(words) > 1:
                found.setdefault(tuple(fold(w) for w in words), []).append(words)
        return found

    @cached_property
    def table_words(self) -> frozenset[str]:
        """Every word of the frequency tables, any language, in one set: `known` looks a word up once, not
        once per table (a reading's hundreds of variants cost a third of the look-ups)."""
        return frozenset().union(*self.frequencies.values())

    def english_word(self, word: str) -> bool:
        """A lower-case word of the curated English dictionary."""
        return word in self.english_words

    def languages_of(self, word: str) -> tuple[str, ...]:
        key = word.translate(APOSTROPHES).lower()
        return tuple(lg for lg in LANGUAGES if self.frequencies.get(lg, {}).get(key, 0.0) >= MIN_FREQUENCY)

    def bigram(self, first: str, second: str) -> float:
        return self.bigrams.get(f"{first.lower()} {second.lower()}", 0.0)


def _key(word: str) -> str:
    """A word as the frequency tables hold it: lower case, typographic apostrophes plain."""
    return word.lower() if word.isascii() else word.translate(APOSTROPHES).lower()


@lru_cache(maxsize=1 << 16)
def _best_frequency(lexicon: Lexicon, word: str) -> float:
    """`Lexicon.frequency` in any language, cached: the corrector asks about the same few thousand words millions
    of times (a fifth of `ocrfix correct`'s time before), and a lexicon's frequencies never change once loaded."""
    key = _key(word)
    return max([table.get(key, 0.0) for table in lexicon.frequencies.values()], default=0.0)


_LOADING = threading.Lock()


def load(dictionary_files: tuple[Path, ...] = ()) -> Lexicon:
    """General lexicons plus the bundled period dictionaries and any extra files (e.g. `--dict`),
    loaded once per process even when several page threads ask at the same moment."""
    with _LOADING:
        return _load(dictionary_files)


@lru_cache(maxsize=8)
def _load(dictionary_files: tuple[Path, ...]) -> Lexicon:
    paths = dictionary_paths(dictionary_files)
    inputs = _tables_inputs(paths)
    tables = diskcache.cached("lexicon", inputs, lambda: _tables(paths))
    return Lexicon(
        tables["frequencies"],
        tables["bigrams"],
        names=tables["names"],
        phrases=tables["phrases"],
        folded_names=tables["folded_names"],
        rejected=read_rejections(rejections_file()),
        english_words=tables["english_words"],
        kinds=tables["kinds"],
        digest=hashlib.sha256(inputs).hexdigest(),
    )


def _tables(paths: list[Path]) -> dict[str, Any]:
    """wordfreq's frequencies and the lexicon's tables read from files (bigrams, the English word list, the
    dictionaries), as plain data for the cache; not the reviewers' rejections (a small file they change at any
    review). wordfreq is imported here, only to build: its import (langcodes, ftfy) costs 0.16 s of CPU, and
    marshal reads its frequencies in about the time it makes them (0.38-0.46 s, 0.45-0.49 s)."""
    import wordfreq

    lexicon = Lexicon({}, _english_bigrams(), english_words=read_word_list(ENGLISH_WORD_LIST))
    for path in paths:
        lexicon.add_entries(read_entries(path), kind_of(path))
    return {
        "frequencies": {lg: wordfreq.get_frequency_dict(lg, wordlist="large") for lg in LANGUAGES},
        "bigrams": lexicon.bigrams,
        "english_words": lexicon.english_words,
        "names": lexicon.names,
        "phrases": lexicon.phrases,
        "folded_names": lexicon.folded_names,
        "kinds": lexicon.kinds,
    }


def _tables_inputs(paths: list[Path]) -> bytes:
    """Everything `_tables` reads, as bytes for the cache's digest: this module's own code, wordfreq's version
    and the files of its lists of the `LANGUAGES` (found without importing it), symspellpy's two lists, the English word list
    (none: empty, as `read_word_list` reads it) and each dictionary file with its kind (one missing raises, as
    `read_entries` would)."""
    wordfreq = importlib.util.find_spec("wordfreq")
    assert wordfreq is not None and wordfreq.submodule_search_locations, "wordfreq is not installed"
    data = Path(wordfreq.submodule_search_locations[0]) / "data"
    folder = importlib.resources.files("symspellpy")
    parts = [Path(__file__).read_bytes(), importlib.metadata.version("wordfreq").encode()]
    # its lists' files as wordfreq 3 names them; another layout leaves its version alone to tell a change
    parts += [path.read_bytes() for lg in LANGUAGES for path in sorted(data.glob(f"large_{lg}.*"))]
    parts += [(folder / name).read_bytes() for name in (UNIGRAMS, BIGRAMS)]
    parts.append(ENGLISH_WORD_LIST.read_bytes() if ENGLISH_WORD_LIST.is_file() else b"")
    parts += [f"{kind_of(p)}\n".encode() + p.read_bytes() for p in paths]
    return b"\0".join(hashlib.sha256(part).digest() for part in parts)


KINDS = {
    "people": "person",
    "organisations": "organisation",
    "places": "place",
    "publications": "publication",
    "given-names": "given name",
    "places-gazetteer": "place",
}
"""The bundled dictionaries' kinds of name, by file name."""


def kind_of(path: Path) -> str:
    """The kind of name a dictionary file holds: a bundled file's (`KINDS`), else the file's own name
    (`user-dictionary`, a `--dict` file's), which is what an editor called that list."""
    return KINDS.get(path.stem, path.stem)


def dictionary_paths(extra: tuple[Path, ...] = ()) -> list[Path]:
    """The bundled dictionaries, the reviewers' user dictionary if there is one, and any extra files."""
    user = [user_dictionary()] if user_dictionary().is_file() else []
    return sorted(default_dictionary_dir().glob("*.txt")) + user + list(extra)


def read_word_list(path: Path) -> frozenset[str]:
    """The lower-case, letters-only words of a word list, one per line (names and possessives left out)."""
    if not path.is_file():
        return frozenset()
    words = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w.isalpha() and w.islower())


def _english_bigrams() -> dict[str, float]:
    folder = importlib.resources.files("symspellpy")
    unigrams: dict[str, int] = {}
    with (folder / UNIGRAMS).open(encoding="utf-8") as f:
        for line in f:
            word, count = line.split()
            unigrams[word] = int(count)
    bigrams: dict[str, float] = {}
    with (folder / BIGRAMS).open(encoding="utf-8") as f:
        for line in f:
            first, second, count = line.split()
            if first in unigrams:
                bigrams[f"{first} {second}"] = int(count) / unigrams[first]
    return bigrams
