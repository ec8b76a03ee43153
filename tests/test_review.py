"""The review loop without a browser: what is listed and grouped, snippets cut from the scan, decisions
checked and applied, and `ocrfix review` at the command line."""

import json
import re
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path

import cv2
import numpy as np
import pytesseract
import pytest
from typer.testing import CliRunner

from conftest import OLDBOOKS, SAMPLES, need
from ocrfix import lexicon
from ocrfix.cli import app
from ocrfix.geometry import page_transform
from ocrfix.model import Change, Line, Page, Word
from ocrfix.outputs import read_page, read_run_pages
from ocrfix.pipeline import Settings, finish_volume, process_page
from ocrfix.review.decisions import DecisionError, apply_decisions, parse, remember, run_id
from ocrfix.review.items import Group, collect
from ocrfix.review.report import write_report
from ocrfix.review.snippets import MARK, around, cut, evidence
from ocrfix.sources import list_pages, load_page


def _word(raw: str, final: str | None = None, conf: float = 95.0, change: Change | None = None) -> Word:
    return Word(raw=raw, box=(0, 0, 10, 10), conf=conf, final=final, changes=[change] if change else [])


def _pages() -> list[Page]:
    def andres(applied: bool) -> Word:
        return _word(
            "Andres",
            "Andrés" if applied else None,
            change=Change("Andres", "Andrés", "dictionary name with accents", 0.7, applied),
        )

    line1 = Line((0, 0, 100, 10), [andres(True), _word("Nin"), _word("wrote")], 1, 1)
    line2 = Line((0, 20, 100, 30), [_word("to"), andres(False), _word("Qxzvb", conf=31.0)], 1, 1)
    stamp = Line((0, 40, 100, 50), [_word("PORT", conf=20.0), _word("ENTRY", conf=25.0)], 2, 1, role="noise")
    sure = Line((0, 60, 100, 70), [_word("tbe", "the", change=Change("tbe", "the", "OCR confusion", 0.99, True))], 1, 2)
    return [Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [line1, line2, stamp, sure])]


def _decision(g: Group, action: str, text: str | None = None, learn: bool = False) -> dict:
    """A decision as the report exports it."""
    return {
        "group": g.key,
        "kind": g.kind,
        "raw": g.raw,
        "proposed": g.proposed,
        "reason": g.reason,
        "action": action,
        "text": text,
        "learn": learn,
        "items": [[i.page, i.line, i.word] for i in g.items],
    }


def _parsed(pages: list[Page], *decisions: dict):
    return parse({"run": run_id(pages), "decisions": list(decisions)})[1]


def test_identical_changes_are_one_group_and_sure_changes_are_not_listed():
    groups = collect(_pages())
    kinds = {(g.kind, g.raw, g.proposed): len(g.items) for g in groups}
    assert kinds == {
        ("change", "Andres", "Andrés"): 2,
        ("unknown", "Qxzvb", "Qxzvb"): 1,
        ("noise", "PORT ENTRY", ""): 1,
    }
    assert [g.confidence for g in groups] == sorted(g.confidence for g in groups)  # least sure first


def test_faint_readings_are_listed_when_probably_misread_not_when_a_known_word_stands_clean():
    # readings of the samples' run, each below Tesseract confidence 60: the first three were read right
    right = [_word("continuity", conf=0.0), _word("accountable", conf=11.0), _word("leading,", conf=52.0)]
    wrong = [
        _word("democ:acy.", conf=48.0),
        _word("effect.”", conf=3.0),
        _word("soviet.!°", conf=59.0),
        _word("amew", conf=57.0),
    ]
    page = Page(
        "p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [Line((0, 0, 100, 10), right + wrong, 1, 1)]
    )
    assert sorted(g.raw for g in collect([page])) == sorted(w.raw for w in wrong)


def test_an_alternative_reads_with_the_punctuation_of_the_reading():
    change = Change("treliefs,", "reliefs,", "OCR confusion", 0.6, True, ["beliefs", "briefs"])
    page = Page(
        "p1",
        "p1.png",
        0,
        100,
        100,
        300.0,
        False,
        0,
        0.0,
        [],
        "eng",
        [Line((0, 0, 100, 10), [_word("treliefs,", "reliefs,", change=change)], 1, 1)],
    )
    assert collect([page])[0].alternatives == ["beliefs,", "briefs,"]


