"""What Tesseract's glyph alternatives could add to the corrector: words they would fix, words they would damage.

    python benchmarks/alternatives.py [--split tune|report] [--work DIR] [--workers N] [--no-write]

The pages of ../shared/data/oldbooks-dev, sorted by name: the first half to tune on, the second to report on.
Each page goes through the pipeline's page processing (`pipeline.process_page`: preprocessing, the resident
Tesseract with its alternatives, correction) into --work (kept, so that a second run reads its records again).
The page's corrected words (`<id>.lines.txt`) are aligned with its truth (Levenshtein over words); in each
stretch of as many words on both sides, word faces word. Two rules are measured on those words, each taking
the readings `correct.repairs.alternatives` spells from a word's glyph alternatives: a word read unknown → the
best known reading (`best_known`); a comma also read as a period, before a capital or a paragraph's end → the
period (`sentence_end`). Counted: words left wrong that a rule fixes, right words it damages, wrong words it
changes to another wrong word; how often the truth is among the readings at all (what a scorer with context
could reach); and whether the readings spell the changes the corrector made. A word that differs from its truth
only by its quotes (curly in the OCR, straight in the truth) is counted apart: no glyph alternative should
change it, and elsewhere quotes are compared straightened. Last, --cost pages of the half are read with and
without the alternatives by one engine: whether the TSV stays the same, and Tesseract's CPU time either way.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image
from rapidfuzz.distance import Levenshtein

from common import SHARED, write_section
from ocrfix import lexicon
from ocrfix.correct.repairs.alternatives import Candidate, candidates
from ocrfix.model import Word
from ocrfix.ocr import PSM
from ocrfix.outputs import page_path, read_page
from ocrfix.pipeline import Settings, process_page
from ocrfix.sources import list_pages
from ocrfix.tesslib import CHOICE_ITERATIONS, TessApi
from ocrfix.tokens import split_token

DATA = SHARED / "data" / "oldbooks-dev"
_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def pages(split: str) -> list[str]:
    """The page ids of a half of oldbooks-dev (by name: the first half tunes, the second reports)."""
    ids = sorted(ref.id for ref in list_pages(DATA)[0])
    return ids[: len(ids) // 2] if split == "tune" else ids[len(ids) // 2 :]


def cost(ids: list[str]) -> str:
    """Whether reading the alternatives changes the TSV, and what it costs: each page read with and without
    them by one engine in this process (as the resident reader runs it), twice each, the better CPU time kept."""
    api = TessApi("eng+fra+spa")
    spent = {False: 0.0, True: 0.0}
    same = 0
    try:
        for page_id in ids:
            with Image.open(DATA / f"{page_id}.png") as im:
                gray = im.convert("L")
                pixels, (width, height) = gray.tobytes(), gray.size
            tsv = {}
            for choices in (False, True):
                times = []
                for _ in range(2):
                    start = time.process_time()
                    tsv[choices] = api.read(pixels, width, height, 300, PSM, choices).tsv
                    times.append(time.process_time() - start)
                spent[choices] += min(times)
            same += tsv[False] == tsv[True]
    finally:
        api.close()
    return (
        f"Reading the alternatives (`lstm_choice_mode` 2, {CHOICE_ITERATIONS} iterations) on {len(ids)} pages of the "
        f"half: the TSV the same on {same}; Tesseract's CPU time {spent[False]:.1f} s without, {spent[True]:.1f} s "
        f"with them (+{spent[True] / spent[False] - 1:.1%})."
    )


def process(ids: list[str], work: Path, workers: int) -> None:
    """Run the page pipeline over the pages (a page already in `work` for the same settings is skipped)."""
    refs = [ref for ref in list_pages(DATA)[0] if ref.id in set(ids)]
    settings = Settings()
    with ThreadPoolExecutor(workers) as pool:
        for result in pool.map(lambda ref: process_page(ref, work, settings), refs):
            if result.status != "done":
                raise SystemExit(f"{result.id}: {result.reason}")


def straight(text: str) -> str:
    """Curly quotes made straight, as the truth has them."""
    return text.translate(_STRAIGHT)


def best_known(word: Word, lex: lexicon.Lexicon) -> Candidate | None:
    """The rule: where the word as read has letters and is not in the lexicon, the best reading the
    alternatives spell that swaps one letter for a letter of the same case and whose word is in the lexicon.
    (On the tune half, readings that swapped two glyphs, a letter for a mark or a digit, or a letter's case
    fixed nothing and made `Bunn`, `Vator`, `JosepH`, `jolly£`, `a3d`, `Libraria:`.)"""
    core = split_token(word.raw)[1]
    if not any(c.isalpha() for c in core) or lex.knows(core):
        return None
    return next(
        (c for c in candidates(word.raw, word.choices) if _letter_for_letter(c) and lex.knows(split_token(c.text)[1])),
        None,
    )


def _letter_for_letter(candidate: Candidate) -> bool:
    if len(candidate.swaps) != 1:
        return False
    read, other = candidate.swaps[0]
    return read.isalpha() and other.isalpha() and read.isupper() == other.isupper()


def sentence_end(word: Word, after: str) -> Candidate | None:
    """The second rule: a word read with a comma at its end that Tesseract also read as a period, left as read
    by the corrector, before a capital or at the end of its paragraph (`after` empty) → the period. (On the
    tune half, its one damage was `Esq.,` → `Esq..`: a comma after a period stays.)"""
    if word.final != word.raw or not word.raw.endswith(",") or word.raw.endswith(".,"):
        return None
    if after and not split_token(after)[1][:1].isupper():
        return None
    return next((c for c in candidates(word.raw, word.choices) if c.text == word.raw[:-1] + "."), None)


def measure(ids: list[str], work: Path, lex: lexicon.Lexicon) -> tuple[Counter[tuple[str, str]], list[str]]:
    """Outcomes by (table, row), and examples of what the first rule changes and of the second rule's mistakes."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: list[str] = []
    for page_id in ids:
        page = read_page(work, page_id)
        # the words of `lines.txt`, each with the record's word it comes from (the corrector splits a few
        # words) and its paragraph's
        words = [
            (w, piece, (line.block, line.par)) for line in page.lines for w in line.words for piece in w.final.split()
        ]
        assert [p for _, p, _ in words] == page_path(work, page_id, ".lines.txt").read_text(encoding="utf-8").split()
        truth = (DATA / f"{page_id}.gt.txt").read_text(encoding="utf-8").split()
        counts["page", "words"] += len(words)
        counts["page", "with alternatives"] += sum(w.choices is not None for w, _, _ in words)
        for op in Levenshtein.opcodes([p for _, p, _ in words], truth):
            if op.src_end - op.src_start != op.dest_end - op.dest_start:  # words lost, added, split or joined
                continue
            for k, right in zip(range(op.src_start, op.src_end), truth[op.dest_start : op.dest_end], strict=True):
                word, piece, paragraph = words[k]
                if piece != word.final:  # a word the corrector split: no glyph-for-glyph reading splits one
                    continue
                if piece != right and straight(piece) == straight(right):
                    counts["page", "quotes only"] += 1
                    continue
                after = words[k + 1][1] if k + 1 < len(words) and words[k + 1][2] == paragraph else ""
                for key in judge(word, after, straight(right), lex):
                    counts[key] += 1
                    rule = best_known(word, lex) if key[0] == "rule" else sentence_end(word, after)
                    if rule is not None and (key[0] == "rule" or key[0] == "period" and key[1] != "fixed"):
                        examples.append(
                            f"{'first' if key[0] == 'rule' else 'second'} rule, {key[1]}: `{word.raw}` (corrected "
                            f"`{word.final}`, before `{after}`) → `{rule.text}` (margin {rule.margin:+.2f}, word "
                            f"confidence {word.conf:.0f}) / truth `{right}`"
                        )
    return counts, examples


