"""hOCR, ALTO and PAGE rendered from a page record: valid against their schemas, and reading them
back gives the record's corrected words, boxes and confidences."""

import json
import re
from pathlib import Path

import numpy as np
import pytesseract
import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from conftest import OLDBOOKS, SAMPLES, SHARED, need
from ocrfix.export import alto, hocr, pagexml
from ocrfix.export.pdf import write_pdf
from ocrfix.export.walk import blocks_on_scan
from ocrfix.geometry import ScanMap
from ocrfix.markers import REPAIR
from ocrfix.model import Box, Change, Figure, Line, Page, Stamp, Superscript, Word
from ocrfix.outputs import read_page
from ocrfix.pipeline import Settings, process_page
from ocrfix.preprocess import output_shape
from ocrfix.sources import list_pages, load_page

SCHEMAS = SHARED / "schemas"
XHTML = f"{{{hocr.XHTML}}}"
A = f"{{{alto.ALTO}}}"
PC = f"{{{pagexml.PAGE_NS}}}"


def _line(y: int, texts: str, block: int, par: int, role: str = "body", hyphen: str = "") -> Line:
    """Words 100 px apart on a line at height y, confidences 90, 91, ..."""
    words = [
        Word(raw=t, box=(100 + 100 * i, y, 180 + 100 * i, y + 30), conf=90.25 + i) for i, t in enumerate(texts.split())
    ]
    box = (100, y, 100 + 100 * len(words), y + 30)
    return Line(box=box, words=words, block=block, par=par, role=role, hyphen=hyphen)


@pytest.fixture
def page() -> Page:
    """A running head, a paragraph with a corrected word, a word joined from two OCR pieces,
    a line-end hyphenation (`dis-` / `cussed`), a real hyphen kept, a noise word removed, a
    broken word at the foot of the page that ends on the next page, and a folio."""
    lines = [
        _line(100, "THE SERGE-TROTSKY PAPERS", 1, 1, role="head"),
        _line(200, "The workers' revoiution was dis-", 2, 1, hyphen="join"),
        _line(240, "cussed in C oyoacan at length", 2, 1),
        _line(280, "by the Austro-", 2, 1, hyphen="keep"),
        _line(320, "Marxists ~~ alike.", 2, 1),
        _line(400, "A new paragraph, broken at the foot of the pro-", 2, 2, hyphen="join"),
        _line(900, "12", 3, 1, role="folio"),
    ]
    revolution = lines[1].words[2]
    revolution.final = "revolution"
    revolution.changes.append(Change("revoiution", "revolution", "OCR confusion", 0.93, True, ["revolutions"]))
    c, oyoacan = lines[2].words[2:4]
    c.final, oyoacan.final = "Coyoacan", ""
    c.changes.append(Change("C oyoacan", "Coyoacan", "split word joined", 0.9))
    oyoacan.changes.append(Change("oyoacan", "", "joined to the previous word", 0.9, joined=True))
    noise = lines[4].words[1]
    noise.final = ""
    noise.changes.append(Change("~~", "", "noise: poorly read next to the margin", 0.8))
    height, width = output_shape((1390, 980), 0, 0.4)  # a scan of 980 x 1390 px deskewed by 0.4°
    return Page(
        "p12",
        "scans/p12.png",
        0,
        width,
        height,
        300.0,
        False,
        0,
        0.4,
        ["deskew"],
        "eng",
        lines,
        continues=True,
        scan_width=980,
        scan_height=1390,
    )


def _kept(page: Page) -> list[Word]:
    """The words a reader sees, a word joined from two OCR pieces spanning both boxes, boxes on the scan."""
    return [w for b in blocks_on_scan(page) for p in b.paragraphs for line in p.lines for w in line.words]


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(need(SCHEMAS / name))))


def test_alto_is_valid_alto_4_4(page: Page) -> None:
    schema = _schema("alto-4-4.xsd")
    assert schema.validate(etree.fromstring(alto.render(page))), schema.error_log


def test_pagexml_is_valid_page_2019(page: Page) -> None:
    schema = _schema("pagecontent-2019-07-15.xsd")
    assert schema.validate(etree.fromstring(pagexml.render(page))), schema.error_log


def test_alto_round_trip_keeps_every_word_box_and_confidence(page: Page) -> None:
    assert alto.read_words(alto.render(page)) == [(w.final, w.box, round(w.conf / 100, 4)) for w in _kept(page)]
    c, oyoacan = page.lines[2].words[2:4]
    joined = next(box for text, box, _ in alto.read_words(alto.render(page)) if text == "Coyoacan")
    assert joined == ScanMap.of(page).box((c.box[0], c.box[1], oyoacan.box[2], oyoacan.box[3]))  # over both OCR pieces


