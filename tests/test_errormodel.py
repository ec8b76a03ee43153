"""The text's own error model (`correct/errormodel.py`): a confusion its engine makes again and again is learned
from the sure changes of a first pass and undone in the second; a text without one is read as before. On a real
article of BLN600 (its ground truth, and its OCR)."""

from __future__ import annotations

import random
import zlib

from rapidfuzz.distance import Levenshtein

from conftest import BLN600, need
from ocrfix.correct.errormodel import ErrorModel, learn
from ocrfix.correct.plaintext import corrected_lines
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector, sure_pairs
from ocrfix.evaluate import normalise, score

ARTICLE = "3206223327"
"""The longest article of BLN600's tune half (1,288 words): long enough for a first pass to be sure of many changes."""


def e_read_as_o(text: str) -> str:
    """The text as an engine that reads `e` as `o` would give it: every `e` of a word of three letters or more
    (`the` -> `tho`, `been` -> `boon`, `meeting` -> `mooting`), in one word of two that has one (the others
    read right, as a scan's better-printed lines are)."""
    return " ".join(
        w.replace("e", "o") if len(w) >= 3 and "e" in w and zlib.crc32(w.encode()) % 2 else w for w in text.split(" ")
    )


def first_pass(corrector: Corrector, text: str) -> list:
    return list(corrected_lines(text, corrector.for_document(text.split())))


def test_a_text_read_with_e_as_o_everywhere_is_corrected_once_the_model_has_learned_it(corrector):
    truth = (need(BLN600) / f"{ARTICLE}.gt.txt").read_text(encoding="utf-8")
    ocr = e_read_as_o(truth)
    first = first_pass(corrector, ocr)
    errors = learn(pair for line in first for pair in sure_pairs(line.tokens, line.proposals))
    assert errors is not None
    assert max(errors.seen, key=errors.seen.get) == ("e", "o")  # the confusion seen most is the engine's
    assert errors.cost("e", "o") < 0.5  # cheaper than the confusion table's 0.5 for any text
    assert "the" in errors.variants("tho")
    once = "\n".join(line.text for line in first)
    twice = correct_text(ocr, corrector)[0]
    assert score(truth, twice).cer < score(truth, once).cer
    # words the first pass leaves where it cannot tell (`Tho`, `sobor`, `rocoivod`, `Bormondsoy-street`) are read
    # right once the text has shown that it reads every `e` as `o`; none it read right is read wrong
    right_once, right_twice = right_words(truth, once), right_words(truth, twice)
    assert len(right_twice - right_once) >= 5
    assert len(right_once - right_twice) <= len(right_twice - right_once) // 5


def right_words(truth: str, text: str) -> set[int]:
    """The positions of the truth's words the text has as printed (a word alignment)."""
    reference = [normalise(w) for w in truth.split()]
    found = [normalise(w) for w in text.split()]
    return {
        k for op in Levenshtein.opcodes(reference, found) if op.tag == "equal" for k in range(op.src_start, op.src_end)
    }


def test_a_text_without_that_confusion_is_left_as_the_first_pass_read_it(corrector):
    # the article as printed: nothing to be sure of, nothing learned
    truth = (need(BLN600) / f"{ARTICLE}.gt.txt").read_text(encoding="utf-8")
    first = first_pass(corrector, truth)
    assert learn(pair for line in first for pair in sure_pairs(line.tokens, line.proposals)) is None
    assert correct_text(truth, corrector)[0] == "\n".join(line.text for line in first)
    # its OCR: many sure changes, their confusions spread over many glyphs, none often enough to learn
    ocr = (need(BLN600) / f"{ARTICLE}.ocr.txt").read_text(encoding="utf-8")
    first = first_pass(corrector, ocr)
    pairs = [pair for line in first for pair in sure_pairs(line.tokens, line.proposals)]
    assert len(pairs) > 30
    errors = learn(pairs)
    assert errors is None or "e" not in {printed for printed, _ in errors.seen}


def e_read_as_o_at(text: str, share: float) -> str:
    """The text with each `e` read as `o` at random, `share` of them (seeded): an engine's habit, glyph by glyph."""
    rng = random.Random(0)
    return "".join("o" if c == "e" and rng.random() < share else c for c in text)


