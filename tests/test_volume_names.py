"""The volume's own names from its index and glossary pages (`volume_names`): the seed's glossary, an index page
set by the samples' generator from the persons the seed names, and real body pages that are neither."""

from __future__ import annotations

import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from conftest import BLN600, OLDBOOKS, ROOT, SAMPLES, SHARED, need
from ocrfix.lexicon import Lexicon, read_entries
from ocrfix.volume_names import shape_of, volume_dictionary, volume_names

SEED = SHARED / "seed" / "serge-trotsky-papers.md"


def _seed_lines() -> list[str]:
    return need(SEED).read_text(encoding="utf-8").splitlines()


def _section(lines: list[str], heading: str) -> list[str]:
    """The lines under a `##` heading of the seed, up to the next one."""
    start = lines.index(heading) + 1
    end = next(k for k in range(start, len(lines)) if lines[k].startswith("## "))
    return lines[start:end]


def _locators(numbers: list[int]) -> str:
    """Page numbers as an index prints them: runs as ranges, the second number cut to its changed digits
    (`112–14`)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    out = []
    for run in runs:
        first, last = str(run[0]), str(run[-1])
        same = 0
        while len(last) == len(first) and same < len(first) - 1 and first[same] == last[same]:
            same += 1
        out.append(first if len(run) == 1 else f"{first}–{last[same:]}")
    return ", ".join(out)


@cache
def seed_persons() -> list[tuple[str, str]]:
    """(name, index entry) for each person of `people.txt` the seed names in full, in an index's order; the
    seed's line numbers stand for the pages (an index's locators are numbers and ranges of them)."""
    lines = _seed_lines()
    text = "\n".join(lines)
    persons = []
    for entry in (e for e in read_entries(ROOT / "dictionaries" / "people.txt") if e in text):
        words = entry.split()
        places = [n for n, line in enumerate(lines, start=1) if re.search(rf"\b{re.escape(entry)}\b", line)]
        if len(words) < 2 or not places:
            continue
        given = words[:-1]
        surname = words[-1]
        persons.append((entry, f"{surname}, {' '.join(given)}, {_locators(places)}"))
    return sorted(persons, key=lambda p: p[1])


def test_the_seeds_glossary_read_as_organisations():
    glossary = _section(_seed_lines(), "## Glossary of Organisations")
    names = volume_names(glossary)
    found = {v.name for v in names}
    assert {v.kind for v in names} == {"organisation"}
    # every entry's acronym, as the glossary prints it at the start of its line
    acronyms = {m[1] for line in glossary if (m := re.match(r"^[-\s*]*([A-Z]{2,})\*\*", line))}
    assert len(acronyms) > 20 and acronyms <= found
    # expansions and translations a reader checks, as printed, accents kept
    for line in glossary:
        if line.lstrip("-* ").startswith("POUM"):
            assert "Partido Obrero de Unificación Marxista" in line
    assert {"Partido Obrero de Unificación Marxista", "Workers Party of Marxist Unity"} <= found
    assert {"Confédération Générale du Travail", "Federación Anarquista Ibérica"} <= found
    # a description is no name: `GPU The Soviet security police, absorbed into the NKVD in 1939.`
    assert not any("police" in name or "counter-revolutionary" in name for name in found)


def test_the_whole_seed_gives_only_its_glossary():
    """Read as one text (`ocrfix correct`), the seed's contents page, chronology and prose give nothing."""
    lines = _seed_lines()
    start = lines.index("## Glossary of Organisations")
    end = lines.index("## Chronology")
    assert {v.line for v in volume_names(lines)} <= set(range(start + 1, end + 1))
    assert volume_names(lines)


def test_an_index_page_of_the_seeds_persons_read_back():
    persons = seed_persons()
    assert len(persons) > 20
    page = [entry for _, entry in persons]
    assert shape_of(page) == "index"
    names = volume_names(page)
    assert {v.kind for v in names} == {"person"}
    assert [v.name for v in names] == [name for name, _ in persons]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Nin, Andrés, 45, 112–14", ["Andrés Nin"]),
        ("Trotsky, Leon, 3, 17n, 201–5", ["Leon Trotsky"]),
        ("Zwanenberg, Roger van, xiv", ["Roger van Zwanenberg"]),
        ("Zborowski, Mark ('Étienne'), 160; see also GPU", ["Mark Zborowski", "Étienne"]),
        ("Cheka, see GPU", ["Cheka"]),
        ("Kronstadt rising, 150–62", []),  # a subject, not a name
        ("letters to Sedov, 45–52", []),  # a sub-entry
        ("115, 130–2", []),  # locators run on
    ],
)
def test_index_entries(line: str, names: list[str]):
    page = [line] + [entry for _, entry in seed_persons()[:6]]
    assert [v.name for v in volume_names(page) if v.line == 1] == names