def test_alto_marks_the_line_end_hyphenation_within_the_page(page: Page) -> None:
    root = etree.fromstring(alto.render(page))
    strings = list(root.iter(f"{A}String"))
    hyphenated = [(s.get("CONTENT"), s.get("SUBS_TYPE"), s.get("SUBS_CONTENT")) for s in strings if s.get("SUBS_TYPE")]
    assert hyphenated == [("dis", "HypPart1", "discussed"), ("cussed", "HypPart2", "discussed")]
    hyps = list(root.iter(f"{A}HYP"))
    assert [h.get("CONTENT") for h in hyps] == ["-"]
    assert hyps[0].getprevious().get("CONTENT") == "dis"
    assert {"Austro-", "pro-"} <= {
        s.get("CONTENT") for s in strings
    }  # a kept hyphen, and a word whose second half is on the next page


def test_alto_describes_the_processing_and_keeps_the_ocr_reading(page: Page) -> None:
    root = etree.fromstring(alto.render(page))
    assert root.findtext(f".//{A}MeasurementUnit") == "pixel"
    assert root.findtext(f".//{A}sourceImageInformation/{A}fileName") == "scans/p12.png"
    assert root.findtext(f".//{A}ocrProcessingStep//{A}softwareName") == "Tesseract"
    post = root.find(f".//{A}postProcessingStep")
    assert post.findtext(f".//{A}softwareName") == "ocrfix"
    assert "4 of 31 words" in post.findtext(f"{A}processingStepDescription")
    layout_page = root.find(f".//{A}Page")
    assert [layout_page.get(k) for k in ("WIDTH", "HEIGHT", "PHYSICAL_IMG_NR")] == ["980", "1390", "1"]  # the scan's
    corrected = next(s for s in root.iter(f"{A}String") if s.get("CONTENT") == "revolution")
    assert corrected.findtext(f"{A}ALTERNATIVE") == "revoiution"


def test_hocr_reads_back_to_the_corrected_words(page: Page) -> None:
    data = hocr.render(page)
    assert hocr.read_words(data) == [(w.final, w.box, round(w.conf)) for w in _kept(page)]
    root = etree.fromstring(data)
    corrected = [w for w in root.iter(f"{XHTML}span") if w.get("data-ocr-raw") is not None]
    assert [(w.text, w.get("data-ocr-raw"), w.get("data-ocrfix-reason")) for w in corrected] == [
        ("revolution", "revoiution", "OCR confusion"),
        ("Coyoacan", "C", "split word joined"),
    ]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert root.get("lang") == "en"


def test_hocr_has_the_hocr_structure(page: Page) -> None:
    root = etree.fromstring(hocr.render(page))
    meta = {m.get("name"): m.get("content") for m in root.iter(f"{XHTML}meta") if m.get("name")}
    assert meta["ocr-system"].startswith("ocrfix")
    assert "ocrx_word" in meta["ocr-capabilities"]
    ocr_page = root.find(f".//{XHTML}div[@class='ocr_page']")
    assert ocr_page.get("title").startswith('image "scans/p12.png"; bbox 0 0 980 1390; ppageno 0')
    classes = [e.get("class") for e in root.iter() if e.get("class")]
    assert [classes.count(c) for c in ("ocr_carea", "ocr_par", "ocr_line", "ocrx_word")] == [3, 4, 7, len(_kept(page))]
    first_line = root.find(f".//{XHTML}span[@class='ocr_line']")
    assert first_line.get("title") == "bbox {} {} {} {}".format(*ScanMap.of(page).box((100, 100, 400, 130)))
    assert "".join(first_line.itertext()) == "THE SERGE-TROTSKY PAPERS"


