"""volume.pdf: every page's scan as it was scanned, with the corrected text as an invisible layer over it.

One PDF page per page record. The scan is embedded without recompression: a JPEG's own bytes
(DCTDecode), a PNG's own compressed data, a bilevel TIFF frame as CCITT G4 (img2pdf does the
passthrough); other frames of multi-page TIFFs are stored losslessly (Flate). A page of a scanned
PDF is that PDF's page itself, so its image stays byte-identical (an earlier invisible OCR layer on
it is taken out). An image page's size comes from the scan's pixels and the record's DPI, and
/Rotate turns a page upright in the viewer: nothing is resampled.

The text is each word's `final`, drawn invisibly (render mode 3) in Helvetica with WinAnsi
encoding, one positioned run per word, its width fitted by horizontal scaling (Tz). Boxes are in
prepared-page coordinates (upright, deskewed); the inverse of preprocessing's transform maps each
word's box (its extent along the line, the line's height) back onto the scan, and the word covers
the upright bounding box of that. On a turned page it reads upright once the viewer applies
/Rotate; on a deskewed page it is placed but not slanted (a slanting word's box is a little taller
than the word). Each word carries a trailing space, so copied text keeps its spaces. Characters
outside Windows-1252 are approximated (ligatures split, other accents dropped, else "?");
accented Latin letters stay exact.

The scans' image data is held in memory until the PDF is written: about the size of the PDF.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import unicodedata
from decimal import Decimal
from pathlib import Path

import cv2
import img2pdf
import numpy as np
import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Operator
from PIL import Image, ImageSequence

from ..geometry import page_transform
from ..model import Page
from ..outputs import atomic_write
from ..sources import PDF_SUFFIXES, PageRef, SourceError, load_page, one_line
from .walk import blocks

FONT = "Helvetica"
DESCENT = 0.207
"""Helvetica's descent, per em: readers put a glyph's box from this far below the baseline to an em above that."""
HELVETICA_WIDTHS = (
    278,
    278,
    355,
    556,
    556,
    889,
    667,
    191,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,  # 0x20
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    584,
    584,
    584,
    556,  # 0x30
    1015,
    667,
    667,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    500,
    667,
    556,
    833,
    722,
    778,  # 0x40
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    278,
    278,
    278,
    469,
    556,  # 0x50
    333,
    556,
    556,
    500,
    556,
    556,
    278,
    556,
    556,
    222,
    222,
    500,
    222,
    833,
    556,
    556,  # 0x60
    556,
    556,
    333,
    500,
    278,
    556,
    500,
    722,
    500,
    500,
    500,
    334,
    260,
    334,
    584,
    0,  # 0x70
    556,
    0,
    222,
    556,
    333,
    1000,
    556,
    556,
    333,
    1000,
    667,
    333,
    1000,
    0,
    611,
    0,  # 0x80
    0,
    222,
    222,
    333,
    333,
    350,
    556,
    1000,
    333,
    1000,
    500,
    333,
    944,
    0,
    500,
    667,  # 0x90
    278,
    333,
    556,
    556,
    556,
    556,
    260,
    556,
    333,
    737,
    370,
    556,
    584,
    333,
    737,
    333,  # 0xA0
    400,
    584,
    333,
    333,
    333,
    556,
    537,
    278,
    333,
    333,
    365,
    556,
    834,
    834,
    834,
    611,  # 0xB0
    667,
    667,
    667,
    667,
    667,
    667,
    1000,
    722,
    667,
    667,
    667,
    667,
    278,
    278,
    278,
    278,  # 0xC0
    722,
    722,
    778,
    778,
    778,
    778,
    778,
    584,
    778,
    722,
    722,
    722,
    722,
    667,
    667,
    611,  # 0xD0
    556,
    556,
    556,
    556,
    556,
    556,
    889,
    500,
    556,
    556,
    556,
    556,
    278,
    278,
    278,
    278,  # 0xE0
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    584,
    611,
    556,
    556,
    556,
    556,
    500,
    556,
    500,  # 0xF0
)
"""Helvetica's advance widths (1/1000 em) for WinAnsi codes 32-255, 0 where WinAnsi has no character."""
FIRST_CODE = 32
SPACE = 0x20


