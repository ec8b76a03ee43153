"""What the corrector (`correct/words.py`) leaves alone: known names, numbers, measures and foreign words,
names no dictionary holds, French elisions; on lines of the seed, BLN600 and 19th-century French print."""

import pytest

from conftest import fixed, kept, lines
from ocrfix.correct.words import Token


@pytest.mark.parametrize(
    "given, expected",
    [
        # the lexicons hold `l'` and `on`, not `l'on`: each used to be "corrected" (`lyon`, `dun`, `quail`, `chest`)
        *kept("ce que l'on dit d'un homme qu'il n'a pas, c'est la vie", "J'ai lu l'Humanité d'aujourd'hui."),
        # BLN600 3200807879: an English word with a speck for an apostrophe is no elision
        *lines(("the Government. T'he witnesses examined", "the Government. The witnesses examined")),
        # lines of 19th-century French print (ocr17-fr-lines-dev 000148, 000158, 000010, 000322): an elided word shared
        # with English, a rare word among French ones (no English bigram speaks for `about`), a short word between
        # French words (no English bigram judges `de ... vie`), an elision after a word
        *kept(
            "et je retire l’opinion",
            "chercheurs de trésors avaient abouti à la tombe",
            "jours de ma vie",
            "Il n’y avait pas d’Anglais parmi les passagers",
        ),
    ],
)
def test_french_elisions_are_french_words_and_look_alike_specks_in_english_are_not(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sneevliet, Zborowski and Kibalchich met in 1936; la Révolution prolétarienne, No. 254, pp. 12-14.",
        # BLN600 3200812734, 3200801630: a law report's `v.`, a plural's possessive in a compound
        "in the case of Mitchell v. the Liverpool company",
        "in St. James'-street, Piccadilly, and",
        # measures and sums with their units (BLN600 3200810915, 3206227029, 3206210942: `10ft.` had become `loft`)
        "a drop of 10ft. into the yard",
        "12oz. of tea and 100lbs, of flour",
        "fined 10l. and 6d. costs",
    ],
)
def test_known_names_numbers_and_foreign_words_are_left_alone(corrector, text):
    assert fixed(corrector, text) == text


def test_an_unknown_name_is_left_alone(corrector):
    # a name no dictionary holds, read confidently
    proposals = corrector.propose([Token("Mr.", 95), Token("Gorkinson", 93), Token("spoke", 96)])
    assert proposals == []


# BLN600 names in text without confidences
@pytest.mark.parametrize("text", ["Mr. Esworthy, the magistrate, said", "the prisoner Rutzen was remanded"])
def test_an_unknown_name_in_a_text_without_confidences_is_left_alone(corrector, text):
    assert fixed(corrector, text) == text
