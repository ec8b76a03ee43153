"""Finding the pages in a scan folder and loading each as a grayscale image with its DPI.

A folder may hold PNG, TIFF (multi-page too), JPEG and PDF files; anything else is ignored.
Pages come in natural order (p2 before p10). Every problem with a file becomes a
`SourceError` whose message is a one-line reason, so one bad scan never stops a batch.
Scans are only ever opened for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from natsort import os_sorted
from PIL import Image, ImageSequence, UnidentifiedImageError

IMAGE_SUFFIXES = frozenset({".png", ".tif", ".tiff", ".jpg", ".jpeg"})
PDF_SUFFIXES = frozenset({".pdf"})
SCAN_SUFFIXES = IMAGE_SUFFIXES | PDF_SUFFIXES

PLAUSIBLE_DPI = (70.0, 1600.0)
"""DPI outside this range is taken as missing (many files say 1 or 72 whatever the scan)."""
PDF_FALLBACK_DPI = 300.0


class SourceError(Exception):
    """A scan that cannot be read; str() is the one-line reason."""


@dataclass(frozen=True)
class PageRef:
    """One page of one scan file: what a page task needs to find it again."""

    path: Path
    frame: int
    id: str


@dataclass(frozen=True)
class Scan:
    gray: np.ndarray
    dpi: float | None
    """From the file; None when missing or implausible."""


@dataclass(frozen=True)
class Unreadable:
    """A scan file that could not even be opened to count its pages."""

    path: Path
    reason: str


def scan_files(folder: Path) -> list[Path]:
    """The scan files directly in `folder`, in natural order."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES]
    return [Path(p) for p in os_sorted(files)]


def list_pages(folder: Path) -> tuple[list[PageRef], list[Unreadable]]:
    """Every page in the folder, and the files that could not be opened."""
    pages: list[PageRef] = []
    unreadable: list[Unreadable] = []
    for path in scan_files(folder):
        try:
            count = page_count(path)
        except SourceError as err:
            unreadable.append(Unreadable(path, str(err)))
            continue
        if count == 1:
            pages.append(PageRef(path, 0, path.stem))
        else:
            pages.extend(PageRef(path, i, f"{path.stem}-p{i + 1:04d}") for i in range(count))
    return pages, unreadable


def page_count(path: Path) -> int:
    if path.suffix.lower() in PDF_SUFFIXES:
        with _open_pdf(path) as pdf:
            count = len(pdf)
    else:
        with _open_image(path) as im:
            count = getattr(im, "n_frames", 1)
    if count < 1:
        raise SourceError(f"{path}: no pages")
    return count


def load_page(ref: PageRef) -> Scan:
    """The page as an 8-bit grayscale array, with the DPI the file gives if it is plausible."""
    if ref.path.suffix.lower() in PDF_SUFFIXES:
        return _load_pdf_page(ref)
    with _open_image(ref.path) as im:
        try:
            frame = ImageSequence.Iterator(im)[ref.frame]
            frame.load()
            dpi = _plausible(frame.info.get("dpi"))
            gray = np.asarray(_to_gray(frame))
        except (OSError, ValueError, SyntaxError, IndexError) as err:
            raise SourceError(f"{ref.path}: damaged image data ({one_line(err)})") from err
    return Scan(gray, dpi)


def _open_image(path: Path) -> Image.Image:
    if path.stat().st_size == 0:
        raise SourceError(f"{path}: empty file (0 bytes)")
    try:
        return Image.open(path)
    except Image.DecompressionBombError as err:
        raise SourceError(f"{path}: refused as a possible decompression bomb ({one_line(err)})") from err
    except UnidentifiedImageError as err:
        raise SourceError(f"{path}: not an image Pillow can read") from err
    except OSError as err:
        raise SourceError(f"{path}: cannot open ({one_line(err)})") from err


def _to_gray(im: Image.Image) -> Image.Image:
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.float64)
        top = arr.max() or 1.0
        return Image.fromarray((arr * (255.0 / top)).astype(np.uint8))
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im)
    return im.convert("L")


def _plausible(dpi: object) -> float | None:
    try:
        x = float(dpi[0])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return x if PLAUSIBLE_DPI[0] <= x <= PLAUSIBLE_DPI[1] else None


def _open_pdf(path: Path):  # -> pdfium.PdfDocument, imported lazily: only PDFs need it
    import pypdfium2 as pdfium

    if path.stat().st_size == 0:
        raise SourceError(f"{path}: empty file (0 bytes)")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        text = str(err).lower()
        if "password" in text or "security" in text:
            raise SourceError(f"{path}: encrypted PDF (needs a password)") from err
        raise SourceError(f"{path}: not a readable PDF ({one_line(err)})") from err


def _load_pdf_page(ref: PageRef) -> Scan:
    """Rasterise at the resolution of the page's largest image, so the scan is not resampled."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _open_pdf(ref.path) as pdf:
        page = pdf[ref.frame]
        width_pt = page.get_width()
        dpi = None
        best = 0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            px_w, px_h = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
            if px_w * px_h > best and right > left:
                best = px_w * px_h
                dpi = _plausible((px_w / ((right - left) / 72.0),))
        scale = (dpi or PDF_FALLBACK_DPI) / 72.0
        if width_pt * scale * page.get_height() * scale > Image.MAX_IMAGE_PIXELS * 2:
            raise SourceError(f"{ref.path}: page {ref.frame + 1} too large to rasterise")
        try:
            bitmap = page.render(scale=scale, grayscale=True)
        except pdfium.PdfiumError as err:
            raise SourceError(f"{ref.path}: page {ref.frame + 1} cannot be rendered ({one_line(err)})") from err
        gray = np.asarray(bitmap.to_pil().convert("L"))
    return Scan(gray, dpi or (PDF_FALLBACK_DPI if best == 0 else None))


def one_line(err: BaseException) -> str:
    """An exception's message as one short line, for reasons shown to users."""
    return " ".join(str(err).split())[:160] or type(err).__name__
