"""Finding the pages in a scan folder and loading each as a grayscale image with its DPI.

A folder may hold PNG, TIFF (multi-page too), JPEG and PDF files; anything else is ignored.
Pages come in natural order (p2 before p10). Every problem with a file becomes a
`SourceError` whose message is a one-line reason, so one bad scan never stops a batch:
a name with a scan's suffix that is no regular file (a broken link, a link loop, a FIFO) is
reported, not skipped, and a page too small to read or too large to be a page is refused
before it is decoded. Scans are only ever opened for reading, and only regular files are opened.
"""

from __future__ import annotations

import ctypes
import errno
import itertools
import math
import os
import re
import stat
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from natsort import os_sorted
from PIL import Image, ImageSequence, UnidentifiedImageError

IMAGE_SUFFIXES = frozenset({".png", ".tif", ".tiff", ".jpg", ".jpeg"})
PDF_SUFFIXES = frozenset({".pdf"})
SCAN_SUFFIXES = IMAGE_SUFFIXES | PDF_SUFFIXES

PLAUSIBLE_DPI = (70.0, 1600.0)
"""DPI outside this range is taken as missing (many files say 1 or 72 whatever the scan), and the
page's resolution estimated from its text (`preprocess.estimate_dpi`): the one range ocrfix trusts."""
PDF_FALLBACK_DPI = 300.0

MIN_PAGE_SIDE = 16
"""Fewest pixels a page may have across and down: the height of the smallest print Tesseract reads.
Lines of ocr17-fr-lines-dev scaled down read with a few errors with their print 16 px high, as
garbage at 12 px and as nothing at 10 px; and the preprocessing's 150 dpi copy of a page under 6 px
a side at 1600 dpi has no pixels at all (OpenCV's assertion). A page of one line is no page, but
those line images (61-107 px high) read perfectly, so the bound is what nothing can be read from."""
MAX_PAGE_PIXELS = 70_000_000
"""Most pixels a page may have, checked from the file's header before any decoding: the largest page
a book scan gives, A3 at 600 dpi (7016 x 9921 px, 69.6 Mpx; 70 MB as grey, and the preprocessing makes
several copies). Pillow's own limit only warns up to 179 Mpx: a 41 KB PNG of 12000 x 12000 1-bit
pixels took 0.6 GB to load and 1.07 GB to prepare."""
# The limit above is the one: every image Pillow warns about as it opens it (over 89 Mpx) is refused
# with a one-line reason, which its warning (two lines on stderr, each time a run opens the file) repeats.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
# A damaged file's details Pillow warns about as it reads (`Corrupt EXIF data`, `Tag data larger than file`)
# are not the user's concern: the file is read or refused with a one-line reason, not warned about.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")


