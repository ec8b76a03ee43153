"""Image snippets for the report, cut from the scan itself (never from OCR's cleaned copy).

The page record's boxes are in the coordinates of the prepared page (turned upright and deskewed);
the snippet is cut by warping only the box's neighbourhood of the scan with the same transform, at the
scan's own resolution: a reviewer judges the print, so it is never scaled down.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from ..model import Box
from ..outputs import atomic_write

MARK = (200, 80, 0)
"""The frame drawn round the word in question (BGR: a strong blue, told apart from print by colour-blind eyes too)."""


def cut(scan: np.ndarray, matrix: np.ndarray, region: Box) -> np.ndarray:
    """The scan under `region` of the prepared page, white where the region runs off the scan."""
    x0, y0, x1, y1 = region
    shifted = matrix.copy()
    shifted[0, 2] -= x0
    shifted[1, 2] -= y0
    return cv2.warpAffine(scan, shifted, (max(1, x1 - x0), max(1, y1 - y0)), flags=cv2.INTER_AREA, borderValue=255)


def around(box: Box, sideways: float, up_down: float) -> Box:
    """The box grown by these multiples of its height on each side."""
    x0, y0, x1, y1 = box
    height = max(1, y1 - y0)
    dx, dy = round(sideways * height), round(up_down * height)
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def evidence(scan: np.ndarray, matrix: np.ndarray, line: Box, word: Box | None) -> tuple[np.ndarray, float]:
    """The whole line with a margin, the word framed; and how far the word's middle is from the image's
    (pixels, for the page to centre the word where a line is wider than the screen)."""
    region = around(line, 0.5, 0.35)
    image = cut(scan, matrix, region)
    if word is None:
        return image, 0.0
    image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    pad = max(2, (word[3] - word[1]) // 8)
    x0, y0, x1, y1 = (
        word[0] - region[0] - pad,
        word[1] - region[1] - pad,
        word[2] - region[0] + pad,
        word[3] - region[1] + pad,
    )
    cv2.rectangle(image, (x0, y0), (x1, y1), MARK, thickness=max(2, pad // 2))
    return image, (x0 + x1) / 2 - image.shape[1] / 2


def write_png(image: np.ndarray, path: Path) -> None:
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise OSError(f"{path}: cannot encode the snippet")
    atomic_write(path, data.tobytes())
