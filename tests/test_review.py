"""The review loop without a browser: what is listed and grouped, snippets cut from the scan, decisions applied."""

import json
import shutil
from pathlib import Path

import pytest
import pytesseract

from conftest import SAMPLES, need
from ocrfix import lexicon
from ocrfix.model import Change, Line, Page, Word
from ocrfix.outputs import read_page
from ocrfix.pipeline import Settings, finish_volume, process_page
from ocrfix.review.decisions import apply_decisions, apply_to_run
from ocrfix.review.items import collect
from ocrfix.geometry import page_transform
from ocrfix.review.snippets import cut
from ocrfix.sources import list_pages, load_page


def _word(raw: str, final: str | None = None, conf: float = 95.0, change: Change | None = None) -> Word:
    return Word(raw=raw, box=(0, 0, 10, 10), conf=conf, final=final, changes=[change] if change else [])


def _pages() -> list[Page]:
    def andres(applied: bool) -> Word:
        return _word("Andres", "Andrés" if applied else None,
                     change=Change("Andres", "Andrés", "dictionary name with accents", 0.7, applied))

    line1 = Line((0, 0, 100, 10), [andres(True), _word("Nin"), _word("wrote")], 1, 1)
    line2 = Line((0, 20, 100, 30), [_word("to"), andres(False), _word("Qxzvb", conf=31.0)], 1, 1)
    stamp = Line((0, 40, 100, 50), [_word("PORT", conf=20.0), _word("ENTRY", conf=25.0)], 2, 1, role="noise")
    sure = Line((0, 60, 100, 70), [_word("tbe", "the", change=Change("tbe", "the", "OCR confusion", 0.99, True))], 1, 2)
    return [Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [line1, line2, stamp, sure])]


def test_identical_changes_are_one_group_and_sure_changes_are_not_listed():
    groups = collect(_pages())
    kinds = {(g.kind, g.raw, g.proposed): len(g.items) for g in groups}
    assert kinds == {("change", "Andres", "Andrés"): 2, ("unknown", "Qxzvb", "Qxzvb"): 1, ("noise", "PORT ENTRY", ""): 1}
    assert [g.confidence for g in groups] == sorted(g.confidence for g in groups)  # least sure first


def test_faint_readings_are_listed_when_probably_misread_not_when_a_known_word_stands_clean():
    # readings of the samples' run, each below Tesseract confidence 60: the first three were read right
    right = [_word("continuity", conf=0.0), _word("accountable", conf=11.0), _word("leading,", conf=52.0)]
    wrong = [_word("democ:acy.", conf=48.0), _word("effect.”", conf=3.0), _word("soviet.!°", conf=59.0), _word("amew", conf=57.0)]
    page = Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [Line((0, 0, 100, 10), right + wrong, 1, 1)])
    assert sorted(g.raw for g in collect([page])) == sorted(w.raw for w in wrong)


def test_decisions_set_the_words_and_applying_twice_changes_nothing():
    pages = _pages()
    by_kind = {g.kind: g for g in collect(pages)}

    def decision(kind: str, action: str, text: str | None = None) -> dict:
        g = by_kind[kind]
        return {"group": g.key, "kind": g.kind, "raw": g.raw, "proposed": g.proposed, "reason": g.reason,
                "action": action, "text": text, "items": [[i.page, i.line, i.word] for i in g.items]}

    decisions = [decision("change", "accept"), decision("unknown", "edit", "Quixote"), decision("noise", "reject")]
    first = apply_decisions(pages, decisions)
    lines = pages[0].lines
    assert [lines[0].words[0].final, lines[1].words[1].final, lines[1].words[2].final] == ["Andrés", "Andrés", "Quixote"]
    assert lines[2].role == "body"
    assert (first.words, first.lines) == (2, 1)  # the first Andrés was applied already
    assert lines[1].words[2].changes[-1].reason == "reviewer: edit"
    again = apply_decisions(pages, decisions)
    assert (again.words, again.lines) == (0, 0)


@pytest.mark.parametrize("page_id", ["page4", "page5"])  # skewed 1.6°; scanned upside down
def test_a_snippet_shows_the_word_of_its_box(page_id: str, tmp_path: Path):
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == page_id)
    page_result = process_page(ref, tmp_path, Settings(lang="eng", correct=False))
    assert page_result.status == "done"
    page = read_page(tmp_path, page_id)
    scan = load_page(ref).gray
    matrix = page_transform(page, scan.shape)
    words = [w for line in page.lines[3:30:6] for w in line.words if len(w.raw) >= 7 and w.raw.isalpha() and w.conf > 90]
    assert len(words) >= 3
    for w in words[:4]:
        snippet = cut(scan, matrix, w.box, context=0.5)
        read = pytesseract.image_to_string(snippet, lang="eng", config="--psm 7").strip()
        assert w.raw in read, (w.raw, read)


def test_apply_re_renders_the_run_and_remembers_accepted_names(tmp_path: Path):
    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copy(need(SAMPLES / "scans" / "page9.pdf"), scans)
    out = tmp_path / "out"
    ref = list_pages(scans)[0][0]
    settings = Settings(lang="eng")
    finish_volume([process_page(ref, out, settings)], out, settings, {})
    page = read_page(out, "page9")
    # a reviewer accepts a name the run left alone and rejects a change it made
    name_line = next(i for i, line in enumerate(page.lines) if line.role == "body" and len(line.words) > 3)
    word = page.lines[name_line].words[1]
    decisions = {"decisions": [{"group": "g1", "kind": "unknown", "raw": word.raw, "proposed": "Gorkinsky",
                                "reason": "read with low confidence", "action": "edit", "text": "Gorkinsky",
                                "items": [["page9", name_line, 1]]}]}
    (tmp_path / "decisions.json").write_text(json.dumps(decisions))
    result = apply_to_run(out, tmp_path / "decisions.json")
    assert result.words == 1 and result.learned == ("Gorkinsky",)
    assert "Gorkinsky" in (out / "pages" / "page9.lines.txt").read_text().splitlines()[name_line]
    assert "Gorkinsky" in (out / "volume.txt").read_text()
    assert 'CONTENT="Gorkinsky"' in (out / "pages" / "page9.alto.xml").read_text()  # the formats follow too
    assert "Gorkinsky" in lexicon.user_dictionary().read_text().split()
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert apply_to_run(out, tmp_path / "decisions.json").words == 0
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_rejected_change_is_not_proposed_again_in_that_context(tmp_path: Path, monkeypatch):
    import copy

    from ocrfix.correct.words import Corrector, Token
    from ocrfix.review.decisions import remember

    monkeypatch.setenv("OCRFIX_USER_DIR", str(tmp_path))
    line = Line((0, 0, 100, 10), [_word("the"), _word("Bolshevik"), _word("tbe"), _word("radical")], 1, 1)
    page = Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [line])
    tokens = [Token(w.raw) for w in line.words]
    assert [p.text for p in Corrector(lexicon.load()).propose(tokens)] == ["the"]
    remember([{"kind": "change", "action": "reject", "raw": "tbe", "proposed": "the", "items": [["p1", 0, 2]]}], [page], ())
    assert lexicon.rejections_file().read_text() == "tbe\tthe\tBolshevik\tradical\n"
    reviewed = copy.copy(lexicon.load())
    reviewed.rejected = lexicon.read_rejections(lexicon.rejections_file())
    assert Corrector(reviewed).propose(tokens) == []
    other_context = [Token("drove"), Token("tbe"), Token("radical")]
    assert [p.text for p in Corrector(reviewed).propose(other_context)] == ["the"]
