"""OCR with a real Tesseract on a real page crop, and the page record's round trip."""

import copy
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from conftest import SAMPLES, need, process_ends
from ocrfix import tessworker
from ocrfix._exec.tesseract import command_osd, command_tsv, osd
from ocrfix.model import Change, Page
from ocrfix.ocr import PSM, OcrError, check_languages, parse_tsv, read_lines
from ocrfix.preprocess import estimate_dpi
from ocrfix.sources import list_pages, load_page
from ocrfix.tessworker import Resident, WorkerError

resident = pytest.mark.skipif(not tessworker.available(), reason="libtesseract is not installed")


@pytest.fixture(scope="module")
def crop_lines(text_crop: np.ndarray):
    return read_lines(text_crop, "eng", 300)


def test_one_run_gives_words_with_boxes_lines_and_confidences(crop_lines, text_crop):
    words = [w for line in crop_lines for w in line.words]
    text = " ".join(w.raw for w in words)
    for phrase in ("figurative", "battle-field", "notwithstanding the determined assaults", "correspondent"):
        assert phrase in text
    height, width = text_crop.shape
    for line in crop_lines:
        x0, y0, x1, y1 = line.box
        for w in line.words:
            wx0, wy0, wx1, wy1 = w.box
            assert 0 <= wx0 < wx1 <= width and 0 <= wy0 < wy1 <= height
            assert x0 <= wx0 and wx1 <= x1 + 1 and y0 <= wy0 + 1 and wy1 <= y1 + 1
            assert 0 <= w.conf <= 100
    # lines come top to bottom and the words of a line left to right
    tops = [line.box[1] for line in crop_lines]
    assert tops == sorted(tops)
    assert all(a.box[0] < b.box[0] for line in crop_lines for a, b in zip(line.words, line.words[1:], strict=False))


def test_the_page_record_round_trips_losslessly(crop_lines):
    lines = copy.deepcopy(crop_lines)  # the fixture is shared
    page = Page("e009", "e009.png", 0, 1708, 1205, 300.0, False, 0, 0.0, ["deskew"], "eng", lines)
    word = page.lines[0].words[0]
    word.changes.append(Change(raw=word.raw, final="Preface.", reason="test", confidence=0.9))
    word.final = "Preface."
    if tessworker.available():  # the resident reader keeps Tesseract's alternatives, and they come back
        assert any(w.choices for w in page.words)
    again = Page.from_json(page.to_json())
    assert again == page
    assert again.to_json() == page.to_json()


def test_a_record_written_before_alternatives_were_kept_loads(crop_lines):
    page = Page("e009", "e009.png", 0, 1708, 1205, 300.0, False, 0, 0.0, [], "eng", copy.deepcopy(crop_lines))
    data = json.loads(page.to_json())
    for line in data["lines"]:
        for word in line["words"]:
            del word["choices"]
    old = Page.from_dict(data)
    assert [w.choices for w in old.words] == [None] * len(page.words)
    assert [(w.raw, w.box, w.conf) for w in old.words] == [(w.raw, w.box, w.conf) for w in page.words]


def test_a_missing_language_pack_is_one_clear_error():
    with pytest.raises(OcrError, match="tesseract-ocr-xyz"):
        check_languages("eng+xyz")


@resident
def test_the_resident_tesseract_reads_a_page_exactly_as_the_command_does(crop_lines, text_crop):
    # the command cannot give Tesseract's alternatives: all else is the same
    read = [replace(line, words=[replace(w, choices=None) for w in line.words]) for line in crop_lines]
    assert read == parse_tsv(command_tsv(text_crop, "eng", 300, PSM, 60))


