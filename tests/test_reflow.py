"""`ocrfix correct --reflow`: the reading text of a volume's OCR text, on the seed and real book pages."""

import os
import subprocess
import sys

import pytest

from conftest import OLDBOOKS, SHARED, need
from ocrfix.correct.plaintext import reflow_text
from ocrfix.correct.reflow import reflow
from ocrfix.correct.words import Corrector

SEED = SHARED / "seed" / "serge-trotsky-papers.md"


@pytest.fixture(scope="module")
def seed_reflowed(lex):
    text = need(SEED).read_text(encoding="utf-8")
    out, changes = reflow_text(text, Corrector(lex), markdown=True)
    return text, out, changes


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


# the cover stamp's fragments
@pytest.mark.parametrize(
    "fragment", ["# PRI", "IMMI", "LOCA", "LE JOUR DE PERMIS", "NDA VOTRE VISA", "INTERVENONS", "NACIONAL"]
)
def test_each_fragment_of_the_seeds_stamp_is_gone_and_reported_at_its_line(seed_reflowed, fragment):
    text, out, changes = seed_reflowed
    assert fragment not in out.split("\n")
    row = next(c for c in changes if c.raw == fragment)
    assert text.split("\n")[row.line - 1].strip() == fragment and row.reason.startswith("fragment")


# headings stay headings, a heading is not a running head
@pytest.mark.parametrize(
    "heading", ["# The Serge-Trotsky Papers", "## Dedication", "## THE DOCUMENTS", "### *War*", "# Contents"]
)
def test_the_seeds_headings_stay_headings(seed_reflowed, heading):
    _, out, _ = seed_reflowed
    assert heading in out.split("\n")


def test_the_seed_keeps_its_names_its_contents_table_and_its_markers(seed_reflowed):
    text, out, changes = seed_reflowed
    lines = out.split("\n")
    # the words of the stamp that are words of the book stay where the book prints them
    assert "Confederación Nacional del Trabajo" in out
    # the contents table stays a table
    assert "1 Victor Serge and Bolshevism\t1" in lines and "Introduction by D.J. Cotterill\t22" in lines
    assert lines.count("## THE DOCUMENTS") == text.split("\n").count("## THE DOCUMENTS")
    # footnote markers stay markers, apart from their word
    assert text.count("<sup>") == out.count("<sup>") and "considerably.<sup>2</sup> Anarchists" in out
    assert out.count("Serge") == text.count("Serge") and out.count("Trotsky") == text.count("Trotsky")


def test_the_seed_page_breaks_are_mended(seed_reflowed):
    text, out, changes = seed_reflowed
    # a word broken across a page break is joined, and a paragraph split by one is one again
    assert "Representation through universal suffrage" in out and "Representa-" not in out
    assert "so much help on Serge in the past, John Eden" in out
    assert "Having credited the party in the first place" in out
    joins = [c for c in changes if c.raw == "Representa- / tion"]
    assert joins and "blank line" in joins[0].reason
    # a real hyphen stays: the seed's title and its compounds
    assert "Serge-Trotsky" in out and "working-class" in out
    # what opens in lower case in the seed opens no paragraph once reflowed
    opens_lower = [p for p in paragraphs(out) if p.lstrip("*_'‘\"")[:1].islower()]
    assert opens_lower == []


def oldbooks_volume(first: int, last: int) -> str:
    """Pages of *Historical Sketches of Colonial Florida* as a paragraph-a-line text keeps them: the
    ground truth, running heads and folios in it, pages joined by a blank line."""
    pages = [need(OLDBOOKS / f"g{n:03d}.gt.txt").read_text(encoding="utf-8").strip() for n in range(first, last + 1)]
    return "\n\n".join(pages) + "\n"


def test_running_heads_and_folios_of_a_real_book_are_removed_and_its_chapter_title_kept(lex):
    text = oldbooks_volume(15, 22)
    found, changes = reflow(text, lex, markdown=False)
    out = "\n\n".join(p.render()[0] for p in found)
    heads = {c.raw for c in changes if c.reason.startswith("running head")}
    assert {
        "10 HISTORICAL SKETCHES OF",
        "COLONIAL FLORIDA 11",
        "12 HISTORICAL SKETCHES OF",
        "COLONIAL FLORIDA. 15",
    } <= heads
    assert "HISTORICAL SKETCHES OF" not in out and "COLONIAL FLORIDA" not in out
    assert out.startswith("CHAPTER I.")  # the chapter's title is no running head
    # the folio at the foot of the chapter's first page goes, and the sentence it cut is whole again
    assert [c.raw for c in changes if c.reason.startswith("folio")] == ["9"]
    assert "It was commanded by His Excellency Panfilo de Narvaez" in out
    # every other line of the truth is in the reading text
    removed = {c.raw for c in changes if not c.final}
    kept = [line for line in text.split("\n") if line.strip() and line.strip() not in removed]
    assert all(line.strip()[:40] in out for line in kept)


def test_line_end_hyphens_joined_where_the_join_is_a_word_and_kept_in_compounds(lex):
    # a printed book's lines, one broken in a word, one at a compound's own hyphen (oldbooks-dev e010's words)
    text = (
        "No one, we apprehend, would be likely to deny that, to enable the\n"
        "fairer portion of the civilised human race to follow the time-\n"
        "honoured custom of presenting to the eye the waist in its most slender pro-\n"
        "portions, the Corset in some form must be had recourse to. The so-\n"
        "called Serge-\nTrotsky papers.\n"
    )
    found, changes = reflow(text, lex, markdown=False)
    assert len(found) == 1
    out = found[0].render()[0]
    assert "time-honoured custom" in out and "slender proportions," in out
    assert "so-called Serge-Trotsky papers." in out
    assert {c.final for c in changes} == {"time-honoured", "proportions,", "so-called", "Serge-Trotsky"}


