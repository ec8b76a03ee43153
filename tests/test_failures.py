"""One line per failure (issue 19): whatever goes wrong with a page becomes a failed page with a one-line
reason, retried only when a retry can help, and the run goes on; Prefect's tracebacks stay off the terminal.

The run is `ocrfix run` in a subprocess, as a user starts it, on the session's Prefect server, over one good
page and bad scans of kinds the basic matrix does not have. One of them is a page ocrfix itself cannot cope
with: the subprocess raises a ValueError where that page is prepared (no real image is known to do it), and
counts how often each page reaches preprocessing and Tesseract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, SAMPLES, need
from test_sources import pdf_with_a_broken_page, tiff_whose_second_page_has_no_width, tiff_with_damaged_data

ODD_SIZE = (411, 37)
"""The page that meets an error of ocrfix's own: an image of this size (width, height)."""

RUN_WITH_A_FAULT = """
import sys
import ocrfix.pipeline as pipeline
log = open(sys.argv.pop(1), "a", buffering=1)
prepare, read_lines = pipeline.prepare, pipeline.read_lines
def faulty_prepare(gray, dpi, *args, **kwargs):
    log.write(f"prepare {gray.shape[1]}x{gray.shape[0]}\\n")
    if gray.shape[::-1] == %r:
        raise ValueError("operands could not be broadcast together")
    return prepare(gray, dpi, *args, **kwargs)
def counted_read_lines(image, *args, **kwargs):
    log.write(f"ocr {image.shape[1]}x{image.shape[0]}\\n")
    return read_lines(image, *args, **kwargs)
pipeline.prepare, pipeline.read_lines = faulty_prepare, counted_read_lines
import ocrfix.cli
ocrfix.cli.main()
""" % (ODD_SIZE,)  # noqa: UP031 (a program's text: its own braces would need doubling)


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scans")
    with Image.open(need(SAMPLES / "scans" / "page2.png")) as im:
        im.crop((0, 0, im.width, 700)).save(folder / "good.png", dpi=(300, 300))
    Image.new("L", ODD_SIZE, 255).save(folder / "odd.png")
    Image.new("L", (60000, 16), 255).save(folder / "strip.png")  # Tesseract: "could not recognise the page"
    pdf_with_a_broken_page(folder / "broken-page.pdf")
    tiff_whose_second_page_has_no_width(folder / "no-width.tif")
    tiff_with_damaged_data(folder / "lzw.tif")  # libtiff prints its complaints on stderr unless told not to
    Image.new("L", (100, 100), 255).save(folder / os.fsdecode(b"caf\xe9.png"))  # a Latin-1 name
    return folder


class Run:
    def __init__(self, done: subprocess.CompletedProcess, out: Path, attempts: list[str]) -> None:
        self.code, self.lines, self.out, self.attempts = done.returncode, done.stderr.splitlines(), out, attempts


