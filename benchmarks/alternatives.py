"""What Tesseract's glyph alternatives add to the corrector: lines CER, the changes they make or support, and reach.

    python benchmarks/alternatives.py [--split tune|report] [--work DIR] [--no-write]

The pages of ../shared/data/oldbooks-dev, sorted by name: the first half to tune on, the second to report on
(`benchmarks/fit_scorer.py` fits on the first). The page records of one `ocrfix run` over the scans (made once
into --work and kept: Tesseract's words with their confidences and glyph alternatives) are corrected again with
the code at hand, the corrector's own changes undone first (`as_read`); the same records, corrected by any
version of the code, give comparable figures. The half's `raw.txt` and `lines.txt` are scored against the truth
(CER, line-end hyphenation joined on both sides). The corrected words are aligned with the truth (Levenshtein
over words); in each stretch of as many words on both sides, word faces word: counted, the changes of each
repair that fix or damage a word and whether the alternatives spell them; a comma also read as a period before a
capital on the next line or at a paragraph's end (what `sentence_end` would change); how often the truth of a word
left wrong is among the alternatives' readings at all (reach). A word that differs from its truth only by its
quotes (curly in the OCR, straight in the truth) is counted apart, and elsewhere quotes are compared straightened.
Last, --cost pages of the half are read with and without the alternatives by one engine: whether the TSV stays the
same, and Tesseract's CPU time either way.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from PIL import Image
from rapidfuzz.distance import Levenshtein

from common import SHARED, write_section
from ocrfix import lexicon
from ocrfix.correct.page import JOINED_TO_PREVIOUS, correct_page
from ocrfix.correct.repairs.alternatives import candidates
from ocrfix.correct.words import Corrector
from ocrfix.evaluate import ZERO, score
from ocrfix.model import Page, Word
from ocrfix.ocr import PSM
from ocrfix.outputs import read_page
from ocrfix.smallcaps import REASON as SMALL_CAPITALS
from ocrfix.sources import list_pages
from ocrfix.tesslib import CHOICE_ITERATIONS, TessApi
from ocrfix.text import corrected_lines, raw_lines
from ocrfix.tokens import split_token

DATA = SHARED / "data" / "oldbooks-dev"
RUN = Path.home() / ".cache" / "ocrfix-bench" / "oldbooks-dev.run"
_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_LATER_STEPS = ("noise: ", "footnote marker", SMALL_CAPITALS)
"""Changes a run makes that are no word correction's (the layout's noise lines, footnote markers, words the image
shows in small capitals): kept."""


def pages(split: str) -> list[str]:
    """The page ids of a half of oldbooks-dev (by name: the first half tunes, the second reports)."""
    ids = sorted(ref.id for ref in list_pages(DATA)[0])
    return ids[: len(ids) // 2] if split == "tune" else ids[len(ids) // 2 :]


def oldbooks_run(work: Path = RUN) -> Path:
    """The page records of `ocrfix run` over oldbooks-dev (with Tesseract's glyph alternatives), made once (a few
    minutes) and kept; the folder of the records."""
    if not (work / "run.json").exists():
        subprocess.run(
            [sys.executable, "-m", "ocrfix.cli", "run", str(DATA), str(work), "--lang", "eng+fra+spa"], check=True
        )
    return work / "pages"


def as_read(page: Page) -> Page:
    """The record as the run left it before word correction: the corrector's changes undone, the layout's, the
    footnote markers' and the small capitals' kept."""
    for w in page.words:
        w.changes = [c for c in w.changes if c.reason.startswith(_LATER_STEPS) and not c.joined]
        w.final = next((c.final for c in reversed(w.changes) if c.applied), w.raw)
        assert not any(c.reason == JOINED_TO_PREVIOUS for c in w.changes)
    return page


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


def straight(text: str) -> str:
    """Curly quotes made straight, as the truth has them."""
    return text.translate(_STRAIGHT)


def sentence_end(word: Word, after: str) -> bool:
    """A word left as read with a comma at its end that Tesseract also read as a period, before a capital or at
    the end of its paragraph (`after` empty): the period, perhaps. (On the tune half, its one damage was `Esq.,`
    → `Esq..`: a comma after a period stays.)"""
    if word.final != word.raw or not word.raw.endswith(",") or word.raw.endswith(".,"):
        return False
    if after and not split_token(after)[1][:1].isupper():
        return False
    return any(c.text == word.raw[:-1] + "." for c in candidates(word.raw, word.choices))


def measure(ids: list[str], run: Path, lex: lexicon.Lexicon) -> tuple[Counter[tuple[str, str]], list[str]]:
    """Outcomes by (table, row), and examples of the changes that Tesseract's alternatives made or supported."""
    counts: Counter[tuple[str, str]] = Counter()
    raw_score, corrected_score = ZERO, ZERO
    examples: list[str] = []
    corrector = Corrector(lex)
    for page_id in ids:
        page = as_read(read_page(run.parent, page_id))
        correct_page(page, corrector)
        truth_text = (DATA / f"{page_id}.gt.txt").read_text(encoding="utf-8")
        raw_score += score(truth_text, raw_lines(page), join_hyphens=True)
        corrected_score += score(truth_text, corrected_lines(page), join_hyphens=True)
        # the words of `lines.txt`, each with the record's word it comes from (the corrector splits a few words),
        # and its paragraph
        words = [
            (w, piece, (line.block, line.par)) for line in page.lines for w in line.words for piece in w.final.split()
        ]
        truth = truth_text.split()
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
                    if (
                        key[0] == "changes"
                        and key[1].startswith(("alternatives", "sentence-stop"))
                        or (key[0] == "period" and key[1] != "fixed")
                    ):
                        examples.append(
                            f"{key[0]}, {key[1]}: `{word.raw}` → `{word.final}` (before `{after}`, word confidence "
                            f"{word.conf:.0f}) / truth `{right}`"
                        )
    counts["cer", "raw"] = raw_score.char_errors
    counts["cer", "corrected"] = corrected_score.char_errors
    counts["cer", "characters"] = raw_score.chars
    return counts, examples


