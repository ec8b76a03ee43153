"""Where the spaces go (`correct/repairs/joins.py`): a word split by a space or broken at a line end joined,
joined and corrected as one reading, a compound's hyphen kept between its halves, and words run together
split; on lines of the seed and of BLN600."""

import pytest

from conftest import fixed, kept, lines


def test_a_word_broken_by_a_space_is_joined_to_the_dictionary_name(corrector):
    assert fixed(corrector, "Trotsky was exiled to C oyoacan in 1937.") == "Trotsky was exiled to Coyoacán in 1937."


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200801632, 3200810876, 3206270727, 3206320267 (`th eir`: no word of the title
            # `Their Morals and Ours`)
            ("at him. The pri soner had just", "at him. The prisoner had just"),
            ("the deceased, on examina tion of the", "the deceased, on examination of the"),
            ("in the same handwriting, althou gh there were", "in the same handwriting, although there were"),
            ("whom, from th eir birth", "whom, from their birth"),
        ),
        *kept("he went in to the room", "a tin box and a tool chest", "the sea side of the town", "he lit a pipe"),
    ],
)
def test_an_english_word_broken_by_a_space_is_joined_where_english_never_has_its_halves_side_by_side(
    corrector, given, expected
):
    assert fixed(corrector, given) == expected


# BLN600 3206225744, 3206277691: a hyphen at a line end, then an English word: a dash, the word kept
@pytest.mark.parametrize(
    "text", ["the pumping-engine attached- to the colliery.", "the would- be murderer had made his escape."]
)
def test_a_dash_before_a_word_is_no_compound_broken_at_its_hyphen(corrector, text):
    assert fixed(corrector, text) == text


