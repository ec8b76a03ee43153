"""Pages read ahead while the command starts (`pipeline.read_ahead`): their tasks take what was read, and the
record is the one the task would have made; a reading ahead that failed is the task's first attempt failed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocrfix import pipeline
from ocrfix.ocr import OcrError
from ocrfix.pipeline import Settings, first_pages_prepared, process_page, read_ahead
from ocrfix.sources import PageRef, list_pages

SETTINGS = Settings(lang="eng")


@pytest.fixture
def crop_ref(tmp_path: Path, text_crop: np.ndarray) -> PageRef:
    """The first paragraphs of a real book page, as a scan of their own."""
    scans = tmp_path / "scans"
    scans.mkdir()
    Image.fromarray(text_crop).save(scans / "e009-top.png", dpi=(300, 300))
    return list_pages(scans)[0][0]


def test_a_page_read_ahead_is_the_page_its_task_would_read(
    crop_ref: PageRef, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    reads = []
    read = pipeline._read
    monkeypatch.setattr(pipeline, "_read", lambda *args: reads.append(1) or read(*args))
    alone = process_page(crop_ref, tmp_path / "alone", SETTINGS)
    read_ahead([crop_ref], SETTINGS, 1)
    ahead = process_page(crop_ref, tmp_path / "ahead", SETTINGS)
    assert not pipeline._AHEAD and len(reads) == 2  # its task took the reading ahead, and read nothing again
    assert ahead.status == alone.status == "done" and ahead.words > 50
    record = f"pages/{crop_ref.id}.json"
    assert (tmp_path / "ahead" / record).read_bytes() == (tmp_path / "alone" / record).read_bytes()
    assert {"load", "preprocess", "ocr", "correct"} <= set(ahead.seconds)


def test_a_page_whose_reading_ahead_failed_fails_its_task_s_first_attempt(
    crop_ref: PageRef, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """What the reading ahead raised, the task raises, as if it had read the page itself: the orchestrator's
    retry policy decides (a crash of Tesseract is worth a retry, which reads the page again)."""
    calls = []
    read = pipeline._read

    def crashing_once(*args: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OcrError("Tesseract crashed")
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_read", crashing_once)
    read_ahead([crop_ref], SETTINGS, 1)
    with pytest.raises(OcrError, match="crashed"):
        process_page(crop_ref, tmp_path / "out", SETTINGS)
    result = process_page(crop_ref, tmp_path / "out", SETTINGS)  # the retry
    assert len(calls) == 2 and result.status == "done" and result.words > 50


def test_each_reader_reads_ahead_a_few_pages_and_none_once_a_task_began(
    tmp_path: Path, text_crop: np.ndarray, monkeypatch: pytest.MonkeyPatch
):
    scans = tmp_path / "scans"
    scans.mkdir()
    for n, name in enumerate("abc"):
        Image.fromarray(text_crop[300 + n * 300 : 600 + n * 300]).save(scans / f"{name}.png", dpi=(300, 300))
    refs = list_pages(scans)[0]
    reads = []
    read = pipeline._read
    monkeypatch.setattr(pipeline, "_read", lambda *args: reads.append(args[0].id) or read(*args))
    read_ahead(refs, SETTINGS, 1)
    deadline = time.monotonic() + 60
    while len(reads) < pipeline.AHEAD_PER_READER or not all(f.done() for f in pipeline._AHEAD.values()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.2)
    assert reads == ["a", "b"]  # one reader, two pages ahead: the third waits for its task
    results = [process_page(ref, tmp_path / "out", SETTINGS) for ref in refs]
    assert reads == ["a", "b", "c"] and [r.status for r in results] == ["done"] * 3, [r.reason for r in results]

    pipeline._fill(0, refs, SETTINGS)  # a task has begun: nothing more is read ahead
    assert reads == ["a", "b", "c"] and not pipeline._AHEAD


def test_the_first_pages_are_said_prepared_before_they_are_read(
    crop_ref: PageRef, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The command imports Prefect once the readers have their first pages (`first_pages_prepared`), not when
    the pages are read: Tesseract held on the real page here, the wait must end while it reads."""
    reading, release = threading.Event(), threading.Event()
    read_lines = pipeline.read_lines

    def held(*args: object, **kwargs: object) -> object:
        reading.set()
        assert release.wait(60)
        return read_lines(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_lines", held)
    read_ahead([crop_ref], SETTINGS, 1)
    waited = threading.Thread(target=first_pages_prepared)
    waited.start()
    waited.join(60)
    assert not waited.is_alive() and reading.wait(60)
    release.set()
    result = process_page(crop_ref, tmp_path / "out", SETTINGS)
    assert result.status == "done" and result.words > 50


def test_a_first_page_gone_since_the_listing_does_not_hold_the_command(
    tmp_path: Path, text_crop: np.ndarray, monkeypatch: pytest.MonkeyPatch
):
    """A scan removed after the listing is not read ahead, with no traceback from the thread: the command goes
    on to its flow, whose task fails the page in one line."""
    raised: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    scans = tmp_path / "scans"
    scans.mkdir()
    Image.fromarray(text_crop).save(scans / "gone.png", dpi=(300, 300))
    refs = list_pages(scans)[0]
    (scans / "gone.png").unlink()
    read_ahead(refs, SETTINGS, 1)
    waited = threading.Thread(target=first_pages_prepared)
    waited.start()
    waited.join(60)
    assert not waited.is_alive() and not pipeline._AHEAD and not raised