def test_a_word_the_texts_habit_makes_of_a_reading_is_taken_before_words_run_together(corrector):
    # `prisonor` (`prisoner` with its `e` read `o`, injected) is `prison or` run together to the first pass; once
    # the text has shown that it reads `e` as `o`, it is the word the truth prints, every time
    truth = (need(BLN600) / f"{ARTICLE}.gt.txt").read_text(encoding="utf-8")
    ocr = e_read_as_o(truth)
    assert ocr.count("prisonor") >= 10
    once = "\n".join(line.text for line in first_pass(corrector, ocr))
    assert once.count("prison or") >= 10
    twice = correct_text(ocr, corrector)[0]
    assert "prison or" not in twice
    assert twice.count("prisoner") == truth.count("prisoner")


def test_the_texts_counts_say_how_surely_a_real_word_it_reads_by_habit_is_a_misreading(corrector):
    # the article with three in ten of its `e` read `o` (injected): it prints `tho` 26 times beside `the` 70, English
    # once to 2,000; `wore` once beside `were` once, which shows nothing; `on` is no `en` its model undoes
    truth = (need(BLN600) / f"{ARTICLE}.gt.txt").read_text(encoding="utf-8")
    ocr = e_read_as_o_at(truth, 0.3)
    read = corrector.for_document(ocr.split())
    taught = read.learned_from((line.tokens, line.proposals) for line in corrected_lines(ocr, read))
    assert taught.habit_odds("tho", "the") > 2  # more than 100 to 1
    assert taught.habit_odds("aro", "are") > 2
    assert taught.habit_odds("wore", "were") == 0.0
    assert taught.habit_odds("on", "en") == 0.0
    assert read.habit_odds("tho", "the") == 0.0  # no habit before the text has shown one
    # the truth itself shows none: nothing is learned, nothing is odd
    clean = corrector.for_document(truth.split())
    assert clean.learned_from((line.tokens, line.proposals) for line in corrected_lines(truth, clean)) is clean


def test_words_with_every_e_read_as_o_are_read_right_once_the_model_has_learned_it(corrector):
    # `docoasod`, `rocoivod`, `procoodod`, `whatovor` (injected): two or three glyphs from the word, further than the
    # first pass looks for an unknown reading's words; the text's model puts every `e` back
    truth = (need(BLN600) / f"{ARTICLE}.gt.txt").read_text(encoding="utf-8")
    ocr = e_read_as_o(truth)
    misread = {
        k for k, (a, b) in enumerate(zip(truth.split(), ocr.split(), strict=True)) if a != b and a.count("e") > 1
    }
    assert len(misread) >= 40
    once = "\n".join(line.text for line in first_pass(corrector, ocr))
    twice = correct_text(ocr, corrector)[0]
    assert len(misread & right_words(truth, once)) < len(misread) * 0.6
    assert len(misread & right_words(truth, twice)) >= len(misread) * 0.9


def test_a_name_the_text_reads_by_habit_for_a_common_word_is_that_word(corrector):
    # an article with three in ten of its `e` read `o` (injected): `Ho` (a name of the dictionaries) opens three of its
    # sentences where the truth has `He`, `boon` stands for `been`; the first pass leaves them, the text's habit and
    # how often it prints them (`tho` 15 times beside 49 `the`, English once to 2,000) undo them
    truth = (need(BLN600) / "3200810718.gt.txt").read_text(encoding="utf-8")
    ocr = e_read_as_o_at(truth, 0.3)
    once = "\n".join(line.text for line in first_pass(corrector, ocr)).split()
    twice = correct_text(ocr, corrector)[0].split()
    assert (once.count("Ho"), once.count("boon")) == (3, 1)
    assert (twice.count("Ho"), twice.count("boon")) == (0, 0)
    assert twice.count("He") == truth.split().count("He")


def test_a_long_text_that_never_prints_a_word_its_habit_makes_is_not_taken_to_misread_it(corrector):
    # all 600 articles of BLN600 as one text (232,157 words) with three in ten of their `e` read `o` (injected): beside
    # 2 `en`, no `te`, no `ne`, it prints `on` 2,968 times, `to` 6,507, `no` 500, more often than English prints them
    # beside those (`on` 257 times to `en`'s one) but as often among all its words: no sign of a misreading
    articles = sorted(need(BLN600).glob("*.gt.txt"))
    ocr = e_read_as_o_at("\n".join(p.read_text(encoding="utf-8") for p in articles), 0.3)
    read = corrector.for_document(ocr.split()).with_errors(ErrorModel({("e", "o"): 50}, 50))
    assert read.habit_odds("on", "en") == read.habit_odds("to", "te") == read.habit_odds("no", "ne") == 0.0
    assert read.habit_odds("tho", "the") > 2
    assert read.habit_odds("boon", "been") > 2
