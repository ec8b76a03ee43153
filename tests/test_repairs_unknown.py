"""Readings no lexicon knows (`correct/repairs/unknown.py`): the words near them, the text's own names, and
words or phrases read without their accents; on the seed and on lines of BLN600."""

import numpy as np
import pytest
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from conftest import BLN600, OLDBOOKS, bln600, fixed, kept, lines, need
from ocrfix.correct.confusions import variants
from ocrfix.correct.repairs.unknown import _Pool, _words_near_length, compound_parts, distant_words
from ocrfix.correct.textfile import correct_text


def test_a_careful_first_pass_loses_no_good_text_and_gets_its_accents_back(seed):
    _, _, changes = seed
    assert [(c.line, c.raw, c.final) for c in changes if c.applied] == [
        (192, "Proletarienne*.", "Prolétarienne*."),
        (202, "Union", "Unión"),
    ]


@pytest.mark.parametrize(
    "given, expected",
    lines(
        # the seed's glossary: "... the Spanish Left Opposition led by Andrés Nin."
        ("the Spanish Left Opposition led by Andres Nin.", "the Spanish Left Opposition led by Andrés Nin."),
        ("Andres Smith wrote to the editor.", "Andres Smith wrote to the editor."),
        # the seed's glossary: a title's lower-case word, capitalised here, keeps its accent (though it is no name)
        (
            "**RP** *La Révolution Proletarienne*. 'The Proletarian Revolution'",
            "**RP** *La Révolution Prolétarienne*. 'The Proletarian Revolution'",
        ),
        # the seed's glossary: an entry the dictionary also lists in lower case (`Confédération générale du
        # travail`) is restored in the case it is read
        (
            "- CGT** Confederation Generale du Travail (General Confederation of Labour).",
            "- CGT** Confédération Générale du Travail (General Confederation of Labour).",
        ),
        ("the Confederation generale du travail", "the Confédération générale du travail"),
    ),
)
def test_accent_restored_by_a_multi_word_entry_but_not_on_the_first_name_alone(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    lines(
        (
            "the Bolshevik Party which drove tbe radical political process",
            "the Bolshevik Party which drove the radical political process",
        ),
        (
            "Representation tbrough universal suffrage was seen as inferior",
            "Representation through universal suffrage was seen as inferior",
        ),
    ),
)
def test_confusions_fixed_in_context(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    [
        # BLN600 3206213295, 3206328965, 3202448316 (all four had been "corrected": woman, will, burglaries, be held)
        # and oldbooks-dev's ground truth
        *kept(
            "Thomas Foskett, potman, at the",
            "with the wilful and deliberate intention",
            "some burglarious implements were found",
            "the pope beheld the poorly clad",
        ),
        # web debris as common as those words is still corrected, and a short rare word may be a slip of a common one
        *lines(("to show that tbe police were", "to show that the police were")),
    ],
)
def test_a_rare_word_of_the_english_dictionary_is_no_misreading_of_a_commoner_one(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    lines(
        # BLN600: `troasers` read for `trousers` (wordfreq's French `travers` is commoner, but not here)
        ("He took the troasers from the shop", "He took the trousers from the shop"),
        # a British spelling that French shares keeps its weight; a comma ends the bigram context (seed, sample page 6)
        (
            "a radically new type of crganisation, the Commune-State",
            "a radically new type of organisation, the Commune-State",
        ),
        # an unknown capitalised word one misread glyph from a known place
        ("living at Hampatead, was charged", "living at Hampstead, was charged"),
        # a speck before a word read as a capital I (BLN600: `a young Ifemale named`)
        ("a young Ifemale named Ann Connolly", "a young female named Ann Connolly"),
        # long words misread in three places, beyond SymSpell's two edits (BLN600 3200809739, 3200801613)
        (
            "he will be kept in solitary confinbinent for nine months",
            "he will be kept in solitary confinement for nine months",
        ),
        ("or fourteen days' imprisonmnact in default", "or fourteen days' imprisonment in default"),
    ),
)
def test_a_misread_word_in_english_prose_becomes_an_english_word(corrector, given, expected):
    assert fixed(corrector, given) == expected