def write_pdf(pages: list[Page], path: Path) -> None:
    """One searchable PDF of the pages, in order, under `path` only once complete.

    Raises SourceError when a page's scan cannot be read, ValueError for an empty list.
    """
    if not pages:
        raise ValueError("no pages to write")
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(pikepdf.new())
        scans = _Scans(out, stack)
        font = _font(out)
        for page in pages:
            if Path(page.source).suffix.lower() in PDF_SUFFIXES:
                _add_pdf_page(out, page, font, scans)
            else:
                _add_image_page(out, page, font, scans)
        out.docinfo[Name.Creator] = "ocrfix"
        _save(out, path)


# --------------------------------------------------------------------------- pages


def _add_image_page(out: pikepdf.Pdf, page: Page, font: pikepdf.Object, scans: _Scans) -> None:
    image, (px_w, px_h) = scans.image(Path(page.source), page.frame)
    dpi = page.dpi if page.dpi and page.dpi > 0 else 300.0
    width, height = px_w * 72.0 / dpi, px_h * 72.0 / dpi
    # scan pixels (y down) -> PDF user space (points, y up)
    to_user = np.array([[width / px_w, 0.0, 0.0], [0.0, -height / px_h, height], [0.0, 0.0, 1.0]])
    text = _text_layer(page, to_user @ _prepared_to_scan(page, (px_h, px_w)), "/OcrFix")
    content = f"q {_n(width)} 0 0 {_n(height)} 0 0 cm /Scan Do Q\n".encode() + text
    obj = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, _dec(width), _dec(height)]),
        Resources=Dictionary(XObject=Dictionary(Scan=image), Font=Dictionary(OcrFix=font)),
        Contents=out.make_stream(content),
    )
    if page.rotation % 360:
        obj.Rotate = page.rotation % 360
    out.pages.append(pikepdf.Page(obj))


def _add_pdf_page(out: pikepdf.Pdf, page: Page, font: pikepdf.Object, scans: _Scans) -> None:
    """The source PDF's page itself, its earlier invisible text (an older OCR layer) taken out, ours added."""
    source = scans.pdf(Path(page.source))
    try:
        original = source.pages[page.frame]
    except IndexError:
        raise SourceError(f"{page.source}: no page {page.frame + 1}") from None
    out.pages.append(original)  # attributes it inherited in its file were put on it when the file was read
    target = out.pages[-1]
    gray = load_page(PageRef(Path(page.source), page.frame, page.id)).gray  # as rasterised for OCR
    raster_h, raster_w = gray.shape[:2]
    src_rotate = int(target.obj.get(Name.Rotate, 0)) % 360
    crop, media = ([float(v) for v in box] for box in (target.cropbox, target.mediabox))
    x0, x1 = max(min(crop[0::2]), min(media[0::2])), min(max(crop[0::2]), max(media[0::2]))
    y0, y1 = max(min(crop[1::2]), min(media[1::2])), min(max(crop[1::2]), max(media[1::2]))
    shown_w, shown_h = (x1 - x0, y1 - y0) if src_rotate in (0, 180) else (y1 - y0, x1 - x0)
    # the raster is the page as a viewer shows it: top-left origin, y down, after the page's own /Rotate
    to_shown = np.diag([shown_w / raster_w, shown_h / raster_h, 1.0])
    shown_to_user = {
        0: [[1, 0, x0], [0, -1, y1]],
        90: [[0, 1, x0], [1, 0, y0]],
        180: [[-1, 0, x1], [0, 1, y0]],
        270: [[0, -1, x1], [-1, 0, y1]],
    }[src_rotate]
    to_user = np.vstack([np.array(shown_to_user, dtype=float), [0, 0, 1]]) @ to_shown
    name = target.add_resource(font, Name.Font, name=_unused_font_name(target))
    text = _text_layer(page, to_user @ _prepared_to_scan(page, (raster_h, raster_w)), str(name))
    unclosed = _drop_invisible_text(out, target)
    target.contents_add(b"q\n", prepend=True)
    target.contents_add(b"\n" + b"Q\n" * (unclosed + 1) + text)
    rotate = (src_rotate + page.rotation) % 360
    if rotate:
        target.obj.Rotate = rotate
    elif Name.Rotate in target.obj:
        del target.obj.Rotate


