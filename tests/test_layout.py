"""Layout repair (`correct/layout.py`): hyphens at line ends and page breaks, running heads and folios, and
noise such as a stamp over a real page."""

import json

import cv2
import numpy as np
import pytest

from conftest import OLDBOOKS, SAMPLES, library_stamp, need
from ocrfix.correct import layout
from ocrfix.correct.page import correct_page
from ocrfix.correct.words import Corrector
from ocrfix.model import Line, Page, Word
from ocrfix.ocr import read_lines
from ocrfix.preprocess import prepare
from ocrfix.sources import list_pages, load_page
from ocrfix.text import volume_text


@pytest.mark.parametrize(
    "first, second, decision",
    [
        ("Serge-", "Trotsky", "keep"),
        ("so-", "called", "keep"),
        ("Alcalá-", "Zamora", "keep"),
        ("Representa-", "tion", "join"),
        ("accumu-", "lated,", "join"),
    ],
)
def test_real_hyphens_are_kept_and_broken_words_joined(lex, first, second, decision):
    assert layout.hyphen_decision(first, second, lex) == decision


def _line(text: str, y: int, par: int = 1, conf: float = 95.0) -> Line:
    """A body line of words 20 px a letter wide, 15 px apart, at height y."""
    words, x = [], 200
    for w in text.split():
        words.append(Word(raw=w, box=(x, y, x + 20 * len(w), y + 40), conf=conf))
        x += 20 * len(w) + 15
    return Line(box=(200, y, 1500, y + 40), words=words, block=1, par=par)


def _page(page_id: str, texts: list[str]) -> Page:
    """A 300 dpi page record with one line of each text, 60 px apart."""
    return Page(
        page_id,
        f"{page_id}.png",
        0,
        1700,
        2400,
        300.0,
        False,
        0,
        0.0,
        [],
        "eng",
        [_line(text, 150 + 60 * i) for i, text in enumerate(texts)],
    )


def test_a_hyphen_at_a_page_break_is_joined_and_the_paragraph_rejoined(lex):
    first = _page(
        "p1",
        [
            "Following Lenin, Serge saw the soviets as an altogether more",
            "representative form of democracy. Representa-",
        ],
    )
    second = _page("p2", ["tion through universal suffrage was seen as inferior, insensitive", "to shifts in opinion."])
    layout.mark_hyphenation([first, second], lex)
    layout.mark_page_continuations([first, second])
    assert second.continues
    assert "democracy. Representation through universal suffrage" in volume_text([first, second])
    assert volume_text([first, second]).count("\n\n") == 0


