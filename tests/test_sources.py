"""Finding and loading pages: formats, natural order, DPI, and every kind of bad input."""

import hashlib
import os
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
    im.copy().save(
        tmp_path / "p1.tif", save_all=True, append_images=[small.copy()], dpi=(300, 300), compression="tiff_deflate"
    )
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


# --------------------------------------------------------------------------- page ids (issue 19)


def _page(path: Path, width: int, height: int, frames: int = 1) -> None:
    """A white page of the given size; a TIFF of `frames` such pages, each a different height."""
    pages = [Image.new("L", (width, height + i), 255) for i in range(frames)]
    pages[0].save(path, save_all=frames > 1, append_images=pages[1:])


def test_files_sharing_a_stem_get_distinct_ids_and_each_page_its_own_file(tmp_path: Path):
    _page(tmp_path / "a.png", 100, 200)
    _page(tmp_path / "a.jpg", 300, 400)
    pages, unreadable = list_pages(tmp_path)
    assert unreadable == []
    assert {p.path.name: p.id for p in pages} == {"a.jpg": "a", "a.png": "a-png"}
    assert {p.id: load_page(p).gray.shape for p in pages} == {"a": (400, 300), "a-png": (200, 100)}


def test_a_multi_page_file_whose_page_ids_clash_with_a_file_takes_its_suffix_on_all_of_them(tmp_path: Path):
    _page(tmp_path / "x.tif", 100, 200, frames=2)
    _page(tmp_path / "x-p0001.png", 300, 400)
    pages, _ = list_pages(tmp_path)
    assert [(p.path.name, p.frame, p.id) for p in pages] == [
        ("x.tif", 0, "x-tif-p0001"),
        ("x.tif", 1, "x-tif-p0002"),
        ("x-p0001.png", 0, "x-p0001"),
    ]
    assert [load_page(p).gray.shape for p in pages] == [(200, 100), (201, 100), (400, 300)]


def test_ids_differ_ignoring_case_a_taken_id_gets_a_number_and_unreadable_files_have_theirs(tmp_path: Path):
    for name in ("A.png", "a.png", "a-png.jpg", "b.png"):
        _page(tmp_path / name, 100, 100)
    (tmp_path / "b.jpg").write_text("not an image")
    pages, unreadable = list_pages(tmp_path)
    assert {p.path.name: p.id for p in pages} == {
        "A.png": "A",
        "a-png.jpg": "a-png",
        "a.png": "a-png-2",
        "b.png": "b-png",
    }
    assert [(u.path.name, u.id) for u in unreadable] == [("b.jpg", "b")]


# --------------------------------------------------------------------------- limits (issue 19)


def test_a_page_too_small_to_read_fails_with_one_reason_not_an_opencv_assertion(tmp_path: Path):
    from ocrfix.pipeline import Settings, process_page

    _page(tmp_path / "dot.png", 1, 1)
    (ref,) = list_pages(tmp_path)[0]
    result = process_page(ref, tmp_path / "out", Settings(lang="eng"))
    assert (result.status, result.reason) == (
        "failed",
        f"{tmp_path / 'dot.png'}: too small to be a page: 1x1 px (at least 16 px a side)",
    )


@pytest.mark.parametrize(("size", "readable"), [((16, 16), True), ((15, 400), False), ((400, 15), False)])
def test_the_smallest_page_is_16_px_a_side(tmp_path: Path, size: tuple[int, int], readable: bool):
    _page(tmp_path / "tiny.png", *size)
    (ref,) = list_pages(tmp_path)[0]
    if readable:  # and the preprocessing copes with it, even at the highest DPI a file may give
        from ocrfix.preprocess import prepare
        from ocrfix.sources import PLAUSIBLE_DPI

        assert prepare(load_page(ref).gray, PLAUSIBLE_DPI[1]).image.shape == size[::-1]
    else:
        with pytest.raises(SourceError, match=rf"too small to be a page: {size[0]}x{size[1]} px"):
            load_page(ref)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # sources silences it; pytest resets filters
