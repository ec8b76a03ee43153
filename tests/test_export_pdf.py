"""volume.pdf: the scans as scanned, with the corrected text invisibly over each word.

Pages are drawn here with Pillow at known boxes (no Tesseract) and read back with real PDF readers:
pypdf for the text, pdfplumber for where each word lies.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import cv2
import img2pdf
import numpy as np
import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from ocrfix.export.pdf import encode, write_pdf
from ocrfix.export.walk import blocks
from ocrfix.model import Change, Line, Page, Stamp, Word
from ocrfix.preprocess import output_shape, transform

FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
DPI = 300.0
SIZE = (1000, 700)  # width, height of the upright page, pixels (3.3 x 2.3 inches)

TEXT_A = [["Café", "señor", "über", "the", "año"], ["naïve", "Ærø", "“quoted”", "—", "end."]]
TEXT_B = [["Another", "page", "with", "words"], ["set", "in", "JPEG", "form."]]
TEXT_C = [["Upside", "down", "scan", "here"], ["read", "the", "right", "way."]]
TEXT_D = [["A", "slightly", "skewed", "page"], ["still", "finds", "its", "words."]]


def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), 44) if FONT.exists() else ImageFont.load_default(size=44)


def _draw(canvas: Image.Image, lines: list[list[str]], left: int = 80, top: int = 120) -> list[Line]:
    """Draw the words on the upright page; their tight boxes make the record (the first word read "Cafe", corrected)."""
    draw, font = ImageDraw.Draw(canvas), _font()
    record: list[Line] = []
    y = top
    for words in lines:
        x, placed = left, []
        for text in words:
            box = tuple(int(v) for v in draw.textbbox((x, y), text, font=font))
            draw.text((x, y), text, font=font, fill=0)
            raw = "Cafe" if text == "Café" else text
            change = [Change(raw, text, "accent", 0.9)] if raw != text else []
            placed.append(Word(raw=raw, box=box, conf=90.0, final=text, changes=change))
            x = box[2] + 24
        line_box = (
            min(w.box[0] for w in placed),
            min(w.box[1] for w in placed),
            max(w.box[2] for w in placed),
            max(w.box[3] for w in placed),
        )
        record.append(Line(line_box, placed, block=1, par=1))
        y += 90
    return record


def _page(
    page_id: str,
    source: Path,
    lines: list[Line],
    size: tuple[int, int],
    rotation: int = 0,
    skew: float = 0.0,
    frame: int = 0,
) -> Page:
    steps = (["orient"] if rotation else []) + (["deskew"] if skew else [])
    return Page(page_id, str(source), frame, size[0], size[1], DPI, False, rotation, skew, steps, "eng", lines)


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Page], dict[str, Path]]:
    folder = tmp_path_factory.mktemp("scans")
    files: dict[str, Path] = {}
    pages: list[Page] = []

    upright = Image.new("L", SIZE, 255)
    lines = _draw(upright, TEXT_A)
    files["png"] = folder / "a.png"
    upright.save(files["png"], dpi=(DPI, DPI))
    pages.append(_page("a", files["png"], lines, SIZE))

    photo = Image.new("L", SIZE, 235)
    lines = _draw(photo, TEXT_B)
    files["jpg"] = folder / "b.jpg"
    photo.save(files["jpg"], quality=80, dpi=(int(DPI), int(DPI)))
    pages.append(_page("b", files["jpg"], lines, SIZE))

    # scanned upside down: the record's boxes are in the upright (prepared) page
    upright = Image.new("L", SIZE, 255)
    lines = _draw(upright, TEXT_C)
    files["180"] = folder / "c.png"
    upright.rotate(180).save(files["180"], dpi=(DPI, DPI))
    pages.append(_page("c", files["180"], lines, SIZE, rotation=180))

    # scanned slanting: draw on the prepared (deskewed) page, warp it back to make the scan
    skew, scan_shape = 1.5, (SIZE[1], SIZE[0])
    out_h, out_w = output_shape(scan_shape, 0, skew)
    prepared = Image.new("L", (out_w, out_h), 255)
    lines = _draw(prepared, TEXT_D, left=110, top=160)
    back = cv2.invertAffineTransform(transform(scan_shape, 0, skew))
    scan = cv2.warpAffine(np.asarray(prepared), back, (SIZE[0], SIZE[1]), flags=cv2.INTER_LINEAR, borderValue=255)
    files["skew"] = folder / "d.png"
    Image.fromarray(scan).save(files["skew"], dpi=(DPI, DPI))
    pages.append(_page("d", files["skew"], lines, (out_w, out_h), skew=skew))

    path = tmp_path_factory.mktemp("out") / "volume.pdf"
    write_pdf(pages, path)
    return path, pages, files


def _final_text(page: Page) -> str:
    return " ".join(w.final for b in blocks(page) for p in b.paragraphs for e in p.lines for w in e.words)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _expected_box(page: Page, box: tuple[int, int, int, int], scan_size: tuple[int, int]) -> tuple[float, ...]:
    """The box on the page as displayed (after /Rotate), in points from the top-left: what pdfplumber reports."""
    w, h = scan_size
    back = cv2.invertAffineTransform(transform((h, w), page.rotation, page.skew))
    x0, y0, x1, y1 = box
    xs, ys = back @ np.array([[x0, x1, x0, x1], [y0, y0, y1, y1], [1, 1, 1, 1]], float)
    if page.rotation == 180:
        xs, ys = w - xs, h - ys
    k = 72.0 / page.dpi
    return xs.min() * k, ys.min() * k, xs.max() * k, ys.max() * k


def test_text_layer_is_the_corrected_text_page_by_page(volume):
    path, pages, _ = volume
    reader = PdfReader(path)
    assert len(reader.pages) == len(pages)
    for page, pdf_page in zip(pages, reader.pages, strict=False):
        assert _norm(pdf_page.extract_text()) == _norm(_final_text(page))
    first = _norm(reader.pages[0].extract_text())
    for word in ("Café", "señor", "über", "año", "naïve", "Ærø", "“quoted”", "—"):
        assert word in first.split()
    assert "Cafe" not in first.split()  # the OCR reading is not what is shown


def test_a_stamps_own_words_are_not_in_the_text_layer(volume, tmp_path: Path):
    """A stamp's words are noise: the text layer is the page's text alone (the XML formats keep the stamp's)."""
    _, pages, _ = volume
    stamped = replace(pages[0], stamps=[Stamp((600, 80, 950, 300), "PUBLIC LIBRARY\nREFERENCE COPY", 93.0, 16.0)])
    write_pdf([stamped], tmp_path / "volume.pdf")
    text = _norm(PdfReader(tmp_path / "volume.pdf").pages[0].extract_text())
    assert text == _norm(_final_text(pages[0])) and "LIBRARY" not in text


def test_each_word_lies_over_its_box(volume):
    path, pages, _ = volume
    with pdfplumber.open(path) as pdf:
        for page, pdf_page in zip(pages, pdf.pages, strict=False):
            found = pdf_page.extract_words(use_text_flow=True)
            words = [w for line in page.lines for w in line.words]
            assert [f["text"] for f in found] == [w.final for w in words]
            scan_size = Image.open(page.source).size
            for line in page.lines:
                for word, got in zip(line.words, found[: len(line.words)], strict=False):
                    # the word's extent along the line; across it, the line's height
                    ex0, ey0, ex1, ey1 = _expected_box(
                        page, (word.box[0], line.box[1], word.box[2], line.box[3]), scan_size
                    )
                    assert ex0 - 2 <= got["x0"] <= ex0 + 2 and ex1 - 2 <= got["x1"] <= ex1 + 2, (word.final, got)
                    assert ey0 - 2 <= got["top"] and got["bottom"] <= ey1 + 2, (word.final, got)
                    cx0, cy0, cx1, cy1 = _expected_box(page, word.box, scan_size)
                    assert got["top"] <= (cy0 + cy1) / 2 <= got["bottom"]
                found = found[len(line.words) :]


def test_pages_are_sized_from_pixels_and_dpi_and_turned_upright(volume):
    path, pages, _ = volume
    with pikepdf.open(path) as pdf:
        for page, pdf_page in zip(pages, pdf.pages, strict=False):
            w, h = Image.open(page.source).size
            assert [float(v) for v in pdf_page.mediabox] == pytest.approx([0, 0, w * 72 / DPI, h * 72 / DPI], abs=0.01)
        assert int(pdf.pages[2].obj.Rotate) == 180
        assert all(
            pikepdf.Name.Rotate not in p.obj or int(p.obj.Rotate) == 0 for i, p in enumerate(pdf.pages) if i != 2
        )


def _images(pdf_page: pikepdf.Page) -> list[pikepdf.Stream]:
    return [v for v in pdf_page.obj.Resources.XObject.values() if v.Subtype == pikepdf.Name.Image]


def test_images_are_not_recompressed(volume):
    path, _, files = volume
    with pikepdf.open(path) as pdf:
        jpeg = _images(pdf.pages[1])
        assert len(jpeg) == 1 and jpeg[0].Filter == pikepdf.Name.DCTDecode
        assert jpeg[0].read_raw_bytes() == files["jpg"].read_bytes()
        png = _images(pdf.pages[0])[0]
        assert png.Filter == pikepdf.Name.FlateDecode
        assert (png.Width, png.Height) == SIZE
        decoded = np.asarray(pikepdf.PdfImage(png).as_pil_image().convert("L"))
        assert np.array_equal(decoded, np.asarray(Image.open(files["png"]).convert("L")))
    assert path.stat().st_size < 2 * sum(f.stat().st_size for f in files.values()) + 50_000


def test_a_frame_of_a_multipage_tiff_and_a_page_of_a_scanned_pdf(tmp_path: Path):
    frames = []
    for text in (TEXT_B, TEXT_C):
        im = Image.new("L", SIZE, 255)
        lines = _draw(im, text)
        frames.append((im.convert("1"), lines))
    tiff = tmp_path / "book.tif"
    frames[0][0].save(tiff, compression="group4", dpi=(DPI, DPI), save_all=True, append_images=[frames[1][0]])

    scanned = Image.new("L", SIZE, 250)
    lines = _draw(scanned, TEXT_A)
    jpeg = io.BytesIO()
    scanned.save(jpeg, format="JPEG", quality=85, dpi=(int(DPI), int(DPI)))
    source_pdf = tmp_path / "scanned.pdf"
    source_pdf.write_bytes(img2pdf.convert(jpeg.getvalue()))

    pages = [_page("book-p0002", tiff, frames[1][1], SIZE, frame=1), _page("scanned", source_pdf, lines, SIZE)]
    path = tmp_path / "out" / "volume.pdf"
    write_pdf(pages, path)

    reader = PdfReader(path)
    assert [_norm(p.extract_text()) for p in reader.pages] == [_norm(_final_text(p)) for p in pages]
    with pikepdf.open(path) as pdf, pikepdf.open(source_pdf) as src:
        g4 = _images(pdf.pages[0])[0]
        assert g4.Filter == pikepdf.Name.CCITTFaxDecode or g4.Filter == [pikepdf.Name.CCITTFaxDecode]
        kept, original = _images(pdf.pages[1])[0], _images(src.pages[0])[0]
        assert kept.read_raw_bytes() == original.read_raw_bytes() == jpeg.getvalue()
        assert [float(v) for v in pdf.pages[1].mediabox] == [float(v) for v in src.pages[0].mediabox]
    with pdfplumber.open(path) as pdf:
        got = pdf.pages[1].extract_words(use_text_flow=True)[0]
        ex0, _, ex1, _ = _expected_box(pages[1], lines[0].words[0].box, SIZE)
        assert abs(got["x0"] - ex0) < 2 and abs(got["x1"] - ex1) < 2

    # an OCR'd PDF run again: its old invisible text goes, the image stays, only the new text is there
    again = Page.from_json(pages[1].to_json())
    again.source, again.id = str(path), "volume-p0002"
    again.frame = 1
    for word in again.words:
        word.final = word.final.upper()
    redone = tmp_path / "redone.pdf"
    write_pdf([again], redone)
    assert _norm(PdfReader(redone).pages[0].extract_text()) == _norm(_final_text(again))
    with pikepdf.open(redone) as pdf:
        assert _images(pdf.pages[0])[0].read_raw_bytes() == jpeg.getvalue()


def test_a_scanned_pdf_page_turned_by_its_own_rotate_inherited_from_the_page_tree(tmp_path: Path):
    upright = Image.new("L", SIZE, 255)
    lines = _draw(upright, TEXT_D)
    jpeg = io.BytesIO()
    upright.rotate(90, expand=True).save(jpeg, format="JPEG", quality=85, dpi=(int(DPI), int(DPI)))  # stored sideways
    source = tmp_path / "sideways.pdf"
    width, height = SIZE[1] * 72 / DPI, SIZE[0] * 72 / DPI
    # written by hand: PDF libraries move inherited attributes onto the pages when they save
    source.write_bytes(
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                # shown turned clockwise, the page is upright (and the pipeline read it so)
                f"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 {width} {height}] /Rotate 90 >>".encode(),
                b"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im 4 0 R >> >> /Contents 5 0 R >>",
                f"<< /Type /XObject /Subtype /Image /Width {SIZE[1]} /Height {SIZE[0]} /ColorSpace /DeviceGray "
                f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg.getvalue())} >>\nstream\n".encode()
                + jpeg.getvalue()
                + b"\nendstream",
                b"<< /Length %d >>\nstream\n%s\nendstream"
                % (len(draw := f"q {width} 0 0 {height} 0 0 cm /Im Do Q".encode()), draw),
            ]
        )
    )
    page = _page("sideways", source, lines, SIZE)
    path = tmp_path / "volume.pdf"
    write_pdf([page], path)

    with pikepdf.open(path) as pdf:
        assert int(pdf.pages[0].obj.Rotate) == 90
        assert [float(v) for v in pdf.pages[0].mediabox] == pytest.approx(
            [0, 0, SIZE[1] * 72 / DPI, SIZE[0] * 72 / DPI]
        )
    assert _norm(PdfReader(path).pages[0].extract_text()) == _norm(_final_text(page))
    with pdfplumber.open(path) as pdf:
        found = pdf.pages[0].extract_words(use_text_flow=True)
    for word, got in zip(page.words, found, strict=False):
        ex0, _, ex1, _ = (v * 72 / DPI for v in word.box)
        assert got["text"] == word.final and abs(got["x0"] - ex0) < 2 and abs(got["x1"] - ex1) < 2


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_written_atomically_and_replacing(tmp_path: Path, volume):
    _, pages, _ = volume
    path = tmp_path / "volume.pdf"
    path.write_bytes(b"old")
    write_pdf(pages[:1], path)
    assert path.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["volume.pdf"]
    with pytest.raises(ValueError):
        write_pdf([], tmp_path / "empty.pdf")
    assert not (tmp_path / "empty.pdf").exists()


def test_winansi_approximations():
    assert encode("Café ñ ü á") == "Café ñ ü á".encode("cp1252")
    assert encode("ﬁne") == b"fine"
    assert encode("ŝ") == b"s"
    assert encode("€—’") == "€—’".encode("cp1252")
    assert encode("中") == b"?"
