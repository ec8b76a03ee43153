"""Where the page record's boxes lie on the scan.

Tesseract reads the prepared page (turned upright, deskewed), so the record's boxes are in that
image's pixels; whoever opens hOCR, ALTO, PAGE or the report looks at the scan. Preprocessing's
exact affine transform, kept in the record as rotation, skew and steps, maps one onto the other.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    def box(self, box: Box) -> Box:
        """The smallest upright rectangle on the scan holding the box's four mapped corners, within the scan."""
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
        xs, ys = (corners @ self.matrix.T).T
        clip = lambda v, hi: int(min(max(v, 0), hi))  # noqa: E731
        return (clip(np.floor(xs.min()), self.width), clip(np.floor(ys.min()), self.height),
                clip(np.ceil(xs.max()), self.width), clip(np.ceil(ys.max()), self.height))
