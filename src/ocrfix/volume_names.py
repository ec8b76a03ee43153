"""The names a volume prints in its own index and glossary pages: the best evidence of how that volume spells
them, before any dictionary.

A run of lines is an index or a glossary by its shape as a whole: most of its lines look like entries, and
there are enough of them. One line alone proves nothing (a body line may end `, 1936, 45`), so lines are
judged in runs: entry-like lines close together (`MAX_GAP`), kept when at least `MIN_ENTRIES` of them make up
at least a share (`INDEX_SHARE`, `GLOSSARY_SHARE`) of the run's lines. The same test serves each page of a run
(its raw lines, in the volume step: `run_names`) and a whole text (`ocrfix correct --names`).

- An index entry: a heading, a comma, locators (`45`, `112–14`, `17n`, `xiv`, `passim`), `;` sub-entries or a
  `see` reference (`Nin, Andrés, 45, 112–14`; `Cheka, see GPU`). `Surname, Given` headings are persons
  (`Andrés Nin`, an alias in brackets too: `Zborowski, Mark ('Étienne')`); other headings printed as names
  (capitalised words) are of kind `unknown`. Sub-entries (`letters to Serge, 45`) and lines of locators only
  belong to the index but name nobody.
- A glossary entry: an acronym and its expansion (`POUM Partido Obrero de Unificación Marxista (Workers Party
  of Marxist Unity). Formed in 1935...`): the acronym, the expansion and a bracketed translation, each an
  organisation when printed as a name (`GPU The Soviet security police` gives only `GPU`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import regex

from .lexicon import APOSTROPHES, KINDS, Lexicon, fold, read_plain

Kind = Literal["person", "organisation", "unknown"]
Shape = Literal["index", "glossary"]

MIN_ENTRIES = 5
"""Entries a run needs to be an index or a glossary. Measured (`python benchmarks/names.py --shapes`): on the
640 body pages of the samples', oldbooks-dev's and bln600's truth no run holds more than 1 entry-like line; an
index or glossary page holds dozens. 5 leaves room for a body page's chance lines and OCR's misreadings."""
MAX_GAP = 4
"""Non-entry lines an index or glossary run may hold in a row: the wrapped lines of one long glossary entry.
The seed's glossary set at the samples' measure by their generator (`--shapes`) has its longest entry on 5
printed lines: 4 after its first."""
INDEX_SHARE = 0.6
"""Of a run's non-blank lines, the share that must be index entries. The seed's persons set as an index page and
read by Tesseract: 1.00 (`--shapes`), a running head and letter headings aside; body pages: no run of 2."""
GLOSSARY_SHARE = 0.3
"""Of a run's non-blank lines, the share that must open a glossary entry: the seed's glossary set at the
samples' measure wraps its 27 entries over 2 to 5 lines, a share of 0.44 (`--shapes`); body pages: no run of 2."""

_MARKUP = regex.compile(r"</?[a-z]+>|\*+|^\s*[-•]\s+")
"""Markdown and HTML emphasis and list marks, as a text kept as markdown (the seed) carries them."""
_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_ARABIC = r"\d{1,4}(?:\s?[–—-]\s?\d{1,4})?(?:\s?nn?\.?\s?\d{0,3}|ff?\.?)?"
_LOCATOR = rf"(?:{_ARABIC}|{_ROMAN}(?:[–-]{_ROMAN})?|passim)"
_LOCATORS = rf"{_LOCATOR}(?:\s*,\s*{_LOCATOR})*"
_SEE = r"\(?(?:[Ss]ee|[Vv]oir)(?:\s+also)?\s+[^\d;()]+\)?"
_AFTER_HEAD = rf"(?:{_LOCATORS}(?:\s*;\s*(?:{_SEE}|[^\d;]+?,\s*{_LOCATORS}))*(?:\s*[;.]\s*{_SEE})?|{_SEE})\s*[,.;]?"
_ENTRY = regex.compile(rf"^(?P<head>[^\d;:,]+(?:,[^\d;:,]+)?),\s*{_AFTER_HEAD}$")
"""An index entry: a heading (one comma at most: `Surname, Given`), a comma, then the heading's pages: a line
of a table of contents (`Introduction by Philip Spencer  1`) has no comma."""
_LOCATORS_ONLY = regex.compile(rf"^{_LOCATORS}\s*[,.;]?$")
"""An index entry's pages run on to the next line."""
_GLOSSARY = regex.compile(r"^(?P<acronym>\p{Lu}[\p{Lu}\d&]{1,7})\s+(?P<rest>[\"'‘“(]?\p{Lu}\p{Ll}.*)$")
"""An acronym, then a capitalised word in lower case: not a line of capitals (`THE QUEEN v. HARRISON.`,
`JOHN SMITH. -You will`: a newspaper's headings and answers to correspondents)."""
_NAME_WORD = regex.compile(r"^[\"'‘“(]*(?:\p{Lu}[\p{L}'’.-]*|\p{Lu}\.)+[\"'’”)]*$")
_CONNECTOR = regex.compile(r"^\p{Ll}{1,3}$")
"""A short lower-case word inside a name (`of`, `de`, `y`, `del`, `du`, `für`): every one in the seed's
glossary has at most 3 letters, and a longer one (`security`, `counter-revolutionary`) makes a description."""
_PERSON = regex.compile(r"^(?P<surname>[^,()]+),\s*(?P<given>[^,()]+?)\s*(?:\((?P<alias>[^()]+)\))?$")