def _unused_font_name(page: pikepdf.Page) -> Name:
    """/OcrFix, or /OcrFix1, /OcrFix2, ... where the page has a font of that name already: chosen from
    the page, not at random (pikepdf's prefix=), so that the same pages give the same bytes."""
    taken = set(page.obj.get(Name.Resources, Dictionary()).get(Name.Font, Dictionary()).keys())
    return next(Name(name) for n in itertools.count() if (name := f"/OcrFix{n or ''}") not in taken)


def _prepared_to_scan(page: Page, scan_shape: tuple[int, int]) -> np.ndarray:
    """3x3: prepared-page pixels -> scan pixels (the inverse of preprocessing's transform)."""
    inverse = cv2.invertAffineTransform(page_transform(page, scan_shape))
    return np.vstack([inverse, [0.0, 0.0, 1.0]])


# --------------------------------------------------------------------------- the text layer


def _text_layer(page: Page, to_user: np.ndarray, font: str) -> bytes:
    """Content-stream operators drawing the page's words invisibly; `to_user` maps prepared pixels to user space.

    Each word runs upright as the viewer shows the page (along the scan's axes: the skew is not
    followed, since readers group slanting text badly), over its box mapped onto the scan: the
    bounding box of the mapped corners of the word's extent along the line and the line's height.
    """
    right = _axis(to_user[:2, :2] @ np.array([1.0, 0.0]))  # the text's direction in user space
    up = _axis(to_user[:2, :2] @ np.array([0.0, -1.0]))
    matrix = f"{_n(right[0])} {_n(right[1])} {_n(up[0])} {_n(up[1])}"
    space_em = HELVETICA_WIDTHS[SPACE - FIRST_CODE] / 1000.0
    parts: list[str] = []
    for block in blocks(page):
        for par in block.paragraphs:
            for entry in par.lines:
                top = min(entry.line.box[1], *(w.box[1] for w in entry.words))
                bottom = max(entry.line.box[3], *(w.box[3] for w in entry.words))
                spans = []  # per word: start and end along the text, bottom and top across it (points)
                for word in entry.words:
                    x0, x1 = word.box[0], max(word.box[2], word.box[0] + 1)
                    corners = to_user @ np.array([[x0, x1, x0, x1], [top, top, bottom, bottom], [1, 1, 1, 1]], float)
                    along, across = right @ corners[:2], up @ corners[:2]
                    spans.append((along.min(), along.max(), across.min(), max(across.max(), across.min() + 0.1)))
                parts.append("BT 3 Tr")
                for i, (word, (start, end, low, high)) in enumerate(zip(entry.words, spans, strict=True)):
                    data = encode(word.final or "") or b"?"
                    size = high - low
                    natural = sum(HELVETICA_WIDTHS[ch - FIRST_CODE] for ch in data) / 1000.0 * size
                    stretch = (end - start) / natural
                    origin = right * start + up * (low + DESCENT * size)
                    # the word is followed by a space in the same string (readers such as pdfium drop a
                    # space shown on its own): one after the line's end too, so that readers running a line
                    # into the next still separate the words; pulled back (a TJ offset) to end by the next word
                    space = space_em * size * stretch
                    gap = spans[i + 1][0] - end if i + 1 < len(spans) else space
                    back = max(space - gap, 0.0) * 1000.0 / (size * stretch)
                    parts.append(
                        f"{font} {_n(size)} Tf {matrix} {_n(origin[0])} {_n(origin[1])} Tm "
                        f"{_n(100.0 * stretch)} Tz [<{data.hex()}> {_n(back)} <20>] TJ"
                    )
                parts.append("ET")
    return ("\n".join(parts) + "\n").encode("ascii") if parts else b""


def _axis(vector: np.ndarray) -> np.ndarray:
    """The unit vector along the user-space axis nearest `vector`'s direction."""
    axis = np.zeros(2)
    i = int(np.argmax(np.abs(vector)))
    axis[i] = np.sign(vector[i])
    return axis