def test_a_batch_of_files_with_bad_ones_among_them(tmp_path):
    good = tmp_path / "in" / "a.txt"
    good.parent.mkdir()
    good.write_text(
        "The Bolshevik dispersal of the Constituent Assembly as an inferior Representa-\n\n"
        "tion through universal suffrage.\n",
        encoding="utf-8",
    )
    (tmp_path / "in" / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (tmp_path / "in" / "c.txt").write_bytes(b"")
    (tmp_path / "in" / "d.md").write_bytes("Serge arriv\xe9 \xe0 Petrograd.\n".encode("latin-1"))
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ocrfix.cli",
            "correct",
            "--reflow",
            str(tmp_path / "in"),
            str(tmp_path / "missing.txt"),
            "-o",
            str(out),
            "--report",
            str(tmp_path / "r.tsv"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().split("\n")
    assert f"ocrfix: {tmp_path / 'in' / 'b.txt'}: not text (binary data)" in lines
    assert f"ocrfix: {tmp_path / 'in' / 'c.txt'}: empty file" in lines
    assert f"ocrfix: {tmp_path / 'missing.txt'}: no such file" in lines
    assert any(line.startswith(f"ocrfix: {tmp_path / 'in' / 'd.md'}: invalid UTF-8 at line 1") for line in lines)
    assert (out / "a.txt").read_text(encoding="utf-8") == (
        "The Bolshevik dispersal of the Constituent Assembly as an inferior Representation through universal suffrage.\n"
    )
    assert "Petrograd" in (out / "d.md").read_text(encoding="utf-8")  # decoded where it could be
    assert not (out / "b.txt").exists() and not (out / "c.txt").exists()
    report = (tmp_path / "r.tsv").read_text(encoding="utf-8").split("\n")
    assert report[0].startswith("file\tline\traw") and any("Representa- / tion" in row for row in report)


def test_a_line_that_reads_as_no_text_goes_and_a_list_of_names_stays(lex):
    # plain Tesseract on oldbooks-dev h025 and h045 (a genealogy): the numbers of a list read as letters
    # where the page's margin was speckled, between entries whose names no dictionary holds
    text = (
        "5. Bethia, born 3 married in Jan., 1716, Ichabod Hallock. She died 1753.\n\n"
        "6. Keziah or Zerniah, married Israel Cose.\n\n"
        "7. James Le Roy, born 2 February, 1844; married Martha J, Williamson.\n\n"
        "Aw fw Nn\n\n"
        "VII. SamueL McCrea, son of Henry Horton and Abigail Cook,\n"
        "born at Colchester, N. Y., 14 October, 1807; married 2 November,\n"
    )
    found, changes = reflow(text, lex, markdown=False)
    assert [(c.raw, c.line) for c in changes if not c.final] == [("Aw fw Nn", 7)]
    out = "\n".join(p.render()[0] for p in found)
    assert "6. Keziah or Zerniah, married Israel Cose." in out and "Aw fw" not in out


def test_a_report_into_a_link_or_a_pipe_is_written_through_it(tmp_path):
    # `--report /dev/stderr` once replaced the device's link with a file; a link is followed, never replaced
    target = tmp_path / "kept.tsv"
    target.write_text("", encoding="utf-8")
    link = tmp_path / "report.tsv"
    link.symlink_to(target)
    result = subprocess.run(
        [sys.executable, "-m", "ocrfix.cli", "correct", "--reflow", "--report", str(link)],
        input="The so-\ncalled papers\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and result.stdout == "The so-called papers\n"
    assert link.is_symlink() and "so- / called\tso-called" in target.read_text(encoding="utf-8")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    subprocess.run(
        [sys.executable, "-m", "ocrfix.cli", "correct", "--report", str(fifo)],
        input="The papers\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert reader.communicate(timeout=60)[0].startswith("line\traw\tcorrected") and fifo.is_fifo()


# the seed's own page break (Representa- / tion), as Tesseract's text ends a page (a form feed) and as
# a text with page-number lines and a signature mark parts them
@pytest.mark.parametrize(
    "between",
    [
        pytest.param("\f", id="form feed"),
        pytest.param("\n— 14 —\n\n", id="page-number line"),
        pytest.param("\nC 2\n\nPage 15\n\n", id="signature mark and page-number line"),
    ],
)
def test_pages_parted_by_form_feeds_or_page_number_lines(lex, between):
    first = "The Bolshevik dispersal of the Constituent Assembly as an inferior bourgeois Representa-\n"
    second = "tion through universal suffrage was seen as inferior.\n"
    found, changes = reflow(first + between + second, lex, markdown=False)
    assert [p.render()[0] for p in found] == [
        "The Bolshevik dispersal of the Constituent Assembly as an inferior bourgeois Representation "
        "through universal suffrage was seen as inferior."
    ]
    assert all(c.reason.startswith(("folio", "signature", "hyphenation")) for c in changes)


def test_the_items_of_a_numbered_list_read_as_one_paragraph_are_items_again(lex):
    # plain Tesseract on oldbooks-dev h037 (a genealogy): three items of a list Tesseract read as one block
    text = (
        "2. Henry, born 7 November, 1771; married Abigail Cook.\n"
        "3. James, — born 23 January, 1773; married Martha White.\n"
        "4. Sarah, born in 1775; married Jacol Radaker.\n"
    )
    found, _ = reflow(text, lex, markdown=False)
    assert [p.render()[0] for p in found] == text.strip().split("\n")
    # a number opening a line in mid-sentence is no item
    found, _ = reflow("He was admitted a freeman in\n1662. In 1663 he witnessed a deed.\n", lex, markdown=False)
    assert len(found) == 1
