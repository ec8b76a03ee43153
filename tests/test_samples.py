"""The committed sample scans and their ground truth, and the generator that made them.

Quick: no Tesseract here.  The generator test sets a small page in memory.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SCANS = SAMPLES / "scans"
GT = SAMPLES / "gt"
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}
BOOK_TITLE = "THE SERGE\u2013TROTSKY PAPERS"


def natural_key(name: str):
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def scan_files() -> list[Path]:
    return sorted((p for p in SCANS.iterdir() if p.suffix.lower() in IMAGE_EXT), key=lambda p: natural_key(p.name))


def page_count(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        pdfium = pytest.importorskip("pypdfium2")
        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    from PIL import Image

    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def page_ids(path: Path) -> list[str]:
    n = page_count(path)
    return [path.stem] if n == 1 else [f"{path.stem}-p{i:04d}" for i in range(1, n + 1)]


def all_page_ids() -> list[str]:
    ids: list[str] = []
    for f in scan_files():
        if f.suffix.lower() == ".pdf" and importlib.util.find_spec("pypdfium2") is None:
            continue
        ids += page_ids(f)
    return ids


def test_there_are_samples():
    files = scan_files()
    assert len(files) >= 6
    exts = {f.suffix.lower() for f in files}
    assert {".png", ".jpg", ".tif", ".pdf"} <= exts


@pytest.mark.parametrize("scan", scan_files(), ids=lambda p: p.name)
def test_every_page_has_ground_truth(scan: Path):
    for pid in page_ids(scan):
        assert (GT / f"{pid}.gt.txt").is_file(), pid
        assert (GT / f"{pid}.reading.txt").is_file(), pid


def test_multipage_tiff_has_two_frames():
    tiffs = [f for f in scan_files() if f.suffix.lower() in (".tif", ".tiff")]
    assert tiffs and any(page_count(t) == 2 for t in tiffs)


def test_no_orphan_ground_truth():
    ids = set(all_page_ids())
    for f in GT.glob("*.txt"):
        pid = f.name.removesuffix(".reading.txt").removesuffix(".gt.txt")
        if pid.startswith("page9") and importlib.util.find_spec("pypdfium2") is None:
            continue
        assert pid in ids, f"{f.name} belongs to no scan page"


def gt_files() -> list[Path]:
    return sorted(GT.glob("*.txt"))


@pytest.mark.parametrize("path", gt_files(), ids=lambda p: p.name)
def test_gt_is_nfc_utf8_and_not_empty(path: Path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # raises if not UTF-8
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert "\r" not in text
    assert text.strip()
    assert unicodedata.normalize("NFC", text) == text


def _lines(pid: str, kind: str) -> list[str]:
    return (GT / f"{pid}.{kind}.txt").read_text(encoding="utf-8").splitlines()


def folio(head: str) -> int:
    """The page number in a running-head line (outer corner: first or last token)."""
    toks = head.split()
    return int(toks[0]) if toks[0].isdigit() else int(toks[-1])


@pytest.mark.parametrize("pid", all_page_ids())
def test_reading_text_has_no_running_head_or_folio(pid: str):
    head = _lines(pid, "gt")[0]
    reading = _lines(pid, "reading")
    assert BOOK_TITLE in head or folio(head) % 2 == 1
    assert head not in reading
    assert BOOK_TITLE not in "\n".join(reading)
    assert str(folio(head)) not in [r.strip() for r in reading]
    assert all(r.strip() for r in reading), "no blank lines: one paragraph per line"


@pytest.mark.parametrize("pid", all_page_ids())
def test_reading_text_is_the_body_rejoined(pid: str):
    body = _lines(pid, "gt")[1:]
    reading = _lines(pid, "reading")

    def squash(s: str) -> str:
        return re.sub(r"[\s\-]", "", s)

    assert squash("".join(body)) == squash("".join(reading))
    assert len(reading) < len(body)
    # a word broken at a line end inside the page is whole again in the reading text
    text = "\n".join(reading)
    for a, b in zip(body, body[1:], strict=False):
        head, tail = a.split()[-1], b.split()[0]
        if re.search(r"\w-$", head):
            assert head[:-1] + tail in text or head + tail in text, (head, tail)


def test_natural_order_is_page_order():
    pages = [folio(_lines(pid, "gt")[0]) for pid in all_page_ids()]
    assert pages == list(range(pages[0], pages[0] + len(pages)))
    names = [f.name for f in scan_files()]
    assert sorted(names) != names, "the names should need a natural sort"


def test_a_page_ends_with_a_word_continued_overleaf():
    ids = all_page_ids()
    found = False
    for a, b in zip(ids, ids[1:], strict=False):
        last = _lines(a, "gt")[-1]
        if re.search(r"[a-z]-$", last):
            assert _lines(a, "reading")[-1].endswith("-")
            assert _lines(b, "gt")[1][:1].islower()
            found = True
    assert found


def test_stamps_json():
    from PIL import Image

    stamps = json.loads((GT / "stamps.json").read_text(encoding="utf-8"))
    assert 1 <= len(stamps) <= 3
    ids = set(all_page_ids())
    for pid, s in stamps.items():
        if pid not in ids:
            continue
        assert s["words"] and all(w[0].isupper() or w.isdigit() for w in s["words"])
        x0, y0, x1, y1 = s["box"]
        assert 0 <= x0 < x1 and 0 <= y0 < y1
        scan = next(f for f in scan_files() if f.stem == pid.split("-p")[0])
        if scan.suffix.lower() != ".pdf":
            with Image.open(scan) as im:
                assert x1 <= im.width and y1 <= im.height
        gt = "\n".join(_lines(pid, "gt"))
        assert " ".join(s["lines"][0].split()) not in gt, "stamp text is not ground truth"


def test_dpi_metadata_and_manifest():
    from PIL import Image

    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    missing = 0
    for p in manifest["pages"]:
        f = SCANS / p["file"]
        if f.suffix.lower() == ".pdf":
            continue
        with Image.open(f) as im:
            dpi = im.info.get("dpi")
        if p["dpi_in_file"]:
            assert dpi and round(dpi[0]) == p["dpi"], p["file"]
        else:
            assert not dpi or dpi[0] in (0, 1), p["file"]
            missing += 1
    assert missing == 1
    assert {p["rotated_clockwise"] for p in manifest["pages"]} >= {0, 90, 180}


def test_samples_stay_small():
    total = sum(f.stat().st_size for f in SAMPLES.rglob("*") if f.is_file())
    assert total < 4.5e6


# ------------------------------------------------------------------ the generator


def _generator():
    for mod in ("numpy", "cv2", "pyphen", "PIL"):
        pytest.importorskip(mod)
    font = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    if not font.exists():
        pytest.skip("fonts-liberation is not installed")
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", mod)
    spec.loader.exec_module(mod)
    return mod


# Not the book's text: a few sentences made up for the test.
MARKDOWN = """
# 1 A Chapter for Testing