def test_the_text_itself_is_evidence_for_its_words_and_its_names(corrector):
    # BLN600 3200810281: alone, `chagae` is the commoner `change`; the article says `charge` elsewhere
    line = "and while the chagae was being preforrod rthe prisoner said,"
    assert "the change was" in fixed(corrector, line)
    assert "the charge was" in fixed(corrector, line + "\nIa answer to the charge the cisoner h uaid.").splitlines()[0]
    # BLN600 3200810460: a name no dictionary holds, read as `Briggs` three times in the article
    line = "Brigge sud- denly seized hold .of witness,"
    assert fixed(corrector, line).startswith("Bridge ")
    text = "\n".join(
        [line, "and Briggs knocked his hands away,", "Briggs said, he would knock him down", "in Briggs' company"]
    )
    assert fixed(corrector, text).startswith("Briggs suddenly seized")
    # BLN600 3200811142, 3206223327: a capitalised word misread further than a name is trusted to be, unless
    # the text prints the word it may be
    line = "the Chief-Constable suspended Ilallett, pending further, inquiries"
    assert fixed(corrector, line) == line
    assert fixed(corrector, line + "\nand directly afterwards Mallett, who at the time").startswith(
        "the Chief-Constable suspended Mallett, pending"
    )
    line = "I was on duty in the Bertnondsey station-house when the prisoner"
    assert fixed(corrector, line) == line
    assert "the Bermondsey station" in fixed(corrector, line + "\nat the police-station in Bermondsey-street, when")
    # ...and a name read the same way twice is no misreading of a word: alone, `Cocket` is offered for review
    line = "the lawful custody of Police-constable Cocket,"
    assert [c.raw for c in correct_text(line, corrector)[1]] == ["Cocket,"]
    assert correct_text(line + "\nCocket followed Arnold", corrector)[1] == []


def _long_readings(lex, count: int) -> list[str]:
    """Long readings of BLN600's OCR no lexicon knows (`frcquently`): those whose distant words are looked for."""
    words = (
        w.strip(".,;:'\"()").lower()
        for p in sorted(need(BLN600).glob("*.ocr.txt"))[:40]
        for w in p.read_text(encoding="utf-8").split()
    )
    found = [w for w in dict.fromkeys(words) if len(w) >= 9 and w.isalpha() and not lex.knows(w)]
    return found[:count]


def test_the_distant_words_of_long_real_readings_are_those_a_scan_of_every_word_finds(lex):
    readings = _long_readings(lex, 60)
    assert len(readings) >= 30
    found = {}
    for word in readings:
        every = _words_near_length(lex, len(word)).words  # the whole pool, compared letter by letter
        scan = [w for w, _, _ in process.extract(word, every, scorer=Levenshtein.distance, score_cutoff=3, limit=10)]
        assert distant_words(lex, word) == scan, word
        found[word] = scan
    assert sum(bool(s) for s in found.values()) >= 10  # most readings have words three edits away to compare


def test_known_variants_of_real_readings_are_those_the_lexicon_knows_one_by_one(lex):
    for word in _long_readings(lex, 30):
        undone = {v.lower() for v in variants(word)} | {word.capitalize(), word + "é"}
        assert lex.known(undone) == {v for v in undone if lex.knows(v)}  # set operations, one word at a time


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3200810766, 3200812741, 3206218935, 3206327966: words run together, a glyph of one misread
            (
                "They ascended together till theytwere about five hundied Fards above",
                "They ascended together till they were about five hundred Fards above",
            ),
            # (the stray capital goes as well)
            ("He told hiswifs E that persons were in his room", "He told his wife that persons were in his room"),
            (
                "no clue to the parties who had depositeithe body had been obtained.",
                "no clue to the parties who had deposited the body had been obtained.",
            ),
            (
                "the other man asked him to assist in pickingupn the watches, and that he",
                "the other man asked him to assist in picking up the watches, and that he",
            ),
        ),
        *kept("the Anglo-Saxon and Norman periods", "a Newton and a Whitehouse"),
    ],
)
def test_words_run_together_with_a_glyph_misread_are_parted_and_corrected(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "given, expected",
    lines(
        # BLN600 3200811342, 3200812246: a speck read as a mark no word holds, inside a word
        (
            "Dr. F. Grayling, of Sittingbourne, has co)mmunicated with her Majesty",
            "Dr. F. Grayling, of Sittingbourne, has communicated with her Majesty",
        ),
        (
            "there was the fact, which had b>sen deposed to by several witnesses",
            "there was the fact, which had been deposed to by several witnesses",
        ),
    ),
)
def test_a_word_with_a_speck_read_as_a_mark_inside_is_corrected(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "line, parts",
    [
        # BLN600 3200810649, 3200810876: SymSpell parts them into words none of which is very common (`rise users`,
        # `nine stated`): no words run together (the line's other misreadings are other repairs' business; the second
        # is `amputated` misread twice over)
        ("On Snday thc rifseosers were le pushing", "rise users"),
        ("the arnie nearly ninputated, aud the chest", "nine stated"),
    ],
)
def test_a_reading_parted_only_into_uncommon_words_is_not_parted(corrector, line, parts):
    assert parts not in fixed(corrector, line)


@pytest.mark.parametrize(
    "reading, conf, expected",
    [
        # oldbooks-dev e066, a chapter's summary: "... in England—The corps ..." read poorly
        ("England—T'he", 37.0, "England—The"),
        # the same summaries read right, with Tesseract's confidences there (e049): each part a word
        ("France—Their", 91.0, None),
        ("Pepin—Revival", 91.0, None),
        # a hyphen's parts as before (oldbooks-dev g015 prints `rudely-constructed`), a glyph misread in one
        ("rudely-constructcd", 50.0, "rudely-constructed"),
    ],
)
def test_words_an_em_dash_joins_are_corrected_part_by_part(corrector, reading, conf, expected):
    found = compound_parts(corrector, reading, conf)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    "name, read, printed",
    [
        # two long words run together, neither as common as a function word, in a text read as noisily as most
        ("3206320051", "The trialcommenced on Saturday", "The trial commenced on Saturday"),
        ("3206190290", "merelylaid", "merely laid"),
    ],
)
def test_long_words_run_together_are_parted_in_noisy_text(corrector, name, read, printed):
    ocr = bln600(name, "ocr")
    truth = bln600(name, "gt")
    assert read in ocr and printed in truth
    assert printed in fixed(corrector, ocr)


