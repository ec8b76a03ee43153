"""The lexicon's frequencies and tables kept in the user's cache: a dictionary edited is a new entry holding its
new names (and a new digest, which keys the indexes built on the lexicon), an entry read gives the lexicon a build
gives, without importing wordfreq, and a damaged one is built again."""

import subprocess
import sys
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
    return (lex.frequencies, lex.bigrams, lex.english_words, lex.names, lex.phrases, lex.folded_names, lex.kinds)


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("lexicon-*.marshal"))


def test_an_edited_dictionary_is_a_new_entry_with_its_new_name(cache: Path, tmp_path: Path):
    places = tmp_path / "volume-places.txt"
    places.write_text((default_dictionary_dir() / "places.txt").read_text(encoding="utf-8"), encoding="utf-8")
    first = _fresh(places)
    assert len(_entries(cache)) == 1 and not first.knows("Tvøroyri")
    again = _fresh(places)
    assert _tables(again) == _tables(first) and len(_entries(cache)) == 1  # read, not built again
    assert again.digest == first.digest
    places.write_text(places.read_text(encoding="utf-8") + "Tvøroyri\n", encoding="utf-8")
    edited = _fresh(places)
    assert len(_entries(cache)) == 2 and edited.digest != first.digest
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
    assert read.frequency("gaol", "en") == uncached.frequency("gaol", "en") > 0
    assert read.languages_of("travail") == uncached.languages_of("travail") == ("en", "fr", "es")


def test_a_lexicon_read_from_the_cache_needs_no_wordfreq(cache: Path):
    """A run whose lexicon is in the cache imports no wordfreq (nor its langcodes and ftfy)."""
    code = "import sys; from ocrfix import lexicon; lexicon.load(); print('wordfreq' in sys.modules)"

    def imports_wordfreq() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()

    assert [imports_wordfreq(), imports_wordfreq()] == ["True", "False"]  # built, then read


def test_a_damaged_entry_is_built_again(cache: Path):
    built = _fresh()
    (entry,) = _entries(cache)
    size = entry.stat().st_size
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # a run killed as it wrote, a full disk
    again = _fresh()
    assert _tables(again) == _tables(built)
    assert entry.stat().st_size == size and _tables(_fresh()) == _tables(built)  # and the entry mended
