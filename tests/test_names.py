"""Names restored from the dictionaries whatever Tesseract's confidence (issue 24): one matching rule for
accents and the letters Unicode does not decompose, and the text's own spelling respected.

The lines are the seed's Chronology (`December: Trotsky exiled to Mexico.`) with the place Trotsky lived, as
the volumes print it; the confidences are Tesseract's for a clean printed word (96)."""

from __future__ import annotations

import pytest

from ocrfix.correct.words import Corrector, Token
from ocrfix.lexicon import Lexicon, fold, misreadings, read_plain

SURE = 96.0


def corrected(corrector: Corrector, line: str, recurring: frozenset[str] = frozenset()) -> str:
    tokens = [Token(w, SURE) for w in line.split()]
    out = [t.text for t in tokens]
    for p in corrector.propose(tokens, recurring):
        if p.applied(corrector.params):
            out[p.start : p.end] = [p.text, *[""] * (p.end - p.start - 1)]
    return " ".join(w for w in out if w)


@pytest.mark.parametrize(
    "read, printed",
    [
        ("Honefoss", "Hønefoss"),
        ("Hgnefoss", "Hønefoss"),
        ("Hanefoss", "Hønefoss"),
        ("Lodz", "Łódź"),
        ("Kadikoy", "Kadıköy"),
        ("StraBe", "Straße"),
        ("Ouvriére", "Ouvrière"),
        ("Strasse", "Straße"),
        ("L’Humanite", "L'Humanité"),
    ],
)
def test_one_matching_rule(read: str, printed: str) -> None:
    assert read_plain(read, printed) and fold(read) in {m.lower() for m in misreadings(printed)}


def test_reading_with_an_accent_the_entry_lacks_is_not_read_plain() -> None:
    """A French line's `À` is no misreading of the `A` of `A Pobra do Caramiñal` (a Galician town's name)."""
    assert not read_plain("À", "A")


def test_fold_writes_undecomposed_letters_plain() -> None:
    assert fold("Łódź Hønefoss Œuvre Straße Kadıköy") == "lodz honefoss oeuvre strasse kadikoy"


@pytest.mark.parametrize("read", ["Honefoss", "Hgnefoss"])
def test_place_with_undecomposed_letter_restored(corrector: Corrector, read: str) -> None:
    assert corrected(corrector, f"December: Trotsky exiled to {read}, Norway.") == (
        "December: Trotsky exiled to Hønefoss, Norway."
    )


@pytest.mark.parametrize(
    "read, printed",
    [("Aanekoski", "Äänekoski"), ("Adapazari", "Adapazarı"), ("Ajdovscina", "Ajdovščina")],
)
def test_town_from_the_gazetteer_restored(lex: Lexicon, corrector: Corrector, read: str, printed: str) -> None:
    """Towns of GeoNames (`places-gazetteer.txt`) that no hand-made list holds."""
    if not lex.is_name(printed):
        pytest.skip("dictionaries/places-gazetteer.txt not generated")
    assert corrected(corrector, f"December: Trotsky passes through {read}.") == (
        f"December: Trotsky passes through {printed}."
    )


@pytest.mark.parametrize(
    "line",
    [
        "December: a letter from the Castello.",  # `Castelló` is a Valencian town, `Castello` Italian's word
        "December: a letter from Santa Maria.",  # `Santa María` is a town of many, `Maria` every language's
        "December: a letter from Peniscola.",  # `Peníscola` is Catalan; English books print it plain
    ],
)
def test_plain_forms_a_language_writes_are_no_gazetteer_misreadings(corrector: Corrector, line: str) -> None:
    assert corrected(corrector, line) == line


def test_confident_reading_restored(corrector: Corrector) -> None:
    """Read confidently, and twice on the page (`recurring`, which else takes a word as printed)."""
    line = "December: Trotsky settles in Coyoacan, Mexico."
    page = corrector.for_document(line.split())
    assert corrected(page, line, frozenset({"Coyoacan"})) == "December: Trotsky settles in Coyoacán, Mexico."


