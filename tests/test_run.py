"""End to end: `ocrfix run` through the Prefect flow on real sample pages, with bad inputs beside them."""

import json
import shutil

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from conftest import SAMPLES, SHARED, need
from ocrfix.cli import app
from ocrfix.evaluate import score
from ocrfix.model import Page


@pytest.fixture(scope="module")
def finished_run(prefect_server, tmp_path_factory):
    scans = tmp_path_factory.mktemp("scans")
    for name in ("page2.png", "page3.png", "page4.jpg"):  # three consecutive book pages
        shutil.copy(need(SAMPLES / "scans" / name), scans)
    Image.new("L", (1200, 1800), 255).save(scans / "zz-blank.png", dpi=(300, 300))
    (scans / "zz-broken.tif").write_bytes(b"II*\x00 this is not a tiff")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        app, ["run", str(scans), str(out), "--lang", "eng", "--workers", "2", "--formats", "hocr,alto,page,pdf"]
    )
    return scans, out, result


def test_run_writes_the_output_folder_of_the_design(finished_run):
    scans, out, result = finished_run
    run = json.loads((out / "run.json").read_text())
    good = [p for p in run["pages"] if p["status"] == "done"]
    assert [p["id"] for p in good] == ["page2", "page3", "page4"]
    assert (out / "volume.txt").read_text().strip()
    for p in good:
        for suffix in (".json", ".raw.txt", ".lines.txt", ".txt"):
            assert (out / "pages" / f"{p['id']}{suffix}").is_file()
        page = Page.from_json((out / "pages" / f"{p['id']}.json").read_text())
        raw = (out / "pages" / f"{p['id']}.raw.txt").read_text().splitlines()
        lines = (out / "pages" / f"{p['id']}.lines.txt").read_text().splitlines()
        assert len(raw) == len(lines) == len(page.lines)
        gt = (SAMPLES / "gt" / f"{p['id']}.gt.txt").read_text()
        assert score(gt, "\n".join(lines), join_hyphens=True).cer < 0.10
    assert not list(out.rglob("*.tmp"))


def test_bad_pages_are_reported_and_the_rest_finish(finished_run):
    scans, out, result = finished_run
    run = json.loads((out / "run.json").read_text())
    assert result.exit_code == 1
    assert [f["id"] for f in run["failures"]] == ["zz-broken"]
    assert "zz-broken.tif" in run["failures"][0]["reason"]
    assert run["blank"] == ["zz-blank"]
    stderr_lines = [line for line in result.stderr.splitlines() if "zz-" in line]
    assert len(stderr_lines) == 2 and all(str(scans) in line for line in stderr_lines)


def test_the_reading_text_drops_running_heads_and_rejoins_words_across_pages(finished_run):
    scans, out, result = finished_run
    volume = (out / "volume.txt").read_text()
    reading = (SAMPLES / "gt" / "page2.reading.txt").read_text() + (SAMPLES / "gt" / "page3.reading.txt").read_text()
    assert "SERGE" not in volume and "Bolshevism 3" not in volume
    assert "wealth accumulated, insolent and proud" in volume  # `accumu-` ends page 2, `lated,` opens page 3
    for page_id in ("page2", "page3"):
        page_text = (out / "pages" / f"{page_id}.txt").read_text()
        gt = (SAMPLES / "gt" / f"{page_id}.reading.txt").read_text()
        assert score(gt, page_text).cer < 0.02
    assert (out / "corrections.tsv").read_text().startswith("page\tline\tword\traw\tcorrected")
    assert reading


def test_the_standard_formats_are_written_from_the_records(finished_run):
    from pypdf import PdfReader

    scans, out, result = finished_run
    for page_id in ("page2", "page3", "page4"):
        for suffix in (".hocr", ".alto.xml", ".page.xml"):
            assert (out / "pages" / f"{page_id}{suffix}").is_file()
    pdf = PdfReader(out / "volume.pdf")
    assert len(pdf.pages) == 4  # the three pages and the blank one; the broken file has none
    first_line = (out / "pages" / "page3.lines.txt").read_text().splitlines()[1]
    assert " ".join(first_line.split()[:4]) in " ".join(pdf.pages[1].extract_text().split())


