"""Accuracy of `ocrfix run` against plain Tesseract on the same pages, in one run.

    python benchmarks/accuracy.py [--lang eng+fra+spa] [--limit N] [--no-write]

Two data sets: the 151 real pages of ../shared/data/oldbooks-dev and the bundled samples.
Plain Tesseract reads exactly the pixels ocrfix loads (each page written out as PNG first,
so PDF and multi-page TIFF pages count too). Every text is scored with ocrfix's own eval,
line-end hyphenation joined on both sides. Writes its table in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from common import ROOT, SHARED, materialise, ocrfix_run, plain_tesseract, write_section
from ocrfix.evaluate import ZERO, pair_files, score_files

DATA = {
    "oldbooks-dev": (SHARED / "data" / "oldbooks-dev", SHARED / "data" / "oldbooks-dev"),
    "samples": (ROOT / "samples" / "scans", ROOT / "samples" / "gt"),
}


def evaluate(gt: Path, out: Path, kind: str = "lines", gt_suffix: str = ".gt.txt") -> tuple[float, float]:
    total = ZERO
    for _, ref, hyp in pair_files(gt, out, kind, gt_suffix):
        total += score_files(ref, hyp, join_hyphens=True)
    return total.cer, total.wer


def one_set(name: str, lang: str, workers: int, limit: int, work: Path) -> dict:
    scans_dir, gt_dir = DATA[name]
    scans, pngs, ids = materialise([scans_dir], work, limit)
    gt = work / "gt"
    gt.mkdir()
    for page_id in ids:  # the ground truth of exactly these pages
        for truth in gt_dir.glob(f"{page_id}.*txt"):
            (gt / truth.name).symlink_to(truth.resolve())
    base_s = plain_tesseract(sorted(pngs.glob("*.png")), work / "tesseract", lang, workers)
    ours_s = ocrfix_run(scans, work / "ocrfix", "--lang", lang, "--workers", str(workers))
    rows = {
        "plain tesseract": (*evaluate(gt, work / "tesseract"), base_s),
        "ocrfix raw OCR (`raw.txt`)": (*evaluate(gt, work / "ocrfix", "raw"), ours_s),
        "ocrfix corrected (`lines.txt`)": (*evaluate(gt, work / "ocrfix", "lines"), ours_s),
    }
    if name == "samples":
        rows["ocrfix reading text (`<id>.txt`) vs reading truth"] = (
            *evaluate(gt, work / "ocrfix", "text", ".reading.txt"),
            ours_s,
        )
    return {"data": name, "pages": len(ids), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", nargs="*", default=list(DATA))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = []
    for name in args.data:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(one_set(name, args.lang, args.workers, args.limit, Path(tmp)))
    print(json.dumps(results, indent=1))
    lines = [
        f"`python benchmarks/accuracy.py` (`--lang {args.lang}`, {args.workers} workers; CER/WER after joining "
        "line-end hyphenation on both sides; wall time includes Prefect's start-up for ocrfix):",
        "",
        "| data | pages | output | CER | WER | wall time |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for output, (cer, wer, secs) in r["rows"].items():
            lines.append(f"| {r['data']} | {r['pages']} | {output} | {cer:.2%} | {wer:.2%} | {secs:.0f} s |")
    if not args.no_write and not args.limit:
        write_section("accuracy", "\n".join(lines))


if __name__ == "__main__":
    main()