def encode(text: str) -> bytes:
    """`text` in WinAnsi (Windows-1252), approximating what it cannot hold: "ﬁ" as "fi", "ŝ" as "s", else "?"."""
    out = bytearray()
    for ch in text:
        code = _code(ch)
        if code is not None:
            out.append(code)
            continue
        approx = [c for c in (_code(x) for x in unicodedata.normalize("NFKD", ch)) if c is not None]
        out.extend(approx or [ord("?")])
    return bytes(out)


def _code(ch: str) -> int | None:
    try:
        code = ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None
    return code if code >= FIRST_CODE and HELVETICA_WIDTHS[code - FIRST_CODE] else None


def _font(out: pikepdf.Pdf) -> pikepdf.Object:
    """Helvetica, WinAnsi, with its widths, descriptor and a ToUnicode map, so every reader places and extracts alike."""
    codes = [c for c in range(FIRST_CODE, 256) if HELVETICA_WIDTHS[c - FIRST_CODE]]
    pairs = "\n".join(f"<{c:02X}> <{ord(bytes([c]).decode('cp1252')):04X}>" for c in codes)
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /OcrFix-WinAnsi-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{len(codes)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + FONT),
        Flags=32,
        FontBBox=Array([-166, -225, 1000, 931]),
        ItalicAngle=0,
        Ascent=718,
        Descent=-207,
        CapHeight=718,
        XHeight=523,
        StemV=88,
    )
    return out.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name("/" + FONT),
            Encoding=Name.WinAnsiEncoding,
            FirstChar=FIRST_CODE,
            LastChar=255,
            Widths=Array(list(HELVETICA_WIDTHS)),
            FontDescriptor=out.make_indirect(descriptor),
            ToUnicode=out.make_stream(cmap.encode("ascii")),
        )
    )


# --------------------------------------------------------------------------- the scans


class _Scans:
    """The scans' images as image XObjects of `out`, and the source PDFs, each opened once."""

    def __init__(self, out: pikepdf.Pdf, stack: contextlib.ExitStack) -> None:
        self.out = out
        self.stack = stack
        self.images: dict[tuple[Path, int], tuple[pikepdf.Object, tuple[int, int]]] = {}
        self.pdfs: dict[Path, pikepdf.Pdf] = {}

    def pdf(self, path: Path) -> pikepdf.Pdf:
        if path not in self.pdfs:
            try:
                self.pdfs[path] = self.stack.enter_context(pikepdf.open(path))
            except (OSError, pikepdf.PdfError) as err:
                raise SourceError(f"{path}: cannot open the PDF ({one_line(err)})") from err
        return self.pdfs[path]

    def image(self, path: Path, frame: int) -> tuple[pikepdf.Object, tuple[int, int]]:
        """The frame as an image XObject of `out`, and its size in pixels."""
        key = (path, frame)
        if key not in self.images:
            data, size = _frame_data(path, frame)
            try:
                converted = img2pdf.convert(data, rotation=img2pdf.Rotation.none)
            except Exception:  # img2pdf refuses some images: store the decoded pixels losslessly instead
                try:
                    converted = img2pdf.convert(_lossless_png(path, frame), rotation=img2pdf.Rotation.none)
                except Exception as err:
                    raise SourceError(f"{path}: cannot embed page {frame + 1} in the PDF ({one_line(err)})") from err
            single = self.stack.enter_context(pikepdf.open(io.BytesIO(converted)))
            xobjects = single.pages[0].obj.Resources.XObject
            image = self.out.copy_foreign(xobjects[next(iter(xobjects.keys()))])
            self.images[key] = (image, size)
        return self.images[key]


