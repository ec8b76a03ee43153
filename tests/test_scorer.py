"""The scorer and the text's own error model, on real articles of BLN600 (the scorer's held-back half)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from conftest import BLN600, need
from ocrfix.correct.plaintext import corrected_lines
from ocrfix.correct.scorer import Repair, model
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector
from ocrfix.evaluate import change_effects, normalise, score


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


def e_read_as_o(text: str) -> str:
    """The text as an engine that reads `e` as `o` in one word of three that have one would give it."""
    return " ".join(w.replace("e", "o") if "e" in w and zlib.crc32(w.encode()) % 3 == 0 else w for w in text.split(" "))


def test_the_error_model_learns_a_texts_own_confusion_and_leaves_other_texts_alone(corrector):
    truth = (need(BLN600) / "3200797034.gt.txt").read_text(encoding="utf-8")
    ocr = e_read_as_o(truth)
    doc = corrector.for_document(ocr.split())
    first = list(corrected_lines(ocr, doc))
    taught = doc.learned_from((line.tokens, line.proposals) for line in first)
    assert taught.errors is not None
    assert max(taught.errors.seen, key=taught.errors.seen.get) == ("e", "o")
    once = score(truth, "\n".join(line.text for line in first)).cer
    twice = score(truth, correct_text(ocr, corrector)[0]).cer
    assert twice < once  # words the first pass left (`tho`, `boon`) are read with the confusion known
    # the article as printed teaches nothing, and its correction is the first pass's
    doc = corrector.for_document(truth.split())
    clean = list(corrected_lines(truth, doc))
    assert doc.learned_from((line.tokens, line.proposals) for line in clean) is doc
    assert correct_text(truth, corrector)[0] == "\n".join(line.text for line in clean)


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
