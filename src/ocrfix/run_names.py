"""The volume's own names in `ocrfix run`: read in the volume step from the pages that are an index or a
glossary (`volume_names`, on their raw lines), kept in OUT/volume-names.txt for an editor, and applied to the
other pages, whose words are corrected again from their readings (no OCR) with the lexicon the names extend.

The names are applied here, not in the page step, because a page is read before the volume's index is (the
index comes last, and pages are read in parallel); and they are not part of a page's cache key, so that
finding an index or editing the file never sends a page back to OCR. Instead run.json keeps what was applied
(`RunNames.record`): the next volume step corrects again only the pages the names reach whose correction may
differ, i.e. the pages read by this run, or every page the old or the new names reach when the names changed.

The file is the editor's: a rerun applies it as it stands (names removed, added or mended), adds the names of
index pages new to the volume, and, when it is deleted, reads them all from the pages again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from . import lexicon as lexicons
from .correct.page import JOINED_TO_PREVIOUS, correct_page
from .correct.repairs.unknown import candidate_edits
from .correct.scorer import Repair
from .correct.words import Corrector
from .model import Change, Page
from .outputs import atomic_write, file_digest
from .tokens import split_token
from .volume_names import new_entries, own_spellings, volume_names, write_dictionaries

NAMES_FILE = "volume-names.txt"
"""The volume's names in the output folder, one a line under its kind, for an editor to mend."""
KIND_LINE = "## "
"""Opens a kind's names in NAMES_FILE (`## person`): a comment to a dictionary file, so that the file is a
`--dict` file as it stands."""
_REPAIRS = frozenset(Repair)


@dataclass
class RunNames:
    """What the volume step did with the volume's names (run.json's `volume_names`)."""

    names: dict[str, list[str]]
    """The names applied, by kind, as NAMES_FILE lists them."""
    pages: list[str]
    """The pages read as an index or a glossary."""
    read: dict[str, list[str]]
    """The names those pages print, by kind (`own_spellings`): what a rerun adds to the file is what they did not."""
    corrected: list[str] = field(default_factory=list)
    """The pages corrected with the names (the names reach a word of theirs), by this run or an earlier one."""
    again: list[str] = field(default_factory=list)
    """The pages this run corrected again (with the names, or without names an edit removed)."""
    sha256: str | None = None
    """NAMES_FILE's SHA-256 as applied (None: there is none): a file edited since makes the volume step run."""

    @property
    def digest(self) -> str:
        """The names applied, whatever the file's comments and order: a rerun corrects again when it changes."""
        return hashlib.sha256(json.dumps(sorted((k, sorted(v)) for k, v in self.names.items())).encode()).hexdigest()

    def record(self) -> dict[str, Any]:
        return {
            "file": NAMES_FILE if self.sha256 else None,
            "names": sum(len(v) for v in self.names.values()),
            "pages": self.pages,
            "corrected": self.corrected,
            "again": self.again,
            "read": self.read,
            "digest": self.digest,
            "sha256": self.sha256,
        }


def earlier(run: Mapping[str, Any] | None) -> dict[str, Any]:
    """The last run's `volume_names` (empty when it kept none, or is an older run.json)."""
    found = (run or {}).get("volume_names")
    return found if isinstance(found, dict) else {}


def file_changed(out: Path, last: Mapping[str, Any] | None) -> bool:
    """Whether NAMES_FILE differs from the one the last run applied (written, edited, deleted since)."""
    return file_digest(out / NAMES_FILE) != earlier(last).get("sha256")


def apply(
    pages: list[Page],
    out: Path,
    base: lexicons.Lexicon,
    dictionaries: tuple[Path, ...],
    fresh: set[str],
    last: Mapping[str, Any] | None,
    reviewed: set[str],
) -> tuple[lexicons.Lexicon, RunNames]:
    """Read the volume's names, settle NAMES_FILE and correct the pages the names reach again (see the module);
    returns the lexicon the names extend (`base` when they add nothing), for the rest of the volume step.
    `fresh`: the pages this run read (corrected with `base` alone); `reviewed`: pages holding a reviewer's
    decisions, left as decided."""
    before = earlier(last)
    index = {page.id: found for page in pages if (found := volume_names(line.raw_text for line in page.lines))}
    read = own_spellings(itertools.chain.from_iterable(index.values()), base)
    names = _settle(out / NAMES_FILE, read, before.get("read"), list(index))
    applied = RunNames(names, list(index), read, sha256=file_digest(out / NAMES_FILE))
    changed = applied.digest != before.get("digest")
    previously = set(before.get("corrected", []))
    with _extended(base, dictionaries, new_entries(names, base)) as lexicon:
        reach = _reach(new_entries(names, base), base)
        for page in pages:
            if page.id in index:
                continue
            if page.id in reviewed or not (changed or page.id in fresh):  # as the last run left it
                if page.id in previously:
                    applied.corrected.append(page.id)
                continue
            near = reach(page)
            if near or (changed and page.id in previously):
                correct_again(page, lexicon)
                applied.again.append(page.id)
            if near:
                applied.corrected.append(page.id)
    return lexicon, applied