def test_decisions_set_the_words_count_only_real_changes_and_applying_twice_changes_nothing():
    pages = _pages()
    by_kind = {g.kind: g for g in collect(pages)}
    decisions = _parsed(
        pages,
        _decision(by_kind["change"], "reject"),
        _decision(by_kind["unknown"], "edit", "Quixote"),
        _decision(by_kind["noise"], "accept"),
    )
    first = apply_decisions(pages, decisions)
    lines = pages[0].lines
    assert [lines[0].words[0].final, lines[1].words[1].final, lines[1].words[2].final] == [
        "Andres",
        "Andres",
        "Quixote",
    ]
    assert lines[2].role == "noise"
    # the applied Andrés put back as read is no change; the one never applied and the kept noise line were as decided
    assert (first.changed, first.reverted, first.unchanged, first.skipped) == (1, 1, 2, [])
    assert lines[1].words[2].changes[-1].reason == "reviewer: edit"
    again = apply_decisions(pages, decisions)
    assert (again.changed, again.reverted, again.unchanged) == (0, 0, 4)


def test_a_place_that_no_longer_reads_what_its_decision_says_is_skipped_and_said():
    pages = _pages()
    forged = {
        "group": "x",
        "kind": "change",
        "raw": "x",
        "proposed": "PWNED",
        "reason": "r",
        "action": "accept",
        "text": None,
        "items": [["p1", 0, 0], ["p1", 9, 0], ["p2", 0, 0]],
    }
    result = apply_decisions(pages, _parsed(pages, forged))
    assert pages[0].lines[0].words[0].final == "Andrés" and result.done == []
    assert result.skipped == [
        "p1 line 1 word 1: reads 'Andrés', not 'x'",
        "p1 line 10 word 1: no such page or line",
        "p2 line 1 word 1: no such page or line",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"decisions": 5}, '"decisions" is a number, not a list'),
        ([], "a list at the top, not an object"),
        ({"decisions": []}, 'no run id ("run")'),
        (
            {
                "run": "r",
                "decisions": [
                    {
                        "group": "g",
                        "kind": "change",
                        "raw": "a",
                        "proposed": "b",
                        "reason": "r",
                        "action": "accept",
                        "items": [["p1", "0", 0]],
                    }
                ],
            },
            'decisions[0].items[0]: ["p1", "0", 0] is not',
        ),
        (
            {
                "run": "r",
                "decisions": [
                    {
                        "group": "g",
                        "kind": "change",
                        "raw": "a",
                        "proposed": "b",
                        "reason": "r",
                        "action": "accept",
                        "items": [[-1, -1]],
                    }
                ],
            },
            "decisions[0].items[0]: [-1, -1] is not [page, line, word]",
        ),
        (
            {
                "run": "r",
                "decisions": [
                    {
                        "group": "g",
                        "kind": "change",
                        "raw": "a",
                        "proposed": "b",
                        "reason": "r",
                        "action": "edit",
                        "items": [],
                    }
                ],
            },
            'an edit needs its "text"',
        ),
        (
            {
                "run": "r",
                "decisions": [
                    {
                        "group": "g",
                        "kind": "change",
                        "raw": "a",
                        "proposed": "b",
                        "reason": "r",
                        "action": "edit",
                        "text": "two\nlines",
                        "items": [],
                    }
                ],
            },
            "control character",
        ),
        (
            {
                "run": "r",
                "decisions": [
                    {
                        "group": "g",
                        "kind": "rename",
                        "raw": "a",
                        "proposed": "b",
                        "reason": "r",
                        "action": "accept",
                        "items": [],
                    }
                ],
            },
            'kind "rename" is none of',
        ),
    ],
)
def test_a_malformed_decisions_file_is_refused_in_one_line(data, reason: str):
    with pytest.raises(DecisionError, match=None) as caught:
        parse(data)
    assert reason in str(caught.value) and "\n" not in str(caught.value)


def test_only_accept_and_learn_teaches_and_only_word_shaped_words():
    line = Line(
        (0, 0, 100, 10),
        [_word("Gorkinsky", conf=30.0), _word("iibe:tarian", conf=30.0), _word("Zbrodnik", conf=30.0)],
        1,
        1,
    )
    page = Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [line])
    groups = {g.raw: g for g in collect([page])}
    result = apply_decisions(
        [page],
        _parsed(
            [page],
            _decision(groups["Gorkinsky"], "accept", learn=True),
            _decision(groups["iibe:tarian"], "accept", learn=True),
            _decision(groups["Zbrodnik"], "accept"),
        ),
    )  # confirmed, not learned
    assert result.learned == ("Gorkinsky",) and result.not_learned == ("iibe:tarian",)
    assert not collect([page], settled={(d.kind, *i) for d in result.done for i in d.items})  # none asked again