@pytest.mark.slow
def test_a_stamp_over_the_margin_is_dropped_from_a_real_page(lex):
    """Sample page 9 carries a customs stamp over its right margin and text (see samples/gt/stamps.json):
    preprocessing finds it in the image and takes its ink out, so the print under it is read and none of
    the stamp's words is, and no line of the text is dropped."""
    ref = next(r for r in list_pages(need(SAMPLES / "scans"))[0] if r.id == "page9")
    scan = load_page(ref)
    prepared = prepare(scan.gray, scan.dpi)
    stamp = json.loads((SAMPLES / "gt" / "stamps.json").read_text())["page9"]
    assert len(prepared.stamps) == 1  # boxes in the scan's pixels, as the truth's
    (x0, y0, x1, y1), (tx0, ty0, tx1, ty1) = prepared.stamps[0], stamp["box"]
    common = max(0, min(x1, tx1) - max(x0, tx0)) * max(0, min(y1, ty1) - max(y0, ty0))
    assert common >= 0.8 * (tx1 - tx0) * (ty1 - ty0) and common >= 0.8 * (x1 - x0) * (y1 - y0)
    top = prepared.image[: prepared.image.shape[0] // 2]  # the half with the stamp: a quicker OCR run
    page = Page(
        "page9",
        str(ref.path),
        0,
        top.shape[1],
        top.shape[0] * 2,
        scan.dpi,
        False,
        prepared.rotation,
        prepared.skew,
        list(prepared.steps),
        "eng",
        read_lines(top, "eng", scan.dpi),
    )
    layout.mark_noise(page, lex)
    correct_page(page, Corrector(lex))
    text = "\n".join(line.text for line in page.lines if line.role == "body")
    assert not set(stamp["words"]) & set(text.split())
    for under in ("simultaneously both", "members at every level of the", "capacity for intense, often dra-"):
        assert under in text  # the print under the stamp is read
    assert not [w for w in page.words if w.raw and not w.final]  # nothing was left to drop as noise


@pytest.mark.slow
def test_a_stamp_read_as_lines_of_its_own_is_dropped_and_the_text_around_it_kept(lex):
    """A rubber stamp ("BIBLIOTHEQUE / MUNICIPALE 1931", framed, turned 7°, grey ink) over the right
    margin and the line ends of a real page: Tesseract reads it as a block of two lines of marks
    (`u e time-hongurg?`, `Mu nncsPAb Ere pro-`), of which only one is of an odd size."""
    scan = cv2.imread(str(need(OLDBOOKS / "e010.png")), cv2.IMREAD_GRAYSCALE)
    clean = read_lines(scan, "eng", 300)
    ink = np.where(library_stamp() > 0, 90, 255).astype(np.uint8)
    y, x = 300, scan.shape[1] - ink.shape[1] - 40
    box = (x, y, x + ink.shape[1], y + ink.shape[0])
    scan[box[1] : box[3], box[0] : box[2]] = np.minimum(scan[box[1] : box[3], box[0] : box[2]], ink)
    page = Page(
        "e010",
        "e010.png",
        0,
        scan.shape[1],
        scan.shape[0],
        300.0,
        False,
        0,
        0.0,
        [],
        "eng",
        read_lines(scan, "eng", 300),
    )

    layout.mark_noise(page, lex)
    correct_page(page, Corrector(lex))

    def on_stamp(line: Line) -> bool:
        return line.box[2] > box[0] and line.box[0] < box[2] and line.box[3] > box[1] and line.box[1] < box[3]

    noise = [line for line in page.lines if line.role == "noise"]
    assert len(noise) >= 2 and all(on_stamp(line) for line in noise)
    stamp_only = [line for line in page.lines if on_stamp(line) and line.box[0] > box[0] - 100]
    assert all(line.role == "noise" for line in stamp_only)

    def away(line: Line) -> bool:  # above or below the stamp's rows
        return line.box[3] < box[1] - 50 or line.box[1] > box[3] + 50

    # the lines away from the stamp's rows are read as on the clean scan, and all stay text
    def raw(lines: list[Line]) -> list[str]:
        return [" ".join(w.raw for w in line.words) for line in lines if away(line)]

    assert raw(page.lines) == raw(clean)
    assert all(line.role in ("body", "head", "folio") for line in page.lines if away(line))


def test_running_heads_and_folios_found_by_repetition_on_a_run_of_pages():
    pages = [
        _page("p1", ["2 THE SERGE-TROTSKY PAPERS", "body text of the first page runs here", "and here."]),
        _page("p2", ["Victor Serge and Bolshevism 3", "the second page begins without a head", "in the text."]),
        _page("p3", ["4 THE SERGE–TROTSKY PAPERS", "and the third page goes on", "to its end."]),
        _page("p4", ["Victor Serge and Bolshevism 5", "the last page of the run", "closes."]),
        _page("p5", ["The Correspondence", "a chapter opens here with a title", "that is no running head."]),
    ]
    pages[4].lines.append(_line("6", 2250))
    layout.mark_running_heads(pages)
    assert [p.lines[0].role for p in pages] == ["head", "head", "head", "head", "body"]
    assert pages[4].lines[-1].role == "folio"
    assert "SERGE" not in volume_text(pages) and "Bolshevism" not in volume_text(pages)


def _heads(heads: list[str], lex) -> list[str]:
    """The running heads of a run of pages, each over two lines of body text, after the volume has mended them."""
    pages = [_page(f"p{k}", [head, "the body of the page runs on here", "to its end."]) for k, head in enumerate(heads)]
    layout.mark_running_heads(pages)
    assert all(p.lines[0].role == "head" for p in pages)
    layout.mend_running_heads(pages, lex)
    return [p.lines[0].text for p in pages]


def test_a_running_head_misread_on_one_page_is_read_as_the_other_pages_print_it(lex):
    # oldbooks-dev e037-e046, as Tesseract read them: the stop of e046's head read as a comma
    heads = [
        "THE CORSET AND THE CRINOLINE. 29",
        "30 THE CORSET AND THE CRINOLINE.",
        "THE CORSET AND THE CRINOLINE. 33",
        "34 THE CORSET AND THE CRINOLINE.",
        "38 THE CORSET AND THE CRINOLINE,",
    ]
    assert _heads(heads, lex)[-1] == "38 THE CORSET AND THE CRINOLINE."
    # h019-h026, the preface's heads: a capital misread on three pages of seven
    heads = [
        "VI Preface.—Introduction.",
        "Preface.—Tutroduction. VII",
        "VII Preface.—Introduction.",
        "Preface.—Introduction. IX",
        "X Preface.—Lntroduction.",
        "Lreface.—Introduction. XI",
        "Preface.—Introduction. XI",
    ]
    assert set(_heads(heads, lex)) == {
        h.replace("Tutr", "Intr").replace("Lntr", "Intr").replace("Lref", "Pref") for h in heads
    }


def test_the_heads_of_successive_chapters_are_not_mended_into_one_another(lex):
    # oldbooks-dev h032-h042, a genealogy's heads: the generation changes, and this print's `J` reads `F` on most
    # pages (`Foseph`); only the stop lost on h036 is the others' (`Generation—`)
    heads = [
        "14 Third Generation.— Foseph 1.",
        "Fourth Generation.—Joseph 1. 15",
        "16 Lifth Generation.— Foseph I.",
        "18 Sixth Generation— Foseph 1.",
        "Sixth Generation.— Foseph L. 19",
        "20 Sixth Generation.— Foseph L.",
        "Sixth Generation.— Yoseph 1. 21",
        "22 Sixth Generation.— Foseph I.",
        "Sixth Generation.— Foseph 1. 23",
    ]
    mended = _heads(heads, lex)
    assert mended == [h.replace("Generation—", "Generation.—") for h in heads]
