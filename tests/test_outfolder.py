"""The output folder is checked, not trusted (issue 19): a bad OUT gets one line and exit status 2 before
Prefect starts; a run.json ocrfix did not write is reported and rebuilt; `eval --json` makes its folder."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

import ocrfix.cli
from conftest import SAMPLES, need
from ocrfix.cli import app
from ocrfix.lock import OutputLock


def small_scans(folder: Path) -> Path:
    """A folder holding the top of a sample page (a heading and a few lines): a quick OCR."""
    folder.mkdir()
    with Image.open(need(SAMPLES / "scans" / "page2.png")) as im:
        im.crop((0, 0, im.width, 700)).save(folder / "page2.png", dpi=(300, 300))
    return folder


def run(scans: Path, out: Path):
    return CliRunner().invoke(app, ["run", str(scans), str(out), "--lang", "eng", "--workers", "1"])


@pytest.fixture
def no_prefect(monkeypatch):
    """`ocrfix run` fails loudly should it get as far as starting Prefect."""

    def started_early():
        raise AssertionError("Prefect was started")

    monkeypatch.setattr(ocrfix.cli, "started_early", started_early)


def refused(result, *words: str) -> None:
    """Exit status 2 and one line on stderr saying why, no traceback."""
    assert result.exit_code == 2, result.output or repr(result.exception)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert all(w in result.stderr for w in words), result.stderr


@pytest.fixture(scope="module")
def finished(prefect_server, tmp_path_factory) -> tuple[Path, Path]:
    scans = small_scans(tmp_path_factory.mktemp("volume") / "scans")
    out = tmp_path_factory.mktemp("finished")
    assert run(scans, out).exit_code == 0
    return scans, out


@pytest.mark.parametrize(
    "content, lost",
    [
        pytest.param(b"[]\n", None, id="array"),
        pytest.param(b"{}", None, id="empty-object"),
        pytest.param(b'{"ocrfix": "0.2.0", "pages": "page2"}', None, id="other-fields"),
        pytest.param(b"\xff\xfe{not json", None, id="not-json"),
        pytest.param(b"[]", ".lines.txt", id="array-and-a-page-output-lost"),
    ],
)
def test_a_run_json_ocrfix_did_not_write_is_reported_in_one_line_and_rebuilt(finished, tmp_path, content, lost):
    scans, done = finished
    out = tmp_path / "out"
    shutil.copytree(done, out)
    (out / "run.json").write_bytes(content)
    if lost:
        (out / "pages" / f"page2{lost}").unlink()
    result = run(scans, out)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "run.json" in line]
    assert len(notes) == 1 and "rebuilding it" in notes[0], result.stderr
    rebuilt = json.loads((out / "run.json").read_text())
    assert [p["id"] for p in rebuilt["pages"]] == ["page2"]
    # the pages are redone as needed: only the one whose output was lost
    assert rebuilt["pages"][0]["cached"] == (not lost)
    assert (out / "volume.txt").is_file() and (out / "pages" / "page2.lines.txt").is_file()


def test_a_rerun_with_nothing_new_says_so_and_keeps_the_timings_of_the_run_that_read(finished, tmp_path):
    scans, done = finished
    out = tmp_path / "out"
    shutil.copytree(done, out)
    before = json.loads((out / "run.json").read_text())
    result = run(scans, out)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == f"ocrfix: nothing new: 1 page already done; outputs in {out}"
    after = json.loads((out / "run.json").read_text())
    assert after["pages"][0]["seconds"] == before["pages"][0]["seconds"] and "ocr" in after["pages"][0]["seconds"]
    assert after["noop_run"]["pages"] == 1 and "noop_run" not in before


def test_a_page_record_ocrfix_did_not_write_is_redone(finished, tmp_path):
    scans, done = finished
    out = tmp_path / "out"
    shutil.copytree(done, out)
    (out / "pages" / "page2.json").write_text("[]\n")
    result = run(scans, out)
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result.stderr
    rebuilt = json.loads((out / "run.json").read_text())
    assert (
        "ocr" in rebuilt["pages"][0]["seconds"]
        and json.loads((out / "pages" / "page2.json").read_text())["id"] == "page2"
    )


def test_a_busy_output_folder_is_refused_before_prefect_starts(no_prefect, tmp_path):
    scans, out = small_scans(tmp_path / "scans"), tmp_path / "out"
    out.mkdir()
    with OutputLock(out):
        refused(run(scans, out), "in use by another ocrfix run")


@pytest.mark.parametrize("inside", ["", "out", "out/deeper"])
def test_an_output_folder_in_the_scan_folder_is_refused_before_any_work(no_prefect, tmp_path, inside):
    scans = small_scans(tmp_path / "scans")
    refused(run(scans, scans / inside), "in the scan folder")
    assert [p.name for p in scans.iterdir()] == ["page2.png"]  # no output folder made among the scans


def test_an_output_folder_whose_pages_is_a_file_is_refused(no_prefect, tmp_path):
    scans, out = small_scans(tmp_path / "scans"), tmp_path / "out"
    out.mkdir()
    (out / "pages").write_text("not a folder\n")
    refused(run(scans, out), "pages: not a folder")


def test_a_scan_or_output_folder_whose_name_is_not_utf8_is_refused(no_prefect, tmp_path):
    """run.json and every page record name both folders; JSON and XML hold only Unicode."""
    latin1 = tmp_path / os.fsdecode(b"Soci\xe9t\xe9")
    scans = small_scans(latin1)
    refused(run(scans, tmp_path / "out"), f"{tmp_path}/Soci\\xe9t\\xe9: the folder's name is not UTF-8")
    refused(run(small_scans(tmp_path / "scans"), latin1 / "out"), "the folder's name is not UTF-8")


RUN_UNLESS_PREFECT_STARTS = (
    "import ocrfix.cli as cli\n"
    "def started_early():\n"
    "    raise SystemExit('Prefect was started')\n"
    "cli.started_early = started_early\n"
    "cli.main()\n"
)


def test_an_output_folder_that_cannot_be_written_is_refused_before_prefect_starts():
    as_user: list[str] = []
    if os.geteuid() == 0:  # root writes anywhere: run as nobody
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: no unprivileged user to run as")
        as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    with tempfile.TemporaryDirectory() as top:  # not under pytest's tmp_path, which only root may enter
        root = Path(top)
        root.chmod(0o755)
        scans, out = small_scans(root / "scans"), root / "out"
        out.mkdir(mode=0o555)
        result = subprocess.run(
            [*as_user, sys.executable, "-c", RUN_UNLESS_PREFECT_STARTS, "run", str(scans), str(out), "--lang", "eng"],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "HOME": top},
            timeout=60,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            f"ocrfix: {out.resolve()}: cannot write the outputs here (Permission denied)"
        ]
        assert not list(out.iterdir())


def test_eval_json_into_a_missing_folder_makes_it(tmp_path):
    gt, hyp = tmp_path / "gt", tmp_path / "hyp"
    gt.mkdir()
    hyp.mkdir()
    (gt / "p1.gt.txt").write_text("the quick brown fox\n")
    (hyp / "p1.txt").write_text("the quick brown f0x\n")
    scores = tmp_path / "new" / "deeper" / "scores.json"
    result = CliRunner().invoke(app, ["eval", str(gt), str(hyp), "--json", str(scores)])
    assert result.exit_code == 0, result.output
    assert json.loads(scores.read_text())["pages"]["p1"]["words"] == 4
    (tmp_path / "a-file").write_text("")
    result = CliRunner().invoke(app, ["eval", str(gt), str(hyp), "--json", str(tmp_path / "a-file" / "scores.json")])
    refused(result, "scores.json: cannot write")
    assert "overall" not in result.stdout  # nothing reported done


# --------------------------------------------------------------------------- review and schedule check it too


@pytest.mark.parametrize(
    "content", [b"[]\n", b'{"ocrfix": "0.2.0"}', b"\xff not json"], ids=["array", "fields-lost", "not-json"]
)
def test_review_refuses_a_run_json_ocrfix_did_not_write_in_one_line(finished, tmp_path, content):
    out = tmp_path / "out"
    shutil.copytree(finished[1], out)
    (out / "run.json").write_bytes(content)
    refused(CliRunner().invoke(app, ["review", str(out)]), f"{out / 'run.json'}: ", "`ocrfix run` rebuilds it")


def test_review_refuses_a_damaged_page_record_and_a_busy_folder(finished, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(finished[1], out)
    (out / "pages" / "page2.json").write_text('{"id": "page2"}\n')
    refused(CliRunner().invoke(app, ["review", str(out)]), "page2.json: not a page record ocrfix wrote")
    shutil.copy(finished[1] / "pages" / "page2.json", out / "pages")
    with OutputLock(out):
        refused(CliRunner().invoke(app, ["review", str(out)]), "in use by another ocrfix run")
    result = CliRunner().invoke(app, ["review", str(out)])
    assert result.exit_code == 0 and "groups to review" in result.stderr, result.output


@pytest.fixture
def not_served(monkeypatch):
    """`ocrfix schedule` fails loudly should it get as far as serving (which never ends)."""
    import prefect

    def serve(*_deployments):
        raise AssertionError("served")

    monkeypatch.setattr(prefect, "serve", serve)


def test_schedule_refuses_a_volume_whose_run_json_ocrfix_did_not_write(finished, not_served, tmp_path):
    shelf, out = tmp_path / "shelf", tmp_path / "out"
    shutil.copytree(finished[0], shelf / "vol1")
    shutil.copytree(finished[1], out / "vol1")
    (out / "vol1" / "run.json").write_text("[]\n")
    result = CliRunner().invoke(app, ["schedule", str(shelf), str(out), "--cron", "0 2 * * *", "--lang", "eng"])
    refused(result, f"{out / 'vol1' / 'run.json'}: not an ocrfix run record", "`ocrfix run` rebuilds it")


def test_schedule_refuses_an_output_folder_in_the_scan_folder(finished, not_served, tmp_path):
    shelf = tmp_path / "shelf"
    shutil.copytree(finished[0], shelf / "vol1")
    result = CliRunner().invoke(
        app, ["schedule", str(shelf), str(shelf / "out"), "--cron", "0 2 * * *", "--lang", "eng"]
    )
    refused(result, "in the scan folder")
    assert not (shelf / "out").exists()
