"""Sums of money read with their unit misread (`correct/repairs/money.py`): on BLN600's OCR and ground truth."""

from collections import Counter

import pytest

from conftest import OLDBOOKS, bln600, fixed, need
from ocrfix.correct.repairs import money


@pytest.mark.parametrize(
    "name, read, printed",
    [
        # shillings' `s` read as a letter, and the pence after them with their `6` read as `G`
        ("3200810779", "obtaining 2i. Gd. from", "obtaining 2s. 6d. from"),
    ],
)
def test_a_sum_read_with_its_unit_misread_is_mended(corrector, name, read, printed):
    ocr = bln600(name, "ocr")
    assert read in ocr
    assert printed in fixed(corrector, ocr)


def test_a_figure_read_as_a_letter_in_a_text_that_prints_sums(corrector):
    assert fixed(corrector, "He was fined lOs. and 5s. costs.") == "He was fined 10s. and 5s. costs."


@pytest.mark.parametrize(
    "given",
    [
        # BLN600 3206252774's OCR: pounds read `501.` (printed `50l.`), a number as read, left as it is
        "time-himself in 501. and",
        # a twentieth-century text that prints one sum: its other figures before a stop are numbers
        "He paid 10s. for the pamphlet. The resolution is quoted in note 31. The delegates numbered 41.",
        "He was born in 1851. He paid 10s. for it.",
        # BLN600 3206269988's truth: a person's years, in a text that prints sums
        "to be paid when she arrived at the age of 21. The 10s. was paid.",
    ],
)
def test_a_number_before_a_stop_stays_a_number(corrector, given):
    assert fixed(corrector, given) == given


@pytest.mark.parametrize(
    "name, read, printed",
    [
        # reports of sums in pounds whose `l` the OCR reads `1` every time (tune half)
        ("3206211940", "a legacy of 5001. to the prisoner", "a legacy of 500l. to the prisoner"),
        ("3206211940", "payment of 6,0001., with", "payment of 6,000l., with"),
        ("3206309556", "of 90,0641., is", "of 90,064l., is"),
        ("3206253371", "amount of over 12,5001.", "amount of over 12,500l."),
    ],
)
def test_pounds_read_with_their_l_as_a_figure_are_mended(corrector, name, read, printed):
    ocr = bln600(name, "ocr")
    assert read in ocr
    assert printed in fixed(corrector, ocr)
    assert printed in bln600(name, "gt")


@pytest.mark.parametrize(
    "name, printed",
    [
        # BLN600's truths that print a figure ending in `1` before a stop after a word: a day of the month with a
        # sum (`August 31.` and a cheque misprinted `341.`), an age, an hour, an address
        ("3206270194", "a cheque for 341., which"),
        ("3206197135", "aged 81."),
        ("3206235312", "to 11."),
        ("3200812171", "at 21. Trevor-square"),
    ],
)
def test_figures_ending_in_one_in_good_print_stay(corrector, name, printed):
    truth = bln600(name, "gt")
    assert printed in truth
    assert printed in fixed(corrector, truth)


def test_pounds_are_read_as_figures_where_the_texts_figures_end_in_one_more_than_in_any_other():
    # oldbooks-dev's truths, as one text, print 3 such figures ending in `1` and 29 ending otherwise (a book citing
    # its pages ends a few in `1` too); an article whose OCR reads every pound's `l` as `1` prints them only so
    books = Counter(w for f in sorted(need(OLDBOOKS).glob("*.gt.txt")) for w in f.read_text(encoding="utf-8").split())
    assert money.pounds_read(books) < 0
    assert money.pounds_read(Counter(bln600("3206309556", "ocr").split())) >= 2


def test_figures_before_a_stop_in_a_list_or_after_a_capital_stay(corrector):
    # oldbooks-dev's truths: figures' and a list's numbers, after a stop or a capital, whichever way the text prints them
    given = (
        "FIG. 41. STICK FOR STUFFING INTERIOR OF SEATS.\nFIG. 51. WORKING DRAWING OF HAND STRIPPER AND GAGE.\n"
        "9. Henry J. 10. Perry. 11. Esther, married —— Boggatt. 12 and 13. Elmeda"
    )
    assert fixed(corrector, given) == given


@pytest.mark.parametrize(
    "name, read, printed",
    [
        # the OCR text lost its pound signs to the decoder (U+FFFD): before figures in English prose, the pound's
        ("3200797029", "value \ufffd12, from", "value £12, from"),
        ("3200801630", "won \ufffd1,760 from", "won £1,760 from"),
    ],
)
def test_a_pound_sign_the_encoding_lost_is_put_back(corrector, name, read, printed):
    ocr = bln600(name, "ocr")
    truth = bln600(name, "gt")
    assert read in ocr and printed.split()[1] in truth
    assert printed in fixed(corrector, ocr)


def test_a_lost_sign_outside_english_prose_stays(corrector):
    # the French lines' kind of prose: the lost sign may be a franc's or a euro's
    given = "il a vendu sa maison \ufffd500 au notaire"
    assert fixed(corrector, given) == given
