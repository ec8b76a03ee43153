"""Resumable runs: the page cache keys on content and settings, the output lock, the per-page pipeline."""

import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SAMPLES, need
from ocrfix import tessworker
from ocrfix.lock import Busy, OutputLock
from ocrfix.outputs import page_path
from ocrfix.pipeline import Settings, look_ahead, page_key, process_page
from ocrfix.sources import list_pages


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    folder.mkdir()
    shutil.copy(need(SAMPLES / "scans" / "page2.png"), folder)
    return folder


def test_the_cache_key_follows_content_and_settings_not_path(scans: Path, tmp_path: Path):
    ref = list_pages(scans)[0][0]
    settings = Settings(lang="eng")
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.copy(ref.path, moved / "renamed.png")
    moved_ref = list_pages(moved)[0][0]
    assert page_key(ref, settings) == page_key(moved_ref, settings)
    assert page_key(ref, settings) != page_key(ref, replace(settings, lang="eng+fra"))
    extra = tmp_path / "names.txt"
    extra.write_text("Gorkinson\n", encoding="utf-8")
    with_dict = replace(settings, dictionaries=(str(extra),))
    key = page_key(ref, with_dict)
    extra.write_text("Gorkinson\nWendelin Thomas\n", encoding="utf-8")
    from ocrfix.pipeline import _settings_digest

    _settings_digest.cache_clear()
    assert page_key(ref, with_dict) != key  # a dictionary edited reprocesses what it affects
    (moved / "renamed.png").write_bytes(ref.path.read_bytes()[:-10] + b"0123456789")
    assert page_key(moved_ref, settings) != page_key(ref, settings)


def test_a_finished_page_is_not_read_again(scans: Path, tmp_path: Path):
    out = tmp_path / "out"
    ref = list_pages(scans)[0][0]
    first = process_page(ref, out, Settings(lang="eng"))
    assert first.status == "done" and "ocr" in first.seconds
    record = page_path(out, ref.id, ".json")
    before = record.read_bytes()
    again = process_page(ref, out, Settings(lang="eng"))
    assert again.seconds == {"cached": 0.0} and again.words == first.words
    assert record.read_bytes() == before
    page_path(out, ref.id, ".lines.txt").unlink()  # an output lost: the page is done again
    assert "ocr" in process_page(ref, out, Settings(lang="eng")).seconds