@dataclass(frozen=True)
class VolumeName:
    """A name the volume prints in its index or glossary, what kind of name it is, and its line (1-based)."""

    name: str
    kind: Kind
    line: int


@dataclass(frozen=True)
class _Entry:
    shape: Shape
    text: str
    """The line, its markup removed."""


def name_like(text: str) -> bool:
    """Words printed as a name: each capitalised, short lower-case connectors between (`Partido Obrero de
    Unificación Marxista`, `D.J. Cotterill`); not a description (`The Soviet security police`)."""
    words = text.split()
    if not words or not _NAME_WORD.match(words[0]) or not _NAME_WORD.match(words[-1]):
        return False
    return all(_NAME_WORD.match(w) or _CONNECTOR.match(w) for w in words)


def _clean(line: str) -> str:
    """The line without markup, its apostrophes plain as the dictionaries write them (`People's`)."""
    return " ".join(_MARKUP.sub("", line).translate(APOSTROPHES).split())


def _person(head: str) -> list[tuple[str, Kind]]:
    """`Nin, Andrés` as `Andrés Nin` (and a bracketed alias); a heading of another shape, printed as a name,
    as itself (`Fourth International`), of kind unknown."""
    found = _PERSON.match(head)
    given = found["given"].split() if found else []
    while given and _CONNECTOR.match(given[-1]):  # `Zwanenberg, Roger van`: the particle goes before the surname
        given.pop()
    if found and name_like(found["surname"]) and given and name_like(" ".join(given)):
        names: list[tuple[str, Kind]] = [(f"{found['given']} {found['surname']}", "person")]
        alias = (found["alias"] or "").strip("'\"‘’“” ")
        if alias and name_like(alias):
            names.append((alias, "person"))
        return names
    plain = head.split(",")[0].strip()
    return [(plain, "unknown")] if "," not in head and name_like(plain) else []


def _glossary(acronym: str, rest: str) -> list[tuple[str, Kind]]:
    """The acronym, its expansion (up to a bracket or a sentence's end) and a bracketed translation, those of
    them printed as names."""
    names: list[tuple[str, Kind]] = [(acronym, "organisation")]
    expansion = regex.split(r"\s*[(;]|\.(?:\s|$)", rest, maxsplit=1)[0].strip(" .,'\"")
    if name_like(expansion) and expansion != acronym:
        names.append((expansion, "organisation"))
    bracket = regex.match(r"^[^(]*?\(([^()]+)\)", rest[len(expansion) :])
    if bracket and name_like(bracket[1]) and rest[len(expansion) :].lstrip(" .,'\"").startswith("("):
        names.append((bracket[1].strip(), "organisation"))
    return names


def _entry(line: str) -> _Entry | None:
    """What the line is, as an entry of an index or a glossary; None for neither."""
    text = _clean(line)
    if not text:
        return None
    # a glossary entry first: one may end in a year (`... formed in June 1938.`)
    if _GLOSSARY.match(text) and not _LOCATORS_ONLY.match(text):
        return _Entry("glossary", text)
    if _LOCATORS_ONLY.match(text) or _ENTRY.match(text):
        return _Entry("index", text)
    return None


def _names(entry: _Entry, wrapped: list[str]) -> list[tuple[str, Kind]]:
    """The names an entry prints: an index entry's heading; a glossary entry's acronym, expansion and
    translation, read on over the lines it wraps onto (`wrapped`: a word broken at a line end joined)."""
    if entry.shape == "index":
        found = _ENTRY.match(entry.text)
        head = found["head"].strip() if found else ""
        return _person(head) if head[:1].isupper() else []
    text = entry.text
    for line in wrapped:
        text = text[:-1] + line if text.endswith("-") and line[:1].islower() else f"{text} {line}"
    glossary = _GLOSSARY.match(text)
    return _glossary(glossary["acronym"], glossary["rest"]) if glossary else []


@dataclass
class Run:
    """Entry-like lines close together, and the non-blank lines their span holds."""

    entries: list[tuple[int, _Entry]]
    lines: int
    texts: list[tuple[int, str, _Entry | None]]
    """Every non-blank line from the first entry on, the last entry's wrapped lines too, as `_entry` read it."""
    gap: int = 0


def _accepted(run: Run) -> Shape | None:
    """The run's shape, when enough of its lines are entries of one shape."""
    shares: tuple[tuple[Shape, float], ...] = (("index", INDEX_SHARE), ("glossary", GLOSSARY_SHARE))
    for shape, share in shares:
        count = sum(entry.shape == shape for _, entry in run.entries)
        if count >= MIN_ENTRIES and count >= share * run.lines:
            return shape
    return None