def test_a_page_break_hyphen_shows_where_the_word_goes_on():
    foot = Line((0, 80, 100, 90), [_word("the"), _word("vi-")], 1, 1, hyphen="join")
    head = Line((0, 0, 100, 10), [_word("7")], 1, 1, role="folio")
    top = Line((0, 20, 100, 30), [_word("tally"), _word("important")], 1, 1)
    pages = [
        Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [foot]),
        Page("p2", "p2.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [head, top]),
    ]
    (join,) = [g for g in collect(pages) if g.kind == "join"]
    assert (join.raw, join.proposed, join.items[0].next_line) == ("vi-", "vi", ("p2", 1))
    assert join.items[0].context == "the vi- / tally important"


def test_evidence_is_the_whole_line_at_the_scans_resolution_with_the_word_framed():
    scan = np.full((200, 600), 255, np.uint8)
    cv2.putText(scan, "a line of print", (20, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    line, word = (20, 80, 560, 120), (120, 80, 200, 120)
    image, offset = evidence(scan, np.float32([[1, 0, 0], [0, 1, 0]]), line, word)
    assert image.shape[1] == 540 + 2 * 20 and image.shape[0] == 40 + 2 * 14  # not scaled: the line and its margins
    framed = np.all(image == MARK, axis=2)
    rows, cols = np.nonzero(framed)
    assert cols.min() < 120 - 20 + 20 < cols.max() and 200 - 20 + 20 < cols.max() + 10  # round the word, beyond its box
    assert framed[:, : 120 - 20 + 20 - 6].sum() == 0 and rows.size > 0  # nothing else framed
    assert offset == pytest.approx((120 + 200) / 2 - 20 + 20 - image.shape[1] / 2, abs=1)


@pytest.mark.parametrize("page_id", ["page4", "page5"])  # skewed 1.6°; scanned upside down
def test_a_snippet_shows_the_word_of_its_box(page_id: str, tmp_path: Path):
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == page_id)
    page_result = process_page(ref, tmp_path, Settings(lang="eng", correct=False))
    assert page_result.status == "done"
    page = read_page(tmp_path, page_id)
    scan = load_page(ref).gray
    matrix = page_transform(page, scan.shape)
    words = [
        w for line in page.lines[3:30:6] for w in line.words if len(w.raw) >= 7 and w.raw.isalpha() and w.conf > 90
    ]
    assert len(words) >= 3
    for w in words[:4]:
        snippet = cut(scan, matrix, around(w.box, 0.5, 0.25))
        read = pytesseract.image_to_string(snippet, lang="eng", config="--psm 7").strip()
        assert w.raw in read, (w.raw, read)


PAGE = "page6-p0001"
"""The first page of sample page6.tif: words read with low confidence and changes to review."""


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    scans = tmp_path_factory.mktemp("scans")
    shutil.copy(need(SAMPLES / "scans" / "page6.tif"), scans)
    out = tmp_path_factory.mktemp("runs") / "out"
    settings = Settings(lang="eng")
    finish_volume([process_page(list_pages(scans)[0][0], out, settings)], out, settings, {})
    return out


@pytest.fixture
def run_copy(sample_run: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample run for a test that changes it."""
    return Path(shutil.copytree(sample_run, tmp_path / "out"))


def _files(out: Path) -> dict[str, bytes]:
    """Every output of the run (the lock a command leaves behind is no output)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".ocrfix.lock"
    }


def _review(*args: str):
    return CliRunner().invoke(app, ["review", *args])


def test_apply_re_renders_the_run_lists_decided_places_no_more_and_learns_what_was_asked(
    run_copy: Path, tmp_path: Path
):
    out = run_copy
    pages = read_run_pages(out)
    page = pages[0]
    # a reviewer types a name for a word the run left alone (and asks to learn it), rejects a change it made,
    # and confirms an unsure reading
    name_line = next(i for i, line in enumerate(page.lines) if line.role == "body" and len(line.words) > 3)
    word = page.lines[name_line].words[1]
    typed = {
        "group": "g1",
        "kind": "unknown",
        "raw": word.raw,
        "proposed": word.raw,
        "reason": "read with low confidence",
        "action": "edit",
        "text": "Gorkinsky",
        "learn": True,
        "items": [[PAGE, name_line, 1]],
    }
    groups = collect(pages)
    unknown = next(g for g in groups if g.kind == "unknown")
    decisions = [typed, _decision(unknown, "accept")]
    (tmp_path / "decisions.json").write_text(json.dumps({"run": run_id(pages), "decisions": decisions}))
    done = _review(str(out), "--apply", str(tmp_path / "decisions.json"))
    assert done.exit_code == 0, done.output
    assert (
        f"ocrfix: 1 changes applied, 0 put back as read, {len(unknown.items)} places already as decided; "
        "1 new entries in the user dictionary" in done.stderr
    )
    assert "Gorkinsky" in (out / "pages" / f"{PAGE}.lines.txt").read_text().splitlines()[name_line]
    assert "Gorkinsky" in (out / "volume.txt").read_text()
    assert 'CONTENT="Gorkinsky"' in (out / "pages" / f"{PAGE}.alto.xml").read_text()  # the formats follow too
    assert "Gorkinsky" in lexicon.user_dictionary().read_text().split()
    assert unknown.raw not in lexicon.user_dictionary().read_text().split()  # confirmed, not learned
    report = (out / "report.html").read_text()
    assert f'data-key="{unknown.key}"' not in report and "Decided and applied earlier: 2 groups" in report
    before = _files(out)
    again = _review(str(out), "--apply", str(tmp_path / "decisions.json"))
    assert "ocrfix: 0 changes applied" in again.stderr
    assert _files(out) == before


def test_apply_of_a_forged_or_stale_file_changes_nothing_and_says_why(run_copy: Path, tmp_path: Path):
    out = run_copy
    before = _files(out)
    pages = read_run_pages(out)
    forged = {
        "group": "g",
        "kind": "change",
        "raw": "x",
        "proposed": "PWNED",
        "reason": "r",
        "action": "accept",
        "items": [[PAGE, 0, 0]],
    }
    first_word = pages[0].lines[0].words[0].final
    cases = [
        (
            {"run": run_id(pages), "decisions": [forged]},
            1,
            f"ocrfix: skipped {PAGE} line 1 word 1: reads {first_word!r}, not 'x'",
        ),
        (
            {"run": "0123456789ab", "decisions": [{**forged, "raw": pages[0].lines[0].words[0].raw}]},
            2,
            "decisions.json: made for another run (0123456789ab; this one is",
        ),
        ({"decisions": 5}, 2, 'decisions.json: not a decisions file: "decisions" is a number, not a list'),
    ]
    for data, status, said in cases:
        (tmp_path / "decisions.json").write_text(json.dumps(data))
        done = _review(str(out), "--apply", str(tmp_path / "decisions.json"))
        assert (
            done.exit_code,
            said in done.stderr,
            done.exception is None or isinstance(done.exception, SystemExit),
        ) == (status, True, True), done.stderr
        assert "Traceback" not in done.output
        assert _files(out) == before


def test_a_port_in_use_is_one_line_and_the_report_is_not_written(run_copy: Path):
    before = _files(run_copy)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = _review(str(run_copy), "--serve", "--port", str(taken.getsockname()[1]))
    assert done.exit_code == 2
    assert done.stderr.strip().count("\n") == 0 and "cannot serve on 127.0.0.1:" in done.stderr
    assert _files(run_copy) == before


def test_a_rejected_change_is_not_proposed_again_in_that_context(tmp_path: Path, monkeypatch):
    import copy

    from ocrfix.correct.words import Corrector, Token

    monkeypatch.setenv("OCRFIX_USER_DIR", str(tmp_path))
    line = Line((0, 0, 100, 10), [_word("the"), _word("Bolshevik"), _word("tbe"), _word("radical")], 1, 1)
    page = Page("p1", "p1.png", 0, 100, 100, 300.0, False, 0, 0.0, [], "eng", [line])
    tokens = [Token(w.raw) for w in line.words]
    assert [p.text for p in Corrector(lexicon.load()).propose(tokens)] == ["the"]
    rejected = {
        "group": "g",
        "kind": "change",
        "action": "reject",
        "raw": "tbe",
        "proposed": "the",
        "reason": "r",
        "items": [["p1", 0, 2]],
    }
    remember(_parsed([page], rejected), [page], ())
    assert lexicon.rejections_file().read_text() == "tbe\tthe\tBolshevik\tradical\n"
    reviewed = copy.copy(lexicon.load())
    reviewed.rejected = lexicon.read_rejections(lexicon.rejections_file())
    assert Corrector(reviewed).propose(tokens) == []
    other_context = [Token("drove"), Token("tbe"), Token("radical")]
    assert [p.text for p in Corrector(reviewed).propose(other_context)] == ["the"]


class _NamesSection(HTMLParser):
    """The report's names section: per row, its cells' text and its links (text, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.rows = False, []  # type: bool, list[tuple[list[str], list[tuple[str, str]]]]
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and ("id", "names") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append(([], []))
        elif self.inside and tag == "td":
            self.rows[-1][0].append("")
        elif self.inside and tag == "a":
            self._href = dict(attrs)["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.inside = False
        elif tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.rows and self.rows[-1][0]:
            self.rows[-1][0][-1] += data
            if self._href is not None:
                self.rows[-1][1].append((data, self._href))


def test_the_report_lists_every_name_of_the_run_with_its_kind_variants_and_linked_places(sample_run: Path):
    index = [row.split("\t") for row in (sample_run / "names.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert index  # the sample page names Serge, Trotsky and their world
    parser = _NamesSection()
    parser.feed((sample_run / "report.html").read_text(encoding="utf-8"))
    rows = [([cell.strip() for cell in cells], links) for cells, links in parser.rows[1:]]  # after the heading row
    shown = {  # the lines the report shows a scan of: its review groups' snippets
        (PAGE, int(png.stem.split("-")[-2]) + 1): f"report/{png.name}"
        for png in (sample_run / "report").glob(f"{PAGE}-*-*.png")
    }
    for (cells, links), (name, kind, variants, places) in zip(rows, index, strict=True):
        assert cells[:2] == [name, kind]
        assert cells[2].split(", ") == (variants.split("|") if variants else [""])
        where = [
            f"{page}:{n}"
            for page, _, lines in (p.rpartition(":") for p in places.split("; "))
            for n in lines.split(",")
        ]
        assert cells[3].split(", ") == where
        for text, href in links:
            page, _, n = text.rpartition(":")
            assert shown[(page, int(n))] == href and (sample_run / href).is_file()
        assert len(links) == sum((PAGE, int(w.rpartition(":")[2])) in shown for w in where)


def test_a_name_on_a_line_the_report_shows_links_to_its_scan(run_copy: Path):
    """A reviewer's edit puts a dictionary name on a line the report cut a snippet of: once the outputs are
    rendered again, the name's place there links to that snippet."""
    from ocrfix.pipeline import render_outputs

    pages = read_run_pages(run_copy)
    snippet = sorted((run_copy / "report").glob(f"{PAGE}-*-*.png"))[0]
    line, word = map(int, snippet.stem.split("-")[-2:])
    other = next(k for k, w in enumerate(pages[0].lines[line].words) if k != word and w.final)
    pages[0].lines[line].words[other].final = "Rosmer"
    render_outputs(pages, run_copy, ("txt",), lexicon.load())
    parser = _NamesSection()
    parser.feed((run_copy / "report.html").read_text(encoding="utf-8"))
    rosmer = next(links for cells, links in parser.rows if cells and cells[0].strip() == "Rosmer")
    assert rosmer == [(f"{PAGE}:{line + 1}", f"report/{snippet.name}")]


def test_a_figure_painted_out_is_shown_in_the_report_cut_from_the_scan(tmp_path: Path):
    """oldbooks-dev j012 cut round its drawing of a caning needle: the run paints the drawing out of what OCR
    reads, and the report says so in its summary and shows the drawing, the scan's own pixels at its box, so an
    editor sees whether any type was inside it."""
    scan = np.asarray(cv2.imread(str(need(OLDBOOKS / "j012.png")), cv2.IMREAD_GRAYSCALE))[455:1000]
    cv2.imwrite(str(tmp_path / "needle.png"), scan)
    out = tmp_path / "out"
    assert process_page(list_pages(tmp_path)[0][0], out, Settings(lang="eng", correct=False)).status == "done"
    page = read_page(out, "needle")
    [figure] = page.figures
    summary = write_report([page], out, knows=lambda word: True)
    assert (summary["figures"], summary["stamps"]) == (1, 0)
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="left-out"') : html.index("</section>", html.index('id="left-out"'))]
    [src] = re.findall(r'src="([^"]+)"', section)
    x0, y0, x1, y1 = figure.box
    shown = cv2.imread(str(out / src), cv2.IMREAD_GRAYSCALE)
    assert np.array_equal(shown, scan[y0:y1, x0:x1])
    assert np.count_nonzero(shown < 128) > 0.01 * shown.size  # the drawing's ink, not blank paper
    assert f"{x1 - x0} × {y1 - y0} px at ({x0}, {y0})" in section
    assert 'href="#left-out">left out of the text: 1 figure, 0 stamps' in html


def test_a_report_of_pages_with_nothing_left_out_has_no_such_section(sample_run: Path):
    pages = read_run_pages(sample_run)
    assert not any(p.figures or p.stamps for p in pages)
    assert 'id="left-out"' not in (sample_run / "report.html").read_text(encoding="utf-8")
