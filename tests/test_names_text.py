"""`ocrfix correct --names`: a text volume's names index, and its glossary as a dictionary of its correction,
on the seed volume."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SHARED, need
from ocrfix.cli import app
from ocrfix.lexicon import Lexicon
from ocrfix.names import HEADER
from ocrfix.volume_names import volume_dictionary, volume_names

SEED = SHARED / "seed" / "serge-trotsky-papers.md"


def _correct(*args: str | Path) -> None:
    result = CliRunner().invoke(app, ["correct", *map(str, args)])
    assert result.exit_code == 0, result.output


def _rows(path: Path) -> dict[str, list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(HEADER)
    return {row.split("\t")[0]: row.split("\t") for row in lines[1:]}


@pytest.fixture(scope="module")
def seed() -> str:
    return need(SEED).read_text(encoding="utf-8")


@pytest.mark.slow  # two corrections of the whole seed
def test_the_glossary_keeps_the_volumes_own_spelling(tmp_path: Path, seed: str):
    """Corrected with its own names, the seed keeps what its glossary prints; without them, the dictionaries
    rewrite it: every line the two corrections differ on reads, with the volume's names, as the seed prints it."""
    source = tmp_path / "seed.md"
    source.write_text(seed, encoding="utf-8")
    _correct(source, "-o", tmp_path / "with.md", "--names", tmp_path / "names.tsv")
    _correct(source, "-o", tmp_path / "without.md")
    printed = seed.split("\n")
    with_names = (tmp_path / "with.md").read_text(encoding="utf-8").split("\n")
    without = (tmp_path / "without.md").read_text(encoding="utf-8").split("\n")
    differing = [k for k, (a, b) in enumerate(zip(with_names, without, strict=True)) if a != b]
    assert differing
    assert all(with_names[k] == printed[k] for k in differing)
    glossary = {v.line for v in volume_names(printed)}
    assert all(k + 1 in glossary for k in differing)


@pytest.mark.slow  # two corrections of the whole seed
def test_the_names_index_of_a_text_volume_read_as_lines_or_reflowed(tmp_path: Path, seed: str, lex: Lexicon):
    """The glossary's names that no dictionary lists (the volume dictionary) are indexed as organisations at their
    glossary lines; a
    name OCR read without its accents is indexed under the dictionary's form with the reading as its variant."""
    printed = seed.split("\n")
    read = {v.name: v.line for v in volume_names(printed)}
    plain = next(name for name in read if lex.kinds.get(name) == ("organisation",) and not name.isascii())
    stripped = re.sub(r"[áéíóú]", lambda m: "aeiou"["áéíóú".index(m[0])], plain)
    source = tmp_path / "volume.txt"
    source.write_text(seed.replace(plain, stripped, 1), encoding="utf-8")
    _correct(source, "-o", tmp_path / "out.txt", "--names", tmp_path / "names.tsv")
    rows = _rows(tmp_path / "names.tsv")
    own = volume_dictionary(volume_names(printed), lex)["organisation"]
    assert own
    for name in own:
        assert rows[name][1] == "organisation"
        text, lines = rows[name][3].split(":")
        assert text == str(source) and str(read[name]) in lines.split(",")
    assert stripped in rows[plain][2].split("|")
    # the reading text (`--reflow`) names the same, of the same kinds
    _correct(source, "--reflow", "-o", tmp_path / "reading.txt", "--names", tmp_path / "reflowed.tsv")
    reflowed = _rows(tmp_path / "reflowed.tsv")
    assert {name: row[1] for name, row in reflowed.items()} == {name: row[1] for name, row in rows.items()}


def test_names_needs_files(tmp_path: Path):
    result = CliRunner().invoke(app, ["correct", "--names", str(tmp_path / "names.tsv")], input="Andres Nin\n")
    assert result.exit_code == 2 and "--names needs input files" in result.output
