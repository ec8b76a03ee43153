"""The names index (`OUT/names.tsv`): the dictionary names of a run's final text, their kinds, the variants
read and their places, checked entry by entry on lines of the seed volume and names from the dictionaries."""

from pathlib import Path

import pytest

from ocrfix import outputs
from ocrfix.correct.page import correct_page
from ocrfix.correct.words import Corrector
from ocrfix.lexicon import Lexicon
from ocrfix.model import Line, Page, Word
from ocrfix.names import HEADER, names_rows
from ocrfix.pipeline import PageResult, Settings, finish_volume, render_outputs


def _line(text: str, y: int, role: str = "body") -> Line:
    """A line of words 20 px a letter wide, 15 px apart, at height y, read confidently."""
    words, x = [], 200
    for w in text.split():
        words.append(Word(raw=w, box=(x, y, x + 20 * len(w), y + 40), conf=95.0))
        x += 20 * len(w) + 15
    return Line(box=(200, y, 1500, y + 40), words=words, block=1, par=1, role=role)


def _page(page_id: str, lines: list[Line]) -> Page:
    return Page(page_id, f"{page_id}.png", 0, 1700, 2400, 300.0, False, 0, 0.0, [], "eng", lines)


def _volume(corrector: Corrector) -> list[Page]:
    """Two pages as a run leaves them: the first corrected (accents restored, `C oyoacan` joined), the
    second as read, under a running head."""
    first = _page(
        "p1",
        [
            _line("Correspondence and Other Writings between Victor Serge and Leon Trotsky", 150),
            _line("with the former members of the Spanish Left Opposition led by Andres Nin.", 210),
            _line("Trotsky lived at Coyoacan, where Gorkinson wrote to him from C oyoacan", 270),
            _line("in the house at Coyoacán. The Norwegians held him at Honefoss.", 330),
        ],
    )
    correct_page(first, corrector)
    second = _page("p2", [_line("Leon Trotsky", 80, role="head"), _line("Andrés Nin wrote from Coyoacan¹ to", 150)])
    return [first, second]


def test_the_names_index_of_a_small_run_entry_by_entry(lex: Lexicon, corrector: Corrector):
    pages = _volume(corrector)
    assert [line.text for line in pages[0].lines[1:]] == [
        "with the former members of the Spanish Left Opposition led by Andrés Nin.",
        "Trotsky lived at Coyoacán, where Gorkinson wrote to him from Coyoacán",
        "in the house at Coyoacán. The Norwegians held him at Hønefoss.",
    ]
    assert names_rows(pages, lex) == [
        ("Andrés Nin", "person", "Andres Nin", "p1:2; p2:2"),  # a phrase, restored; `Nin` alone is not indexed
        ("Coyoacán", "place", "C oyoacan|Coyoacan", "p1:3,4; p2:2"),  # p2 keeps `Coyoacan¹` as read
        ("Hønefoss", "place", "Honefoss", "p1:4"),
        ("Leon Trotsky", "person", "", "p1:1"),  # not p2's running head
        ("Spanish Left Opposition", "organisation", "", "p1:2"),  # the longest phrase, not `Left Opposition`
        ("Trotsky", "person", "", "p1:3"),
        ("Victor Serge", "person", "", "p1:1"),
    ]  # `Gorkinson`, an unknown name, and `Norwegians` are not dictionary names


def test_a_name_in_two_dictionaries_has_both_kinds(lex: Lexicon):
    both = next(entry for entry, kinds in lex.kinds.items() if len(kinds) > 1 and " " not in entry)
    assert names_rows([_page("p1", [_line(f"{both} again", 150)])], lex) == [
        (both, "|".join(lex.kinds[both]), "", "p1:1")
    ]


def test_the_volume_step_writes_names_tsv_and_rewrites_it_when_damaged(tmp_path: Path, corrector: Corrector):
    out, settings = tmp_path / "out", Settings(lang="eng")
    pages = _volume(corrector)
    for page in pages:
        outputs.write_page(page, out)
    results = [PageResult(p.id, p.source, 0, "done") for p in pages]
    run = finish_volume(results, out, settings, {}, ())
    index = out / "names.tsv"
    written = index.read_text(encoding="utf-8")
    assert written.splitlines()[:2] == ["\t".join(HEADER), "Andrés Nin\tperson\tAndres Nin\tp1:2; p2:2"]
    assert run["outputs"]["names.tsv"] == outputs.file_digest(index)
    index.write_text("damaged by hand\n", encoding="utf-8")
    finish_volume([PageResult(p.id, p.source, 0, "done", cached=True) for p in pages], out, settings, {}, ())
    assert index.read_text(encoding="utf-8") == written


def test_a_reviewers_edit_reaches_the_names_index(tmp_path: Path, corrector: Corrector, lex: Lexicon):
    """Outputs re-rendered after review decisions (`render_outputs`) carry the edited name: no stale index."""
    out = tmp_path / "out"
    pages = _volume(corrector)
    render_outputs(pages, out, (), lex)
    assert not any(row.startswith("Rosmer\t") for row in (out / "names.tsv").read_text(encoding="utf-8").splitlines())
    word = pages[1].lines[1].words[3]  # `to`, ending the line, edited by a reviewer into a dictionary name
    word.final = "Rosmer."
    render_outputs(pages, out, (), lex)
    assert any(row.startswith("Rosmer\t") for row in (out / "names.tsv").read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    ("line", "name", "indexed"),
    [
        # a translation in brackets is a name for all its opening bracket
        (
            "- CNT** Confederación Nacional del Trabajo (National Confederation of Labour). The",
            "National Confederation of Labour",
            True,
        ),
        # an English word is not the plain form of the journal `Révolution`
        (
            "'The Proletarian Revolution', revolutionary-syndicalist newspaper founded in 1925.",
            "Révolution",
            False,
        ),
        # read without accents, the entry printed with capitals, not its lower-case twin
        (
            "- CGT** Confederation Generale du Travail (General Confederation of Labour). The",
            "Confédération Générale du Travail",
            True,
        ),
    ],
)
def test_names_of_the_seeds_glossary_lines(lex: Lexicon, line: str, name: str, indexed: bool):
    """Lines of the seed's glossary (the last as OCR without accents reads it), indexed as body lines."""
    assert (name in {row[0] for row in names_rows([_page("p1", [_line(line, 150)])], lex)}) is indexed
