"""The lexicon's tables kept in the user's cache: a dictionary edited is a new entry holding its new names, an
entry read gives the lexicon a build gives, and a damaged one is built again."""

from pathlib import Path

import pytest

from ocrfix import lexicon
from ocrfix.lexicon import Lexicon, default_dictionary_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(folder))
    return folder


def _fresh(*files: Path) -> Lexicon:
    """`lexicon.load` as a new process does it: not the lexicon this one loaded earlier (nor kept for later)."""
    return lexicon._load.__wrapped__(files)


def _tables(lex: Lexicon) -> tuple[object, ...]:
    return (lex.bigrams, lex.english_words, lex.names, lex.phrases, lex.folded_names, lex.kinds)


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("lexicon-*.marshal"))


def test_an_edited_dictionary_is_a_new_entry_with_its_new_name(cache: Path, tmp_path: Path):
    places = tmp_path / "volume-places.txt"
    places.write_text((default_dictionary_dir() / "places.txt").read_text(encoding="utf-8"), encoding="utf-8")
    first = _fresh(places)
    assert len(_entries(cache)) == 1 and not first.knows("Tvøroyri")
    assert _tables(_fresh(places)) == _tables(first) and len(_entries(cache)) == 1  # read, not built again
    places.write_text(places.read_text(encoding="utf-8") + "Tvøroyri\n", encoding="utf-8")
    edited = _fresh(places)
    assert len(_entries(cache)) == 2
    assert edited.knows("Tvøroyri") and edited.kinds["Tvøroyri"] == ("volume-places",)
    assert edited.has_accented_form("Tvgroyri")  # the look-alike Tesseract reads, as a build files it


def test_a_lexicon_read_from_the_cache_is_the_one_built(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    built = _fresh()
    read = _fresh()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("OCRFIX_CACHE_DIR", str(blocked / "cache"))
    uncached = _fresh()
    assert _tables(read) == _tables(built) == _tables(uncached)
    assert read.phrase(["Andre", "Soudy"], ("andre", "soudy")) == ("André", "Soudy")
    assert read.bigram("of", "the") == uncached.bigram("of", "the") > 0


def test_a_damaged_entry_is_built_again(cache: Path):
    built = _fresh()
    (entry,) = _entries(cache)
    size = entry.stat().st_size
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # a run killed as it wrote, a full disk
    again = _fresh()
    assert _tables(again) == _tables(built)
    assert entry.stat().st_size == size and _tables(_fresh()) == _tables(built)  # and the entry mended