def _frame_data(path: Path, frame: int) -> tuple[bytes | str, tuple[int, int]]:
    """What img2pdf should embed for this frame: the file itself when it holds one image, else the frame alone."""
    try:
        with Image.open(path) as im:
            if getattr(im, "n_frames", 1) == 1:
                if frame != 0:
                    raise IndexError(frame)
                return str(path), im.size
            single = ImageSequence.Iterator(im)[frame]
            single.load()
            buf = io.BytesIO()
            dpi = single.info.get("dpi")
            extra = {"dpi": dpi} if dpi else {}
            if single.mode == "1":  # bilevel: CCITT G4, which img2pdf passes through
                single.save(buf, format="TIFF", compression="group4", **extra)
            else:
                single.save(buf, format="PNG", **extra)
            return buf.getvalue(), single.size
    except (OSError, ValueError, SyntaxError, IndexError, Image.DecompressionBombError) as err:
        raise SourceError(f"{path}: cannot read page {frame + 1} for the PDF ({one_line(err)})") from err


def _lossless_png(path: Path, frame: int) -> bytes:
    with Image.open(path) as im:
        single = ImageSequence.Iterator(im)[frame]
        single.load()
        if single.mode in ("1", "L", "RGB"):
            image = single
        elif single.mode in ("RGBA", "LA", "PA", "P", "CMYK", "YCbCr", "LAB", "HSV"):
            rgba = single.convert("RGBA")
            image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
        else:  # 16-bit, float: the 8-bit grayscale the pipeline read
            image = Image.fromarray(load_page(PageRef(path, frame, path.stem)).gray)
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return buf.getvalue()


# --------------------------------------------------------------------------- source PDF pages


PAINTING = frozenset({"Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "INLINE IMAGE", "Tj", "TJ", "'", '"'})


def _drop_invisible_text(out: pikepdf.Pdf, page: pikepdf.Page) -> int:
    """Take out text shown in render mode 3 (an earlier OCR layer), and forms holding only that.

    Returns how many `q` the page's content leaves unclosed. The content is rewritten only when something is taken out.
    """
    instructions = pikepdf.parse_content_stream(page)
    forms = page.obj.get(Name.Resources, Dictionary()).get(Name.XObject, Dictionary())
    kept, dropped, depth = _strip(instructions, forms)
    if dropped:
        page.obj.Contents = out.make_stream(pikepdf.unparse_content_stream(kept))
    return depth


def _strip(instructions: list, forms: pikepdf.Object, mode: int = 0) -> tuple[list, bool, int]:
    kept: list = []
    dropped = False
    stack: list[int] = []
    for instruction in instructions:
        op = str(instruction.operator)
        operands = list(instruction.operands) if op != "INLINE IMAGE" else []
        if op == "q":
            stack.append(mode)
        elif op == "Q":
            mode = stack.pop() if stack else 0
        elif op == "Tr" and operands:
            mode = int(operands[0])
        elif op in ("Tj", "TJ", "'", '"') and mode == 3:
            dropped = True
            if op == '"' and len(operands) == 3:
                kept += [
                    ContentStreamInstruction([operands[0]], Operator("Tw")),
                    ContentStreamInstruction([operands[1]], Operator("Tc")),
                ]
            if op in ("'", '"'):
                kept.append(ContentStreamInstruction([], Operator("T*")))
            continue
        elif op == "Do" and operands and _invisible_text_form(forms.get(operands[0]), mode):
            dropped = True
            continue
        kept.append(instruction)
    return kept, dropped, len(stack)


def _invisible_text_form(xobject: pikepdf.Object | None, mode: int) -> bool:
    """A form XObject that paints nothing but invisible text (how some tools add their OCR layer)."""
    if not isinstance(xobject, pikepdf.Stream) or xobject.get(Name.Subtype) != Name.Form:
        return False
    try:
        instructions = pikepdf.parse_content_stream(xobject)
    except pikepdf.PdfError:
        return False
    kept, dropped, _ = _strip(instructions, Dictionary(), mode)
    return dropped and not any(str(i.operator) in PAINTING for i in kept)


# --------------------------------------------------------------------------- writing


def _save(out: pikepdf.Pdf, path: Path) -> None:
    """The same pages give the same bytes: the trailer's /ID is a digest of the content (qpdf's
    deterministic id), not a random one, so two identical runs write identical PDFs."""
    buffer = io.BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    atomic_write(path, buffer.getvalue())


def _n(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _dec(x: float) -> Decimal:
    return Decimal(_n(x))
