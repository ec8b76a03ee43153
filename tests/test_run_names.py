"""The volume's own names in a run (`run_names`, through the volume step `pipeline.finish_volume`): index pages
set by the samples' generator from the seed's persons, a body page of the samples' truth read without accents,
the names file an editor mends, and the run again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from ocrfix import outputs
from ocrfix.correct.page import correct_page
from ocrfix.correct.words import Corrector
from ocrfix.lexicon import Lexicon, strip_accents
from ocrfix.model import Line, Page, Word
from ocrfix.pipeline import PageResult, Settings, finish_volume, render_outputs, run_outcome
from ocrfix.run_names import NAMES_FILE, correct_again, read_names
from ocrfix.volume_names import volume_names
from test_volume_names import generator, seed_persons

OTHER = ("Narcís Molins i Fàbrega", "Molins i Fàbrega, Narcís, 88–90")
"""A leader of the POUM whom the seed's persons and the dictionaries lack (the test checks that they do): a
name only the volume's index lists."""
UNKNOWN = "Gorkinson"
"""A name neither the index nor a dictionary lists."""


def _line(text: str, y: int) -> Line:
    """A line of words 20 px a letter wide, 15 px apart, at height y, read confidently."""
    words, x = [], 200
    for w in text.split():
        words.append(Word(raw=w, box=(x, y, x + 20 * len(w), y + 40), conf=95.0))
        x += 20 * len(w) + 15
    return Line(box=(200, y, 1500, y + 40), words=words, block=1, par=1)


def _page(page_id: str, texts: list[str]) -> Page:
    lines = [_line(text, 150 + 60 * k) for k, text in enumerate(texts)]
    return Page(page_id, f"{page_id}.png", 0, 1700, 2400, 300.0, False, 0, 0.0, [], "eng", lines)


def _index_pages() -> list[list[str]]:
    """The seed's persons and OTHER set as index pages by the samples' generator (flush left): each page's lines."""
    gen = generator()
    entries = sorted([entry for _, entry in seed_persons()] + [OTHER[1]])
    book = gen.set_book("Index", [gen.Paragraph(e, "r" * len(e)) for e in entries], geo=gen.Geometry(indent_pt=0.0))
    return [[line.text(book.paras) for line in lines] for _, lines in sorted(book.pages.items())]


def _body(lex: Lexicon) -> list[str]:
    """A page of the samples' truth, with a line naming OTHER read without its accents and UNKNOWN."""
    lines = (SAMPLES / "gt" / "page3.gt.txt").read_text(encoding="utf-8").splitlines()
    assert OTHER[0] not in lex.kinds and not any(w in lex.names for w in OTHER[0].split() if w[0].isupper())
    return [*lines[:10], f"letters from {strip_accents(OTHER[0])} and from {UNKNOWN} in Barcelona", *lines[10:]]


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory, lex: Lexicon, corrector: Corrector) -> tuple[Path, list[Page]]:
    """A volume as the page step leaves it (each page corrected with the dictionaries alone) and its volume step."""
    out = tmp_path_factory.mktemp("run") / "out"
    pages = [_page("body", _body(lex))] + [_page(f"index{k}", lines) for k, lines in enumerate(_index_pages(), 1)]
    for page in pages:
        correct_page(page, corrector)
        outputs.write_page(page, out)
    assert strip_accents(OTHER[0]) in outputs.read_page(out, "body").lines[10].text  # the dictionaries cannot
    finish_volume([PageResult(p.id, p.source, 0, "done") for p in pages], out, Settings(lang="eng"), {}, ())
    return out, pages


@pytest.fixture
def run(volume: tuple[Path, list[Page]], tmp_path: Path) -> tuple[Path, list[Page]]:
    """A copy of the volume's output folder, for a test to edit and run again."""
    out = tmp_path / "out"
    shutil.copytree(volume[0], out, copy_function=shutil.copy2)
    return out, volume[1]


def _rerun(out: Path, pages: list[Page]) -> dict:
    return finish_volume(
        [PageResult(p.id, p.source, 0, "done", cached=True) for p in pages], out, Settings(lang="eng"), {}, ()
    )


def _line_read(out: Path) -> str:
    return outputs.read_page(out, "body").lines[10].text


def test_the_index_pages_names_reach_the_file_and_restore_a_name_on_another_page(run: tuple[Path, list[Page]]):
    out, pages = run
    index = [page for page in pages if page.id != "body"]
    printed = {v.name for page in index for v in volume_names(line.raw_text for line in page.lines)}
    listed = read_names(out / NAMES_FILE)
    assert listed is not None and set(listed["person"]) == printed
    assert {name for name, _ in seed_persons()} | {OTHER[0]} == printed
    assert _line_read(out) == f"letters from {OTHER[0]} and from {UNKNOWN} in Barcelona"  # restored; unknown as read
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))["volume_names"]
    assert (record["file"], record["names"], record["corrected"]) == (NAMES_FILE, len(printed), ["body"])
    assert record["pages"] == [page.id for page in index]
    names_tsv = (out / "names.tsv").read_text(encoding="utf-8")
    assert f"{OTHER[0]}\tperson\t{strip_accents(OTHER[0])}\tbody:11\n" in names_tsv
    assert f"{len(printed)} in" in (out / "report.html").read_text(encoding="utf-8").split('id="volume-names">')[1]


