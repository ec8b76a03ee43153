"""Where the page record's boxes lie on the scan.

Tesseract reads the prepared page (turned upright, deskewed), so the record's boxes are in that
image's pixels; whoever opens hOCR, ALTO, PAGE or the report looks at the scan. Preprocessing's
exact affine transform, kept in the record as rotation, skew and steps, maps one onto the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from .model import Box, Page
from .preprocess import transform


def page_transform(page: Page, scan_shape: tuple[int, int]) -> np.ndarray:
    """Scan -> prepared-page coordinates (2x3), as preprocessing applied them to this page."""
    skew = page.skew if "deskew" in page.steps else 0.0
    return transform(scan_shape, page.rotation, skew)


@dataclass(frozen=True, eq=False)
class ScanMap:
    """Prepared-page boxes -> scan boxes for one page."""

    matrix: np.ndarray
    """2x3: prepared-page pixels -> scan pixels."""
    width: int
    height: int
    """The scan's size in pixels."""

    @classmethod
    def of(cls, page: Page) -> ScanMap:
        width, height = page.scan_size
        return cls(cv2.invertAffineTransform(page_transform(page, (height, width))), width, height)

    @property
    def identity(self) -> bool:
        """The page was neither turned nor deskewed: its boxes are already on the scan."""
        return self.matrix.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]

    @cached_property
    def _coefficients(self) -> tuple[float, float, float, float, float, float]:
        """The matrix as Python floats, read once: a page maps thousands of boxes."""
        (a, b, c), (d, e, f) = self.matrix.tolist()
        return a, b, c, d, e, f

    def box(self, box: Box) -> Box:
        """The smallest upright rectangle on the scan holding the box's four mapped corners, within the scan."""
        a, b, c, d, e, f = self._coefficients
        x0, y0, x1, y1 = box
        ax0, ax1, by0, by1 = a * x0, a * x1, b * y0, b * y1
        dx0, dx1, ey0, ey1 = d * x0, d * x1, e * y0, e * y1
        xs = (ax0 + by0 + c, ax0 + by1 + c, ax1 + by0 + c, ax1 + by1 + c)
        ys = (dx0 + ey0 + f, dx0 + ey1 + f, dx1 + ey0 + f, dx1 + ey1 + f)
        return (
            min(max(math.floor(min(xs) + 1e-6), 0), self.width),
            min(max(math.floor(min(ys) + 1e-6), 0), self.height),
            min(max(math.ceil(max(xs) - 1e-6), 0), self.width),
            min(max(math.ceil(max(ys) - 1e-6), 0), self.height),
        )
