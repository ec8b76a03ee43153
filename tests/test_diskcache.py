"""Data kept between runs in the user's cache folder: built once for the same inputs, rebuilt when one
changes (a dictionary edited), never read damaged."""

from pathlib import Path

import pytest

from ocrfix import diskcache
from ocrfix.lexicon import default_dictionary_dir, read_entries


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