def test_text_printing_the_plain_form_keeps_it(corrector: Corrector) -> None:
    """A volume that spells it `Coyoacan` throughout (five readings, never an accent) keeps its spelling;
    one that prints `Coyoacán` once beside them has its plain readings restored."""
    line = "December: Trotsky settles in Coyoacan, Mexico."
    plain = corrector.for_document(((line + " ") * 5).split())
    assert corrected(plain, line) == line
    printed = corrector.for_document(((line + " ") * 5 + "Coyoacán").split())
    assert corrected(printed, line) == "December: Trotsky settles in Coyoacán, Mexico."


def test_given_name_restored_where_the_text_prints_it(lex: Lexicon, corrector: Corrector) -> None:
    """`Etienne` is common plain on the web (French drops the accent on capitals): restored where the text
    prints `Étienne` too, left as read where nothing says which."""
    if not lex.is_name("Étienne"):
        pytest.skip("dictionaries/given-names.txt not generated")
    line = "December: Etienne reports to Moscow."
    page = corrector.for_document([*line.split(), "Étienne"])
    assert corrected(page, line) == "December: Étienne reports to Moscow."
    assert corrected(corrector, line) == line


@pytest.mark.parametrize(
    "line",
    [
        "December: Trotsky exiled to Mexico.",  # an English spelling (`México` is no entry of an English book's)
        "December: a sermon on Jesus and Marx.",  # English spells `Jesus` so; `Jesús` (Hernández) is an entry
        "December: Trotsky exiled to Honeyfoss.",  # an unknown name, one letter from nothing known
        "December: Leon Trotsky exiled to Mexico.",  # `Leon` an entry itself, beside `Léon`
    ],
)
def test_left_alone(corrector: Corrector, line: str) -> None:
    assert corrected(corrector, line) == line


def image_corrected(corrector: Corrector, line: str, name: str, above: str) -> str:
    """`corrected`, with the page image's marks over the letters of `name` (`accents.ink_above`)."""
    tokens = [Token(w, SURE, above=above if w.rstrip(",.") == name else None) for w in line.split()]
    out = [t.text for t in tokens]
    for p in corrector.propose(tokens):
        if p.applied(corrector.params):
            out[p.start : p.end] = [p.text, *[""] * (p.end - p.start - 1)]
    return " ".join(w for w in out if w)


def test_an_accent_the_image_shows_is_restored_against_the_text_s_evidence(lex: Lexicon, corrector: Corrector) -> None:
    """A mark over the letter restores a name common plain on the web (`Etienne`) where the text prints no
    `Étienne`, and one the text reads plain five times (its own spelling, by the text alone)."""
    if not lex.is_name("Étienne"):
        pytest.skip("dictionaries/given-names.txt not generated")
    line = "December: Etienne reports to Moscow."
    assert image_corrected(corrector, line, "Etienne", "^??....") == "December: Étienne reports to Moscow."
    line = "December: Trotsky settles in Coyoacan, Mexico."
    plain = corrector.for_document(((line + " ") * 5).split())
    assert image_corrected(plain, line, "Coyoacan", "......^.") == "December: Trotsky settles in Coyoacán, Mexico."


def test_a_clean_plain_letter_in_the_image_keeps_the_reading(corrector: Corrector) -> None:
    """No mark over the letter: the name was printed plain, though the text prints `Coyoacán` elsewhere."""
    line = "December: Trotsky settles in Coyoacan, Mexico."
    printed = corrector.for_document(((line + " ") * 5 + "Coyoacán").split())
    assert image_corrected(printed, line, "Coyoacan", "........") == line
    # the image cannot tell (the line above's ink over the letter): the text's evidence decides, as without it
    assert image_corrected(printed, line, "Coyoacan", "......?.") == "December: Trotsky settles in Coyoacán, Mexico."


@pytest.mark.parametrize(
    "read, accented", [("Coyoacan", True), ("Honefoss", True), ("Trotsky", False), ("December", False)]
)
def test_the_image_is_asked_only_about_readings_a_dictionary_spells_with_diacritics(
    lex: Lexicon, read: str, accented: bool
) -> None:
    """A run looks at the ink over a word's letters (`accents.page_marks`) only where the dictionaries print it
    with diacritics: looking costs about a millisecond a word, and a page's other words have no accent to lose."""
    assert lex.has_accented_form(read) is accented