@resident
def test_a_resident_tesseract_told_to_read_figures_reads_only_figures_and_the_next_page_as_before(
    crop_lines, text_crop
):
    """A whitelist holds for its reading alone: the same child reads the page after it with every letter."""
    worker = Resident("eng")
    try:
        assert parse_tsv(*worker.read(text_crop, 300, 3, timeout=60, choices=True)) == crop_lines
        figures = parse_tsv(worker.read(text_crop, 300, 3, timeout=60, whitelist="0123456789").tsv)
        read = "".join(w.raw for line in figures for w in line.words)
        assert read and set(read) <= set("0123456789")
        assert parse_tsv(*worker.read(text_crop, 300, 3, timeout=60, choices=True)) == crop_lines
    finally:
        worker.close()


@resident
def test_a_tesseract_overrunning_its_time_is_killed_and_the_next_page_gets_a_fresh_one(crop_lines, text_crop):
    worker = Resident("eng")
    assert parse_tsv(*worker.read(text_crop, 300, 3, timeout=60, choices=True)) == crop_lines
    with pytest.raises(WorkerError, match="timed out after 0.01 s"):
        worker.read(text_crop, 300, 3, timeout=0.01)
    assert not worker.alive()
    with pytest.raises(OcrError, match="timed out"):
        read_lines(text_crop, "eng", 300, timeout=0.01)
    assert read_lines(text_crop, "eng", 300) == crop_lines


@resident
def test_a_crashed_tesseract_is_one_clear_error(text_crop):
    worker = Resident("eng")
    worker.read(text_crop[:200], 300, 3, timeout=60)
    os.kill(worker.pid, signal.SIGSEGV)
    time.sleep(0.5)  # the child gone before the page is sent: the pipe breaks mid-page, and on closing it again
    with pytest.raises(WorkerError, match=r"tesseract crashed \(signal 11\)"):
        worker.read(np.full((2000, 1500), 255, np.uint8), 300, 3, timeout=60)


@resident
def test_a_resident_tesseract_without_its_language_says_so(text_crop):
    with pytest.raises(WorkerError, match="cannot load the languages xyz"):
        Resident("xyz").read(text_crop, 300, 3, timeout=60)


@resident
def test_a_resident_tesseract_ends_with_its_parent_even_on_kill_9(tmp_path):
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nimport numpy as np\nfrom ocrfix.tessworker import Resident\n"
            "w = Resident('eng')\nw.read(np.full((60, 200), 255, np.uint8), 300, 3, timeout=60)\n"
            "print(w.pid, flush=True)\ntime.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert process_ends(child, within=10)


def sample_scan(page: str) -> tuple[np.ndarray, float]:
    """A page of the bundled samples as a run loads it, and its resolution (estimated when the file has none)."""
    (ref,) = (ref for ref in list_pages(need(SAMPLES / "scans"))[0] if ref.id == page)
    scan = load_page(ref)
    return scan.gray, scan.dpi or estimate_dpi(scan.gray)


@resident
@pytest.mark.parametrize(("page", "turn"), [("page5", 180), ("page8", 270), ("page2", 0), ("page10", 0)])
def test_a_resident_tesseract_guesses_a_pages_orientation_as_the_command_does(page, turn):
    gray, dpi = sample_scan(page)
    guess = osd(gray, dpi)
    assert guess is not None and guess[0] == turn
    assert guess == command_osd(gray, dpi)


@resident
def test_an_orientation_guess_overrunning_its_time_is_none_and_the_next_guess_is_made():
    gray, dpi = sample_scan("page5")
    assert osd(gray, dpi, timeout=0.01) is None
    assert osd(gray, dpi) == command_osd(gray, dpi)


@resident
def test_a_resident_tesseract_without_osd_traineddata_has_no_opinion_and_reads_on(
    tmp_path, monkeypatch, crop_lines, text_crop
):
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=True).stdout
    tessdata = listing.split('"')[1]  # List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):
    (tmp_path / "eng.traineddata").symlink_to(f"{tessdata}/eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    worker = Resident("eng")
    try:
        assert worker.orientation(text_crop, 300, timeout=60) is None  # no opinion, as the command's
        assert parse_tsv(*worker.read(text_crop, 300, 3, timeout=60, choices=True)) == crop_lines
        assert worker.orientation(text_crop, 300, timeout=60) is None
    finally:
        worker.close()
