"""Marks and specks (`correct/repairs/marks.py`): a stray mark, letter or stop standing alone dropped, a mark
standing apart joined to its word, a comma ending a paragraph read for a full stop, specks at a word's edges or
inside it, two words a speck ran together split at it; on the seed and on lines of BLN600."""

import textwrap

import numpy as np
import pytest
from PIL import Image

from conftest import BLN600, OLDBOOKS, bln600, fixed, kept, lines, need
from ocrfix.correct.revise import propose_line
from ocrfix.correct.scorer import Repair
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Token, apply
from ocrfix.ocr import read_lines


def test_typographic_symbols_standing_alone_are_printed_not_specks(seed):
    # the seed's imprint: `LONDON • BOULDER, COLORADO`, `copyright © D.J. Cotterill` (three times)
    given, out, _ = seed
    found = [k for k, line in enumerate(given) if "©" in line or "•" in line]
    assert len(found) == 4 and [out[k] for k in found] == [given[k] for k in found]


@pytest.mark.parametrize(
    "given, expected",
    lines(
        # BLN600 3206244330, 3206191677 (their other words as printed): a speck read as an ASCII mark still goes
        ("invited him to come and occupy | part of a house", "invited him to come and occupy part of a house"),
        ("the journey, that death | was accelerated", "the journey, that death was accelerated"),
    ),
)
def test_a_speck_read_as_an_ascii_mark_standing_alone_goes(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_a_lone_roman_numeral_ending_a_contents_row_is_its_page_number(seed, corrector):
    # the seed's contents: `<i>Glossary of organisations</i>\tx` lost its page number as a stray letter
    given, out, _ = seed
    rows = [k for k, line in enumerate(given) if "\t" in line]
    assert len(rows) == 24 and [out[k] for k in rows] == [given[k] for k in rows]
    # BLN600 3200797029 (its other misreadings mended): a lone letter opening a line is still a speck
    assert fixed(corrector, "v EDWARD PRING, twenty-seven, carpenter,") == "EDWARD PRING, twenty-seven, carpenter,"


def test_a_straight_quote_is_dropped_as_a_speck_only_on_evidence_of_specks(seed, corrector):
    # the seed quotes with straight single quotes: a quotation closed after its stop (`history!'`) keeps its opening
    given, out, _ = seed
    k = next(k for k, line in enumerate(given) if "'Be ready, Petrograd!" in line)
    assert out[k] == given[k]
    # ...and so it does where the book's lines close it on another line: a text read well has few specks
    wrapped = "\n".join(given[:k] + textwrap.wrap(given[k], 60) + given[k + 1 :])
    assert "'Be ready, Petrograd!" in fixed(corrector, wrapped)
    # BLN600 3206212402's OCR is noisy: its quotation closed after a stop keeps its opening too
    assert "where they had 'half a " in fixed(
        corrector, (need(BLN600) / "3206212402.ocr.txt").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200807901, 3200810896, 3200810281: a full stop where the sentence goes on, marks before a word
            (
                "stones at the front door greatly. alarmed the inmates",
                "stones at the front door greatly alarmed the inmates",
            ),
            ("in their eagerness the deceased -was pushed down", "in their eagerness the deceased was pushed down"),
            ("committed the .prisoner to gaol", "committed the prisoner to gaol"),
            # 3200811342, 3200810261: no article ends a clause; 3206222380: `A,` may be a letter's
            ("In the, course of business he went", "In the course of business he went"),
            ("Upon making a , subsequent examination of the body", "Upon making a subsequent examination of the body"),
            ("bail was offered on behalf of A, Waits", "bail was offered on behalf of A, Waits"),
            # 3206233243: after a capitalised word too, when it is too long for an initial or a title's abbreviation
            (
                "earned some notoriety last June. by eloping with the",
                "earned some notoriety last June by eloping with the",
            ),
            # 3206327837, 3200810117: a second stop after the first
            ("YESTERDAY'S LAW.,", "YESTERDAY'S LAW."),
            (
                "they got near the door in the struggle,. and witness",
                "they got near the door in the struggle, and witness",
            ),
            # 3205317653, 3206223311, 3200811342: marks standing alone after a stop, or opening a line
            ("and severely punished. . On the afternoon", "and severely punished. On the afternoon"),
            ("foolish fellow, he spoke. :. Mr. Payne said", "foolish fellow, he spoke. Mr. Payne said"),
            (". He passed his order over to the cashier", "He passed his order over to the cashier"),
            ("on the 3rd inst. , at noon", "on the 3rd inst., at noon"),
        ),
        *kept("and then he said. . . . Nobody answered", "what he said . . . and then"),
        # 3200797029, 3200801615, 3200810117: an abbreviation's or an initial's stop before a comma; 3206204300: a sum's
        # stop before a semicolon; 3200810305: `inst. a` is no `insta`
        *kept(
            "Sir Robert Peel, Bart., presided",
            "under the Act 45 Vic., cap. 14",
            "by J. and W., his sons",
            "on the 5th inst. a man was",
        ),
        *lines(("Mr. Bazley, M.P., 10l. ; Messrs. Crossley", "Mr. Bazley, M.P., 10l.; Messrs. Crossley")),
        *kept(
            "knives, forks, etc. and a clock",
            "on the 3rd inst., at noon",
            "he was fined 10s. and costs",
            "the 3rd inst. at noon",
            "He went. The door shut",
            "signed by Capt. and Mrs. Smith",
            "by J. and W. Smith",
        ),
    ],
)
def test_stops_that_specks_made_are_dropped_but_an_abbreviation_keeps_its_own(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200801613: `go with them ; don't go`, `charged 'with`, `the' trial`
            ("Peter, don't go with them ; don't go with them", "Peter, don't go with them; don't go with them"),
            ("he was charged 'with assaulting the constable", "he was charged with assaulting the constable"),
            ("in order that the' trial might take place", "in order that the trial might take place"),
            # and quotation marks set apart from the words they open and close
            (
                'He replied that no " bobby" in Widnes could take him.',
                'He replied that no "bobby" in Widnes could take him.',
            ),
            ('said to her brother, " No, Peter," and left', 'said to her brother, "No, Peter," and left'),
            # BLN600 3206211839, 3206323163 (tune half): a mark set apart with the quotation mark closing after it
            (
                'Blood flowed very copiously, and he called "Murder !" and "Help !"',
                'Blood flowed very copiously, and he called "Murder!" and "Help!"',
            ),
            ('he said, "Yes, I did it ;" but he', 'he said, "Yes, I did it;" but he'),
        ),
        *kept(
            "he said 'never again' and left",
            "the prisoners' boots",
            "Il dit : « mais oui ; nous partons »",
            "Il dit : « qui est là ? » et part",
            'he called it "the line" in print',
            "as Serge put it, ‘the'",
        ),
    ],
)
def test_stray_punctuation_is_tidied_where_english_prose_does_not_have_it(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_a_comma_ending_a_paragraph_before_a_capital_is_a_full_stop_misread(corrector):
    # BLN600 3206245353 keeps a paragraph a line: `... and went to breakfast,` / `Her mother ...`
    article = (need(BLN600) / "3206245353.ocr.txt").read_text()
    k = next(i for i, line in enumerate(article.splitlines()) if line.endswith("went to breakfast,"))
    out, changes = correct_text(article, corrector)
    assert out.splitlines()[k].endswith("went to breakfast.")
    assert [(c.raw, c.final) for c in changes if c.line == k + 1 and "paragraph" in c.reason] == [
        ("breakfast,", "breakfast.")
    ]


def test_a_printed_line_may_end_on_a_comma(corrector):
    # verse among paragraphs (oldbooks-dev h018), the seed's imprint
    verse = (need(OLDBOOKS) / "h018.gt.txt").read_text()
    assert "My soul ascended to the throne of God,\nWhere" in verse
    assert not [c for c in correct_text(verse, corrector)[1] if "paragraph" in c.reason]
    imprint = (
        "First published 1994 by Pluto Press  \n345 Archway Road, London N6 5AA  \nand 5500 Central Avenue,  \n"
        "Boulder, CO 80301, USA\n"
    )
    assert fixed(corrector, imprint) == imprint


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200810602, 3200810767, 3200810766, 3200812374: the word without the mark is a common word
            ("of no fixed abode, was char-ged with", "of no fixed abode, was charged with"),
            ("in the day, and h]ad paid the", "in the day, and had paid the"),
            ("the question a fig-ht of pigeons", "the question a fight of pigeons"),
            ("interest turned on t+he fact that", "interest turned on the fact that"),
            # 3206225571: where the mark stands for a letter, the reading as a misread word comes first
            ("About the end of last mou~th he had", "About the end of last month he had"),
        ),
        # two words either side, an elided French article, an initial, a hyphen that makes no common word
        *kept("and to-day received an order", "ce que l'on dit d'un homme", "R. B.-In our next", "up - a-d placed him"),
    ],
)
def test_a_speck_read_as_a_mark_inside_a_word_goes(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200813268, 3200812377, 3200812702: a speck for the space, a word misread beside it
            ("that the robbery'mighb be committed.", "that the robbery might be committed."),
            ("playing truant from'sechool. He was", "playing truant from school. He was"),
            ("the body had niot'beent recovered.", "the body had not been recovered."),
            # 3200812741: an apostrophe before `s` and a word is a possessive's
            ("during her Majesty'spleasure.", "during her Majesty's pleasure."),
            # 3206329377: an article stands apart only where English has it before the next word
            ("therefore a.litte unpicking, judicious", "therefore a little unpicking, judicious"),
        ),
        *kept(
            "at three o'clock in the morning",
            "I'll tell you",
            "the offices of the C.N.T. in Barcelona",
            "Mr.Robinson assured the magistrate",
        ),
    ],
)
def test_a_speck_read_as_a_mark_between_words_goes_and_a_misread_side_is_corrected(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_a_speck_before_a_word_the_text_prints_as_a_compounds_last_part_was_the_hyphen(corrector):
    # BLN600 3200810905 prints `Russell-road`, `Canning-road`, `Upper-street`, and reads one `Russell.road`
    report = bln600("3200810905", "ocr")
    assert "address in Russell.road." in report
    assert "address in Russell-road." in fixed(corrector, report)
    # alone, a line says nothing of the text's compounds: a space, as before
    assert (
        fixed(corrector, "The prisoner gave an address in Russell.road.")
        == "The prisoner gave an address in Russell road."
    )


@pytest.mark.slow  # Tesseract reads each line
@pytest.mark.parametrize(
    "page, top, bottom, stopped",
    [
        # lines of oldbooks-dev whose truth prints a full stop where Tesseract reads a comma before a capital
        ("e036", 970, 1035, "toilet."),
        ("e050", 1725, 1792, "form."),
        ("e055", 775, 840, "furs."),
    ],
)
def test_a_comma_tesseract_also_read_as_a_stop_before_a_capital_is_the_stop(corrector, page, top, bottom, stopped):
    with Image.open(need(OLDBOOKS / f"{page}.png")) as im:
        crop = np.asarray(im.convert("L").crop((0, top, im.width, bottom)))
    [line] = read_lines(crop, "eng", 300)
    truth = need(OLDBOOKS / f"{page}.gt.txt").read_text(encoding="utf-8").split()
    assert stopped in truth and stopped[:-1] + "," in [w.raw for w in line.words]
    proposals = corrector.propose([Token(w.raw, w.conf, w.choices) for w in line.words])
    # that comma only: the line's other commas (a clause's, before a small letter) stay
    assert [p.text for p in proposals if p.repair == Repair.SENTENCE_STOP] == [stopped]


COWELL = (
    *(((glyph, conf),) for glyph, conf in zip("Cowell", (90.1, 95.0, 91.3, 95.1, 92.9, 91.7), strict=True)),
    ((",", 92.6), (".", 56.8)),
)
"""`Cowell,` ending a line of oldbooks-dev's h036, its comma also read as a stop (as the resident reader gave it)."""


@pytest.mark.parametrize(
    ("sentence_after", "expected"),
    [
        (True, "Cowell."),  # the next line: `There were probably some daughters`; the truth `Esther Cowell.`
        (False, "Cowell,"),  # a line going on in lower case: the comma's
    ],
)
def test_a_comma_ending_a_line_before_a_capital_that_tesseract_also_read_as_a_stop_is_the_stop(
    corrector, sentence_after, expected
):
    line = "7. William, born 14 May, 1789; married Esther Cowell,"
    tokens = [Token(t, 90.0, COWELL) if t == "Cowell," else Token(t, 95.0) for t in line.split()]
    proposals = propose_line(corrector, tokens, sentence_after=sentence_after)
    assert apply(tokens, proposals, corrector.params)[-1] == expected
    # `William,` goes on to `born`: its comma stays whatever the next line
    assert all(p.start != 1 for p in proposals)
    # without Tesseract's second reading of the comma it stays: a line may end on a comma
    plain = [Token(t, 95.0) for t in line.split()]
    assert apply(plain, propose_line(corrector, plain, sentence_after=True), corrector.params)[-1] == "Cowell,"


@pytest.mark.parametrize(
    "page, words, as_read",
    [
        ("e035", "her brows—sometimes, alas!", "brows— sometimes"),  # page e035 as Tesseract read it
        ("e049", "century—The ancient", "century —The"),  # e049
    ],
)
def test_an_em_dash_spaced_on_one_side_closes_up(corrector, page, words, as_read):
    truth = (need(OLDBOOKS) / f"{page}.gt.txt").read_text(encoding="utf-8")
    line = next(line for line in truth.splitlines() if words in line)
    read = line.replace(as_read.replace(" ", ""), as_read)
    assert read != line
    assert fixed(corrector, read) == line


def test_an_em_dash_standing_alone_closes_up_only_in_a_text_that_closes_its_dashes(corrector):
    truth = need(OLDBOOKS) / "e066.gt.txt"
    line = next(line for line in truth.read_text(encoding="utf-8").splitlines() if "the period—Royal" in line)
    read = line.replace("period—Royal", "period — Royal")
    assert fixed(corrector, read) == line  # the line closes its other em-dashes up (`headdress—Headdress`)
    alone = "the costume of the period — Royal standards"  # no closed em-dash: a spaced one may be the text's style
    assert fixed(corrector, alone) == alone


@pytest.mark.parametrize(
    "given",
    [
        # samples/gt/page3: spaced en-dashes are the print's
        "to voice opposition to the war – in France",
        # oldbooks-dev h-pages' genealogy: a double em-dash stands for a name no one recorded
        "married —— Wright and Mary ——, who",
    ],
)
def test_spaced_en_dashes_and_a_name_left_blank_stay(corrector, given):
    assert fixed(corrector, given) == given


@pytest.mark.parametrize("page", ["j014", "j040", "j061", "j064", "j065"])
def test_a_measure_after_a_figure_keeps_its_stop(corrector, page):
    # oldbooks-dev's book of woodwork: `½ in. or whatever`, `3 in. below`, `from ¼ in. to ½ in. in thickness`,
    # `¹⁄16 in. thick`: the stop of `in.` after a figure was dropped as a speck, and `in. to` joined as `into`
    truth = (need(OLDBOOKS) / f"{page}.gt.txt").read_text(encoding="utf-8")
    out = fixed(corrector, truth)
    assert " in. " in truth and [out.count(w) for w in (" in. ", "into")] == [truth.count(w) for w in (" in. ", "into")]


@pytest.mark.parametrize(
    "given, expected",
    # BLN600 3206227122 (its other misreadings mended): a speck after `in` before a lower-case word still goes
    lines(("who was formerly a lieutenant in. the army", "who was formerly a lieutenant in the army")),
)
def test_a_stop_after_a_word_that_follows_no_figure_is_still_a_speck(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize("page", ["g020", "g021", "g022"])
def test_a_names_elided_particle_printed_apart_is_no_stray_letter(corrector, page):
    # oldbooks-dev's history of Florida: `Puerta d’ Anchusi`, `Soto de Arriola`'s `d’ Arriola`
    truth = (need(OLDBOOKS) / f"{page}.gt.txt").read_text(encoding="utf-8")
    assert "d’ A" in truth and fixed(corrector, truth).count("d’ A") == truth.count("d’ A")


@pytest.mark.parametrize(
    "name, line, opening",
    [
        # BLN600's tune half: paragraphs that open with a dash the OCR set apart from the word, in reports that
        # print it closed up elsewhere
        ("3206227121", 24, "-Prisoner said that"),
        ("3206233243", 25, "-On Thursday William Spearing"),
        ("3206211444", 26, "-The constable in charge"),
    ],
)
def test_a_dash_opening_a_paragraph_closes_up_onto_its_word(corrector, name, line, opening):
    ocr = bln600(name, "ocr")
    assert ocr.split("\n")[line - 1].startswith(opening[0] + " " + opening[1:])
    assert bln600(name, "gt").split("\n")[line - 1].startswith(opening)
    assert fixed(corrector, ocr).split("\n")[line - 1].startswith(opening)


def test_a_dash_set_apart_in_good_print_stays(corrector):
    # BLN600 3206191677's truth (tune half) opens one paragraph with `- The` among others that open `-The`; the French
    # lines set their dialogue's dashes apart, every one
    truth = bln600("3206191677", "gt")
    assert "\n- The coroner produced" in truth
    assert "\n- The coroner produced" in fixed(corrector, truth)
    french = "— Vous préférez donc aller à l’hôtel Waghorn\n— Je préférerais un hôtel qui ne fut pas an¬"
    assert fixed(corrector, french) == french