def runs(lines: Iterable[str]) -> Iterator[tuple[Shape, list[tuple[int, list[tuple[str, Kind]]]]]]:
    """Each index or glossary run among the lines: its shape, and each entry's line (1-based) and names, an
    entry's wrapped lines being the lines after it up to the next entry of that shape."""
    for run in candidate_runs(lines):
        shape = _accepted(run)
        if shape is None:
            continue
        entries: list[tuple[int, _Entry, list[str]]] = []
        for number, text, entry in run.texts:
            if entry is not None and entry.shape == shape:
                entries.append((number, entry, []))
            elif entries:
                entries[-1][2].append(text)
        yield shape, [(number, _names(entry, wrapped)) for number, entry, wrapped in entries]


def candidate_runs(lines: Iterable[str]) -> Iterator[Run]:
    """Every run of entry-like lines, accepted or not (what `runs` judges, and the benchmark measures)."""
    run: Run | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entry = _entry(line)
        if entry is None:
            if run is not None:
                run.gap += 1
                if run.gap > MAX_GAP:
                    yield run
                    run = None
                else:
                    run.texts.append((number, _clean(line), None))
            continue
        if run is None:
            run = Run([], 0, [])
        run.lines += run.gap + 1
        run.gap = 0
        run.entries.append((number, entry))
        run.texts.append((number, entry.text, entry))
    if run is not None:
        yield run


def shape_of(lines: Sequence[str]) -> Shape | None:
    """Whether a page is (mostly) an index or a glossary: its largest run's shape, None for a body page."""
    found: list[tuple[int, Shape]] = [(len(entries), shape) for shape, entries in runs(lines)]
    return max(found)[1] if found else None


def volume_names(lines: Iterable[str]) -> list[VolumeName]:
    """The names the index and glossary runs among the lines print, each with its kind and line, in order."""
    return [
        VolumeName(name, kind, number)
        for _shape, entries in runs(lines)
        for number, names in entries
        for name, kind in names
    ]


def own_spellings(names: Iterable[VolumeName], lexicon: Lexicon) -> dict[str, list[str]]:
    """The volume's names by kind, each once, in the order read. Left out: a dictionary entry read without its
    diacritics (`Andres Nin` from an index page OCR read so), unless it is an entry too (`Leon Trotsky` beside
    `Léon Trotsky`): the dictionary's form stays the one restored."""
    found: dict[str, list[str]] = {}
    for volume_name in names:
        name, kind = volume_name.name, volume_name.kind
        if name not in found.get(kind, []) and (name in lexicon.kinds or not _plain_reading(name, lexicon)):
            found.setdefault(kind, []).append(name)
    return found


def volume_dictionary(names: Iterable[VolumeName], lexicon: Lexicon) -> dict[str, list[str]]:
    """`own_spellings` less the dictionaries' entries (their kind is the dictionary's): what the volume's names
    add to the lexicon."""
    return new_entries(own_spellings(names, lexicon), lexicon)


def new_entries(by_kind: Mapping[str, Sequence[str]], lexicon: Lexicon) -> dict[str, list[str]]:
    """The entries of `by_kind` that no dictionary of the lexicon holds, by kind (a kind left with none goes)."""
    return {kind: new for kind, entries in by_kind.items() if (new := [e for e in entries if e not in lexicon.kinds])}


FILE_OF_KIND = {kind: stem for stem, kind in KINDS.items()}
"""The dictionary file a kind of name is written to (`people` for `person`), so that the lexicon gives its
entries that kind (`lexicon.kind_of`); another kind (`unknown`) is its own file's name."""


def write_dictionaries(by_kind: Mapping[str, Sequence[str]], folder: Path) -> tuple[Path, ...]:
    """Names by kind as one dictionary file per kind in `folder`, for `lexicon.load` to take as `--dict` files."""
    files = []
    for kind, entries in by_kind.items():
        path = folder / f"{FILE_OF_KIND.get(kind, kind).replace('/', '-').replace(chr(0), '')}.txt"  # an editor's kind
        path.write_text("".join(f"{entry}\n" for entry in entries), encoding="utf-8")
        files.append(path)
    return tuple(files)


def _plain_reading(name: str, lexicon: Lexicon) -> bool:
    """Whether the name is a dictionary entry with diacritics lost: a phrase of the dictionaries (folded), its
    words each printed so in an entry or read plain of one (`Confederation Generale du Travail`), one at least."""
    words = name.split()
    if len(words) > 1 and tuple(fold(w) for w in words) not in lexicon.phrases:
        return False
    forms = [lexicon.folded_names.get(fold(w), set()) for w in words]
    plain = [any(read_plain(w, form) for form in fs) for w, fs in zip(words, forms, strict=True)]
    return any(plain) and all(p or w in fs for w, fs, p in zip(words, forms, plain, strict=True))
