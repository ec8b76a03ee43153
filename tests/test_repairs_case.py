"""Letter case (`correct/repairs/case.py`): capitals strewn through a known word made consistent, and `Mr.` or
`Mrs.` read before a name as another short word; on lines of BLN600."""

import pytest

from conftest import fixed, for_review, kept, lines


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200810695, 3206225744, 3200810767: the `r` survives, the `M` breaks
            ("Police-court, before Air. Gillespie, to answer", "Police-court, before Mr. Gillespie, to answer"),
            ("for the crown was opened by Mir. Aspinall, who", "for the crown was opened by Mr. Aspinall, who"),
            ("Airs. Benton deposed that", "Mrs. Benton deposed that"),
        ),
        # 3206238659: an initial; and another title, and a sentence's last word
        *kept(
            "Sir R. Carden, however, believed that",
            "a letter from Fr. Kelly, the priest",
            "in the open air. Mr. Kelly said",
        ),
    ],
)
def test_a_title_misread_before_a_name_is_mended_and_initials_and_other_titles_kept(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200810460, 3200810695, 3200810296
            ("the magistrate, sAid that while he was", "the magistrate, said that while he was"),
            ("the magistrate said he had nO doubt the defendant", "the magistrate said he had no doubt the defendant"),
            ("CHARGE AGAINST A POLICe INSPECTOR.", "CHARGE AGAINST A POLICE INSPECTOR."),
            # 3200803403, 3200809739: a function word capitalised mid-sentence; a title keeps its capital
            ("the gun was loaded when It was picked up", "the gun was loaded when it was picked up"),
            ("came into close contact With him, so", "came into close contact with him, so"),
        ),
        *kept(
            "Mr. McCall and Mr. MacDonald",
            "said that More stood in the dock",
            "in his book In Defence of Marxism",
            "the Lord had said that He would redeem",
        ),  # BLN600 3206255777
    ],
)
def test_capitals_strewn_through_a_word_are_made_consistent_and_names_keep_theirs(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_capitals_strewn_through_a_word_with_a_glyph_misread_as_well_are_offered_for_review(corrector):
    # BLN600 3200807975: capitals with a glyph misread as well
    assert for_review(corrector, "MARnARoET HUNTER, of St. Pancras-road") == [("MARnARoET", "MARGARET")]