def test_markup_characters_of_a_reading_read_back_as_they_are_and_a_control_character_is_refused(
    page: Page,
) -> None:
    """An old book's `&c.` read as `<c.`, a straight quote, a stamp's lines with a tab, a scan's name with `&`:
    hOCR and ALTO (written as text, not built by lxml) read back to the record's words, readings and names; a
    control character, which no XML may hold, is refused (ValueError) as lxml refuses it."""
    word = page.lines[4].words[2]  # "alike."
    word.raw, word.final = '<c. "alike', '&c. "alike'
    word.changes.append(Change(word.raw, word.final, "OCR confusion: < for &", 0.9))
    page.source = 'scans/Smith & Sons "p12".png'
    page.stamps = [Stamp((620, 160, 940, 420), "A & B <ltd>\nNo\t2417", 90.0)]
    assert hocr.read_words(hocr.render(page)) == [(w.final, w.box, round(w.conf)) for w in _kept(page)]
    assert alto.read_words(alto.render(page)) == [(w.final, w.box, round(w.conf / 100, 4)) for w in _kept(page)]
    html = etree.fromstring(hocr.render(page))
    corrected = html.find(f".//{XHTML}span[@data-ocr-raw='{word.raw}']")
    assert (corrected.text, corrected.get("data-ocrfix-reason")) == (word.final, "OCR confusion: < for &")
    assert html.find(f".//{XHTML}div[@class='ocr_page']").get("title").startswith(f'image "{page.source}";')
    assert html.find(f".//{XHTML}div[@class='ocr_noise']").text == page.stamps[0].text
    xml = etree.fromstring(alto.render(page))
    assert next(s for s in xml.iter(f"{A}String") if s.get("CONTENT") == word.final).findtext(f"{A}ALTERNATIVE") == (
        word.raw
    )
    assert xml.findtext(f".//{A}fileName") == page.source
    assert xml.find(f".//{A}OtherTag[@TYPE='{alto.STAMP_WORDS}']").get("LABEL") == page.stamps[0].text
    assert _schema("alto-4-4.xsd").validate(xml), _schema("alto-4-4.xsd").error_log
    word.final = "alike.\x0c"  # a form feed Tesseract ended a page with
    for render in (hocr.render, alto.render):
        with pytest.raises(ValueError, match="XML compatible"):
            render(page)


def test_pagexml_words_regions_and_reading_order(page: Page) -> None:
    root = etree.fromstring(pagexml.render(page))
    words = root.iter(f"{PC}Word")
    read = [
        (
            w.findtext(f"{PC}TextEquiv/{PC}Unicode"),
            w.find(f"{PC}Coords").get("points"),
            float(w.find(f"{PC}TextEquiv").get("conf")),
        )
        for w in words
    ]
    assert read == [(w.final, pagexml.points(w.box), round(w.conf / 100, 4)) for w in _kept(page)]
    corrected = next(w for w in root.iter(f"{PC}Word") if w.findtext(f"{PC}TextEquiv/{PC}Unicode") == "revolution")
    assert [(t.get("index"), t.findtext(f"{PC}Unicode")) for t in corrected.iterfind(f"{PC}TextEquiv")] == [
        ("1", "revolution"),
        ("2", "revoiution"),
    ]
    regions = [(r.get("id"), r.get("type"), r.get("continuation")) for r in root.iter(f"{PC}TextRegion")]
    assert regions == [
        ("par_1_1", "header", None),
        ("par_1_2", "paragraph", "true"),
        ("par_1_3", "paragraph", None),
        ("par_1_4", "page-number", None),
    ]
    refs = [r.get("regionRef") for r in root.iter(f"{PC}RegionRefIndexed")]
    assert refs == [r[0] for r in regions]
    line = root.find(f".//{PC}TextLine")
    assert line.findtext(f"{PC}TextEquiv/{PC}Unicode") == "THE SERGE-TROTSKY PAPERS"


def test_pagexml_is_reproducible(page: Page) -> None:
    assert pagexml.render(page) == pagexml.render(page)
    created = etree.fromstring(pagexml.render(page, created="2024-05-01T12:00:00"))
    assert created.findtext(f".//{PC}Created") == created.findtext(f".//{PC}LastChange") == "2024-05-01T12:00:00"