def test_a_finished_page_is_read_once_a_process_yet_an_edit_keeping_size_and_time_is_seen(
    scans: Path, tmp_path: Path, monkeypatch
):
    """`ocrfix run` asks whether a page is finished as it starts, in its flow and in the page's task: the
    record is read once while its files stay as they were, and a file edited since is noticed, even one that
    keeps its size and modification time."""
    from ocrfix import outputs
    from ocrfix.pipeline import finished_result

    out, settings = tmp_path / "out", Settings(lang="eng")
    ref = list_pages(scans)[0][0]
    process_page(ref, out, settings)
    reads: list[str] = []
    read_page = outputs.read_page
    monkeypatch.setattr(
        outputs, "read_page", lambda folder, page_id: reads.append(page_id) or read_page(folder, page_id)
    )
    key = page_key(ref, settings)
    first = finished_result(ref, out, key)
    assert first is not None and first.cached and first.words > 0
    assert finished_result(ref, out, key) == first and reads == [ref.id]
    lines = page_path(out, ref.id, ".lines.txt")
    stat = lines.stat()
    lines.write_bytes(lines.read_bytes().swapcase())
    os.utime(lines, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert lines.stat().st_size == stat.st_size and lines.stat().st_mtime_ns == stat.st_mtime_ns
    assert finished_result(ref, out, key) is None and reads == [ref.id, ref.id]


def test_the_scans_are_listed_once_a_process_while_the_folder_is_unchanged(scans: Path, monkeypatch):
    """A listing opens every scan to count its pages; `ocrfix run` asks for it three times. A scan added, or one
    written over with another number of pages, is seen."""
    from PIL import Image

    from ocrfix import pipeline

    listed: list[Path] = []
    list_pages_ = pipeline.list_pages
    monkeypatch.setattr(pipeline, "list_pages", lambda folder: listed.append(folder) or list_pages_(folder))
    first = pipeline.scan_listing(scans)
    assert pipeline.scan_listing(scans) == first and [r.id for r in first[0]] == ["page2"] and len(listed) == 1
    shutil.copy(need(SAMPLES / "scans" / "page6.tif"), scans)  # two pages
    assert [r.id for r in pipeline.scan_listing(scans)[0]] == ["page2", "page6-p0001", "page6-p0002"]
    with Image.open(scans / "page2.png") as page:
        page.save(scans / "page6.tif")  # one page now, under the same name
    assert [r.id for r in pipeline.scan_listing(scans)[0]] == ["page2", "page6"] and len(listed) == 3


def _readers() -> set[int]:
    """This process's resident Tesseracts."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read()
            with open(f"/proc/{pid}/stat", "rb") as f:
                parent = int(f.read().rsplit(b")", 1)[1].split()[1])
        except OSError:
            continue
        if b"ocrfix.tessworker" in command and parent == os.getpid():
            found.add(int(pid))
    return found


def test_a_rerun_with_nothing_to_read_starts_no_tesseract_and_loads_no_lexicon(scans: Path, tmp_path: Path):
    out, settings = tmp_path / "out", Settings(lang="eng")
    process_page(list_pages(scans)[0][0], out, settings)
    tessworker.stop_all()
    assert look_ahead(scans, out, settings, readers=2) == 1
    assert not any(t.name == "warm-up" for t in threading.enumerate()) and not _readers()
    shutil.copy(need(SAMPLES / "scans" / "page3.png"), scans)  # a new scan: one page to read, one reader
    assert look_ahead(scans, out, settings, readers=2) == 2
    deadline = time.monotonic() + 30
    while len(_readers()) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_readers()) == 1
    tessworker.stop_all()


def test_a_second_run_on_the_same_output_folder_is_refused(tmp_path: Path):
    with OutputLock(tmp_path):
        with pytest.raises(Busy, match="in use by another ocrfix run"):
            with OutputLock(tmp_path):
                pass
    with OutputLock(tmp_path):  # released when the first run ends
        pass


def test_a_rerun_that_changes_nothing_rewrites_nothing_but_restores_what_was_lost(scans: Path, tmp_path: Path):
    from ocrfix.pipeline import finish_volume

    out, settings = tmp_path / "out", Settings(lang="eng")
    shutil.copy(need(SAMPLES / "scans" / "page3.png"), scans)
    refs = list_pages(scans)[0]

    def run() -> dict:
        return finish_volume([process_page(ref, out, settings) for ref in refs], out, settings, {})

    first = run()
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "run.json"}
    again = run()
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # the volume step had nothing to redo
    assert again["review"] == first["review"] and again["summary"] == first["summary"]
    # run.json keeps the timings of the run that read the pages, and says that this one read none
    assert [p["seconds"] for p in again["pages"]] == [p["seconds"] for p in first["pages"]]
    assert all(p["cached"] for p in again["pages"]) and again["noop_run"]["pages"] == 2 and "noop_run" not in first
    (out / "volume.txt").unlink()
    run()
    assert (out / "volume.txt").is_file()
    # an interrupted volume step leaves records newer than run.json: the next run finishes it
    volume = (out / "volume.txt").read_bytes()
    (out / "volume.txt").write_text("half-written by a run killed in its volume step\n")
    page_path(out, refs[0].id, ".json").touch()
    run()
    assert (out / "volume.txt").read_bytes() == volume


def _truncate_keeping_its_time(path: Path) -> None:
    """What a hand edit that keeps the modification time leaves: a file cut short that looks as old as before."""
    stat = path.stat()
    path.write_bytes(path.read_bytes()[: stat.st_size // 2])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.parametrize("damaged", ["pages/p.txt", "pages/p.hocr", "volume.txt"])
def test_an_output_truncated_by_hand_with_its_time_kept_is_redone(tmp_path: Path, text_crop, damaged: str):
    """Each output's SHA-256 is kept where it was written from (the page record, run.json) and checked."""
    from PIL import Image

    from ocrfix.pipeline import finish_volume

    scans, out, settings = tmp_path / "scans", tmp_path / "out", Settings(lang="eng", correct=False)
    scans.mkdir()
    Image.fromarray(text_crop[600:1000]).save(scans / "p.png", dpi=(300, 300))  # five lines of text
    refs = list_pages(scans)[0]

    def run() -> dict:
        return finish_volume([process_page(ref, out, settings) for ref in refs], out, settings, {}, ("hocr",))

    run()
    before = (out / damaged).read_bytes()
    _truncate_keeping_its_time(out / damaged)
    assert (out / damaged).read_bytes() != before
    again = run()
    assert (out / damaged).read_bytes() == before
    assert (not again["pages"][0]["cached"]) == damaged.startswith("pages/")  # the page itself, or only the volume step


def test_volume_pdf_is_byte_identical_between_two_identical_runs(tmp_path: Path, text_crop):
    """Its /ID comes from its content and its font's name from the page, neither at random."""
    from PIL import Image

    from ocrfix.pipeline import finish_volume

    scans = tmp_path / "scans"
    scans.mkdir()
    Image.fromarray(text_crop[400:800]).save(scans / "a.png", dpi=(300, 300))
    Image.fromarray(text_crop[800:]).save(scans / "b.pdf", resolution=300)  # a PDF's page is itself in volume.pdf
    refs, settings = list_pages(scans)[0], Settings(lang="eng", correct=False)
    made = []
    for out in (tmp_path / "first", tmp_path / "second"):
        finish_volume([process_page(ref, out, settings) for ref in refs], out, settings, {}, ("pdf",))
        made.append((out / "volume.pdf").read_bytes())
    assert made[0] == made[1]
