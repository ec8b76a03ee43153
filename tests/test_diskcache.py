"""Data kept between runs in the user's cache folder: built once for the same inputs, rebuilt when one
changes (a dictionary edited), never read damaged; and what each kind read from it does as the data built does:
the SymSpell index's deletes, the report's template."""

from pathlib import Path

import pytest
from symspellpy import SymSpell, Verbosity

from ocrfix import diskcache
from ocrfix.correct.repairs.unknown import _Deletes, _indexed_words, _symspell_tables
from ocrfix.lexicon import Lexicon, default_dictionary_dir, read_entries
from ocrfix.model import Change, Line, Page, Word
from ocrfix.review.report import write_report


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(folder))
    return folder


def _entries(dictionary: Path, builds: list[Path]):
    """The dictionary's entries as the cache keeps them, counting the builds."""

    def build() -> list[str]:
        builds.append(dictionary)
        return read_entries(dictionary)

    return diskcache.cached("entries", dictionary.read_bytes(), build)


def test_a_dictionary_is_built_once_then_read_and_rebuilt_when_it_changes(cache: Path, tmp_path: Path):
    dictionary = tmp_path / "places.txt"
    dictionary.write_bytes((default_dictionary_dir() / "places.txt").read_bytes())
    builds: list[Path] = []
    first = _entries(dictionary, builds)
    assert "Coyoacán" in first and _entries(dictionary, builds) == first
    assert len(builds) == 1
    dictionary.write_text(dictionary.read_text(encoding="utf-8") + "Hønefoss\n", encoding="utf-8")
    changed = _entries(dictionary, builds)
    assert len(builds) == 2 and changed == [*first, "Hønefoss"]


def test_two_dictionaries_used_in_turn_are_each_built_once_and_only_the_last_used_are_kept(cache: Path, tmp_path: Path):
    """A run with a volume's own names uses the lexicon's index and an extended one: neither evicts the other."""
    base = (default_dictionary_dir() / "places.txt").read_text(encoding="utf-8")
    versions = []
    for n in range(diskcache.KEPT + 1):
        dictionary = tmp_path / f"places{n}.txt"
        dictionary.write_text(base + f"Placename{n}\n", encoding="utf-8")
        versions.append(dictionary)
    builds: list[Path] = []
    for _ in range(3):
        _entries(versions[0], builds), _entries(versions[1], builds)
    assert builds == versions[:2]
    for dictionary in versions[2:]:
        _entries(dictionary, builds)
    assert len(list(cache.glob("entries-*.marshal"))) == diskcache.KEPT
    _entries(versions[0], builds)  # used least lately: removed, built again
    assert builds == [*versions, versions[0]]


def test_a_damaged_entry_is_built_again(cache: Path, tmp_path: Path):
    dictionary = default_dictionary_dir() / "places.txt"
    builds: list[Path] = []
    first = _entries(dictionary, builds)
    (entry,) = cache.glob("entries-*.marshal")
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # a run killed as it wrote, a full disk
    assert _entries(dictionary, builds) == first and len(builds) == 2
    assert _entries(dictionary, builds) == first and len(builds) == 2  # and the entry mended


def test_without_a_writable_cache_the_data_is_built_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(blocked / "cache"))
    builds: list[Path] = []
    dictionary = default_dictionary_dir() / "places.txt"
    assert _entries(dictionary, builds) == _entries(dictionary, builds) == read_entries(dictionary)
    assert len(builds) == 2


LINE = "They ascended together till theytwere about five hundied Fards above the Anglo-Saxon periods of Hønefoss"
"""BLN600 3200810766's line (words run together, a glyph misread), and a name with a letter Unicode keeps whole."""


def test_the_index_s_deletes_as_cached_answer_as_symspellpy_s_own(lex: Lexicon):
    """The index as its cache entry keeps it (`_Deletes`) finds what symspellpy's own dict finds: the same words,
    in the same order, for each delete, and the same suggestions for a line's readings (a few thousand words of
    the lexicon's index, so that it is quick to build)."""
    words = _indexed_words(lex)[:3000] + [(w.lower(), 1000) for w in LINE.split()]
    own = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word, count in words:
        own.create_dictionary_entry(word, count)
    tables = _symspell_tables(SymSpell(max_dictionary_edit_distance=2, prefix_length=7), words)
    cached = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    cached._words, cached._max_length = tables["words"], tables["max_length"]
    cached._deletes = _Deletes(tables["deletes"], tables["suggestions"], tables["starts"])
    assert all(d in cached._deletes and cached._deletes[d] == found for d, found in own._deletes.items())
    assert "zzqx" not in cached._deletes and "" in cached._deletes
    for reading in (*LINE.lower().split(), "theytwere", "hundied", "hgnefoss", "anglo-saxom"):
        for edits in (1, 2):
            assert cached.lookup(reading, Verbosity.ALL, edits) == own.lookup(reading, Verbosity.ALL, edits), reading
        assert (
            cached.word_segmentation(reading, 1).corrected_string == own.word_segmentation(reading, 1).corrected_string
        )


def test_the_report_from_a_cached_template_is_the_one_compiled(cache: Path, tmp_path: Path):
    word = Word("Andres", (0, 0, 10, 10), 95.0, changes=[Change("Andres", "Andrés", "dictionary name", 0.7, False)])
    pages = [Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [Line((0, 0, 100, 10), [word], 1, 1)])]
    cache.mkdir(parents=True, exist_ok=True)
    reports = []
    for _ in ("compiled", "read"):
        write_report(pages, tmp_path / "out", knows=lambda w: w != "Andres")
        reports.append((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
        assert len(list(cache.glob("__jinja2_*.cache"))) == 1  # Jinja's bytecode cache: one file, kept
    assert reports[0] == reports[1] and "Andrés" in reports[1]