@pytest.mark.parametrize(
    "name, compound",
    [
        ("3206206688", "kept a beershop,"),  # BLN600's truth: compounds of its own print, in text read well
        ("3206238659", "a newsvendor in an"),
    ],
)
def test_a_compound_in_clean_text_is_not_parted(corrector, name, compound):
    truth = bln600(name, "gt")
    assert compound in truth
    assert compound in fixed(corrector, truth)


@pytest.mark.parametrize(
    "name, read, printed",
    [
        # a possessive whose word no lexicon knows is a word misread like any, its `'s` kept
        ("3200812528", "Thonas's", "St. Thomas's Hospital"),
        ("3200810281", "Kiog's", "King's Cross"),
    ],
)
def test_a_misread_possessive_is_corrected_as_its_word(corrector, name, read, printed):
    ocr = bln600(name, "ocr")
    truth = bln600(name, "gt")
    assert read in ocr and printed in truth
    assert printed.split()[-2] in fixed(corrector, ocr).split()


def test_a_name_s_possessive_the_text_prints_stays(corrector):
    # oldbooks-dev's truth: a poet's possessive, the name no dictionary's
    truth = (need(OLDBOOKS) / "e049.gt.txt").read_text(encoding="utf-8")
    assert "Dunbar's" in truth
    assert "Dunbar's" in fixed(corrector, truth)


@pytest.mark.parametrize("length", [9, 14])
def test_a_pool_joined_from_each_lengths_is_the_pool_counted_afresh(lex, length):
    """The pool for a long reading, joined from the pools of each length within reach, holds the same words
    in the same order and the same pair tables as one counted from its words at once."""
    joined = _words_near_length(lex, length)
    afresh = _Pool(joined.words)
    assert len(joined.words) > 1000 and np.array_equal(joined.lengths, afresh.lengths)
    assert joined.pairs.keys() == afresh.pairs.keys()
    for pair, (at, n) in afresh.pairs.items():
        assert np.array_equal(joined.pairs[pair][0], at) and np.array_equal(joined.pairs[pair][1], n), pair


@pytest.mark.parametrize(
    "given, expected",
    [
        *lines(
            # BLN600 3206213295, 3206197110, 3200810281: a compound's part misread as a word only another language
            # or the web prints, one glyph from a common English word beside the compound's other part
            (
                "was charged at Marlborough-street police-courb, with attempt.",
                "was charged at Marlborough-street police-court, with attempt.",
            ),
            (
                "On entering the drawing-reom, he sat down in an arm chair,",
                "On entering the drawing-room, he sat down in an arm chair,",
            ),
            ("which arrived at Migh-street, Kensington Station,", "which arrived at High-street, Kensington Station,"),
            # 3200810602: a word broken at a mark is joined, not parted into two words
            (
                "was char-ged with burglariously breaking and entering",
                "was charged with burglariously breaking and entering",
            ),
        ),
        # 3206238659: `pall` is a word of the English dictionary: the street's name stays
        *kept("Mr. Knowles, a newsvendor, of Crown-court, Pall-mall, said Hunt tried to sell him"),
    ],
)
def test_a_compound_of_known_parts_has_a_part_misread_as_a_rare_word_corrected(corrector, given, expected):
    assert fixed(corrector, given) == expected


@pytest.mark.parametrize(
    "name, read, printed",
    [
        # BLN600's tune half: words misread twice over, once as the confusion table knows (`rn` for `m`, `p` for
        # `n`, `in` for `m`, `b` for `h`) and once besides, no word within SymSpell's reach of the reading
        ("3200809849", "had just been rernbved as the", "had just been removed as the"),
        ("3206223311", "He had kpowi the", "He had known the"),
        ("3206251464", "of the houseinaiids at", "of the housemaids at"),
        ("3200813277", "with wbomn he had lived", "with whom he had lived"),
    ],
)
def test_a_word_misread_twice_over_is_corrected(corrector, name, read, printed):
    ocr = bln600(name, "ocr")
    assert read in ocr and printed.split()[-3] in bln600(name, "gt")
    assert printed in fixed(corrector, ocr)


def test_a_name_with_no_word_near_it_keeps_its_spelling(corrector):
    # BLN600 3206262517's truth (tune half): `Ewyas` is a confusion and a slip from `Ewes` and `Eyes`, but a name
    truth = bln600("3206262517", "gt")
    assert "at Ewyas Harold, Herefordshire" in truth
    assert "at Ewyas Harold, Herefordshire" in fixed(corrector, truth)
