"""`ocrfix correct` on a text of any size: corrected block by block, in several processes, as one whole."""

from __future__ import annotations

import io
import subprocess
import sys

from conftest import BLN600, need
from ocrfix.correct.textfile import blocks_of, correct_text, corrected, keeps_paragraphs, read_lines


def articles(n: int) -> str:
    """n real OCR articles of BLN600 in a row: paragraphs, hyphenated line ends and blank lines."""
    files = sorted(need(BLN600).glob("*.ocr.txt"))[:n]
    return "\n\n".join(f.read_text(encoding="utf-8") for f in files)


def test_blocks_corrected_in_two_processes_read_as_the_whole_text_corrected_at_once(corrector):
    text = articles(2)
    lines = text.split("\n")
    whole, changes = correct_text(text, corrector)
    assert changes  # real OCR: there is something to correct
    blocks = list(blocks_of(lines, keeps_paragraphs(len(line) for line in lines if line.strip()), size=4))
    assert len(blocks) > 5 and all(b.lines[0].strip() for b in blocks[1:])  # a block never starts on a blank line
    done = list(corrected(iter(blocks), corrector.for_document(text.split()), jobs=2))
    assert "\n".join(t for d in done for t in d.texts) == whole
    assert [c for d in done for c in d.changes] == changes  # the same changes, at the same line numbers


def test_a_word_broken_at_a_block_edge_is_known_to_the_next_block(corrector):
    lines = [
        "The Committee of the Inter-",
        "national met in Paris.",
        "",
        "It sat for three days.",
        "Its minutes are lost.",
    ]
    blocks = list(blocks_of(lines, False, size=1))
    assert [b.broken for b in blocks] == [False, True, False, False]
    assert [b.first for b in blocks] == [1, 2, 4, 5]  # the blank line stays with the block before it


def test_line_ends_come_back_as_they_were_read(tmp_path):
    text = b"The prisoner ws convicted\r\nof char-ged goods\r\nand sent down.\n"
    assert [end for _, end in read_lines(io.BytesIO(text))] == ["\r\n", "\r\n", "\n"]
    source = tmp_path / "crlf.txt"
    source.write_bytes(text)
    out = subprocess.run(
        [sys.executable, "-m", "ocrfix.cli", "correct", str(source)], capture_output=True, check=True
    ).stdout
    assert out == b"The prisoner was convicted\r\nof charged goods\r\nand sent down.\n"


def test_unsure_changes_are_proposed_not_applied_and_every_change_is_recorded(corrector):
    out, changes = correct_text(
        "He was bro1ught up on remand at the Greenwich Police-court.\nsoime other words", corrector
    )
    assert out.splitlines()[0] == "He was brought up on remand at the Greenwich Police-court."
    assert [(c.line, c.raw, c.final, c.applied) for c in changes if c.raw == "bro1ught"] == [
        (1, "bro1ught", "brought", True)
    ]
    assert all(c.reason and 0 <= c.confidence <= 1 for c in changes)
    assert len(out.splitlines()) == 2  # line structure kept
