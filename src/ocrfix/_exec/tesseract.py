"""Tesseract, the one way in: every reading of a page, every orientation guess, its version and its
languages go through here.

A page is read by a resident Tesseract (`tessworker`: a child process that loaded the language models
once) where libtesseract is installed, else by the `tesseract` command; both give the same TSV (the
resident one also Tesseract's alternatives for the glyphs it was unsure of), under a timeout of their own
(an orchestrator's timeout would not kill Tesseract). Orientation (OSD) goes the same way: a resident
Tesseract's, else the command's, the same answer. Errors come out as `OcrError` with a one-line reason,
`OcrCrash` when another try may do better. Callers set OMP_THREAD_LIMIT=1 when they run pages in parallel.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from .. import tesslib, tessworker
from ..sources import one_line

OSD_TIMEOUT = 60.0
"""Seconds the orientation guess may take: it reads a shrunken page, in a second or two."""
MARKS_PSM = 6
"""How footnote markers are read: as a uniform block of text, a column of them one a line (`read_marks`)."""


class OcrError(Exception):
    """Tesseract failed or timed out on a page; str() is the one-line reason."""


class OcrCrash(OcrError):
    """Tesseract crashed or overran its time: another try may read the page (its own refusal of a page,
    `could not recognise the page`, is given again)."""


def read_page(image: np.ndarray, lang: str, dpi: float, psm: int, timeout: float) -> tesslib.Reading:
    """The page's TSV (words, boxes, confidences) and Tesseract's alternatives for its unsure glyphs, from a
    resident Tesseract; or the TSV alone, from the command (it has no way to give the alternatives)."""
    if not tessworker.available():
        return tesslib.Reading(command_tsv(image, lang, dpi, psm, timeout), [])
    return _resident(image, lang, dpi, psm, timeout, choices=True)


def _resident(
    image: np.ndarray,
    lang: str,
    dpi: float,
    psm: int,
    timeout: float,
    choices: bool = False,
    whitelist: str = "",
    doing: str = "",
) -> tesslib.Reading:
    """`tessworker.read_page`, its failures as OcrCrash or OcrError (`doing` ends their reasons)."""
    try:
        return tessworker.read_page(image, lang, round(dpi), psm, timeout, choices, whitelist)
    except tessworker.WorkerCrash as err:
        raise OcrCrash(f"{err}{doing}") from err
    except tessworker.WorkerError as err:
        raise OcrError(f"{err}{doing}") from err


def start_readers(lang: str, count: int) -> None:
    """Have `count` resident Tesseracts load their models now, in their own processes, rather than
    when the first pages reach them."""
    if tessworker.available():
        tessworker.start(lang, count)


def stop_readers() -> None:
    """End the resident Tesseracts now rather than at exit: once a run's pages are read, what follows (the
    volume step) reads none, and each holds 90-120 MB (its models, its buffers) while the volume step's own
    memory grows with the page count."""
    tessworker.stop_all()


def command_tsv(image: np.ndarray, lang: str, dpi: float, psm: int, timeout: float) -> str:
    """The page's TSV from one run of the `tesseract` command."""
    return _command(image, lang, f"--psm {psm} --dpi {round(dpi)}", timeout, "page", "")


def _command(image: np.ndarray, lang: str, config: str, timeout: float, what: str, doing: str) -> str:
    """The TSV of one run of the `tesseract` command over `image` (the `what` image, for the reason when it
    cannot be written; `doing` ends every other reason).

    The image reaches it as an uncompressed PGM file: handing pytesseract the array would encode
    a PNG that Tesseract then decodes, a cost plain Tesseract on a scan does not pay."""
    try:
        with tempfile.TemporaryDirectory(prefix="ocrfix-") as folder:
            path = Path(folder) / f"{what}.pgm"
            if not cv2.imwrite(str(path), image):
                raise OcrError(f"cannot write the {what} image for tesseract")
            return str(pytesseract.image_to_data(str(path), lang=lang, config=config, timeout=timeout))
    except RuntimeError as err:  # pytesseract raises RuntimeError on its timeout
        raise OcrCrash(f"tesseract timed out after {timeout:g} s{doing}") from err
    except pytesseract.TesseractError as err:
        if err.status < 0:  # ended by a signal
            raise OcrCrash(f"tesseract crashed (signal {-err.status}){doing}") from err
        raise OcrError(f"tesseract failed{doing}: {one_line(str(err.message))}") from err


def osd(image: np.ndarray, dpi: float, timeout: float = OSD_TIMEOUT) -> tuple[int, float] | None:
    """Tesseract's orientation of the page (degrees clockwise to turn it upright) and its confidence;
    None when it has no opinion: too little text, osd.traineddata missing, a failure or a timeout. From a
    resident Tesseract (0.2-0.25 s of CPU for a letter page at 300 dpi), or the `tesseract` command where
    libtesseract is missing (0.5-0.7 s: a PNG written and read, osd.traineddata loaded, and the page's lines
    found before the guess, which then begins afresh); the same answer either way (tests/test_ocr.py)."""
    if not tessworker.available():
        return command_osd(image, dpi, timeout)
    try:
        return tessworker.orientation(image, round(dpi), timeout)
    except tessworker.WorkerError:
        return None


def command_osd(image: np.ndarray, dpi: float, timeout: float = OSD_TIMEOUT) -> tuple[int, float] | None:
    """`osd` from one run of the `tesseract` command."""
    try:
        found = pytesseract.image_to_osd(
            image, config=f"--psm 0 --dpi {round(dpi)}", output_type=pytesseract.Output.DICT, timeout=timeout
        )
    except (pytesseract.TesseractError, RuntimeError, OSError):  # RuntimeError: pytesseract's timeout
        return None
    return int(found["rotate"]) % 360, float(found["orientation_conf"])


@lru_cache(maxsize=1)
def version() -> str:
    """The version of the Tesseract that reads the pages (part of every page's cache key)."""
    return tesslib.version() if tessworker.available() else str(pytesseract.get_tesseract_version())


def available_languages() -> set[str]:
    return set(pytesseract.get_languages(config=""))


def check_languages(lang: str) -> None:
    """Fail early, once, when Tesseract or a requested language pack is missing."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrError("tesseract is not installed (Debian: apt-get install tesseract-ocr)")
    try:
        have = available_languages()
    except (subprocess.SubprocessError, pytesseract.TesseractError) as err:
        raise OcrError(f"cannot list tesseract languages: {err}") from err
    missing = [code for code in lang.split("+") if code not in have]
    if missing:
        pkgs = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise OcrError(f"tesseract language data missing: {', '.join(missing)} (Debian: apt-get install {pkgs})")


def read_marks(image: np.ndarray, lang: str, chars: str, dpi: float, timeout: float) -> str:
    """The TSV rows of lines of small glyphs (footnote markers cut from a page, scaled up, one a line) read as a
    block of text (psm 6) with only `chars` allowed: by a resident Tesseract (the one a page has just given
    back: no models to load), or the `tesseract` command where libtesseract is missing."""
    if not tessworker.available():
        config = f"--psm {MARKS_PSM} --dpi {round(dpi)} -c tessedit_char_whitelist={chars}"
        return _command(image, lang, config, timeout, "marker", " reading footnote markers")
    return _resident(image, lang, dpi, MARKS_PSM, timeout, whitelist=chars, doing=" reading footnote markers").tsv
