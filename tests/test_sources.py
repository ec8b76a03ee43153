"""Finding and loading pages: formats, natural order, DPI, and every kind of bad input."""

import hashlib
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocrfix.sources import SourceError, list_pages, load_page


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG that claims a huge size in a few bytes: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@pytest.fixture
def folder(tmp_path: Path, text_crop: np.ndarray) -> Path:
    im = Image.fromarray(text_crop)
    small = im.resize((im.width // 2, im.height // 2))
    im.save(tmp_path / "p2.png", dpi=(300, 300))
    im.save(tmp_path / "p10.png", dpi=(300, 300))
    small.save(tmp_path / "p3.jpg", quality=90)  # no DPI in the file
    # fresh copies: Pillow leaks one save's encoder options into the next save of the same image
    im.copy().save(tmp_path / "p1.tif", save_all=True, append_images=[small.copy()], dpi=(300, 300), compression="tiff_deflate")
    small.save(tmp_path / "p20.pdf", resolution=150)
    (tmp_path / "notes.txt").write_text("not a scan")
    return tmp_path


def test_pages_in_natural_order_with_multi_page_ids(folder: Path):
    pages, unreadable = list_pages(folder)
    assert unreadable == []
    assert [p.id for p in pages] == ["p1-p0001", "p1-p0002", "p2", "p3", "p10", "p20"]
    assert [p.frame for p in pages[:2]] == [0, 1]


def test_dpi_read_from_the_file_and_pdf_rasterised_at_native_resolution(folder: Path, text_crop: np.ndarray):
    pages = {p.id: p for p in list_pages(folder)[0]}
    png = load_page(pages["p2"])
    assert png.dpi == pytest.approx(300, abs=1) and png.gray.shape == text_crop.shape
    assert load_page(pages["p3"]).dpi is None
    second = load_page(pages["p1-p0002"])
    assert second.gray.shape == (text_crop.shape[0] // 2, text_crop.shape[1] // 2)
    pdf = load_page(pages["p20"])
    assert pdf.dpi == pytest.approx(150, abs=1)
    assert abs(pdf.gray.shape[1] - text_crop.shape[1] // 2) <= 2


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad file and a word its one-line reason must contain."""
    (folder / "empty.png").write_bytes(b"")
    good = (folder / "p2.png").read_bytes()
    (folder / "truncated.png").write_bytes(good[: len(good) // 3])
    (folder / "letter.jpg").write_text("Dear Victor, this is not an image.")
    _png_header_only(folder / "bomb.png", 40000, 40000)
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=folder / "p20.pdf")
    writer.encrypt("secret")
    with open(folder / "locked.pdf", "wb") as f:
        writer.write(f)
    return {"empty": "empty", "truncated": "damaged", "letter": "not an image", "bomb": "bomb", "locked": "encrypted"}


def test_bad_inputs_get_one_line_reasons_naming_the_file_and_scans_are_untouched(folder: Path):
    expected = _bad_inputs(folder)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    pages, unreadable = list_pages(folder)
    reasons = {u.path.stem: u.reason for u in unreadable}
    for ref in pages:
        try:
            load_page(ref)
        except SourceError as err:
            reasons[ref.path.stem] = str(err)
    assert set(reasons) == set(expected)
    for stem, word in expected.items():
        assert word in reasons[stem] and "\n" not in reasons[stem]
        assert str(folder / stem) in reasons[stem]
    assert {p.id for p in pages} >= {"p2", "p3", "p10", "p20", "p1-p0001"}
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert after == before
