"""Tesseract, wrapped: one run per page gives words with boxes, line and block structure and confidences.

Tesseract runs in a child process under its own timeout (an orchestrator's timeout would not
kill it). Callers set OMP_THREAD_LIMIT=1 when they run pages in parallel.
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

from . import tesslib, tessworker
from .model import Line, Word

DEFAULT_LANG = "eng+fra+spa"
DEFAULT_TIMEOUT = 600.0
_PSM = 3  # fully automatic page segmentation, Tesseract's default
_LINE_LEVEL = 4
_WORD_LEVEL = 5
_COLUMNS = 12


class OcrError(Exception):
    """Tesseract failed or timed out on a page; str() is the one-line reason."""


class OcrCrash(OcrError):
    """Tesseract crashed or overran its time: another try may read the page (its own refusal of a page,
    `could not recognise the page`, is given again)."""


def read_lines(image: np.ndarray, lang: str, dpi: float, timeout: float = DEFAULT_TIMEOUT) -> list[Line]:
    """The text lines Tesseract finds on the page, each with its words, in reading order.

    A resident Tesseract (`tessworker`) reads the page where libtesseract is installed: it loads
    the language models once, where the command loads them for every page. The command is the
    fallback; both give the same TSV."""
    if tessworker.available():
        try:
            tsv = tessworker.read_tsv(image, lang, round(dpi), _PSM, timeout)
        except tessworker.WorkerCrash as err:
            raise OcrCrash(str(err)) from err
        except tessworker.WorkerError as err:
            raise OcrError(str(err)) from err
    else:
        tsv = command_tsv(image, lang, dpi, timeout)
    return parse_tsv(tsv)


def start_readers(lang: str, count: int) -> None:
    """Have `count` resident Tesseracts load their models now, in their own processes, rather than
    when the first pages reach them."""
    if tessworker.available():
        tessworker.start(lang, count)


def command_tsv(image: np.ndarray, lang: str, dpi: float, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The page's TSV from one run of the `tesseract` command.

    The image reaches it as an uncompressed PGM file: handing pytesseract the array would encode
    a PNG that Tesseract then decodes, a cost plain Tesseract on a scan does not pay."""
    config = f"--psm {_PSM} --dpi {round(dpi)}"
    try:
        with tempfile.TemporaryDirectory(prefix="ocrfix-") as folder:
            path = Path(folder) / "page.pgm"
            if not cv2.imwrite(str(path), image):
                raise OcrError("cannot write the page image for tesseract")
            return str(pytesseract.image_to_data(str(path), lang=lang, config=config, timeout=timeout))
    except RuntimeError as err:  # pytesseract raises RuntimeError on its timeout
        raise OcrCrash(f"tesseract timed out after {timeout:g} s") from err
    except pytesseract.TesseractError as err:
        if err.status < 0:  # ended by a signal
            raise OcrCrash(f"tesseract crashed (signal {-err.status})") from err
        raise OcrError(f"tesseract failed: {' '.join(str(err.message).split())[:160]}") from err


def parse_tsv(tsv: str) -> list[Line]:
    """Group Tesseract's TSV rows into lines of words; empty words and lines are dropped.

    Confidences are kept as whole numbers, as pytesseract gave them (their fractions mean nothing)."""
    lines: dict[tuple[int, int, int], Line] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < _COLUMNS - 1 or not cells[0].isdigit():  # the header, or no row at all
            continue
        level, _, block, par, line, _, left, top, width, height = map(int, cells[:10])
        key = (block, par, line)
        box = (left, top, left + width, top + height)
        if level == _LINE_LEVEL:
            lines[key] = Line(box=box, words=[], block=block, par=par)
        elif level == _WORD_LEVEL:
            text = cells[11].strip() if len(cells) == _COLUMNS else ""
            if text and key in lines:
                lines[key].words.append(Word(raw=text, box=box, conf=float(int(float(cells[10])))))
    return [line for line in lines.values() if line.words]


@lru_cache(maxsize=1)
def tesseract_version() -> str:
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
