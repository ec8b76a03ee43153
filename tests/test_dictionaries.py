"""Checks an editor would make on the period dictionaries in dictionaries/.

Reads the files directly (no project imports). The format is described in
dictionaries/README.md: UTF-8, NFC, one entry per line, '#' comment lines,
blank lines ignored, optional alternative forms after a TAB separated by '|'.
"""

import re
import unicodedata

import pytest

from conftest import ROOT, SHARED, need

DICT_DIR = ROOT / "dictionaries"
SEED = SHARED / "seed" / "serge-trotsky-papers.md"

FILES = ["people.txt", "organisations.txt", "places.txt", "publications.txt"]
GENERATED = ["given-names.txt", "places-gazetteer.txt"]
"""Written by the folder's scripts from maintained sources: held to the same format."""

# Common English words that must never be a single-word entry in people.txt
# (surnames such as Marshall, Eden, Parry appear in the seed's acknowledgements).
COMMON_ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "a",
    "an",
    "in",
    "on",
    "is",
    "it",
    "to",
    "for",
    "by",
    "with",
    "party",
    "field",
    "marshall",
    "eden",
    "parry",
    "march",
    "may",
    "will",
    "long",
    "furlong",
    "cannon",
    "morrow",
    "frank",
    "wolf",
    "held",
    "hook",
    "body",
    "fry",
    "lie",
    "reed",
    "well",
    "grave",
    "bonnet",
    "martinet",
    "nomad",
    "foster",
    "draper",
    "carter",
    "wells",
    "chambers",
    "groves",
    "wicks",
    "trilling",
    "peters",
    "villa",
    "babel",
    "thomas",
    "james",
    "grant",
    "martin",
    "young",
    "white",
    "black",
    "brown",
    "green",
    "king",
    "law",
    "bell",
    "rose",
    "mann",
    "day",
    "rich",
    "little",
}

# Correct, accent-bearing forms and the stripped forms OCR produces instead.
REQUIRED = {
    "people.txt": [
        "Andrés Nin",
        "Joaquín Maurín",
        "Julián Gorkin",
        "Lázaro Cárdenas",
        "Ramón Mercader",
        "Juan Negrín",
        "Leon Trotsky",
        "Victor Serge",
        "Victor Lvovich Kibalchich",
        "Vlady Kibalchich",
        "Natalia Sedova",
        "Leon Sedov",
        "Largo Caballero",
        "Francisco Largo Caballero",
        "Angelica Balabanova",
        "Balabanoff",
        "Trotsky",
        "Kibalchich",
        "Sneevliet",
        "Zborowski",
        "Maurín",
        "Negrín",
    ],
    "organisations.txt": [
        "Partido Obrero de Unificación Marxista",
        "Confederación Nacional del Trabajo",
        "Federación Anarquista Ibérica",
        "Confédération Générale du Travail",
        "Parti Socialiste Ouvrier et Paysan",
        "Bloque Obrero y Campesino",
        "Left Opposition",
        "Fourth International",
        "Comintern",
        "Profintern",
        "OGPU",
        "Cheka",
        "PCI",
        "ILP",
        "SWP",
    ],
    "places.txt": [
        "Coyoacán",
        "Alcalá de Henares",
        "Montjuïc",
        "Büyükada",
        "Hønefoss",
        "Domène",
        "Petrograd",
        "Kronstadt",
        "Orenburg",
        "Alma-Ata",
        "Prinkipo",
        "Barfleur",
        "Lleida",
        "Lérida",
        "Marseille",
        "Marseilles",
        "Nevsky Prospect",
        "Smolny",
        "Gostinny Dvor",
        "Sadovaya",
        "Avenida Viena",
    ],
    "publications.txt": [
        "La Révolution prolétarienne",
        "La Vie ouvrière",
        "L'Humanité",
        "Partisan Review",
        "La Batalla",
        "The New International",
        "Socialist Appeal",
        "Bulletin of the Opposition",
        "Byulleten Oppozitsii",
        "Clarté",
        "Memoirs of a Revolutionary",
        "The Case of Comrade Tulayev",
        "The Revolution Betrayed",
        "Their Morals and Ours",
        "My Life",
    ],
}
FORBIDDEN = {
    "people.txt": [
        "Andres Nin",
        "Joaquin Maurin",
        "Julian Gorkin",
        "Lazaro Cardenas",
        "Ramon Mercader",
        "Juan Negrin",
        "Maurin",
        "Negrin",
        "Marshall",
        "Eden",
        "Parry",
        "Field",
    ],
    "organisations.txt": [
        "Partido Obrero de Unificacion Marxista",
        "Confederacion Nacional del Trabajo",
        "Union General de Trabajadores",  # seed misprint
        "Kommunistische Partei Deutschland",  # seed misprint
        "Sozialistischer Arbeiter Partei",  # seed misprint
        "Section Française Internationale",  # seed misprint
        "Narodnyi Komissariat Vnutrennykh Del",  # seed misprint
        "Musée Sociale",  # seed misprint
        "PRI",
    ],  # cover-stamp artefact
    "places.txt": ["Coyoacan", "C oyoacan", "Alcala de Henares", "Montjuic", "Domene", "Honefoss", "Buyukada"],
    "publications.txt": ["La Revolution proletarienne", "La Révolution Proletarienne", "La Vie ouvriere", "L'Humanite"],
}
# Text of the stamp on the seed's cover page, an OCR artefact.
STAMP_ARTEFACTS = ["PRI", "IMMI", "LOCA", "LE JOUR DE PERMIS", "PERMIS", "NDA VOTRE VISA", "INTERVENONS", "NACIONAL"]


