"""Text-only correction (`ocrfix correct`) on BLN600: CER before and after, words fixed and damaged.

    python benchmarks/correction.py [--split tune|report|all] [--limit N] [--without REPAIR,...] [--no-write]

The articles are split in two halves by a stable hash of their id: the scorer's weights were
tuned on the `tune` half; docs/benchmarks.md reports the `report` half, which tuning never saw.
A word is "fixed" when the ground-truth word is wrong in the OCR and right after correction,
"damaged" when it was right and is wrong after (positions from a word alignment with the truth).
The ground truth is corrected too: every word changed in it is a word of good text made worse
(or a misprint of the original "mended", which an edition would keep).
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from common import SHARED, write_section
from ocrfix import lexicon
from ocrfix.correct.scorer import Repair
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector, Params
from ocrfix.evaluate import ZERO, Score, normalise, score

DATA = SHARED / "data" / "bln600-train"


def half(article: str) -> str:
    return "tune" if zlib.crc32(article.encode()) % 2 == 0 else "report"


def right_words(reference: list[str], hypothesis: list[str]) -> set[int]:
    """Positions of reference words the hypothesis has exactly, in an optimal alignment."""
    right: set[int] = set()
    for op in Levenshtein.opcodes(reference, hypothesis):
        if op.tag == "equal":
            right.update(range(op.src_start, op.src_end))
    return right


def one(path: Path, params: Params) -> tuple[Score, Score, int, int, int, int, int, int, Counter]:
    gt = path.with_name(path.name.replace(".ocr.txt", ".gt.txt")).read_text(encoding="utf-8")
    ocr = path.read_text(encoding="utf-8")
    corrector = Corrector(lexicon.load(), params)
    fixed_text, changes = correct_text(ocr, corrector)
    ref = normalise(gt).split()
    before, after = right_words(ref, normalise(ocr).split()), right_words(ref, normalise(fixed_text).split())
    applied = sum(c.applied for c in changes)
    clean_changed = len(ref) - len(right_words(ref, normalise(correct_text(gt, corrector)[0]).split()))
    by_repair = Counter(str(c.repair) for c in changes if c.applied)
    return (
        score(gt, ocr),
        score(gt, fixed_text),
        len(ref),
        len(after - before),
        len(before - after),
        applied,
        len(changes) - applied,
        clean_changed,
        by_repair,
    )


def measure(split: str, params: Params, limit: int = 0) -> dict:
    files = sorted(p for p in DATA.glob("*.ocr.txt") if split == "all" or half(p.name.split(".")[0]) == split)
    files = files[: limit or None]
    ocr_total, out_total = ZERO, ZERO
    words = fixed = damaged = applied = review = clean_changed = 0
    by_repair: Counter[str] = Counter()
    with ProcessPoolExecutor(2) as pool:
        for s_ocr, s_out, n, f, d, a, r, c, k in pool.map(one, files, [params] * len(files), chunksize=8):
            by_repair += k
            ocr_total += s_ocr
            out_total += s_out
            words, fixed, damaged, applied, review = words + n, fixed + f, damaged + d, applied + a, review + r
            clean_changed += c
    return {
        "split": split,
        "articles": len(files),
        "words": words,
        "cer_ocr": ocr_total.cer,
        "cer_out": out_total.cer,
        "wer_ocr": ocr_total.wer,
        "wer_out": out_total.wer,
        "cer_reduction": 1 - out_total.cer / ocr_total.cer,
        "fixed": fixed / words,
        "damaged": damaged / words,
        "applied": applied,
        "for_review": review,
        "clean_changed": clean_changed / words,
        "applied_by_repair": dict(by_repair.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="report", choices=["tune", "report", "all"])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--params", default="{}", help="JSON overrides of the scorer's weights (tuning)")
    parser.add_argument("--without", default="", help="repairs switched off, comma-separated (scorer.Repair values)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    off = frozenset(Repair(r) for r in args.without.split(",") if r)
    params = Params(**json.loads(args.params), switched_off=off)
    r = measure(args.split, params, args.limit)
    print(json.dumps({**r, "params": {**asdict(params), "switched_off": sorted(off)}}, indent=1))
    if args.split == "report" and not args.no_write and not args.limit and not off:
        write_section(
            "correction",
            "\n".join(
                [
                    f"`ocrfix correct` on the report half of `../shared/data/bln600-train` ({r['articles']} articles, "
                    f"{r['words']} words; weights tuned on the other half), `python benchmarks/correction.py`:",
                    "",
                    "| | CER | WER |",
                    "|---|---|---|",
                    f"| OCR as given | {r['cer_ocr']:.2%} | {r['wer_ocr']:.2%} |",
                    f"| after `ocrfix correct` | {r['cer_out']:.2%} | {r['wer_out']:.2%} |",
                    "",
                    f"CER reduced by {r['cer_reduction']:.1%}; words fixed {r['fixed']:.2%}, words damaged (right in the OCR, "
                    f"wrong after) {r['damaged']:.2%}; {r['applied']} changes applied, {r['for_review']} left for review.",
                    f"Run on the ground truth itself (clean text), it changes {r['clean_changed']:.2%} of the words: each one a "
                    "word of good text made worse, or a misprint of the original mended that an edition would keep.",
                ]
            ),
        )


if __name__ == "__main__":
    main()