def judge(word: Word, after: str, right: str, lex: lexicon.Lexicon) -> list[tuple[str, str]]:
    """What the alternatives say about one word (`after` the next in its paragraph) facing its (straightened)
    truth: what the corrector's change did and whether the alternatives spell it, whether a comma would be a
    period, whether the truth of a word left wrong is among their readings."""
    final, raw = straight(word.final), straight(word.raw)
    readings = {straight(c.text) for c in candidates(word.raw, word.choices)}
    keys = []
    if sentence_end(word, after):
        new = raw[:-1] + "."
        keys.append(("period", "fixed" if new == right else ("damaged" if final == right else "another wrong word")))
    if final != right:
        core = split_token(raw)[1]
        read = (
            "only marks differ"
            if core == split_token(right)[1]
            else ("read a known word" if lex.knows(core) else "read an unknown word")
        )
        keys.append(("reach", f"{read}: the truth {'is' if right in readings else 'is not'} among the readings"))
    if word.final != word.raw:
        repair = next((c.repair for c in reversed(word.changes) if c.applied and c.repair), "other")
        outcome = "fix" if final == right else ("damage" if raw == right else "wrong either way")
        spelt = (
            "spelt by the alternatives" if final in readings else ("not spelt" if word.choices else "no alternatives")
        )
        keys.append(("changes", f"{repair}: {outcome}, {spelt}"))
    return keys


def table(split: str, ids: list[str], counts: Counter[tuple[str, str]], examples: list[str]) -> str:
    chars = counts["cer", "characters"]
    raw, corrected = counts["cer", "raw"] / chars, counts["cer", "corrected"] / chars

    def rows(name: str, title: str) -> list[str]:
        return [
            f"| {title} | words |",
            "|---|---:|",
            *(f"| {k} | {n} |" for (t, k), n in sorted(counts.items()) if t == name),
            "",
        ]

    lines = [
        f"oldbooks-dev, {split} half ({len(ids)} pages, {ids[0]}–{ids[-1]}): {counts['page', 'words']} words in "
        f"`lines.txt`, {counts['page', 'with alternatives']} with glyph alternatives in the record, "
        f"{counts['page', 'quotes only']} that differ from the truth only by their quotes (left out below). "
        f"Lines CER (`raw.txt` → `lines.txt`, {chars} characters of truth): {raw:.2%} → {corrected:.2%} "
        f"({counts['cer', 'raw']} → {counts['cer', 'corrected']} characters wrong, {corrected / raw - 1:+.1%}).",
        "",
        "**The corrector's changes** by repair (the last applied on the word), facing a truth word one to one: whether "
        "it fixed or damaged the word, and whether the alternatives spell it.",
        "",
        *rows("changes", "change"),
        "**A comma also read as a period** at a word's end, before a capital or at the end of its paragraph, on words "
        "the corrector left as read: what the period would do.",
        "",
        *rows("period", "the period on"),
        "**Reach**: the words left wrong whose truth the alternatives spell.",
        "",
        *rows("reach", "word left wrong"),
        *(f"- {e}" for e in examples[:40]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "report"), default="report")
    parser.add_argument("--work", type=Path, default=RUN, help="the run over oldbooks-dev (made once, kept)")
    parser.add_argument("--cost", type=int, default=10, help="pages of the half to time with and without (0: none)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    ids = pages(args.split)
    counts, examples = measure(ids, oldbooks_run(args.work), lexicon.load())
    text = f"`python benchmarks/alternatives.py --split {args.split}`\n\n" + table(args.split, ids, counts, examples)
    if args.cost:
        text += "\n\n" + cost(ids[:: max(1, len(ids) // args.cost)][: args.cost])
    print(text)
    if not args.no_write:
        write_section("alternatives", text)


if __name__ == "__main__":
    main()
