"""The scorer, on real articles of BLN600 (its held-back half); the error model is tested in test_errormodel."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from conftest import BLN600, OLDBOOKS, bln600, fixed, need
from ocrfix.correct.plaintext import corrected_lines
from ocrfix.correct.scorer import Repair, features, model
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector, Proposal, Token
from ocrfix.evaluate import change_effects, normalise
from ocrfix.model import Choices


def report_half(n: int) -> list[Path]:
    """n articles spread over the half the scorer was not fitted on (benchmarks/correction.py's split):
    the articles come in runs from one paper and year, and how often a change is right differs between them."""
    files = sorted(need(BLN600).glob("*.ocr.txt"))
    held = [f for f in files if zlib.crc32(f.name.split(".")[0].encode()) % 2 == 1]
    return held[:: max(1, len(held) // n)][:n]


def changes_and_effects(corrector: Corrector, ocr: str, truth: str) -> list[tuple[float, int]]:
    """Each change proposed for the OCR text: the scorer's probability, and whether it helps (1) or harms (-1)."""
    doc = corrector.for_document(ocr.split())
    read, found = [], []
    for line in corrected_lines(ocr, doc):
        found += [(len(read) + p.start, len(read) + p.end, p) for p in line.proposals]
        read += [normalise(t.text) for t in line.tokens]
    effects = change_effects(read, [(s, e, p.text) for s, e, p in found], normalise(truth).split())
    return [(p.confidence, effect) for (_, _, p), effect in zip(found, effects, strict=True) if effect]


@pytest.mark.slow  # 40 articles corrected
def test_the_scorer_is_calibrated_on_articles_it_was_not_fitted_on(corrector):
    assert model() is not None, "scorer.json is part of the package"
    scored = []
    for ocr in report_half(40):
        truth = ocr.with_name(ocr.name.replace(".ocr.", ".gt.")).read_text(encoding="utf-8")
        scored += changes_and_effects(corrector, ocr.read_text(encoding="utf-8"), truth)
    assert len(scored) > 500
    right = [effect > 0 for _, effect in scored]
    base = sum(right) / len(right)
    brier = sum((p - y) ** 2 for (p, _), y in zip(scored, right, strict=False)) / len(scored)
    constant = sum((base - y) ** 2 for y in right) / len(right)
    assert brier < constant  # better than knowing only how often changes are right (measured: 0.086 against 0.098)
    for low in (0.5, 0.7, 0.9):  # reliability: what it predicts is what happens, bin by bin
        bin_ = [(p, y) for (p, _), y in zip(scored, right, strict=False) if low <= p < low + 0.2]
        observed = sum(y for _, y in bin_) / len(bin_)
        predicted = sum(p for p, _ in bin_) / len(bin_)
        assert abs(observed - predicted) < 0.12, (low, len(bin_), predicted, observed)


def test_a_repair_the_scorer_was_not_fitted_on_keeps_its_own_confidence(corrector):
    # an accent restored from the dictionaries is too rare in the tuning data to fit: its own 0.9 stands
    changes = correct_text("Trotsky lived in Coyoacan until his death.", corrector)[1]
    assert Repair.ACCENTS not in model().repairs
    assert [(c.final, c.repair, c.confidence, c.applied) for c in changes] == [("Coyoacán", Repair.ACCENTS, 0.9, True)]


def test_the_report_names_the_repair_of_each_change(corrector):
    from ocrfix.correct.plaintext import report_rows

    header, *rows = report_rows(correct_text("The prisoner ws convicted of char-ged goods", corrector)[1])
    assert header[-1] == "repair"
    assert [(row[1], row[2], row[-1]) for row in rows] == [
        ("ws", "was", "real-word"),
        ("char-ged", "charged", "speck-inside"),
    ]


def test_text_without_a_run_gives_the_scorer_no_glyph_evidence(corrector):
    [ocr] = report_half(1)
    doc = corrector.for_document(ocr.read_text(encoding="utf-8").split())
    proposals = [p for line in corrected_lines(ocr.read_text(encoding="utf-8"), doc) for p in line.proposals]
    assert proposals
    for p in proposals:
        assert p.evidence is not None and p.evidence.glyph_margin is None and not p.evidence.choices
        assert {k: v for k, v in features(p.evidence).items() if k.startswith("tesseract_")} == {
            "tesseract_choices": 0.0,
            "tesseract_margin": 0.0,
            "tesseract_spelt": 0.0,
        }


@pytest.mark.parametrize(
    "page, printed",
    [
        # oldbooks-dev's ground truth: Middle English verse and a Latin account quoted in a book on corsets, a Greek
        # garment's name, English words rarer than a word one glyph away (all changed before `Evidence.unmarked`)
        ("e051", '"Middle her she hath mensk small."'),
        ("e052", "Pariensis pro robas æstivas corsetto et clochia pro eodem."),
        ("e041", "Constant mention is made by early writers of the peplus as being a very elegant garment"),
        ("e041", "described by Hesiod as being girt with golden"),
        ("e065", "it was no uncommon thing to see some fop of the period"),
        ("j059", "sold as flat rattan and pith cane."),
        # a genealogy's blank for a date not known, on a page whose only digits among letters are an ordinal's
        ("h029", "4. Mary, born ; married 2 January, 1708, Zaccheus Goldsmith."),
    ],
)
def test_the_old_spellings_of_a_page_of_clean_print_stay(corrector, page, printed):
    text = need(OLDBOOKS / f"{page}.gt.txt").read_text(encoding="utf-8")
    assert corrector.for_document(text.split()).unmarked > 0  # no word of the page bears a mark of misreading
    assert printed in text
    assert printed in fixed(corrector, text)


def test_a_book_with_a_mark_of_misreading_here_and_there_is_still_print_read_well(corrector):
    # oldbooks-dev's pages e041-e052 (ten of them) as one text: its truth runs a heading into its paragraph once
    # (e049's `RESEARCHfails`), which in a text of a page would count against it, in its 3,400 words does not
    files = [f for f in sorted(need(OLDBOOKS).glob("e0*.gt.txt")) if "e041" <= f.name[:4] <= "e052"]
    pages = [f.read_text(encoding="utf-8") for f in files]
    text = "\n\n".join(pages)
    assert "RESEARCHfails" in text
    assert corrector.for_document(text.split()).unmarked == 1.0
    for printed in ("mensk small", "corsetto et clochia", "of the peplus as", "girt with golden"):
        assert printed in fixed(corrector, text)


def test_a_misreading_in_an_article_whose_ocr_marks_words_is_still_corrected(corrector):
    # BLN600 3200807892 (tune half), as the OCR read it: `prosectors`
    ocr = bln600("3200807892", "ocr")
    # its OCR's one mark of misreading (`AMessrs`) outweighs 466 of its 492 words
    assert corrector.for_document(ocr.split()).unmarked < 0.2
    assert "The prosectors in this case were Messrs." in ocr
    assert "The prosecutors in this case were Messrs." in fixed(corrector, ocr)


LADICS: Choices = (
    (("l", 92.8),),
    (("a", 90.9),),
    (("d", 92.9),),
    (("i", 95.9),),
    (("c", 94.8), ("e", 37.5)),
    (("s", 93.9),),
)
"""`ladics` in a line of oldbooks-dev (e038), its alternatives as the resident reader gave them."""


def test_a_change_tesseracts_alternatives_spell_is_likelier_right(corrector):
    line = "practice of tight-lacing—The use of the strophium by the ladics of Rome, and the"

    def change(choices: Choices | None) -> Proposal:
        tokens = [Token(t, 90.0, choices if t == "ladics" else None) for t in line.split()]
        return next(p for p in corrector.propose(tokens) if tokens[p.start].text == "ladics")

    spelt, plain = change(LADICS), change(None)
    assert spelt.text == plain.text == "ladies"
    assert spelt.evidence is not None and spelt.evidence.glyph_margin is not None and plain.evidence is not None
    assert spelt.confidence > plain.confidence
