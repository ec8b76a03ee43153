"""The text's own error model (`correct/errormodel.py`) on BLN600 with a systematic confusion injected.

    python benchmarks/learned_confusions.py [--split tune|report] [--into ocr|truth] [--limit N] [--no-write]

An engine with a habit of its own (Overproof's SMH reads `e` as `o` hundreds of times: `tho`, `boon`, `aro`)
leaves errors no confusion table expects. Into each article of a half of BLN600 a confusion is injected at a
few rates (a share of the lower-case glyphs, seeded by the article), into its OCR (the article's own errors
kept: the held-out case) or its truth; the article is corrected as `ocrfix correct` does (`correct_text`)
and with the learning step switched off (the first pass alone). Reported: CER against the truth before and
after, the injected words undone (the corrected word is the word before the injection, by a word alignment),
and the words damaged (right before, wrong after: `correction.right_words`). Tune on `--split tune`; the
report half is read once, for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from common import write_section
from correction import DATA, half, right_words
from ocrfix import lexicon
from ocrfix.correct.errormodel import learn
from ocrfix.correct.plaintext import lines_keep_paragraphs
from ocrfix.correct.textfile import blocks_of, correct_block
from ocrfix.correct.words import Corrector
from ocrfix.evaluate import ZERO, Score, normalise, score

CONFUSIONS = {"e->o": ("e", "o"), "n->u": ("n", "u")}
"""Systematic confusions of one glyph for another, as printed -> as read."""
RATES = {"e->o": (0.05, 0.15, 0.30), "n->u": (0.15,)}
"""Shares of the printed glyph read as the other."""


def inject(text: str, printed: str, read: str, rate: float, seed: int) -> tuple[str, set[int]]:
    """The text with each `printed` read as `read` with probability `rate`, and the positions of the
    whitespace-separated words changed."""
    rng = random.Random(seed)
    words, changed = text.split(" "), set()
    for k, word in enumerate(words):
        if printed in word:
            new = "".join(read if c == printed and rng.random() < rate else c for c in word)
            if new != word:
                words[k], changed = new, changed | {k}
    return " ".join(words), changed


def corrected(text: str, corrector: Corrector) -> tuple[str, str]:
    """The text as `correct_text` corrects it (an article is shorter than `textfile.LEARN_CHARS`: its first pass,
    then, when that teaches a model, a second), and as its first pass alone does (the learning step switched off)."""
    lines = text.split("\n")
    blocks = list(blocks_of(lines, lines_keep_paragraphs(lines)))
    document = corrector.for_document(text.split())
    first = [correct_block(block, document) for block in blocks]
    errors = learn(pair for done in first for pair in done.pairs)
    second = first if errors is None else [correct_block(block, document.with_errors(errors)) for block in blocks]
    return "\n".join(t for done in second for t in done.texts), "\n".join(t for done in first for t in done.texts)


@dataclass
class Tally:
    before: Score = ZERO
    after: Score = ZERO
    after_off: Score = ZERO
    words: int = 0
    injected: int = 0
    undone: int = 0
    undone_off: int = 0
    damaged: int = 0
    damaged_off: int = 0

    def __iadd__(self, o: Tally) -> Tally:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(o, f))
        return self


def one(path: Path, kind: str, rate: float, into: str) -> Tally:
    truth = path.with_name(path.name.replace(".ocr.txt", ".gt.txt")).read_text(encoding="utf-8")
    source = truth if into == "truth" else path.read_text(encoding="utf-8")
    seed = zlib.crc32(f"{path.name}{kind}{rate}".encode())
    read, changed = inject(source, *CONFUSIONS[kind], rate, seed) if rate else (source, set())
    corrector = Corrector(lexicon.load())
    on, off = corrected(read, corrector)
    ref = normalise(truth).split()
    right = right_words(ref, normalise(read).split())
    # the injected words by their position among the source's words (a word of a line's start has a newline in it)
    positions, k = [], 0
    for n, chunk in enumerate(source.split(" ")):
        for _ in chunk.split():
            if n in changed:
                positions.append(k)
            k += 1
    source_words = [normalise(w) for w in source.split()]
    t = Tally(score(truth, read), score(truth, on), score(truth, off), len(ref), len(positions))
    for text, undone, damaged in ((on, "undone", "damaged"), (off, "undone_off", "damaged_off")):
        setattr(t, undone, len(set(positions) & right_words(source_words, [normalise(w) for w in text.split()])))
        setattr(t, damaged, len(right - right_words(ref, normalise(text).split())))
    return t


def measure(split: str, kind: str, rate: float, into: str, limit: int) -> Tally:
    files = sorted(p for p in DATA.glob("*.ocr.txt") if half(p.name.split(".")[0]) == split)[: limit or None]
    total = Tally()
    with ProcessPoolExecutor(2) as pool:
        for t in pool.map(one, files, [kind] * len(files), [rate] * len(files), [into] * len(files), chunksize=8):
            total += t
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="tune", choices=["tune", "report"])
    parser.add_argument("--into", default="ocr", choices=["ocr", "truth"])
    parser.add_argument("--kinds", default=",".join(CONFUSIONS))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = [
        "| confusion | rate | CER in | CER out, learned | first pass alone | injected words | undone, learned "
        "| first pass alone | words damaged, learned | first pass alone |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in args.kinds.split(","):
        for rate in (0.0, *RATES[kind]) if kind == args.kinds.split(",")[0] else RATES[kind]:
            t = measure(args.split, kind, rate, args.into, args.limit)
            words = t.words
            rows.append(
                f"| {kind if rate else 'none'} | {rate:.0%} | {t.before.cer:.2%} | {t.after.cer:.2%} | "
                f"{t.after_off.cer:.2%} | {t.injected} | {t.undone} | {t.undone_off} | "
                f"{t.damaged / words:.2%} | {t.damaged_off / words:.2%} |"
            )
            print(rows[-1], flush=True)
    if args.split == "report" and not args.no_write and not args.limit:
        write_section(
            "learned_confusions",
            "\n".join(
                [
                    f"A confusion injected into the {args.into} of the report half of `../shared/data/bln600-train`, "
                    "corrected with the text's error model learned and with the first pass alone, "
                    "`python benchmarks/learned_confusions.py --split report`:",
                    "",
                    *rows,
                ]
            ),
        )


if __name__ == "__main__":
    main()
