from pathlib import Path

import pytest

from ocrfix.evaluate import normalise, pair_files, score, score_files


def test_cer_is_levenshtein_over_reference_length():
    s = score("kitten", "sitting")
    assert (s.char_errors, s.chars) == (3, 6)
    assert s.cer == pytest.approx(0.5)


def test_combining_accents_count_as_one_character():
    # "Andrés" written with a combining acute (NFD) is the same text as the precomposed form
    assert score("Andr\u00e9s Nin", "Andre\u0301s Nin").char_errors == 0
    # and a dropped accent is one error, not two
    assert score("Andre\u0301s", "Andres").char_errors == 1


def test_wer_counts_word_edits():
    s = score("the Left Opposition in 1928", "the Lcft Opposition 1928")
    assert (s.word_errors, s.words) == (2, 5)


def test_line_breaks_compare_as_spaces():
    assert score("one two\nthree", "one\ntwo three").char_errors == 0


def test_hyphen_joining_is_optional_and_on_both_sides():
    gt = "universal suffrage. Representation through"
    ocr = "universal suffrage. Representa-\ntion through"
    assert score(gt, ocr).char_errors == 2
    assert score(gt, ocr, join_hyphens=True).char_errors == 0
    # a real hyphen inside a line is kept
    assert normalise("Serge-Trotsky papers", join_hyphens=True) == "Serge-Trotsky papers"


def test_pairs_a_run_folder_and_scores_missing_pages_as_empty(tmp_path: Path):
    gt = tmp_path / "gt"
    gt.mkdir()
    (gt / "a.gt.txt").write_text("Victor Serge\n", encoding="utf-8")
    (gt / "b.gt.txt").write_text("Leon Trotsky\n", encoding="utf-8")
    pages = tmp_path / "out" / "pages"
    pages.mkdir(parents=True)
    (pages / "a.lines.txt").write_text("Victor Sergc\n", encoding="utf-8")
    pairs = pair_files(gt, tmp_path / "out", kind="lines")
    assert [(i, h is not None) for i, _, h in pairs] == [("a", True), ("b", False)]
    assert score_files(*pairs[0][1:]).char_errors == 1
    missing = score_files(*pairs[1][1:])
    assert missing.char_errors == missing.chars == len("Leon Trotsky")
