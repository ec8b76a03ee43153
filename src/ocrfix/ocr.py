"""Tesseract, wrapped: one run per page gives words with boxes, line and block structure and confidences.

Tesseract runs as a subprocess under its own timeout (an orchestrator's timeout would not
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

from .model import Line, Word

DEFAULT_LANG = "eng+fra+spa"
DEFAULT_TIMEOUT = 600.0
_LINE_LEVEL = 4
_WORD_LEVEL = 5


class OcrError(Exception):
    """Tesseract failed or timed out on a page; str() is the one-line reason."""


def read_lines(image: np.ndarray, lang: str, dpi: float, timeout: float = DEFAULT_TIMEOUT) -> list[Line]:
    """The text lines Tesseract finds on the page, each with its words, in reading order.

    The image reaches Tesseract as an uncompressed PGM file: handing pytesseract the array would
    encode a PNG that Tesseract then decodes, a cost plain Tesseract on a scan does not pay."""
    config = f"--psm 3 --dpi {round(dpi)}"
    try:
        with tempfile.TemporaryDirectory(prefix="ocrfix-") as folder:
            path = Path(folder) / "page.pgm"
            if not cv2.imwrite(str(path), image):
                raise OcrError("cannot write the page image for tesseract")
            data = pytesseract.image_to_data(
                str(path), lang=lang, config=config, output_type=pytesseract.Output.DICT, timeout=timeout
            )
    except RuntimeError as err:  # pytesseract raises RuntimeError on its timeout
        raise OcrError(f"tesseract timed out after {timeout:.0f} s") from err
    except pytesseract.TesseractError as err:
        raise OcrError(f"tesseract failed: {' '.join(str(err.message).split())[:160]}") from err
    return lines_from_tsv(data)


def lines_from_tsv(data: dict[str, list]) -> list[Line]:
    """Group Tesseract's TSV rows into lines of words; empty words and lines are dropped."""
    lines: dict[tuple[int, int, int], Line] = {}
    for i, level in enumerate(data["level"]):
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        box = (
            data["left"][i],
            data["top"][i],
            data["left"][i] + data["width"][i],
            data["top"][i] + data["height"][i],
        )
        if level == _LINE_LEVEL:
            lines[key] = Line(box=box, words=[], block=key[0], par=key[1])
        elif level == _WORD_LEVEL:
            text = str(data["text"][i]).strip()
            if text and key in lines:
                lines[key].words.append(Word(raw=text, box=box, conf=float(data["conf"][i])))
    return [line for line in lines.values() if line.words]


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    return str(pytesseract.get_tesseract_version())


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
