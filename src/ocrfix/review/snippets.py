"""Image snippets for the report, cut from the scan itself (never from OCR's cleaned copy).

The page record's boxes are in the coordinates of the prepared page (turned upright and deskewed);
the snippet is cut by warping only the box's neighbourhood of the scan with the same transform.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from ..model import Box
from ..outputs import atomic_write


def cut(scan: np.ndarray, matrix: np.ndarray, box: Box, context: float = 3.0) -> np.ndarray:
    """The box with `context` times its height of scan around it sideways and half that above and below."""
    x0, y0, x1, y1 = box
    height = max(1, y1 - y0)
    pad_x, pad_y = round(context * height), round(context * height / 2)
    left, top = x0 - pad_x, y0 - pad_y
    size = (x1 - x0 + 2 * pad_x, y1 - y0 + 2 * pad_y)
    shifted = matrix.copy()
    shifted[0, 2] -= left
    shifted[1, 2] -= top
    return cv2.warpAffine(scan, shifted, size, flags=cv2.INTER_AREA, borderValue=255)


def write_png(image: np.ndarray, path: Path) -> None:
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise OSError(f"{path}: cannot encode the snippet")
    atomic_write(path, data.tobytes())