## Introduction by Nobody

LE JOUR DE
NDA VOTRE

The printer set the pages of the little pamphlet by hand, one line at a time, and the
apprentices carried the formes down to the press before the ink on the proofs was dry. In
the *Bulletin ouvrier* the editors complained that the paper was thin and the type worn.<sup>3</sup>

Nobody in the workshop had time to read what they were printing; the deadlines were too
close and the representa-

tion of every argument depended on the speed of their hands. Still the pamphlet went out,
and its readers in the provinces found it persuasive, if badly printed and hard to read.

Afterwards the manager wrote that the whole affair had been a lesson in patience and in
the management of extraordinarily complicated typographical arrangements of all kinds.

## THE DOCUMENTS

Not part of the chapter introduction.
"""


def test_load_paragraphs_cleans_the_markdown():
    ms = _generator()
    title, paras = ms.load_paragraphs(None, markdown=MARKDOWN)
    assert title == "A Chapter for Testing"
    texts = [p.text for p in paras]
    assert len(texts) == 3
    assert not any("JOUR" in t or "*" in t or "<sup>" in t or "DOCUMENTS" in t for t in texts)
    assert "representation of every argument" in texts[1]
    assert texts[0].endswith("worn.\u00b3")
    for p in paras:
        assert len(p.text) == len(p.styles)
    i = texts[0].index("Bulletin")
    span = range(i, i + len("Bulletin ouvrier"))
    assert {paras[0].styles[j] for j in span if not texts[0][j].isspace()} == {"i"}


def _small_book(ms):
    title, paras = ms.load_paragraphs(None, markdown=MARKDOWN)
    geo = ms.Geometry(lines_per_page=6, opening_lines=3)
    return ms.set_book(title, paras, geo=geo)


def test_generator_is_deterministic_in_memory():
    ms = _generator()
    book = _small_book(ms)
    assert 2 in book.pages
    stamp = ms.Stamp(["TEST ARCHIVE", "No 1"], center_pt=(330.0, 200.0))
    spec = ms.PageSpec(
        "x.png",
        2,
        dpi=100,
        skew=1.0,
        blur=0.8,
        noise=0.03,
        salt=0.002,
        illumination=0.2,
        gutter=0.1,
        show_through=0.1,
        dropout=0.02,
        rotate=90,
        stamp=stamp,
    )
    a = ms.make_page(book, spec, seed=7, render_dpi=150)
    b = ms.make_page(book, spec, seed=7, render_dpi=150)
    c = ms.make_page(book, spec, seed=8, render_dpi=150)
    assert a.pixels.dtype.name == "uint8" and a.pixels.ndim == 2
    assert a.pixels.shape[1] > a.pixels.shape[0], "turned sideways"
    assert (a.pixels == b.pixels).all()
    assert a.lines == b.lines and a.reading == b.reading and a.stamp_box == b.stamp_box
    assert not (a.pixels == c.pixels).all()
    assert a.lines == c.lines, "the truth does not depend on the degradation seed"
    assert a.lines[0] == "2 " + BOOK_TITLE
    assert a.reading.strip() and BOOK_TITLE not in a.reading