@pytest.mark.parametrize("page_id", ["page2", "page3", "page4"])
def test_the_alto_files_of_a_run_are_valid_alto_4_4(finished_run, page_id):
    """Against the schema in ../shared (a skip without it, a failure in CI), apart from the test above so that
    a machine without the schema still checks the rest of the formats."""
    scans, out, result = finished_run
    alto = etree.XMLSchema(etree.parse(str(need(SHARED / "schemas" / "alto-4-4.xsd"))))
    assert alto.validate(etree.parse(str(out / "pages" / f"{page_id}.alto.xml"))), alto.error_log


def test_the_progress_rate_is_taken_over_the_time_since_the_pages_began():
    """Two pages finished together 8 s after the pages began are 15 pages a minute, not thousands; the pages
    an earlier run finished count in the bar, not in the rate (a clock of the test's own: nothing is timed)."""
    from rich.progress import Progress

    from ocrfix.cli import _Bar, _LeftColumn, _RateColumn

    now = [100.0]
    with Progress(get_time=lambda: now[0], disable=True) as progress:
        bar = _Bar(progress, progress.add_task("pages", total=12))
        assert _RateColumn("pages").render(progress.tasks[0]).plain == ""  # nothing read yet
        bar.count_from(2)
        now[0] = 108.0
        bar()
        now[0] = 108.001
        bar()
        task = progress.tasks[0]
        assert task.completed == 4
        assert _RateColumn("pages").render(task).plain == "15.0 pages/min"
        assert _LeftColumn().render(task).plain == "0:00:32"  # 8 pages left at 15 a minute


@pytest.mark.slow  # a Prefect run and OCR, twice
def test_an_index_page_scanned_beside_the_text_gives_the_volumes_names(prefect_server, tmp_path):
    """The seed's persons set as an index page by the samples' generator and scanned, beside a sample page: the
    run reads its names into volume-names.txt and says so in run.json; a name the editor adds is applied by the
    next run (the names index gives it, of its kind)."""
    from ocrfix.lexicon import load
    from ocrfix.run_names import NAMES_FILE, read_names
    from test_volume_names import generator, seed_persons

    gen = generator()
    persons = seed_persons()
    book = gen.set_book(
        "Index", [gen.Paragraph(e, "r" * len(e)) for _, e in persons], geo=gen.Geometry(indent_pt=0.0, opening_lines=0)
    )
    spec = gen.PageSpec("index.png", 2, dpi=300, skew=0.3, blur=0.5, noise=0.012, white_point=0.89)
    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copy(need(SAMPLES / "scans" / "page2.png"), scans)
    Image.fromarray(gen.make_page(book, spec, seed=1994).pixels).save(scans / "zz-index.png", dpi=(300, 300))
    out = tmp_path / "out"
    command = ["run", str(scans), str(out), "--lang", "eng", "--workers", "2", "--formats", "hocr"]
    assert CliRunner().invoke(app, command).exit_code == 0
    record = json.loads((out / "run.json").read_text())["volume_names"]
    listed = read_names(out / NAMES_FILE) or {}
    on_page = {
        name for name, entry in persons if any(entry.startswith(line.text(book.paras)) for line in book.pages[2])
    }
    assert len(on_page & set(listed.get("person", []))) >= 0.9 * len(on_page) > 20
    assert record["pages"] == ["zz-index"] and record["names"] == sum(map(len, listed.values()))
    # the editor adds a word page2 prints that no dictionary lists, as a name
    lex = load()
    words = (out / "pages" / "page2.txt").read_text().split()  # its body: the names index reads no head
    added = next(w for w in words if w.isalpha() and w[0].isupper() and w not in lex.kinds and len(w) > 4)
    with (out / NAMES_FILE).open("a") as f:
        f.write(f"## unknown\n{added}\n")
    assert CliRunner().invoke(app, command).exit_code == 0
    rows = (out / "names.tsv").read_text().splitlines()
    assert any(row.startswith(f"{added}\tunknown\t") for row in rows)