def _settle(
    path: Path, read: dict[str, list[str]], read_before: object, index_pages: list[str]
) -> dict[str, list[str]]:
    """The names to apply: NAMES_FILE as the editor left it, with the names the pages print now that they did
    not at the last run appended; when there is no file, the names read, written as a new one (none is
    written for a volume without an index or glossary page)."""
    kept = read_names(path)
    if kept is None:
        if read:
            atomic_write(path, _header(index_pages) + _sections(read))
        return read
    before = read_before if isinstance(read_before, dict) else {}
    added = {k: new for k, v in read.items() if (new := [n for n in v if n not in before.get(k, [])])}
    added = {k: new for k, v in added.items() if (new := [n for n in v if n not in kept.get(k, [])])}
    if added:
        text = path.read_text(encoding="utf-8", errors="replace")
        atomic_write(path, text + ("\n" if text and not text.endswith("\n") else "") + _sections(added))
        kept = read_names(path) or {}
    return kept


def _header(index_pages: list[str]) -> str:
    return (
        f"# The names this volume prints in its index and glossary pages ({', '.join(index_pages)}), as ocrfix read\n"
        "# them. `ocrfix run` corrects the other pages' words with them. Mend, add or remove names, one a line\n"
        f"# under its kind (`{KIND_LINE}person`, organisation, place, publication, unknown), and run again to apply\n"
        "# the edit; delete the file to have them read from the pages again.\n"
    )


def _sections(by_kind: Mapping[str, Sequence[str]]) -> str:
    return "".join(f"{KIND_LINE}{kind}\n" + "".join(f"{name}\n" for name in names) for kind, names in by_kind.items())


def read_names(path: Path) -> dict[str, list[str]] | None:
    """NAMES_FILE's names by kind, as a dictionary file's entries (`lexicon.read_entries`); a name before any
    kind line is `unknown`. None when there is no file (or it cannot be read: it is written again)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")  # bytes of another encoding: U+FFFD, the rest kept
    except OSError:
        return None
    sections: dict[str, list[str]] = {}
    kind = "unknown"
    with tempfile.TemporaryDirectory(prefix="ocrfix-names-") as scratch:
        for line in text.splitlines():
            if line.startswith(KIND_LINE) and line[len(KIND_LINE) :].strip():
                kind = " ".join(line[len(KIND_LINE) :].split())
                sections.setdefault(kind, [])
            else:
                sections.setdefault(kind, []).append(line)
        entries = {}
        for k, lines in sections.items():
            (part := Path(scratch) / "part.txt").write_text("\n".join(lines), encoding="utf-8")
            entries[k] = list(dict.fromkeys(lexicons.read_entries(part)))
    return {k: v for k, v in entries.items() if v}


@contextmanager
def _extended(
    base: lexicons.Lexicon, dictionaries: tuple[Path, ...], added: Mapping[str, Sequence[str]]
) -> Iterator[lexicons.Lexicon]:
    """The run's lexicon with the names added, each of its kind (`base` when there are none)."""
    if not added:
        yield base
        return
    with tempfile.TemporaryDirectory(prefix="ocrfix-names-") as scratch:
        yield lexicons.load(dictionaries + write_dictionaries(added, Path(scratch)))


def applied_lexicon(
    out: Path, base: lexicons.Lexicon, dictionaries: tuple[Path, ...], last: Mapping[str, Any] | None
) -> lexicons.Lexicon:
    """The lexicon the last volume step used (for outputs rendered again after a review): `base` extended by
    NAMES_FILE's names when the file is the one that run applied."""
    if file_changed(out, last) or not earlier(last).get("sha256"):
        return base
    names = read_names(out / NAMES_FILE) or {}
    with _extended(base, dictionaries, new_entries(names, base)) as lexicon:
        return lexicon


def _reach(added: Mapping[str, Sequence[str]], base: lexicons.Lexicon) -> Callable[[Page], bool]:
    """Whether the names can change a page's correction: a word of its body as read is a word of a name, folded
    (`Fabrega`, restored to `Fàbrega`), or, when no lexicon knows it, near one (at most 1 edit for a word under
    6 letters, 2 from 6: the reach of the corrector's candidates for an unknown word, `repairs.unknown.candidate_edits`). Only
    the names' words the lexicon does not know as printed, or that carry diacritics, count: `Party` or `Nin`
    in a name changes no reading of them."""
    words = {
        lexicons.fold(w)
        for names in added.values()
        for name in names
        for w in name.split()
        if not base.knows(w) or lexicons.strip_accents(w) != w
    }
    choices = sorted(words)

    def near(page: Page) -> bool:
        cores = {
            core for line in page.lines if line.role != "noise" for w in line.words if (core := split_token(w.raw)[1])
        }
        return any(
            lexicons.fold(core) in words
            or not base.knows(core)
            and process.extractOne(
                lexicons.fold(core), choices, scorer=Levenshtein.distance, score_cutoff=candidate_edits(core)
            )
            for core in cores
        )

    return near if words else lambda _page: False


def correct_again(page: Page, lexicon: lexicons.Lexicon) -> None:
    """The page's correction undone (the page step's other changes kept: footnote markers, noise), then done
    again with `lexicon`, as the page step does it: its running heads read as body until the volume pass
    marks them again."""
    for line in page.lines:
        if line.role in ("head", "folio"):
            line.role = "body"
        for word in line.words:
            kept = list(itertools.takewhile(lambda c: not _correction(c), word.changes))
            word.changes = kept
            word.final = next((c.final for c in reversed(kept) if c.applied), word.raw)
    correct_page(page, Corrector(lexicon))


def _correction(change: Change) -> bool:
    """A change the word correction made (a repair's, or a word joined to the one before by it)."""
    return change.repair in _REPAIRS or (change.joined and not change.repair and change.reason == JOINED_TO_PREVIOUS)