@pytest.fixture(scope="module")
def run(prefect_server, scans: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("run")
    out, log = tmp / "out", tmp / "attempts.log"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN_WITH_A_FAULT,
            str(log),
            "run",
            str(scans),
            str(out),
            "--lang",
            "eng",
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    return Run(done, out, log.read_text().splitlines())


def test_each_failed_page_is_one_line_on_stderr_and_the_rest_finish(run: Run, scans: Path):
    assert run.code == 1, "\n".join(run.lines)
    assert run.lines[0].startswith("ocrfix: flow run at http://")  # the session's server is a configured one
    assert run.lines[-1] == f"ocrfix: 1 of 7 pages read, 6 failed; outputs in {run.out}"
    assert sorted(run.lines[1:-1]) == sorted(
        [
            f"ocrfix: {scans}/odd.png: failed (ValueError: operands could not be broadcast together)",
            f"ocrfix: {scans}/strip.png: tesseract failed: tesseract could not recognise the page",
            f"ocrfix: {scans}/broken-page.pdf: page 1: damaged (pdfium cannot load the page)",
            f"ocrfix: {scans}/no-width.tif: damaged image data (Missing dimensions)",
            f"ocrfix: {scans}/lzw.tif: damaged image data (decoder error -2)",
            f"ocrfix: {scans}/caf\\xe9.png: the file name is not UTF-8; rename the file",
        ]
    ), "\n".join(run.lines)
    assert (run.out / "pages" / "good.txt").read_text().strip()


def test_every_failed_page_is_a_failed_task_run_whatever_failed(run: Run):
    """A bad scan, Tesseract's refusal, an error of ocrfix's own, a file that cannot be opened: the UI shows each."""
    from test_prefect_runs import flow_run_and_tasks, flow_run_id

    flow_run, tasks = flow_run_and_tasks(flow_run_id(run.lines))
    assert flow_run.state.is_failed() and flow_run.state.message.startswith("1 of 7 pages read, 6 failed: ")
    failed = sorted(name for name, task in tasks.items() if task.state.is_failed())
    assert failed == sorted(f"page {i}" for i in ("odd", "strip", "broken-page", "no-width", "lzw", "caf\\xe9"))


def test_a_retry_is_only_for_what_a_retry_can_cure(run: Run):
    """A ValueError and Tesseract's refusal of a page come back on a second try: neither is retried."""
    width, height = ODD_SIZE
    assert run.attempts.count(f"prepare {width}x{height}") == 1
    assert run.attempts.count("ocr 60000x16") == 1


def test_run_json_holds_every_failure_with_its_file_named_readably(run: Run, scans: Path):
    record = json.loads((run.out / "run.json").read_text(encoding="utf-8"))
    failures = {f["id"]: f for f in record["failures"]}
    assert set(failures) == {"odd", "strip", "broken-page", "no-width", "lzw", "caf\\xe9"}
    assert failures["caf\\xe9"]["source"] == f"{scans}/caf\\xe9.png"
    assert [p["id"] for p in record["pages"] if p["status"] == "done"] == ["good"]


def test_a_tesseract_overrun_is_worth_a_retry_and_its_refusal_or_a_value_error_is_not(text_crop: np.ndarray):
    from prefect.states import Failed

    from ocrfix.flows.digitise import retry_helps
    from ocrfix.ocr import OcrError, read_lines

    def raised(read) -> BaseException:
        with pytest.raises(OcrError) as caught:
            read()
        return caught.value

    overran = raised(lambda: read_lines(text_crop, "eng", 300, timeout=0.01))
    refused = raised(lambda: read_lines(np.full((16, 60000), 255, np.uint8), "eng", 300))
    assert "timed out" in str(overran) and "could not recognise the page" in str(refused)
    assert retry_helps(None, None, Failed(data=overran))
    assert not retry_helps(None, None, Failed(data=refused))
    assert not retry_helps(None, None, Failed(data=ValueError("operands could not be broadcast together")))


def test_a_scan_removed_after_it_was_listed_fails_alone_in_one_line(tmp_path: Path):
    from ocrfix.pipeline import Settings, earlier_result, failed_result, process_page
    from ocrfix.sources import list_pages

    scans = tmp_path / "scans"
    scans.mkdir()
    Image.new("L", (64, 64), 255).save(scans / "gone.png")
    ref = list_pages(scans)[0][0]
    (scans / "gone.png").unlink()
    # the flow asks first whether an earlier run finished the page: not a traceback for the whole run
    assert earlier_result(ref, tmp_path / "out", Settings()) is None
    with pytest.raises(OSError) as raised:  # the page's task then fails...
        process_page(ref, tmp_path / "out", Settings())
    result = failed_result(ref, raised.value)  # ...as this one line
    assert result.status == "failed" and "\n" not in result.reason
    assert result.reason.startswith(f"{ref.path}: failed (FileNotFoundError")