@pytest.mark.parametrize(
    "given, expected",
    lines(
        # BLN600 3200801613: the OCR ran the lines together, a speck read between the halves
        (
            "Mr. Knowles, solicitor, Widnes, defended both pri- e- soners.",
            "Mr. Knowles, solicitor, Widnes, defended both prisoners.",
        ),
        (
            "from the evidence of Police-con- In stables Gamble and Middleton,",
            "from the evidence of Police-constables Gamble and Middleton,",
        ),
        ("taken to his lodgings in Church- street, Kensington", "taken to his lodgings in Church-street, Kensington"),
        ("his own regi. ment in India", "his own regiment in India"),
        ("A police. man was sent for", "A policeman was sent for"),
        # 3206269241: a rare word broken at the line's end joins; 3200812168: two common words whose solid join is web
        # junk (`twentynine`) are a compound
        ("was indicted for feloni- ously appropriating to", "was indicted for feloniously appropriating to"),
        ("Ernest, aged twenty- nine months, the", "Ernest, aged twenty-nine months, the"),
        # 3206210894, 3200810276: a lower-case abbreviation may be half a broken word; a capitalised one keeps its stop
        ("to the house of a per. son named", "to the house of a person named"),
        ("from Messrs. Rogers and Co. upon the", "from Messrs. Rogers and Co. upon the"),
        # 3200801630: a glyph misread in the second half; joined and corrected as one word (not `pro-readings`)
        ("instituting criminal pro- ceodings in the case", "instituting criminal proceedings in the case"),
        ("both pre- and post-war prices", "both pre- and post-war prices"),
        ("he might. take place", "he might take place"),  # the stop goes, the words stay two
        # 3206192201, 3206233263: a speck read beside the hyphen; it is still the hyphen of a broken word, no dash
        (
            "that the plaintiff was the pur-. chaser of the copyright",
            "that the plaintiff was the purchaser of the copyright",
        ),
        ("with voluntary examine-: tions, and the", "with voluntary examinations, and the"),
        ("upwards of five hour-, took place", "upwards of five hour-, took place"),  # not a compound
        # 3200811032: a word as common as `the` is no half of a compound; the hyphen was a speck between two words
        ("was indicted for the- wilful murder of", "was indicted for the wilful murder of"),
        ("announced that for- many reasons, and", "announced that for many reasons, and"),
    ),
)
def test_a_word_broken_at_a_line_end_is_joined_across_a_mark_and_compounds_keep_their_hyphen(
    corrector, given, expected
):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3206260984, 3200811239: `didnot` and `inawhisper` (wordfreq knows `didnot` from the web)
            ("and as he didnot come home on Sunday", "and as he did not come home on Sunday"),
            ("heard to say, inawhisper, that", "heard to say, in a whisper, that"),
            # 3206192268: a speck between two words read as a comma, the space lost
            ("she still refused,and the house", "she still refused, and the house"),
            # 3206225744, 3206323884: a speck read as a hyphen after a word as common as an article; a compound, a
            # dash (3206252920), a hyphen whose halves make a word solid (`to-day`, `today`) and the compound of a word
            # that begins compounds (the seed's `by-product`, the issue's `so-called`) keep theirs
            ("corresponded with the-watch of the murdered man.", "corresponded with the watch of the murdered man."),
            ("Manningtree station for his-home every Saturday", "Manningtree station for his home every Saturday"),
        ),
        *kept(
            "and to-day received an order",
            "a well-known portrait painter",
            "owing to the darkness-the boat ran",
            "the so-called Left Opposition",
            "an all-night sitting of the committee",
            "were a by-product of their altogether different organisational outlooks",
        ),
        *kept("he cannot go into another room upon it", "the boat left Newport today", "at 10.30 o'clock, St.Paul's"),
    ],
)
def test_words_run_together_are_split_where_english_has_them_side_by_side(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3206261140, 3206225571, 3200813276: pairs the bigram list lacks, one word as common as a
            # function word or each opening with a capital
            (
                "Subsequentlyhe saw him and Tovey dressed in uniform.",
                "Subsequently he saw him and Tovey dressed in uniform.",
            ),
            (
                "OnWednesday, at the Middlesex sessions, Sarah Higgins,",
                "On Wednesday, at the Middlesex sessions, Sarah Higgins,",
            ),
            (
                "and on leaving the Salvation Armythey adjourned to a public-house,",
                "and on leaving the Salvation Army they adjourned to a public-house,",
            ),
            # 3200811239, 3206227121, 3206247955, 3206225571: a long word of the dictionary however rare, beside a
            # very common word (`very` is less common than a function word)
            (
                "Mr. Francis, still maintaining thatcoolness which",
                "Mr. Francis, still maintaining that coolness which",
            ),
            (
                "The side of the face and head wasmottled, as if the pistol",
                "The side of the face and head was mottled, as if the pistol",
            ),
            ("-The prisoner wasremanded.", "-The prisoner was remanded."),
            (
                "the prosecutor's room, looking veryflushed and flurried,",
                "the prosecutor's room, looking very flushed and flurried,",
            ),
            # 3206225744: a name the article prints elsewhere is one of the words
            (
                "Two prisoners, Thomas Grime and Thomas Walton, were each indicted for the crime, but the trial of "
                "Grimewas first proceeded with.",
                "Two prisoners, Thomas Grime and Thomas Walton, were each indicted for the crime, but the trial of "
                "Grime was first proceeded with.",
            ),
        ),
        # the same reading where the text does not print the name; compounds and names of two words none of them
        # a function word (3200801632, 3206206688, 3206252794, 3200810322)
        *kept(
            "the trial of Grimewas first proceeded with.",
            "about six o'clock, a platelayer named David Hayden,",
            "and kept a beershop, in Quay street, Manchester.",
            "On Friday, Mr. Lickfold applied that the case might be",
            "Alfred Foakes, his potman, by biting",
        ),
        # 3206276277: a capitalised reading is no `Do` run into a word (`Dorchester-row` misread)
        *kept("a message was received from Doheater- row, Westminster,"),
    ],
)
def test_words_run_together_are_split_where_the_bigram_list_has_no_record_of_them(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_a_reading_the_text_prints_twice_is_its_own_word_not_two_run_together(corrector):
    line = "Subsequentlyhe saw him and Tovey dressed in uniform."  # BLN600 3206261140, as if the text printed it twice
    assert fixed(corrector, f"{line}\n{line}") == f"{line}\n{line}"


@pytest.mark.parametrize(
    "given, expected",
    lines(
        # BLN600 3206232665, 3206258781, 3206327966, 3200809738, 3206227120, 3206202140: three words or more run
        # together, which the scorer, fitted on splits into two or three, rejected
        (
            "It was born in hishouse, andhehadpaidallexpenses, and had put it out to nurse.",
            "It was born in his house, and he had paid all expenses, and had put it out to nurse.",
        ),
        (
            "But what business hadyoutostopanyportion of these gifts",
            "But what business had you to stop any portion of these gifts",
        ),
        (
            "but instead of doing sowentinanotherdirection.",
            "but instead of doing so went in another direction.",
        ),
        (
            "Whilstinhidingasoldier came along, and the prisoner",
            "Whilst in hiding a soldier came along, and the prisoner",
        ),
        (
            "The prisoner pre- tended to do so, butanotherpair was",
            "The prisoner pretended to do so, but another pair was",
        ),
        ("OntheFridaybefore that the defendant hit her", "On the Friday before that the defendant hit her"),
    ),
)
def test_many_words_run_together_are_split_where_english_has_most_of_them_side_by_side(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_a_misread_word_is_not_parted_into_short_pieces(corrector):
    # BLN600 3200812244: `matrimonal` parts into `ma trim on al`, two pairs of three attested; it is `matrimonial`
    line = "He Was ra thus in a position to woris a combination matrimonal S and detective- agency by himself alone."
    assert "a combination matrimonial S" in fixed(corrector, line)


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3206223327, 3206233243, 3207166593, 3206199899, 3206227122: a word, then a piece of a word no
            # English dictionary has, whose join is a word (`pro` and `re` too common for two rare halves)
            (
                "I took the boots pro.. duced from the prisoner's feet,",
                "I took the boots produced from the prisoner's feet,",
            ),
            (
                "not been beard of. Burns re mained insensible in the Salford dispensary",
                "not been heard of. Burns remained insensible in the Salford dispensary",
            ),
            ("this meeting gives them of convey ing to the", "this meeting gives them of conveying to the"),
            ("the poor and of travel.. lers.", "the poor and of travellers."),
            ("sorer, who was form erly a lieutenant", "sorer, who was formerly a lieutenant"),
            # 3206206307: a word much commoner than the join beside a misread short word (`willie`)
            ("F. S. B. -The will ie legal.", "F. S. B. -The will is legal."),
        ),
        # BLN600's truth: a phrase whose solid join is rare, a prefix printed apart; ocr17's: French
        *kept(
            "Dr. Fairland deposed to having made a post mortem examination.",
            "the body of a male person, un known, apparently about twenty years of age,",
            "employait simultanément tous les idiomes des",
        ),
    ],
)
def test_a_piece_of_a_word_beside_a_word_is_joined_to_it(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200810145, 3200810766, 3206277701, 3206328965: a speck read before the rest of a word broken
            # at the line's end
            (
                "which he should show was written by the pri- ,soner.",
                "which he should show was written by the prisoner.",
            ),
            (
                "compelled to bring the defen- ,dant before the Court.",
                "compelled to bring the defendant before the Court.",
            ),
            ("a pearl pin brooch with dia- :mond horse shoe,", "a pearl pin brooch with diamond horse shoe,"),
            (
                "The learned counsel for the prose- 'cution, in opening",
                "The learned counsel for the prosecution, in opening",
            ),
            # 3200810202, 3206260986, 3206224252, 3206308400: a compound's first word broken at the line's end
            ("Lowe, of Scot- land-yard, deposed that", "Lowe, of Scotland-yard, deposed that"),
            (
                "situate at Eagle-yard, Wal- worth-road, but this matter",
                "situate at Eagle-yard, Walworth-road, but this matter",
            ),
            ("in fact; nothing else but re- ceiving-houses.", "in fact; nothing else but receiving-houses."),
            ("in Har- row-street, Lisson-grove.", "in Harrow-street, Lisson-grove."),
        ),
        # 3200810738 (truth `Horse-ferry-road`) and BLN600's truth: two English words whose solid join is rarer than
        # the first may be a compound whose own hyphen fell at the line's end
        *kept(
            "the deceased, to go and look after matters at Horse- ferry-road.",
            "and the clearance of the Holy- well-street block.",
        ),
    ],
)
def test_a_word_broken_at_a_line_end_is_joined_past_a_speck_and_before_a_compound_hyphen(corrector, given, expected):
    assert fixed(corrector, given) == expected
