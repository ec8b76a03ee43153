"""Accuracy of `ocrfix run` against plain Tesseract on the same real pages, in one run.

    python benchmarks/oldbooks.py [--data ../shared/data/oldbooks-dev] [--lang eng+fra+spa] [--limit N]

Both outputs are scored with `ocrfix eval` logic against the ground truth, line-end hyphenation
joined on both sides (the ground truth keeps one paragraph per line). Writes the README's table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

from common import SHARED, ROOT, ocrfix_run, plain_tesseract, write_readme_section

from ocrfix.evaluate import ZERO, pair_files, score_files


def evaluate(gt: Path, out: Path, kind: str = "lines") -> tuple[float, float]:
    total = ZERO
    for _, ref, hyp in pair_files(gt, out, kind):
        total += score_files(ref, hyp, join_hyphens=True)
    return total.cer, total.wer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "oldbooks-dev")
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    images = sorted(args.data.glob("*.png"))[: args.limit or None]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scans, gt = work / "scans", work / "gt"
        scans.mkdir()
        gt.mkdir()
        for image in images:  # links, so both tools read the very same files
            (scans / image.name).symlink_to(image.resolve())
            shutil.copy(image.with_suffix(".gt.txt"), gt)
        base_s = plain_tesseract(images, work / "tesseract", args.lang, args.workers)
        ours_s = ocrfix_run(scans, work / "ocrfix", "--lang", args.lang, "--workers", str(args.workers))
        rows = {
            "plain tesseract": (*evaluate(gt, work / "tesseract"), base_s),
            "ocrfix run (lines.txt)": (*evaluate(gt, work / "ocrfix", "lines"), ours_s),
        }
    result = {"data": str(args.data.relative_to(ROOT.parent)) if args.data.is_relative_to(ROOT.parent) else str(args.data),
              "pages": len(images), "lang": args.lang, "rows": rows}
    print(json.dumps(result, indent=1))
    table = [
        f"{len(images)} pages of `{result['data']}`, `--lang {args.lang}`, {args.workers} workers, "
        "CER/WER after joining line-end hyphenation on both sides "
        "(`python benchmarks/oldbooks.py`):",
        "",
        "| output | CER | WER | wall time |",
        "|---|---|---|---|",
        *(f"| {name} | {cer:.2%} | {wer:.2%} | {secs:.0f} s |" for name, (cer, wer, secs) in rows.items()),
    ]
    if not args.no_readme:
        write_readme_section("oldbooks", "\n".join(table))


if __name__ == "__main__":
    main()