def test_an_edit_of_the_names_file_is_applied_by_the_next_run(run: tuple[Path, list[Page]]):
    out, pages = run
    path = out / NAMES_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(f"{OTHER[0]}\n", ""), encoding="utf-8")
    outcome = run_outcome(_rerun(out, pages))
    assert outcome == f"nothing new: {len(pages)} pages already done; 1 page corrected again for the volume's names"
    assert _line_read(out) == f"letters from {strip_accents(OTHER[0])} and from {UNKNOWN} in Barcelona"
    assert OTHER[0] not in (out / "names.tsv").read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8") as f:  # the editor puts it back, at the end, of its kind
        f.write(f"## person\n{OTHER[0]}\n")
    _rerun(out, pages)
    assert _line_read(out) == f"letters from {OTHER[0]} and from {UNKNOWN} in Barcelona"
    edited = path.read_text(encoding="utf-8")
    written = (out / "names.tsv").stat().st_mtime_ns
    run = _rerun(out, pages)  # nothing changed: the volume step is not done again, and the file stays the editor's
    assert run_outcome(run) == f"nothing new: {len(pages)} pages already done"
    assert (out / "names.tsv").stat().st_mtime_ns == written and path.read_text(encoding="utf-8") == edited


def test_a_deleted_names_file_is_read_from_the_pages_again(run: tuple[Path, list[Page]]):
    out, pages = run
    path = out / NAMES_FILE
    written = path.read_text(encoding="utf-8")
    path.unlink()
    _rerun(out, pages)
    assert path.read_text(encoding="utf-8") == written
    assert _line_read(out) == f"letters from {OTHER[0]} and from {UNKNOWN} in Barcelona"


def test_a_volume_without_an_index_has_no_names_file(tmp_path: Path, lex: Lexicon, corrector: Corrector):
    out = tmp_path / "out"
    page = _page("body", _body(lex))
    correct_page(page, corrector)
    outputs.write_page(page, out)
    run = finish_volume([PageResult("body", page.source, 0, "done")], out, Settings(lang="eng"), {}, ())
    assert not (out / NAMES_FILE).exists()
    assert run["volume_names"]["file"] is None and run["volume_names"]["names"] == 0
    assert 'id="volume-names"' not in (out / "report.html").read_text(encoding="utf-8")


def test_corrected_again_with_the_same_lexicon_a_page_is_as_the_page_step_left_it(lex: Lexicon, corrector: Corrector):
    """Undoing the correction keeps what is not the correction's; done again, it gives the same words and changes."""
    lines = (SAMPLES / "gt" / "page2.gt.txt").read_text(encoding="utf-8").splitlines()
    page = _page("p", [strip_accents(line).replace("the ", "tbe ").replace("o", "o ", 1) for line in lines])
    correct_page(page, corrector)
    before = page.to_json()
    assert any(w.changes for w in page.words)
    correct_again(page, lex)
    assert page.to_json() == before


def test_an_index_page_new_to_the_volume_adds_its_names_and_the_editors_edits_stay(
    tmp_path: Path, lex: Lexicon, corrector: Corrector
):
    out = tmp_path / "out"
    body, first, *more = [_page("body", _body(lex))] + [
        _page(f"index{k}", lines) for k, lines in enumerate(_index_pages(), 1)
    ]
    assert more
    for page in (body, first, *more):
        correct_page(page, corrector)
    for page in (body, first):
        outputs.write_page(page, out)
    finish_volume([PageResult(p.id, p.source, 0, "done") for p in (body, first)], out, Settings(lang="eng"), {}, ())
    path = out / NAMES_FILE
    removed = (read_names(path) or {})["person"][0]
    path.write_text(path.read_text(encoding="utf-8").replace(f"\n{removed}\n", "\n"), encoding="utf-8")
    for page in more:
        outputs.write_page(page, out)
    results = [PageResult(p.id, p.source, 0, "done", cached=True) for p in (body, first)]
    finish_volume(results + [PageResult(p.id, p.source, 0, "done") for p in more], out, Settings(lang="eng"), {}, ())
    listed = (read_names(path) or {})["person"]
    added = {v.name for page in more for v in volume_names(line.raw_text for line in page.lines)}
    assert removed not in listed and added <= set(listed)
    assert path.read_text(encoding="utf-8").startswith("# The names this volume prints")


def test_outputs_rendered_again_after_a_review_keep_the_volumes_names(run: tuple[Path, list[Page]]):
    """`ocrfix review` renders the outputs again from the records (`render_outputs`, no lexicon given): the names
    index still gives the volume's names, and the report its line."""
    out, pages = run
    names_tsv = (out / "names.tsv").read_text(encoding="utf-8")
    render_outputs([outputs.read_page(out, p.id) for p in pages], out, ())
    assert (out / "names.tsv").read_text(encoding="utf-8") == names_tsv and OTHER[0] in names_tsv
    assert 'id="volume-names"' in (out / "report.html").read_text(encoding="utf-8")