@pytest.mark.parametrize("name", ["bomb.png", "second-page.tif"])
def test_a_decompression_bomb_is_refused_from_its_header_before_decoding(tmp_path: Path, name: str):
    bomb = Image.new("1", (12000, 12000), 1)  # 144 Mpx in a 41 KB PNG; 0.6 GB decoded
    if name.endswith(".png"):
        bomb.save(tmp_path / name)
    else:  # Pillow checks only a TIFF's first page when it opens one
        Image.new("1", (100, 100), 1).save(
            tmp_path / name, save_all=True, append_images=[bomb], compression="tiff_deflate"
        )
    refs = list_pages(tmp_path)[0]
    with pytest.raises(SourceError) as caught:
        load_page(refs[-1])
    where = f"{tmp_path / name}: page 2" if len(refs) == 2 else str(tmp_path / name)
    assert (
        str(caught.value)
        == f"{where}: 12000x12000 px is larger than a page can be (70 Mpx): refused as a possible decompression bomb"
    )


@pytest.mark.parametrize(
    ("size", "reason"), [((7016, 9921), "damaged image data"), ((7016, 9978), "larger than a page can be")]
)
def test_the_largest_page_is_an_a3_scan_at_600_dpi(tmp_path: Path, size: tuple[int, int], reason: str):
    _png_header_only(tmp_path / "big.png", *size)  # no pixel data: a page of an accepted size fails decoding
    (ref,) = list_pages(tmp_path)[0]
    with pytest.raises(SourceError, match=reason):
        load_page(ref)


# --------------------------------------------------------------------------- PDF errors (issue 19)


