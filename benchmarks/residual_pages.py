"""What `ocrfix run`'s corrector leaves wrong on real book pages, and what it made worse, by kind.

    python benchmarks/residual_pages.py [--split tune|report] [--work DIR] [--small-capitals] [--examples N] [--no-write]

The page records of one `ocrfix run` over ../shared/data/oldbooks-dev (made once into --work and kept:
`alternatives.oldbooks_run`) are corrected again with the code at hand, the corrector's own changes undone first
(`alternatives.as_read`), then the half's pages go through the volume pass (running heads, hyphenation) as a
run's do; the halves as `benchmarks/alternatives.py` splits them. With --small-capitals, the words each page's image
shows in small capitals (`smallcaps.py`) are told first, from the scan prepared again. `raw.txt` and `lines.txt` of each
page are aligned with the truth word by word (line-end hyphenation joined and whitespace collapsed on both sides,
as the CER is scored); each stretch of words that differs is one error, its cost the Levenshtein distance of its
characters, its kind read from the words on both sides (`kind`). The table gives each kind's characters in the
raw OCR and after correction; below it, the changes the corrector made that took a word away from its truth, and
the costliest stretches it left.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from alternatives import DATA, RUN, as_read, oldbooks_run, pages, straight
from common import write_section
from ocrfix import lexicon
from ocrfix.correct.page import correct_page
from ocrfix.correct.words import Corrector
from ocrfix.evaluate import ZERO, normalise, score
from ocrfix.model import Page
from ocrfix.outputs import read_page
from ocrfix.pipeline import volume_pass
from ocrfix.preprocess import estimate_dpi, prepare
from ocrfix.smallcaps import mark_small_capitals
from ocrfix.sources import list_pages, load_page
from ocrfix.text import corrected_lines, raw_lines
from ocrfix.tokens import split_token


def words(text: str) -> list[str]:
    """A text's words as the CER sees them: line-end hyphenation joined, whitespace collapsed, quotes straight."""
    return straight(normalise(text, join_hyphens=True)).split()


def kind(read: list[str], truth: list[str], lex: lexicon.Lexicon) -> str:
    """What a stretch of words read differently from the truth is, the most telling first: words lost, added,
    split or joined; then for a word facing one word, quotes, case or marks alone, a number, a known word read
    (a real-word error), or an unknown reading by its edits from the truth."""
    if not read:
        return "words lost"
    if not truth:
        return "words added"
    if len(read) != len(truth):
        letters = "".join(c for c in "".join(read) if c.isalnum())
        if letters == "".join(c for c in "".join(truth) if c.isalnum()):
            return "words split or joined"
        return "words split or joined, and misread"
    if len(read) > 1:
        return "several words misread"
    r_core, t_core = split_token(read[0])[1], split_token(truth[0])[1]
    if r_core == t_core:
        return "marks only"
    if r_core.lower() == t_core.lower():
        return "case only"
    if any(c.isdigit() for c in r_core + t_core):
        return "a number"
    if lex.knows(r_core):
        return "a real word read"
    edits = Levenshtein.distance(r_core, t_core)
    return f"unknown reading, {edits if edits < 3 else '3 or more'} edit{'s' if edits > 1 else ''} away"


def stretches(read: list[str], truth: list[str]) -> list[tuple[list[str], list[str], int]]:
    """Each stretch of words that differs from the truth, with its truth and its cost in characters."""
    spans: list[list[int]] = []  # runs of operations that differ, side by side ones as one (`brows—` `sometimes,`)
    for op in Levenshtein.opcodes(read, truth):
        if op.tag == "equal":
            continue
        if spans and spans[-1][1] == op.src_start and spans[-1][3] == op.dest_start:
            spans[-1][1], spans[-1][3] = op.src_end, op.dest_end
        else:
            spans.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    found = []
    for src_start, src_end, dest_start, dest_end in spans:
        a, b = read[src_start:src_end], truth[dest_start:dest_end]
        if len(a) == len(b):  # word faces word: each pair its own error
            found += [([x], [y], Levenshtein.distance(x, y)) for x, y in zip(a, b, strict=True) if x != y]
        else:
            found.append((a, b, Levenshtein.distance(" ".join(a), " ".join(b))))
    return found


def damage(page: Page, truth: list[str]) -> list[str]:
    """The corrector's changes that took a word read right away from its truth: each changed word of the record
    whose reading the raw text's alignment pairs with an identical truth word."""
    raw = [(w, piece) for w in page.words for piece in straight(w.raw).split()]
    found = []
    for op in Levenshtein.opcodes([p for _, p in raw], truth):
        if op.tag != "equal":
            continue
        for k in range(op.src_start, op.src_end):
            word = raw[k][0]
            if word.final != word.raw and straight(word.final) != straight(word.raw):
                repair = next((c.repair for c in reversed(word.changes) if c.applied), "other")
                found.append(f"{repair}: `{word.raw}` → `{word.final}` (confidence {word.conf:.0f})")
    return found