@pytest.mark.slow  # full-page OCR
@pytest.mark.parametrize("page_id", ["page4", "page5"])  # skewed 1.6°; scanned upside down
def test_the_formats_boxes_frame_their_words_on_the_scan_itself(page_id: str, tmp_path: Path) -> None:
    """What a library viewer does with ALTO, hOCR or PAGE: cut the scan at a word's box (no
    transform) and show it. The crop must show that word."""
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == page_id)
    assert process_page(ref, tmp_path, Settings(lang="eng", correct=False)).status == "done"
    page = read_page(tmp_path, page_id)
    scan = Image.fromarray(load_page(ref).gray)
    assert page.scan_size == scan.size
    alto_words = alto.read_words(alto.render(page))
    hocr_words = hocr.read_words(hocr.render(page))
    assert [(t, b) for t, b, _ in alto_words] == [(t, b) for t, b, _ in hocr_words]
    checked = 0
    for text, (x0, y0, x1, y1), wc in alto_words:
        if len(text) < 7 or not text.isalpha() or wc < 0.9:
            continue
        pad = (y1 - y0) // 3
        crop = scan.crop((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        if page.rotation:
            crop = crop.rotate(-page.rotation, expand=True)  # the crop is upright content only once turned
        read = pytesseract.image_to_string(crop, lang="eng", config="--psm 7").strip()
        assert text in read, (text, read)
        checked += 1
        if checked == 4:
            break
    assert checked == 4


def _noise_boxes(page: Page) -> dict[str, list[tuple[str, Box]]]:
    """The noise regions each format lists, with their ids and boxes as the format gives them."""
    return {fmt: [(id_, box) for id_, box, _ in found] for fmt, found in _noise(page).items()}


def _noise(page: Page) -> dict[str, list[tuple[str, Box, str]]]:
    """The noise regions each format lists: ids, boxes and the stamp's words, as the format gives them."""
    html = etree.fromstring(hocr.render(page))
    on_page = html.iterfind(f".//{XHTML}div[@class='ocr_page']/{XHTML}div[@class='ocr_noise']")
    xml = etree.fromstring(alto.render(page))
    noise_tags = {
        t.get("ID") for t in xml.iter(f"{A}OtherTag") if (t.get("TYPE"), t.get("LABEL")) == ("noise", "stamp")
    }
    words = {t.get("ID"): t.get("LABEL") for t in xml.iter(f"{A}OtherTag") if t.get("TYPE") == alto.STAMP_WORDS}
    pc = etree.fromstring(pagexml.render(page))
    return {
        "hocr": [(e.get("id"), _hocr_box(e), "".join(e.itertext())) for e in on_page],
        "alto": [
            (e.get("ID"), _alto_box(e), "".join(words.get(ref, "") for ref in e.get("TAGREFS").split()))
            for e in xml.iterfind(f".//{A}PrintSpace/{A}Illustration")
            if noise_tags & set((e.get("TAGREFS") or "").split())
        ],
        "page": [
            (
                e.get("id"),
                _points_box(e.find(f"{PC}Coords").get("points")),
                next((a.get("value") for a in e.iterfind(f"{PC}UserDefined/{PC}UserAttribute[@name='text']")), ""),
            )
            for e in pc.iterfind(f"{PC}Page/{PC}NoiseRegion")
        ],
    }


def _hocr_box(element: etree._Element) -> Box:
    x0, y0, x1, y1 = (int(v) for v in element.get("title").split(";")[0].removeprefix("bbox ").split())
    return (x0, y0, x1, y1)


def _alto_box(element: etree._Element) -> Box:
    x, y, w, h = (int(element.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    return (x, y, x + w, y + h)


def _points_box(points: str) -> Box:
    xs, ys = zip(*((int(x), int(y)) for x, y in (p.split(",") for p in points.split())), strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def test_a_stamp_is_noise_at_its_scan_box_in_every_format(page: Page) -> None:
    """The stamp's box is in the scan's pixels already: written as it is, where the words' boxes of the
    same deskewed page are mapped onto the scan."""
    stamp = (620, 160, 940, 420)  # over the running head's end and the paragraph's right margin
    assert ScanMap.of(page).box(stamp) != stamp  # mapping it would move it
    words = {
        fmt: read(render(page))
        for fmt, read, render in [("alto", alto.read_words, alto.render), ("hocr", hocr.read_words, hocr.render)]
    }
    page.stamps = [Stamp(stamp)]
    assert _noise(page) == {fmt: [("noise_1_1", stamp, "")] for fmt in ("hocr", "alto", "page")}
    assert {"alto": alto.read_words(alto.render(page)), "hocr": hocr.read_words(hocr.render(page))} == words  # no text
    html = etree.fromstring(hocr.render(page))
    meta = {m.get("name"): m.get("content") for m in html.iter(f"{XHTML}meta") if m.get("name")}
    assert "ocr_noise" in meta["ocr-capabilities"].split()
    schema = _schema("alto-4-4.xsd")
    assert schema.validate(etree.fromstring(alto.render(page))), schema.error_log
    schema = _schema("pagecontent-2019-07-15.xsd")
    assert schema.validate(etree.fromstring(pagexml.render(page))), schema.error_log
    refs = {r.get("regionRef") for r in etree.fromstring(pagexml.render(page)).iter(f"{PC}RegionRefIndexed")}
    assert "noise_1_1" not in refs  # noise is not read


def test_a_record_without_stamps_lists_no_noise(page: Page) -> None:
    """Records written before stamps were looked for, and pages without one: the formats as they were."""
    assert _noise_boxes(page) == {"hocr": [], "alto": [], "page": []}
    assert etree.fromstring(alto.render(page)).find(f"{A}Tags") is None
    html = etree.fromstring(hocr.render(page))
    assert "ocr_noise" not in next(
        m.get("content") for m in html.iter(f"{XHTML}meta") if m.get("name") == "ocr-capabilities"
    )


def test_a_stamps_words_are_in_its_noise_region_and_not_among_the_pages_words(page: Page) -> None:
    """Each format says the stamp's words where it allows them on a noise region (hOCR the `ocr_noise`'s text,
    ALTO a tag the Illustration names, PAGE a UserAttribute: its NoiseRegion has no TextEquiv), and the
    angle its lines stand at; the page's words are the same as without it, and every document valid."""
    words = {"alto": alto.read_words(alto.render(page)), "hocr": hocr.read_words(hocr.render(page))}
    page.stamps = [Stamp((620, 160, 940, 420), "CUSTOMS EXAMINED\nVISA No 2417", 93.2, -12.0), Stamp((10, 10, 200, 90))]
    expected = [
        ("noise_1_1", (620, 160, 940, 420), "CUSTOMS EXAMINED\nVISA No 2417"),
        ("noise_1_2", (10, 10, 200, 90), ""),
    ]
    assert _noise(page) == {fmt: expected for fmt in ("hocr", "alto", "page")}
    assert {"alto": alto.read_words(alto.render(page)), "hocr": hocr.read_words(hocr.render(page))} == words
    noise = etree.fromstring(hocr.render(page)).find(f".//{XHTML}div[@id='noise_1_1']")
    assert "textangle -12" in noise.get("title")
    xml = etree.fromstring(alto.render(page))
    assert _schema("alto-4-4.xsd").validate(xml), _schema("alto-4-4.xsd").error_log
    illustration = xml.find(f".//{A}Illustration[@ID='noise_1_1']")
    assert illustration.get("ROTATION") == "-12"
    assert xml.find(f".//{A}Illustration[@ID='noise_1_2']").get("TAGREFS") == alto.NOISE_TAG  # nothing read
    pc = etree.fromstring(pagexml.render(page))
    assert _schema("pagecontent-2019-07-15.xsd").validate(pc), _schema("pagecontent-2019-07-15.xsd").error_log
    assert "CUSTOMS" not in "".join(t.text or "" for t in pc.iter(f"{PC}Unicode"))


def test_a_samples_stamp_is_read_into_its_noise_region_and_kept_out_of_the_text(tmp_path: Path) -> None:
    """A run over sample page 9 cut round its customs stamp: the stamp's words (those a person reads that the
    page does not print) are in the noise region of every format and in none of the texts, the words of
    hOCR and ALTO included; the documents valid."""
    truth = json.loads((SAMPLES / "gt" / "stamps.json").read_text())["page9"]
    x0, y0, x1, y1 = truth["box"]
    scan = load_page(next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == "page9"))
    Image.fromarray(scan.gray[y0 - 200 : y1 + 200, x0 - 200 : x1 + 200]).save(tmp_path / "stamp.png", dpi=(300, 300))
    ref = next(r for r in list_pages(tmp_path)[0])
    assert process_page(ref, tmp_path / "out", Settings(lang="eng", correct=False)).status == "done"
    page = read_page(tmp_path / "out", "stamp")
    [stamp] = page.stamps
    page_words = set((SAMPLES / "gt" / "page9.gt.txt").read_text().upper().split())
    own = {w.upper() for w in truth["words"]} - page_words  # CUSTOMS, EXAMINED, VISA, 2417, PORT, ENTRY
    read = own & set(stamp.text.upper().split())
    assert len(read) >= 3
    assert _noise(page) == {fmt: [("noise_1_1", stamp.box, stamp.text)] for fmt in ("hocr", "alto", "page")}
    texts = [(tmp_path / "out" / "pages" / f"stamp{suffix}").read_text() for suffix in (".txt", ".lines.txt")]
    texts += [" ".join(t for t, _, _ in fmt.read_words(fmt.render(page))) for fmt in (alto, hocr)]
    assert not any(w in text.upper().split() for w in read for text in texts)
    assert page.words and all(line.text for line in page.lines)  # the print round it was read
    assert _schema("alto-4-4.xsd").validate(etree.fromstring(alto.render(page)))
    assert _schema("pagecontent-2019-07-15.xsd").validate(etree.fromstring(pagexml.render(page)))


@pytest.mark.slow  # full-page OCR
@pytest.mark.parametrize("page_id", ["page3", "page9"])  # an oval library stamp; a framed one over the margin
def test_a_samples_stamp_is_listed_where_it_was_printed_on_the_scan(page_id: str, tmp_path: Path) -> None:
    """The noise region each format gives for a sample's stamp frames the stamp as drawn on the scan
    (samples/gt/stamps.json), and the documents stay valid."""
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == page_id)
    assert process_page(ref, tmp_path, Settings(lang="eng", correct=False)).status == "done"
    page = read_page(tmp_path, page_id)
    drawn = json.loads((SAMPLES / "gt" / "stamps.json").read_text())[page_id]["box"]
    found = _noise(page)
    stamp = page.stamps[0]
    assert found["hocr"] == found["alto"] == found["page"] == [("noise_1_1", stamp.box, stamp.text)]
    printed = {w.upper() for w in json.loads((SAMPLES / "gt" / "stamps.json").read_text())[page_id]["words"]}
    assert len(printed & set(stamp.text.upper().split())) >= 3  # its own words, as a person reads them
    x0, y0, x1, y1 = stamp.box
    tx0, ty0, tx1, ty1 = drawn
    assert tx0 - 10 <= x0 and ty0 - 10 <= y0 and x1 <= tx1 + 10 and y1 <= ty1 + 10  # on it (10 px: the frame's edge)
    assert x0 < (tx0 + tx1) / 2 < x1 and y0 < (ty0 + ty1) / 2 < y1  # around its middle
    schema = _schema("alto-4-4.xsd")
    assert schema.validate(etree.fromstring(alto.render(page))), schema.error_log
    schema = _schema("pagecontent-2019-07-15.xsd")
    assert schema.validate(etree.fromstring(pagexml.render(page))), schema.error_log


def _figures(page: Page) -> dict[str, list[tuple[str, Box]]]:
    """The figures each format lists: ids and boxes, as the format gives them."""
    html = etree.fromstring(hocr.render(page))
    xml = etree.fromstring(alto.render(page))
    pc = etree.fromstring(pagexml.render(page))
    return {
        "hocr": [
            (e.get("id"), _hocr_box(e))
            for e in html.iterfind(f".//{XHTML}div[@class='ocr_page']/{XHTML}div[@class='ocr_image']")
        ],
        "alto": [
            (e.get("ID"), _alto_box(e))
            for e in xml.iterfind(f".//{A}PrintSpace/{A}Illustration")
            if e.get("TYPE") == alto.FIGURE
        ],
        "page": [
            (e.get("id"), _points_box(e.find(f"{PC}Coords").get("points")))
            for e in pc.iterfind(f"{PC}Page/{PC}ImageRegion")
        ],
    }


def _valid(page: Page) -> None:
    for name, render in [("alto-4-4.xsd", alto.render), ("pagecontent-2019-07-15.xsd", pagexml.render)]:
        schema = _schema(name)
        assert schema.validate(etree.fromstring(render(page))), schema.error_log


def test_a_figure_is_an_image_area_at_its_scan_box_in_every_format_apart_from_the_stamps(page: Page) -> None:
    """A figure painted out before OCR: at its box on the scan (not mapped, like a stamp's), an image area
    holding no text in each format, never tagged as noise, beside a stamp that stays noise; the words as
    without them, PAGE's reading order of text alone, and every document valid."""
    words = {"alto": alto.read_words(alto.render(page)), "hocr": hocr.read_words(hocr.render(page))}
    figure, stamp = (130, 520, 860, 880), (620, 160, 940, 420)
    assert ScanMap.of(page).box(figure) != figure  # mapping it would move it
    page.figures, page.stamps = [Figure(figure)], [Stamp(stamp, "EXAMINED", 91.0)]
    ids = {"hocr": "image_1_1", "alto": "figure_1_1", "page": "image_1_1"}
    assert _figures(page) == {fmt: [(id_, figure)] for fmt, id_ in ids.items()}
    assert _noise(page) == {fmt: [("noise_1_1", stamp, "EXAMINED")] for fmt in ("hocr", "alto", "page")}
    assert {"alto": alto.read_words(alto.render(page)), "hocr": hocr.read_words(hocr.render(page))} == words
    html = etree.fromstring(hocr.render(page))
    assert "".join(html.find(f".//{XHTML}div[@class='ocr_image']").itertext()) == ""
    meta = {m.get("name"): m.get("content") for m in html.iter(f"{XHTML}meta") if m.get("name")}
    assert {"ocr_image", "ocr_noise"} <= set(meta["ocr-capabilities"].split())
    illustration = etree.fromstring(alto.render(page)).find(f".//{A}Illustration[@ID='figure_1_1']")
    assert illustration.get("TAGREFS") is None  # a figure is no noise
    _valid(page)
    refs = {r.get("regionRef") for r in etree.fromstring(pagexml.render(page)).iter(f"{PC}RegionRefIndexed")}
    assert refs and "image_1_1" not in refs
    page.figures = []
    assert _figures(page) == {"hocr": [], "alto": [], "page": []}


def test_an_oldbooks_drawing_is_in_the_record_and_every_format_and_not_in_the_text(tmp_path: Path) -> None:
    """oldbooks-dev j012 cut round its drawing of a caning needle (the text above, the caption `FIG. 1. THE
    CANING NEEDLE.` below): the record keeps the figure painted out, at a box on the scan that covers every
    word Tesseract reads where the page as run reads none, with the drawing not painted (`157020` for the
    dimension `15 TO 20`); hOCR,
    ALTO and PAGE list it there and stay valid, and no word of the drawing is in the texts (the PDF's text
    layer too), while the caption is."""
    scan = np.asarray(Image.open(need(OLDBOOKS / "j012.png")).convert("L"))[455:1000]
    Image.fromarray(scan).save(tmp_path / "needle.png", dpi=(300, 300))
    ref = next(r for r in list_pages(tmp_path)[0])
    assert process_page(ref, tmp_path / "out", Settings(lang="eng", correct=False)).status == "done"
    page = read_page(tmp_path / "out", "needle")
    assert "deskew" in page.steps and not ScanMap.of(page).identity  # the words' boxes are mapped, its not
    [figure] = page.figures
    x0, y0, x1, y1 = figure.box
    data = pytesseract.image_to_data(scan, lang="eng", config="--psm 3 --dpi 300", output_type=pytesseract.Output.DICT)
    read = [ScanMap.of(page).box(w.box) for w in page.words]
    drawn = [
        (t, (left + width / 2, top + height / 2))
        for t, left, top, width, height in zip(
            *(data[k] for k in ("text", "left", "top", "width", "height")), strict=True
        )
        if t.strip() and not any(a <= left + width / 2 <= c and b <= top + height / 2 <= d for a, b, c, d in read)
    ]
    assert len(drawn) >= 3  # the drawing's strokes, read as words
    assert all(x0 < cx < x1 and y0 < cy < y1 for _, (cx, cy) in drawn), (figure.box, drawn)
    caption = [w for line in page.lines for w in line.words if w.raw in ("CANING", "NEEDLE.")]
    assert len(caption) == 2 and all(ScanMap.of(page).box(w.box)[1] >= y1 for w in caption)  # below it, kept
    assert all(found == [(found[0][0], figure.box)] for found in _figures(page).values())
    _valid(page)
    texts = [(tmp_path / "out" / "pages" / f"needle{suffix}").read_text() for suffix in (".txt", ".lines.txt")]
    texts += [" ".join(t for t, _, _ in fmt.read_words(fmt.render(page))) for fmt in (alto, hocr)]
    write_pdf([page], tmp_path / "volume.pdf")
    texts.append(PdfReader(tmp_path / "volume.pdf").pages[0].extract_text())
    assert all("CANING" in text for text in texts)  # the caption, under the drawing, is read
    assert not any(t in text.split() for t, _ in drawn for text in texts)


def _with_marker(page: Page, box: Box | None) -> Word:
    """The paragraph's `alike.` given the footnote marker ¹² as `markers.py` writes one (`alike.''` read):
    a recorded change, and the marker's own box where the record has it (None: a record from before)."""
    word = page.lines[4].words[2]
    word.raw, word.final = "alike.''", "alike.¹²"
    word.changes.append(Change("alike.''", "alike.¹²", "footnote marker ¹² read from the image", 0.93, repair=REPAIR))
    word.marker = None if box is None else Superscript("¹²", box)
    return word


def test_a_footnote_marker_is_superscript_apart_from_its_word_in_every_format(page: Page) -> None:
    marker_box = (382, 318, 398, 334)  # raised after `alike.` (300-380 on the line at 320-350)
    _with_marker(page, marker_box)
    on_scan = ScanMap.of(page).box(marker_box)
    xml = etree.fromstring(alto.render(page))
    assert _schema("alto-4-4.xsd").validate(xml), _schema("alto-4-4.xsd").error_log
    line = next(t for t in xml.iter(f"{A}TextLine") if "alike." in [s.get("CONTENT") for s in t.iter(f"{A}String")])
    children = [(e.tag.removeprefix(A), e.get("CONTENT"), e.get("STYLE")) for e in line]
    assert children[-2:] == [("String", "alike.", None), ("String", "¹²", "superscript")]  # no SP between
    assert _alto_box(line[-1]) == on_scan and line[-1].get("WC") == "0.93"
    assert [t for t, _, _ in alto.read_words(alto.render(page))] == [
        t for t, _, _ in hocr.read_words(hocr.render(page))
    ]
    assert "alike.¹²" in [t for t, _, _ in alto.read_words(alto.render(page))]
    sup = next(etree.fromstring(hocr.render(page)).iter(f"{XHTML}sup"))
    assert (sup.getparent().text, sup.text, _hocr_box(sup)) == ("alike.", "¹²", on_scan)
    pc = etree.fromstring(pagexml.render(page))
    assert _schema("pagecontent-2019-07-15.xsd").validate(pc), _schema("pagecontent-2019-07-15.xsd").error_log
    raised = [w for w in pc.iter(f"{PC}Word") if w.find(f"{PC}TextStyle") is not None]
    assert len(raised) == 1 and raised[0].find(f"{PC}TextStyle").get("superscript") == "true"
    assert raised[0].findtext(f"{PC}TextEquiv/{PC}Unicode") == "¹²"
    assert _points_box(raised[0].find(f"{PC}Coords").get("points")) == on_scan
    assert raised[0].getprevious().findtext(f"{PC}TextEquiv/{PC}Unicode") == "alike."
    assert raised[0].getparent().findtext(f"{PC}TextEquiv/{PC}Unicode") == "Marxists alike.¹²"


def test_a_marker_of_a_record_without_its_box_is_still_superscript_where_a_format_allows(page: Page) -> None:
    """Records written before markers had boxes: ALTO and hOCR mark the style with no box of the marker's
    own, PAGE (whose words need coordinates) keeps the word whole."""
    _with_marker(page, None)
    xml = etree.fromstring(alto.render(page))
    assert _schema("alto-4-4.xsd").validate(xml), _schema("alto-4-4.xsd").error_log
    raised = [s for s in xml.iter(f"{A}String") if s.get("STYLE") == "superscript"]
    assert [(s.get("CONTENT"), s.get("HPOS")) for s in raised] == [("¹²", None)]
    sup = next(etree.fromstring(hocr.render(page)).iter(f"{XHTML}sup"))
    assert (sup.text, sup.get("title")) == ("¹²", None)
    pc = etree.fromstring(pagexml.render(page))
    assert _schema("pagecontent-2019-07-15.xsd").validate(pc)
    assert "alike.¹²" in [w.findtext(f"{PC}TextEquiv/{PC}Unicode") for w in pc.iter(f"{PC}Word")]


def test_a_footnote_block_is_a_footnote_region_in_page_xml(page: Page) -> None:
    page.lines.insert(6, _line(460, "* A note at the foot.", 4, 1, role="footnote"))
    pc = etree.fromstring(pagexml.render(page))
    assert _schema("pagecontent-2019-07-15.xsd").validate(pc)
    types = {r.findtext(f"{PC}TextEquiv/{PC}Unicode"): r.get("type") for r in pc.iter(f"{PC}TextRegion")}
    assert types["* A note at the foot."] == "footnote"


@pytest.mark.slow  # full-page OCR
def test_a_samples_footnote_markers_are_superscript_strings_in_alto_and_sup_in_hocr(tmp_path: Path) -> None:
    """Sample page 4 prints five footnote markers (`exploitation.”⁸`, `hopes.¹¹`): each is a String of its
    own in superscript in ALTO and a `<sup>` in hOCR, its word's text without it, in the truth's order."""
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == "page4")
    assert process_page(ref, tmp_path, Settings(lang="eng")).status == "done"
    page = read_page(tmp_path, "page4")
    truth = re.findall("[⁰¹²³⁴⁵⁶⁷⁸⁹]+", (SAMPLES / "gt" / "page4.gt.txt").read_text())
    xml = etree.fromstring(alto.render(page))
    assert _schema("alto-4-4.xsd").validate(xml), _schema("alto-4-4.xsd").error_log
    raised = [s for s in xml.iter(f"{A}String") if s.get("STYLE") == "superscript"]
    assert [s.get("CONTENT") for s in raised] == truth
    assert all(s.getprevious().tag == f"{A}String" and s.getprevious().get("CONTENT")[-1] in ".”’" for s in raised)
    assert [s.text for s in etree.fromstring(hocr.render(page)).iter(f"{XHTML}sup")] == truth