def test_pdf_errors_come_from_the_document_not_from_the_last_pdf_read(tmp_path: Path):
    from pypdf import PdfWriter

    Image.new("L", (200, 300), 255).save(tmp_path / "d-good.pdf", resolution=150)
    writer = PdfWriter(clone_from=tmp_path / "d-good.pdf")
    writer.encrypt("secret")
    writer.write(tmp_path / "a-locked.pdf")
    PdfWriter().write(tmp_path / "b-no-pages.pdf")
    good = (tmp_path / "d-good.pdf").read_bytes()
    (tmp_path / "c-damaged.pdf").write_bytes(good[: len(good) // 2])
    pages, unreadable = list_pages(tmp_path)  # in this order: each after the encrypted one
    assert {u.path.stem: u.reason.removeprefix(f"{u.path}: ") for u in unreadable} == {
        "a-locked": "encrypted PDF (needs a password)",
        "b-no-pages": "no pages",
        "c-damaged": "not a readable PDF (unable to find any pages while recovering damaged file)",
    }
    assert [p.id for p in pages] == ["d-good"]


# --------------------------------------------------------------------------- not regular files (issue 19)


def test_links_that_lead_nowhere_and_a_fifo_are_reported_and_the_fifo_never_opened(tmp_path: Path):
    import os
    import threading

    _page(tmp_path / "good.png", 100, 100)
    (tmp_path / "loop.png").symlink_to("loop.png")
    (tmp_path / "gone.png").symlink_to("missing.png")
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "album.tif").mkdir()  # a folder is no scan: not listed
    listed: list = []
    reader = threading.Thread(target=lambda: listed.append(list_pages(tmp_path)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # it opened the FIFO and waits for a writer: give it one, so that it ends
        os.close(os.open(tmp_path / "pipe.png", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the FIFO was opened for reading")
    pages, unreadable = listed[0]
    assert [p.id for p in pages] == ["good"]
    assert {u.path.name: u.reason for u in unreadable} == {
        "gone.png": f"{tmp_path / 'gone.png'}: broken symbolic link (to 'missing.png', which does not exist)",
        "loop.png": f"{tmp_path / 'loop.png'}: symbolic link loop",
        "pipe.png": f"{tmp_path / 'pipe.png'}: a FIFO (named pipe), not a scan (not opened)",
    }


def test_a_name_with_a_line_break_is_escaped_in_its_one_line_reason(tmp_path: Path):
    letter, cut = tmp_path / "two\nlines.png", tmp_path / "cut\rshort.png"
    letter.write_text("not an image")
    _page(cut, 100, 100)
    cut.write_bytes(cut.read_bytes()[:60])  # its header, not its pixels
    pages, unreadable = list_pages(tmp_path)
    assert [u.reason for u in unreadable] == [f"{str(letter)!r}: not an image Pillow can read"]
    with pytest.raises(SourceError) as caught:
        load_page(pages[0])
    assert str(caught.value).startswith(f"{str(cut)!r}: damaged image data (")
    assert "\n" not in str(caught.value) and "\r" not in str(caught.value)


# --------------------------------------------------------------------------- damage that raised past the reasons (issue 19)


def pdf_with_a_broken_page(path: Path) -> None:
    """A PDF that loads and says it has a page, whose page object is the number 42."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"42"]
    data, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    path.write_bytes(data + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))


def tiff_whose_second_page_has_no_width(path: Path) -> None:
    """Counting its pages makes Pillow raise TypeError('Missing dimensions')."""
    _page(path, 100, 100, frames=2)
    data = bytearray(path.read_bytes())
    first = struct.unpack_from("<I", data, 4)[0]
    second = struct.unpack_from("<I", data, first + 2 + 12 * struct.unpack_from("<H", data, first)[0])[0]
    for k in range(struct.unpack_from("<H", data, second)[0]):
        if struct.unpack_from("<H", data, second + 2 + 12 * k)[0] == 256:  # ImageWidth
            struct.pack_into("<H", data, second + 2 + 12 * k, 65000)  # a private tag instead: no width
    path.write_bytes(bytes(data))


def test_a_pdf_page_pdfium_cannot_load_and_a_tiff_page_without_a_width_get_reasons(tmp_path: Path):
    pdf_with_a_broken_page(tmp_path / "broken-page.pdf")
    tiff_whose_second_page_has_no_width(tmp_path / "no-width.tif")
    pages, unreadable = list_pages(tmp_path)
    assert [u.reason for u in unreadable] == [f"{tmp_path / 'no-width.tif'}: damaged image data (Missing dimensions)"]
    with pytest.raises(SourceError) as caught:
        load_page(pages[0])
    assert str(caught.value) == f"{tmp_path / 'broken-page.pdf'}: page 1: damaged (pdfium cannot load the page)"


def test_a_name_that_is_not_utf8_is_refused_and_named_readably(tmp_path: Path):
    _page(tmp_path / os.fsdecode(b"caf\xe9.png"), 100, 100)  # a Latin-1 name
    _page(tmp_path / "café.png", 100, 100)
    pages, unreadable = list_pages(tmp_path)
    assert [p.id for p in pages] == ["café"]
    assert [(u.id, u.reason) for u in unreadable] == [
        ("caf\\xe9", f"{tmp_path}/caf\\xe9.png: the file name is not UTF-8; rename the file")
    ]


def test_pdfium_is_used_by_one_thread_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """PDFium is not thread-safe, and a run's page tasks are threads."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import pypdfium2 as pdfium

    pages = [Image.new("L", (600, 800 + i), 255) for i in range(4)]
    pages[0].save(tmp_path / "book.pdf", save_all=True, append_images=pages[1:], resolution=150)
    refs = list_pages(tmp_path)[0]
    render, counting = pdfium.PdfPage.render, threading.Lock()
    inside, most = 0, 0

    def counted_render(page, *args, **kwargs):
        nonlocal inside, most
        with counting:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.05)
            return render(page, *args, **kwargs)
        finally:
            with counting:
                inside -= 1

    monkeypatch.setattr(pdfium.PdfPage, "render", counted_render)
    with ThreadPoolExecutor(4) as pool:
        heights = list(pool.map(lambda ref: load_page(ref).gray.shape[0], refs * 2))
    assert heights == [load_page(ref).gray.shape[0] for ref in refs] * 2
    assert most == 1


def tiff_with_damaged_data(path: Path) -> None:
    """An LZW-compressed TIFF whose compressed pixels are all 0xFF: libtiff fails to decode them."""
    Image.fromarray((np.arange(100 * 100) % 251).astype(np.uint8).reshape(100, 100)).save(path, compression="tiff_lzw")
    with Image.open(path) as im:
        start, size = im.tag_v2[273][0], im.tag_v2[279][0]  # the strip of compressed pixels
    data = bytearray(path.read_bytes())
    data[start : start + size] = b"\xff" * size
    path.write_bytes(bytes(data))


def test_libtiff_keeps_its_complaints_about_a_damaged_tiff_off_stderr(tmp_path: Path, capfd: pytest.CaptureFixture):
    """The one-line reason says the data is damaged; libtiff would print its own lines on stderr first."""
    tiff_with_damaged_data(tmp_path / "lzw.tif")
    (ref,) = list_pages(tmp_path)[0]
    capfd.readouterr()
    with pytest.raises(SourceError, match="damaged image data"):
        load_page(ref)
    assert capfd.readouterr().err == ""