def _body_pages() -> list[Path]:
    return (
        sorted(SAMPLES.glob("gt/*.gt.txt"))
        + sorted(need(OLDBOOKS).glob("*.gt.txt"))
        + sorted(need(BLN600).glob("*.gt.txt"))
    )


def test_no_body_page_is_an_index_or_a_glossary():
    pages = _body_pages()
    assert len(pages) > 300
    taken = [p.name for p in pages if shape_of(p.read_text(encoding="utf-8").splitlines()) is not None]
    assert taken == []


def test_the_volume_dictionary_adds_what_the_dictionaries_lack(lex: Lexicon):
    glossary = volume_names(_section(_seed_lines(), "## Glossary of Organisations"))
    added = volume_dictionary(glossary, lex)
    assert list(added) == ["organisation"]
    assert added["organisation"] and not set(added["organisation"]) & lex.kinds.keys()
    assert len(added["organisation"]) == len(set(added["organisation"]))
    lacking = [v.name for v in glossary if v.name not in lex.kinds]
    assert set(added["organisation"]) <= set(lacking)


def test_an_ocr_reading_without_accents_does_not_teach_the_plain_form(lex: Lexicon):
    """An index page OCR read without accents (`Nin, Andres`) adds nothing: the dictionary's `Andrés Nin` stays
    the one restored, and the other persons are the dictionary's already."""
    names = volume_names([entry.replace("Andrés", "Andres") for _, entry in seed_persons()])
    assert "Andres Nin" in {v.name for v in names}
    assert volume_dictionary(names, lex) == {}


def generator() -> ModuleType:
    for module in ("cv2", "pyphen"):
        pytest.importorskip(module)
    if not Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf").exists():
        pytest.skip("fonts-liberation is not installed")
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)
    spec.loader.exec_module(module)
    return module


def test_the_seeds_glossary_set_as_printed_gives_the_same_names():
    """Set at the samples' measure by their generator, the glossary's entries wrap over several lines (no
    markdown marks the entries any more): its names are those of the markdown all the same."""
    gen = generator()
    glossary = [line for line in _section(_seed_lines(), "## Glossary of Organisations") if line.strip("- ")]
    book = gen.set_book("Glossary", [gen._parse_inline(line.lstrip("- ")) for line in glossary])
    printed = [line.text(book.paras) for line in book.lines]
    assert len(printed) > 2 * len(glossary)
    assert shape_of(printed) == "glossary"
    assert [v.name for v in volume_names(printed)] == [v.name for v in volume_names(glossary)]


@pytest.mark.slow
def test_an_index_page_set_and_scanned_then_read_by_ocr():
    """The seed's persons set as an index page (the samples' type, flush left, a running head), scanned like
    the clean sample page, read by Tesseract: still an index, and its persons read back."""
    from ocrfix.ocr import read_lines

    gen = generator()
    persons = seed_persons()
    paras = [gen.Paragraph(entry, "r" * len(entry)) for _, entry in persons]
    book = gen.set_book("Index", paras, geo=gen.Geometry(indent_pt=0.0, opening_lines=0))
    spec = gen.PageSpec("index.png", 2, dpi=300, skew=0.3, blur=0.5, noise=0.012, white_point=0.89)
    scan = gen.make_page(book, spec, seed=1994)
    lines = [line.text for line in read_lines(scan.pixels, "eng", 300.0)]
    assert shape_of(lines) == "index"
    read = {v.name for v in volume_names(lines)}
    wanted = {name for name, entry in persons if any(entry.startswith(line) for line in scan.lines[1:])}
    assert len(wanted) > 20  # the entries the page holds (the rest run over onto the next)
    assert len(read & wanted) >= 0.9 * len(wanted)