def page_image(page: Page) -> np.ndarray:
    """The page as Tesseract read it: its scan prepared again (preprocessing is deterministic)."""
    scan = load_page(next(ref for ref in list_pages(DATA)[0] if ref.id == page.id))
    return prepare(scan.gray, scan.dpi or estimate_dpi(scan.gray), colour=scan.colour).image


def measure(
    ids: list[str], run: Path, lex: lexicon.Lexicon, small_capitals: bool = False
) -> tuple[dict[str, Counter[str]], list[tuple[int, str]], list[str], tuple[float, float]]:
    """Characters wrong by kind, raw and corrected; the corrected text's stretches (cost, description); the
    damaging changes; the CER of raw and corrected text."""
    by_kind: dict[str, Counter[str]] = {"raw": Counter(), "corrected": Counter()}
    left: list[tuple[int, str]] = []
    damaged: list[str] = []
    raw_score, corrected_score = ZERO, ZERO
    corrector = Corrector(lex)
    records = [as_read(read_page(run.parent, page_id)) for page_id in ids]
    for page in records:
        if small_capitals:
            mark_small_capitals(page, page_image(page))
        correct_page(page, corrector)
    volume_pass(records, lex)
    for page_id, page in zip(ids, records, strict=True):
        truth_text = (DATA / f"{page_id}.gt.txt").read_text(encoding="utf-8")
        raw_score += score(truth_text, raw_lines(page), join_hyphens=True)
        corrected_score += score(truth_text, corrected_lines(page), join_hyphens=True)
        truth = words(truth_text)
        for name, text in (("raw", raw_lines(page)), ("corrected", corrected_lines(page))):
            for read, right, cost in stretches(words(text), truth):
                k = kind(read, right, lex)
                by_kind[name][k] += cost
                if name == "corrected":
                    left.append((cost, f"{k}: `{' '.join(read)}` / truth `{' '.join(right)}` ({page_id})"))
        damaged += [f"{d} ({page_id})" for d in damage(page, truth)]
    return by_kind, left, damaged, (raw_score.cer, corrected_score.cer)


def table(
    split: str,
    ids: list[str],
    by_kind: dict[str, Counter[str]],
    left: list[tuple[int, str]],
    damaged: list[str],
    cer: tuple[float, float],
    examples: int,
    command: str,
) -> str:
    raw, corrected = by_kind["raw"], by_kind["corrected"]
    total = sum(corrected.values())
    rows = [
        f"| {k} | {raw[k]} | {corrected[k]} | {corrected[k] / total:.1%} |"
        for k in sorted(raw.keys() | corrected.keys(), key=lambda k: -corrected[k])
    ]
    lines = [
        f"oldbooks-dev, {split} half ({len(ids)} pages, {ids[0]}–{ids[-1]}): CER `raw.txt` {cer[0]:.3%} → "
        f"`lines.txt` {cer[1]:.3%} ({cer[1] / cer[0] - 1:+.1%}). Characters wrong in each stretch of words that "
        "differs from the truth (the sum is near the CER's count, not equal: the stretches are aligned by words), "
        f"by kind, `{command}`:",
        "",
        "| kind | raw OCR | corrected | share left |",
        "|---|---:|---:|---:|",
        *rows,
        f"| all | {sum(raw.values())} | {total} | |",
        "",
        f"The corrector's changes to words read right ({len(damaged)}):",
        "",
        *(f"- {d}" for d in damaged[:examples]),
        "",
        "The costliest stretches left wrong:",
        "",
        *(f"- {cost} characters, {d}" for cost, d in sorted(left, key=lambda x: -x[0])[:examples]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "report"), default="tune")
    parser.add_argument("--work", type=Path, default=RUN, help="the run over oldbooks-dev (made once, kept)")
    parser.add_argument("--examples", type=int, default=20, help="damaging changes and stretches left to list")
    parser.add_argument(
        "--small-capitals", action="store_true", help="words set in small capitals told from the image first"
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    ids = pages(args.split)
    by_kind, left, damaged, cer = measure(ids, oldbooks_run(args.work), lexicon.load(), args.small_capitals)
    command = f"python benchmarks/residual_pages.py --split {args.split}" + " --small-capitals" * args.small_capitals
    text = table(args.split, ids, by_kind, left, damaged, cer, args.examples, command)
    print(text)
    if not args.no_write:
        write_section("residual-pages", text)


if __name__ == "__main__":
    main()