def _quiet_libtiff() -> None:
    """Have libtiff, with which Pillow decodes a TIFF's compressed data, keep its complaints about a
    damaged file to itself: it prints them on stderr (`LZWDecode: Not enough data at scanline 0`, a
    line or more for each try) before Pillow raises, and the file's one-line reason says it. Its
    handlers are set in the copy Pillow loaded (its own, in Pillow's wheels), found in the process's
    memory map; where there is none (not Linux), nothing is changed."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {fields[-1] for line in maps if len(fields := line.split()) == 6 and "/libtiff" in fields[-1]}
    except OSError:
        return
    for path in paths:
        lib = ctypes.CDLL(path)
        for setter in (lib.TIFFSetErrorHandler, lib.TIFFSetWarningHandler):
            setter.restype = ctypes.c_void_p
            setter(None)


_quiet_libtiff()

_PDFIUM = threading.RLock()
"""PDFium is not thread-safe (pypdfium2's documentation): the page tasks' threads take turns with it.
Re-entrant: a stopped run counts its finished pages in the signal handler, which may interrupt the
same thread listing a PDF's pages."""


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
    colour: np.ndarray | None = None
    """The page in RGB when the image file has colour (stamps are told by it, `stamps.remove_stamps`);
    None for a grey, bilevel or colourless page, and for a PDF's (rasterised grey)."""


@dataclass(frozen=True)
class Unreadable:
    """A scan file that could not even be opened to count its pages."""

    path: Path
    reason: str
    id: str
    """Its id as a page, unique with the others (see `list_pages`)."""


def scan_files(folder: Path) -> list[Path]:
    """The entries directly in `folder` named as scans, folders aside, in natural order (ties in it,
    `a.JPG` and `a.jpg`, in code-point order). Not only regular files: a broken link or a FIFO named
    `x.png` is listed so that opening it fails with a reason instead of being passed over."""
    files = [p for p in folder.iterdir() if p.suffix.lower() in SCAN_SUFFIXES and not p.is_dir()]
    return [Path(p) for p in os_sorted(files, presort=True)]


def list_pages(folder: Path) -> tuple[list[PageRef], list[Unreadable]]:
    """Every page in the folder, in natural order, and the files that could not be opened.

    A page's id is its file's stem (`p2`), and `<stem>-p0001`, `<stem>-p0002`, ... for the pages of
    a multi-page file: the name of its outputs, `pages/<id>.json`. Ids are unique, ignoring case (the
    output folder may be on a disk that does): where files would share one (`a.png` and `a.jpg`;
    `x.tif`'s first page and `x-p0001.png`), the file whose name comes first in code-point order keeps
    it, and each other one puts its suffix into all its ids (`a-png`; `x-tif-p0001`, `x-tif-p0002`),
    then a number if that is taken as well (`a-png-2`). Code-point order, not the natural order, which
    follows the locale: cron's C locale gives the same ids as a terminal. A file that cannot be opened
    counts as one page, so that the ids of the others do not depend on whether it can.
    """
    files = scan_files(folder)
    counts: dict[Path, int] = {}
    reasons: dict[Path, str] = {}
    for path in files:
        try:
            counts[path] = page_count(path)
        except SourceError as err:
            reasons[path] = str(err)
    ids = _page_ids({path: counts.get(path, 1) for path in files})
    pages = [PageRef(path, i, page_id) for path in files if path in counts for i, page_id in enumerate(ids[path])]
    unreadable = [Unreadable(path, reasons[path], ids[path][0]) for path in files if path in reasons]
    return pages, unreadable


def _page_ids(counts: dict[Path, int]) -> dict[Path, list[str]]:
    """The ids of each file's pages, given how many it has; the rule is `list_pages`'s."""
    taken: set[str] = set()
    ids: dict[Path, list[str]] = {}
    for path in sorted(counts, key=lambda p: p.name):
        for base in _id_bases(path):
            wanted = [base] if counts[path] == 1 else [f"{base}-p{i + 1:04d}" for i in range(counts[path])]
            if taken.isdisjoint(w.casefold() for w in wanted):
                break
        taken.update(w.casefold() for w in wanted)
        ids[path] = wanted
    return ids


def _id_bases(path: Path) -> Iterator[str]:
    """What a file's ids are made from, first choice first: `a`, `a-png`, `a-png-2`, ..."""
    stem = readable(path.stem)
    yield stem
    tagged = f"{stem}-{path.suffix[1:]}"
    yield tagged
    for n in itertools.count(2):
        yield f"{tagged}-{n}"


def page_count(path: Path) -> int:
    if path.suffix.lower() in PDF_SUFFIXES:
        with _PDFIUM, _open_pdf(path) as pdf:
            count = len(pdf)
    else:
        with _open_image(path) as im:
            try:
                count = getattr(im, "n_frames", 1)  # a TIFF's frames are found by reading its directories
            except Exception as err:  # noqa: BLE001 - Pillow's plugins raise any kind on damaged data
                raise SourceError(f"{shown(path)}: damaged image data ({one_line(err)})") from err
    if count < 1:
        raise SourceError(f"{shown(path)}: no pages")
    return count


def load_page(ref: PageRef) -> Scan:
    """The page as an 8-bit grayscale array, with the DPI the file gives if it is plausible."""
    if ref.path.suffix.lower() in PDF_SUFFIXES:
        return _load_pdf_page(ref)
    with _open_image(ref.path) as im:
        try:
            frame = ImageSequence.Iterator(im)[ref.frame]
            _check_size(_which_page(ref, getattr(im, "n_frames", 1)), *frame.size)  # from the header
            frame.load()
            dpi = _plausible(frame.info.get("dpi"))
            gray = np.asarray(_to_gray(frame))
            colour = _colour(frame)
        except SourceError:
            raise
        except Exception as err:  # noqa: BLE001 - Pillow's plugins raise any kind on damaged data (TypeError, struct.error)
            raise SourceError(f"{shown(ref.path)}: damaged image data ({one_line(err)})") from err
    return Scan(gray, dpi, colour)


def _which_page(ref: PageRef, pages: int) -> str:
    """The file, and the page when it has several, as a reason names them."""
    return f"{shown(ref.path)}: page {ref.frame + 1}" if pages > 1 else shown(ref.path)


def _check_size(where: str, width: int, height: int) -> None:
    """Refuse a page nothing can be read from, or one too large to be a scan, before it is decoded."""
    if min(width, height) < MIN_PAGE_SIDE:
        raise SourceError(f"{where}: too small to be a page: {width}x{height} px (at least {MIN_PAGE_SIDE} px a side)")
    if width * height > MAX_PAGE_PIXELS:
        raise SourceError(
            f"{where}: {width}x{height} px is larger than a page can be ({MAX_PAGE_PIXELS // 1_000_000} Mpx): "
            "refused as a possible decompression bomb"
        )


def _check_file(path: Path) -> None:
    """Refuse, without opening it, what is no scan: a broken link, a link loop, a FIFO (reading one
    waits for a writer, for ever), a socket, a device, a folder; an empty file; and a name that is not
    UTF-8 (from a Latin-1 disk): the page's outputs, run.json and the standard formats all name it."""
    if readable(path.name) != path.name:
        raise SourceError(f"{shown(path)}: the file name is not UTF-8; rename the file")
    try:
        status = path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise SourceError(f"{shown(path)}: symbolic link loop") from err
        if isinstance(err, FileNotFoundError) and path.is_symlink():
            raise SourceError(
                f"{shown(path)}: broken symbolic link (to {os.readlink(path)!r}, which does not exist)"
            ) from err
        raise SourceError(f"{shown(path)}: cannot open ({one_line(err)})") from err
    if not stat.S_ISREG(status.st_mode):
        kind = _FILE_KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        raise SourceError(f"{shown(path)}: {kind}, not a scan (not opened)")
    if status.st_size == 0:
        raise SourceError(f"{shown(path)}: empty file (0 bytes)")


_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


def _open_image(path: Path) -> Image.Image:
    _check_file(path)
    try:
        return Image.open(path)
    except Image.DecompressionBombError as err:
        raise SourceError(f"{shown(path)}: refused as a possible decompression bomb ({one_line(err)})") from err
    except UnidentifiedImageError as err:
        raise SourceError(f"{shown(path)}: not an image Pillow can read") from err
    except OSError as err:
        raise SourceError(f"{shown(path)}: cannot open ({one_line(err)})") from err


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


GREY_SPREAD = 16
"""A page whose sampled pixels all lie within this many levels of grey across their channels has no
colour (a grey scan saved as RGB, with its JPEG error): it is kept as grey only."""


def _colour(im: Image.Image) -> np.ndarray | None:
    """The page as RGB (transparency on white, as `_to_gray`), or None when it has no colour."""
    if im.mode not in ("RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "P", "PA"):
        return None
    if im.mode in ("RGBA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im.convert("RGBA"))
    rgb = np.asarray(im.convert("RGB"))
    sample = rgb[::7, ::7].astype(np.int16)
    return rgb if int((sample.max(axis=2) - sample.min(axis=2)).max()) > GREY_SPREAD else None


def _plausible(dpi: object) -> float | None:
    try:
        x = float(dpi[0])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    return x if PLAUSIBLE_DPI[0] <= x <= PLAUSIBLE_DPI[1] else None


def _open_pdf(path: Path):  # -> pdfium.PdfDocument, imported lazily: only PDFs need it
    import pypdfium2 as pdfium

    _check_file(path)
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        raise SourceError(f"{shown(path)}: {_pdf_problem(path)}") from err


def _pdf_problem(path: Path) -> str:
    """Why pdfium would not load a PDF, asked of the document itself (qpdf's reading of it). Not from
    pdfium's error code: that is one last error for the whole process, which pdfium leaves as it was
    for some failures (a PDF of no pages was called encrypted after an encrypted one)."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) == 0:
                return "no pages"
    except pikepdf.PasswordError:
        return "encrypted PDF (needs a password)"
    except pikepdf.PdfError as err:
        detail = one_line(str(err).replace(str(path), "")).lstrip(": ")  # the reason names the file already
        return f"not a readable PDF ({detail})"
    return "not a readable PDF (damaged: pdfium cannot load it)"


def _load_pdf_page(ref: PageRef) -> Scan:
    """Rasterise at the resolution of the page's largest image, so the scan is not resampled. Every
    PDFium object is closed here, under the lock, not left to the garbage collector of another thread."""
    import pypdfium2 as pdfium

    where = f"{shown(ref.path)}: page {ref.frame + 1}"
    with _PDFIUM, _open_pdf(ref.path) as pdf:
        try:
            page = pdf[ref.frame]
        except pdfium.PdfiumError as err:  # a damaged page object in a document that loads
            raise SourceError(f"{where}: damaged (pdfium cannot load the page)") from err
        try:
            dpi, images = _pdf_page_dpi(page)
            scale = (dpi or PDF_FALLBACK_DPI) / 72.0
            _check_size(
                where, math.ceil(page.get_width() * scale), math.ceil(page.get_height() * scale)
            )  # as render sizes it
            try:
                bitmap = page.render(scale=scale, grayscale=True)
            except pdfium.PdfiumError as err:
                raise SourceError(f"{where} cannot be rendered ({one_line(err)})") from err
            try:
                gray = np.asarray(bitmap.to_pil().convert("L"))
            finally:
                bitmap.close()
        finally:
            page.close()
    return Scan(gray, dpi or (PDF_FALLBACK_DPI if not images else None))


def _pdf_page_dpi(page) -> tuple[float | None, bool]:  # page: pdfium.PdfPage
    """The resolution of the page's largest image (None when implausible or there is none), and
    whether it has any image."""
    import pypdfium2.raw as pdfium_c

    dpi = None
    best = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        px_w, px_h = obj.get_px_size()
        left, _, right, _ = obj.get_bounds()
        if px_w * px_h > best and right > left:
            best = px_w * px_h
            dpi = _plausible((px_w / ((right - left) / 72.0),))
    return dpi, best > 0


def shown(path: Path) -> str:
    """A path as a reason names it: as it is (each byte that is not UTF-8 as \\xNN, see `readable`), or
    quoted with escapes like a Python string when it holds a line break or another character that does
    not print, so that the reason stays one line."""
    text = readable(str(path))
    return text if text.isprintable() else repr(text)


def readable(name: str) -> str:
    """A file name as text any UTF-8 file can hold: as it is, each byte that is not UTF-8 (Python keeps
    it as a lone surrogate, which cannot be written) as \\xNN: `caf\\xe9.png` for Latin-1's café.png."""
    return _NOT_UTF8.sub(lambda m: f"\\x{ord(m[0]) - 0xDC00:02x}", name)


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""The lone surrogates by which os.fsdecode keeps the bytes of a name that are not UTF-8."""


REASON_CHARS = 160
"""A reason shown to users is cut here: one line of a terminal, however long the library's message."""


def one_line(err: BaseException | str) -> str:
    """An exception's message (or a program's) as one short line, for reasons shown to users."""
    text = " ".join(str(err).split())[:REASON_CHARS]
    return text or (type(err).__name__ if isinstance(err, BaseException) else "")