def judge(word: Word, after: str, right: str, lex: lexicon.Lexicon) -> list[tuple[str, str]]:
    """What the alternatives say about one word (`after` the next in its paragraph) facing its (straightened)
    truth: what each rule does to it, whether its truth is among their readings, whether they spell the
    corrector's change."""
    final, raw = straight(word.final), straight(word.raw)
    rule = best_known(word, lex)
    readings = {straight(c.text) for c in candidates(word.raw, word.choices)}
    keys = []
    period = sentence_end(word, after)
    if period is not None:
        new = straight(period.text)
        keys.append(("period", "fixed" if new == right else ("damaged" if final == right else "another wrong word")))
    if final == right:
        damaged = rule is not None and straight(rule.text) != right
        keys.append(
            (
                "rule",
                ("damaged" if damaged else "right, left alone")
                + (" (read right)" if raw == right else " (fixed by the corrector)"),
            )
        )
    elif rule is None:
        keys.append(("rule", "wrong, left alone"))
    else:
        outcome = "fixed" if straight(rule.text) == right else "another wrong word"
        keys.append(("rule", outcome + (" (the corrector had changed it)" if word.final != word.raw else "")))
    if final != right:
        core = split_token(raw)[1]
        read = (
            "only marks differ"
            if core == split_token(right)[1]
            else ("read a known word" if lex.knows(core) else "read an unknown word")
        )
        keys.append(("reach", f"{read}: the truth {'is' if right in readings else 'is not'} among the readings"))
    if word.final != word.raw:
        outcome = "fix" if final == right else ("damage" if raw == right else "wrong either way")
        spelt = (
            "spelt by the alternatives" if final in readings else ("not spelt" if word.choices else "no alternatives")
        )
        keys.append(("changes", f"{outcome}, {spelt}"))
    return keys