def read_lines(name):
    raw = (DICT_DIR / name).read_bytes()
    text = raw.decode("utf-8")  # raises if the file is not valid UTF-8
    return text.split("\n")


def parse(name):
    """Return [(line_number, form)] for every form (main and alternatives) in a file."""
    forms = []
    for number, line in enumerate(read_lines(name), 1):
        if not line.strip() or line.startswith("#"):
            continue
        main, _, alternatives = line.partition("\t")
        forms.append((number, main))
        if alternatives:
            forms.extend((number, alt) for alt in alternatives.split("|"))
    return forms


def entries(name):
    return [form for _, form in parse(name)]


def all_entries():
    return {form for name in FILES for form in entries(name)}


def seed_text():
    return need(SEED).read_text(encoding="utf-8")


def glossary_acronyms(text):
    """Acronyms defined in the seed's Glossary of Organisations.

    Entries look like '- BOC** Bloque ...' or '**PSOP** Parti ...' (OCR mangled the bold).
    """
    match = re.search(r"^##\s*Glossary of Organisations\s*$(.*?)^##\s", text, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    assert match, "no Glossary of Organisations section in the seed"
    pattern = re.compile(r"^\s*(?:-\s*)?(?:\*\*)?([A-Z][A-Z0-9]+)\*\*", re.MULTILINE)
    return pattern.findall(match.group(1))


@pytest.mark.parametrize("name", FILES + GENERATED + ["README.md"])
def test_file_exists_and_is_utf8_nfc(name):
    path = DICT_DIR / name
    assert path.is_file(), f"missing {path}"
    text = path.read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff"), f"{name}: has a byte-order mark"
    assert "\r" not in text, f"{name}: has CR line endings"
    for number, line in enumerate(text.split("\n"), 1):
        assert line == unicodedata.normalize("NFC", line), f"{name}:{number}: not NFC: {line!r}"


@pytest.mark.parametrize("name", FILES + GENERATED)
def test_entries_are_clean(name):
    for number, form in parse(name):
        assert form, f"{name}:{number}: empty entry or alternative"
        assert form == form.strip(), f"{name}:{number}: leading/trailing whitespace: {form!r}"
        assert "  " not in form, f"{name}:{number}: double space: {form!r}"
        assert not any(unicodedata.category(ch).startswith("C") for ch in form), (
            f"{name}:{number}: control or invisible character: {form!r}"
        )
        assert "\u2019" not in form and "\u2018" not in form, f"{name}:{number}: use the plain apostrophe ': {form!r}"
    for number, line in enumerate(read_lines(name), 1):
        assert line == line.rstrip(), f"{name}:{number}: trailing whitespace"


@pytest.mark.parametrize("name", FILES + GENERATED)
def test_no_duplicates(name):
    seen = {}
    for number, form in parse(name):
        assert form not in seen, f"{name}:{number}: duplicate of line {seen[form]}: {form!r}"
        seen[form] = number


def test_sizes():
    counts = {name: len(entries(name)) for name in FILES}
    assert counts["people.txt"] >= 300, counts
    assert counts["organisations.txt"] >= 100, counts
    assert counts["places.txt"] >= 100, counts
    assert counts["publications.txt"] >= 80, counts
    assert sum(counts.values()) >= 600, counts


@pytest.mark.parametrize("name", FILES)
def test_required_entries_present_exactly(name):
    have = set(entries(name))
    missing = [e for e in REQUIRED[name] if e not in have]
    assert not missing, f"{name}: missing {missing}"


@pytest.mark.parametrize("name", FILES)
def test_stripped_and_misprinted_forms_absent(name):
    have = set(entries(name))
    present = [e for e in FORBIDDEN[name] if e in have]
    assert not present, f"{name}: wrong forms listed: {present}"


def test_stamp_artefacts_absent():
    have = all_entries()
    present = [e for e in STAMP_ARTEFACTS if e in have]
    assert not present, f"cover-stamp OCR artefacts listed: {present}"


def test_no_common_english_word_alone_in_people():
    bad = [form for form in entries("people.txt") if " " not in form and form.lower() in COMMON_ENGLISH_WORDS]
    assert not bad, f"people.txt: ordinary English words listed alone: {bad}"


def test_glossary_acronyms_in_organisations():
    acronyms = glossary_acronyms(seed_text())
    # the seed's glossary defines 27 organisations; fail loudly if parsing broke
    assert len(acronyms) >= 25, acronyms
    for expected in ("BOC", "POUM", "PSOP", "UGT", "CHEKA", "IS", "RP"):
        assert expected in acronyms, f"glossary parser missed {expected}: {acronyms}"
    have = set(entries("organisations.txt"))
    missing = [a for a in acronyms if a not in have]
    assert not missing, f"organisations.txt: glossary acronyms missing: {missing}"


# names the seed prints (`Coyoacán`, which it does not, is checked in places.txt by REQUIRED)
@pytest.mark.parametrize(
    "name",
    [
        "Andrés Nin",
        "La Vie ouvrière",
        "La Révolution prolétarienne",
        "Andreu Nin",
        "Confederación Nacional del Trabajo",
        "Federación Anarquista Ibérica",
        "Partido Obrero de Unificación Marxista",
        "Confédération Générale du Travail",
    ],
)
def test_accented_names_from_seed_present(name):
    text = unicodedata.normalize("NFC", seed_text())
    assert name in text, f"{name!r} does not occur in the seed: this list names what the seed prints"
    assert name in all_entries(), f"{name!r} occurs in the seed but in no dictionary"
