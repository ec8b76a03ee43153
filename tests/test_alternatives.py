"""Tesseract's glyph alternatives: read from a real page by the resident reader, and the readings
`correct.repairs.alternatives` proposes from them (the cases are words of oldbooks-dev, their alternatives as
the resident reader gave them; benchmarks/alternatives.py measures the rest)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from ocrfix import tessworker
from ocrfix.correct.repairs.alternatives import UNSURE_GLYPHS, candidates, glyph_margin
from ocrfix.correct.revise import propose_line
from ocrfix.correct.scorer import Repair
from ocrfix.correct.words import Token
from ocrfix.model import Choices
from ocrfix.ocr import PSM, parse_tsv, read_lines
from ocrfix.tessworker import Resident

resident = pytest.mark.skipif(not tessworker.available(), reason="libtesseract is not installed")


@pytest.fixture(scope="module")
def line_crop(oldbooks_page: Path) -> np.ndarray:
    """The printed line under `text_crop` on the same page (`vicissitudes of war, mark its various phases`)."""
    with Image.open(oldbooks_page) as im:
        return np.asarray(im.convert("L").crop((0, 1205, im.width, 1265)))


@resident
def test_a_word_read_wrong_has_the_right_glyph_among_its_alternatives(line_crop, oldbooks_page):
    words = [w for line in read_lines(line_crop, "eng", 300) for w in line.words]
    truth = oldbooks_page.with_suffix(".gt.txt").read_text(encoding="utf-8").split()
    misread = [
        (word, right)
        for op in Levenshtein.opcodes([w.raw for w in words], truth)
        if op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start
        for word, right in zip(words[op.src_start : op.src_end], truth[op.dest_start : op.dest_end], strict=True)
    ]
    assert misread, "the line has a word Tesseract reads wrong"
    for word, right in misread:
        assert word.choices is not None and len(word.choices) == len(right)
        for glyph, wanted in zip(word.choices, right, strict=True):
            assert wanted in [text for text, _ in glyph]
        assert right in [c.text for c in candidates(word.raw, word.choices)]


@resident
@pytest.mark.parametrize("crop", ["text_crop", "line_crop"])
def test_reading_the_alternatives_leaves_the_tsv_as_it_was(crop, request):
    image = request.getfixturevalue(crop)
    worker = Resident("eng")
    try:
        plain = worker.read(image, 300, PSM, timeout=60)
        with_choices = worker.read(image, 300, PSM, timeout=60, choices=True)
    finally:
        worker.close()
    assert with_choices.tsv == plain.tsv
    assert plain.choices == [] and with_choices.choices
    # every word with alternatives is a word of the TSV, and its glyphs spell it
    lines = parse_tsv(*with_choices)
    assert sum(w.choices is not None for line in lines for w in line.words) == len(with_choices.choices)


KURTLE: Choices = (
    (("k", 94.9), ("h", 20.7), ("t", 20.0)),
    (("u", 86.0), ("i", 74.8), ("a", 68.9)),
    (("r", 95.5), ("n", 20.0), ("v", 13.3)),
    (("t", 92.2),),
    (("l", 96.7),),
    (("e", 92.2),),
)
TBERVILLE: Choices = (
    (("T", 93.6), ("I", 36.7), ("Y", 26.2)),
    (("b", 94.7), ("h", 28.9)),
    *(((glyph, conf),) for glyph, conf in zip("erville", (94.2, 95.2, 91.5, 91.4, 92.9, 90.3, 95.2), strict=True)),
)
WNICH: Choices = (
    (("w", 95.2),),
    (("n", 94.3), ("h", 41.4), ("u", 16.2)),
    *(((glyph, conf),) for glyph, conf in zip("ich,", (92.9, 95.2, 93.2, 94.3), strict=True)),
)
VAS: Choices = ((("v", 90.4), ("w", 33.7), ("~", 29.9)), (("a", 90.9),), (("s", 88.5),))
LNTRODUCTION: Choices = (
    (("P", 92.0), ("L", 18.4), ("i", 4.3)),
    *(((glyph, conf),) for glyph, conf in zip("refac", (93.5, 91.1, 95.2, 92.5, 92.1), strict=True)),
    (("e", 95.1),),
    ((".", 94.0), (",", 17.5), ("-", 12.3)),
    (("—", 91.2),),
    (("L", 84.9), ("l", 44.9), ("f", 43.6)),
    (("n", 81.3), ("u", 74.6), ("i", 63.8)),
    (("t", 94.4),),
    (("r", 95.1), ("v", 2.9)),
    (("o", 90.5), ("e", 5.7)),
    (("d", 94.7),),
    (("u", 95.2),),
    (("c", 95.4), ("t", 32.4), ("e", 3.3)),
    (("t", 94.5), ("l", 18.4), ("h", 13.8)),
    (("i", 95.4),),
    (("o", 90.6),),
    (("n", 87.5), ("r", 23.0)),
    ((".", 94.3), (",", 48.0)),
)
"""`Preface.—Lntroduction.`, the word of the tune half with the most unsure glyphs (10)."""


@pytest.mark.parametrize(
    ("read", "choices", "truth"),
    [
        pytest.param("kurtle", KURTLE, "kirtle", id="kurtle"),
        pytest.param("Tberville", TBERVILLE, "Iberville", id="Tberville"),
        pytest.param("wnich,", WNICH, "which,", id="wnich,"),
        pytest.param("vas", VAS, "was", id="vas"),
    ],
)
def test_the_alternatives_spell_the_truth_of_a_misread_word(read, choices, truth):
    found = candidates(read, choices)
    assert truth in [c.text for c in found]
    assert read not in [c.text for c in found]
    assert [c.margin for c in found] == sorted((c.margin for c in found), reverse=True)
    best = next(c for c in found if c.text == truth)
    # one glyph swapped, and Tesseract rated it below what it read
    assert len(best.swaps) == 1 and best.margin < 0


def test_only_the_least_sure_glyphs_combine():
    read = "Preface.—Lntroduction."
    found = candidates(read, LNTRODUCTION)
    unsure = sorted(range(len(read)), key=lambda i: -max((c for _, c in LNTRODUCTION[i][1:]), default=-1))
    changing = {i for c in found for i, (a, b) in enumerate(zip(read, c.text, strict=True)) if a != b}
    assert changing == set(unsure[:UNSURE_GLYPHS])
    # each of them as read or as one of its alternatives, the reading itself left out
    assert len(found) == math.prod(len(LNTRODUCTION[i]) for i in unsure[:UNSURE_GLYPHS]) - 1


def test_alternatives_that_do_not_spell_the_word_propose_nothing():
    assert candidates("which,", WNICH) == []  # the word was changed since it was read
    assert candidates("wnich,", None) == []


# words of oldbooks-dev's lines with the alternatives the resident reader gave them (`ocrfix run`'s records)
JOHU: Choices = ((("J", 94.1), ("T", 7.6)), (("o", 89.9),), (("h", 92.8),), (("u", 89.2), ("n", 20.8)))
COURTEY: Choices = (
    (("C", 83.9), ("f", 64.9), ("t", 42.9)),
    (("o", 83.3), ("a", 69.3), ("e", 17.0)),
    (("u", 89.1), ("n", 44.2), ("r", 11.9)),
    (("r", 90.5), ("n", 7.1)),
    (("t", 93.6), ("l", 2.8)),
    (("e", 85.5), ("c", 66.6), ("o", 65.9)),
    (("y", 82.5), ("p", 27.0)),
    ((",", 94.9),),
)
JOSERH: Choices = (
    (("J", 90.6),),
    (("o", 92.3),),
    (("s", 95.2),),
    (("E", 89.3), ("e", 73.0), ("z", 55.4)),
    (("r", 89.8), ("p", 53.0), ("P", 38.4)),
    (("H", 82.1), ("u", 78.8), ("y", 78.6)),
    ((",", 91.4),),
)


def line_tokens(line: str, word: str, conf: float, choices: Choices | None) -> list[Token]:
    """A line as Tesseract read it: its misread word with its confidence and alternatives, the others read surely."""
    return [Token(t, conf, choices) if t == word else Token(t, 95.0) for t in line.split()]


@pytest.mark.parametrize(
    ("line", "word", "conf", "choices", "truth"),
    [
        ("6, Clarissa, born 11 May, 1819; married Johu C. Smith,", "Johu", 92.0, JOHU, "John"),
        ("Tberville reached Florida before Arriola’s, Pen-", "Tberville", 89.0, TBERVILLE, "Iberville"),
    ],
)
def test_a_word_no_repair_mends_becomes_the_word_its_alternatives_spell(corrector, line, word, conf, choices, truth):
    tokens = line_tokens(line, word, conf, choices)
    at = [t.text for t in tokens].index(word)
    [change] = [p for p in propose_line(corrector, tokens) if p.start == at]
    assert (change.text, change.repair) == (truth, Repair.ALTERNATIVES) and change.applied(corrector.params)
    assert change.evidence is not None and change.evidence.glyph_margin is not None and change.evidence.glyph_margin < 0
    # without the alternatives no repair proposes the truth: they are the evidence
    assert truth not in [p.text for p in propose_line(corrector, line_tokens(line, word, conf, None))]


@pytest.mark.parametrize(
    ("line", "word", "conf", "choices", "corrected"),
    [
        # the alternatives spell `Courtoy,` and `JosEpH,`; the truth is the other repairs' (a word's case mended)
        ("Courtey, Periodiva? Publishing Co.", "Courtey,", 42.0, COURTEY, "Courtesy,"),
        ("I. JosErH, son of Joseph Horton and Mary Hallock ( Yoseph 7),", "JosErH,", 6.0, JOSERH, "Joseph,"),
    ],
)
def test_a_word_other_repairs_mend_is_not_left_as_its_alternatives_spell(
    corrector, line, word, conf, choices, corrected
):
    tokens = line_tokens(line, word, conf, choices)
    at = [t.text for t in tokens].index(word)
    [change] = [p for p in propose_line(corrector, tokens) if p.start == at]
    assert change.text == corrected and change.applied(corrector.params)


def test_a_known_word_is_left_as_read_whatever_its_alternatives_spell(corrector):
    # `vas` is a word (Latin, anatomy): a real word misread is the real-word repair's to judge, in its context
    tokens = line_tokens("and there vas a letter", "vas", 90.0, VAS)
    assert all(p.repair != Repair.ALTERNATIVES for p in propose_line(corrector, tokens))


@pytest.mark.parametrize(
    ("read", "choices", "new", "expected"),
    [
        ("vas", VAS, "was", -0.567),  # w rated 33.7 against v's 90.4
        ("wnich,", WNICH, "which,", -0.529),
        ("vas", VAS, "has", None),  # h is no alternative of v: no rating, not a low one
        ("vas", VAS, "as", None),
        ("vas", VAS, "vas", None),
        ("which,", WNICH, "whick,", None),  # the alternatives of another reading
        ("vas", None, "was", None),
    ],
)
def test_the_glyph_margin_is_tesseracts_preference_for_the_glyphs_its_alternatives_spell(read, choices, new, expected):
    assert glyph_margin(read, choices, new) == expected
