"""What `ocrfix correct` leaves wrong in BLN600, by kind: where the next gains are.

    python benchmarks/residual_errors.py [--split tune|report] [--limit 60] [--no-write]

Each article's OCR is corrected as `ocrfix correct` does; the corrected words are aligned with the truth's
(Levenshtein over words, both normalised as `ocrfix eval` does) and each differing stretch is counted at its
character cost, by kind: words lost, added, split or joined (a stretch of unequal length); the reading's
word a real word (a real-word error, or garbage aligned to a word); an unknown reading with other than letters
in it; an unknown reading 1, 2 or 3+ edits from the truth; only punctuation differs; only case differs.
Only the tune half is read by default: reading the report half's errors would tune on it.
"""

from __future__ import annotations

import argparse
import zlib
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from common import SHARED, write_section
from ocrfix import lexicon
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector
from ocrfix.evaluate import normalise
from ocrfix.tokens import split_token

DATA = SHARED / "data" / "bln600-train"


def half(path: Path) -> str:
    """benchmarks/correction.py's split, by a stable hash of the article id."""
    return "tune" if zlib.crc32(path.name.split(".")[0].encode()) % 2 == 0 else "report"


def kind(read: list[str], truth: list[str], lex: lexicon.Lexicon) -> str:
    """What kind of error a differing stretch of words is (its first word decides, for equal lengths)."""
    if len(read) != len(truth):
        return "words lost, added, split or joined"
    _, a, _ = split_token(read[0])
    _, b, _ = split_token(truth[0])
    if a == b:
        return "punctuation only"
    if a.lower() == b.lower():
        return "case only"
    if lex.knows(a):
        return "a real word read"
    if not a.isalpha():
        return "unknown reading, not only letters"
    edits = Levenshtein.distance(a.lower(), b.lower())
    return (
        "unknown reading, 3 or more edits away"
        if edits >= 3
        else f"unknown reading, {edits} edit{'s' * (edits > 1)} away"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "report"), default="tune")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    lex = lexicon.load()
    corrector = Corrector(lex)
    files = [f for f in sorted(DATA.glob("*.ocr.txt")) if half(f) == args.split][: args.limit]
    cost: Counter[str] = Counter()
    for path in files:
        fixed = correct_text(path.read_text(encoding="utf-8"), corrector)[0]
        truth = path.with_name(path.name.replace(".ocr.", ".gt.")).read_text(encoding="utf-8")
        read, right = normalise(fixed).split(), normalise(truth).split()
        for op in Levenshtein.opcodes(read, right):
            if op.tag != "equal":
                a, b = read[op.src_start : op.src_end], right[op.dest_start : op.dest_end]
                cost[kind(a, b, lex)] += Levenshtein.distance(" ".join(a), " ".join(b))
    total = sum(cost.values())
    rows = [f"| {k} | {n} | {n / total:.1%} |" for k, n in cost.most_common()]
    print("\n".join(rows))
    if not args.no_write:
        write_section(
            "residual",
            "\n".join(
                [
                    f"What `ocrfix correct` leaves wrong in {len(files)} articles of BLN600's {args.split} half, by kind"
                    " (character cost of each differing stretch of words), `python benchmarks/residual_errors.py`:",
                    "",
                    "| kind | characters | share |",
                    "|---|---|---|",
                    *rows,
                ]
            ),
        )


if __name__ == "__main__":
    main()