def table(split: str, ids: list[str], counts: Counter[tuple[str, str]], examples: list[str]) -> str:
    rule = {k: n for (t, k), n in counts.items() if t == "rule"}
    wrong = sum(n for k, n in rule.items() if not k.startswith(("right", "damaged")))
    right = sum(rule.values()) - wrong
    damaged = sum(n for k, n in rule.items() if k.startswith("damaged"))
    fixed = sum(n for k, n in rule.items() if k.startswith("fixed"))

    def rows(name: str, title: str) -> list[str]:
        return [
            f"| {title} | words |",
            "|---|---:|",
            *(f"| {k} | {n} |" for (t, k), n in sorted(counts.items()) if t == name),
            "",
        ]

    lines = [
        f"oldbooks-dev, {split} half ({len(ids)} pages, {ids[0]}–{ids[-1]}): {counts['page', 'words']} words in "
        f"`lines.txt`, {counts['page', 'with alternatives']} with glyph alternatives in the record. Facing a "
        f"truth word one to one: {wrong} words left wrong, {right} right, and {counts['page', 'quotes only']} "
        "that differ only by their quotes (left out below).",
        "",
        "**The first rule** (a word read unknown → the best known reading its alternatives spell, one letter for a letter "
        f"of the same case): fixes {fixed} of the {wrong} words left wrong, damages {damaged} of the {right} right "
        "ones. Where the corrector changed the word, the rule overrides it; as a fallback for the words the corrector "
        "leaves as read, it would fix the `fixed` alone and damage the `damaged (read right)` alone.",
        "",
        *rows("rule", "the rule on a word"),
        "**The second rule** (a comma at a word's end that Tesseract also read as a period, before a capital or at "
        "the end of its paragraph → the period; only words the corrector left as read): where it fires,",
        "",
        *rows("period", "the second rule fires on"),
        "**Reach**: the words left wrong whose truth the alternatives spell (what a scorer with context could use).",
        "",
        *rows("reach", "word left wrong"),
        "**The corrector's changes**: whether the alternatives spell the change it made (a feature for its scorer).",
        "",
        *rows("changes", "change"),
        *(f"- {e}" for e in examples[:40]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "report"), default="report")
    parser.add_argument(
        "--work", type=Path, default=None, help="where the page outputs go (default: a temporary folder)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cost", type=int, default=10, help="pages of the half to time with and without (0: none)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    ids = pages(args.split)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one Tesseract per worker, as `ocrfix run` has it
    with tempfile.TemporaryDirectory(prefix="ocrfix-alternatives-") as temp:
        work = args.work or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        process(ids, work, args.workers)
        counts, examples = measure(ids, work, lexicon.load())
    text = f"`python benchmarks/alternatives.py --split {args.split}`\n\n" + table(args.split, ids, counts, examples)
    if args.cost:
        text += "\n\n" + cost(ids[:: max(1, len(ids) // args.cost)][: args.cost])
    print(text)
    if not args.no_write:
        write_section("alternatives", text)


if __name__ == "__main__":
    main()
