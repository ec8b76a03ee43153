"""Figures painted to paper before Tesseract reads a page: how many are found, and whether any printed
type is painted out with them.

    nice -n 19 .venv/bin/python benchmarks/figures.py [--data DIR] [--lang eng] [--workers 2]
        [--crops DIR] [--no-write]

On every page of a data set of `<id>.png` + `<id>.gt.txt` pairs (by default ../shared/data/oldbooks-dev),
`prepare` with its default steps finds the figures (`Prepared.figures`, boxes in the scan's pixels). A page
with some is read by Tesseract twice (ocrfix's own reader, psm 3): as a run reads it (figures painted) and
with the "figures" step left out. The words of the second reading whose box's centre lies inside a figure
are what the painting takes from Tesseract; each is set, by a word alignment of the whole reading with the
page's truth, against the truth's words: "type" when it aligns to a truth word it spells exactly or within
one edit in three characters (a printed word, misread a little), "junk" otherwise (a drawing's strokes read
as letters). "Lost" counts the truth words the unpainted reading spells exactly with a word inside a figure
that the painted reading does not spell anywhere in the alignment: printed words the painting loses. CER of
both readings on the pages with figures (their words joined in Tesseract's order: a page whose blocks it
orders otherwise once a figure is gone, a caption read before the running head, moves with that order too).
`--crops DIR` writes each figure's crop of the scan, to look at.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import cv2  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from ocrfix.evaluate import normalise, score  # noqa: E402
from ocrfix.geometry import ScanMap  # noqa: E402
from ocrfix.model import Box  # noqa: E402
from ocrfix.preprocess import DEFAULT_STEPS, Prepared, prepare  # noqa: E402
from preprocess_steps import Page, find_pages, load  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "oldbooks-dev"
WITHOUT = tuple(s for s in DEFAULT_STEPS if s != "figures")
NEAR = 3
"""A word within one edit in this many characters of the truth word it aligns to is that word misread (a
printed word), not junk: `tbe` for `the`, `Fiq.` for `Fig.`; `I` for `a` is not."""


@dataclass(frozen=True)
class Result:
    id: str
    figures: tuple[Box, ...]
    type_words: tuple[str, ...] = ()
    """Words read inside figures (unpainted) that are printed words of the truth."""
    junk_words: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    """Truth words read right inside a figure, not read right once the figures are painted."""
    cer_painted: tuple[int, int] = (0, 0)
    cer_open: tuple[int, int] = (0, 0)
    """Character errors and truth characters of each reading."""


def _one_thread() -> None:
    cv2.setNumThreads(1)


def _words_on_scan(prepared: Prepared, lang: str, dpi: float) -> list[tuple[str, Box]]:
    """Tesseract's words of the prepared image, normalised as the scoring does, with their boxes on the scan."""
    from ocrfix.ocr import read_lines

    inverse = ScanMap(cv2.invertAffineTransform(prepared.matrix), 1 << 30, 1 << 30)
    words = []
    for line in read_lines(prepared.image, lang, dpi):
        for word in line.words:
            for part in normalise(word.raw).split():
                words.append((part, inverse.box(word.box)))
    return words


def _inside(box: Box, figures: tuple[Box, ...]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(x0 <= cx < x1 and y0 <= cy < y1 for x0, y0, x1, y1 in figures)


def _alignment(read: list[str], truth: list[str]) -> dict[int, tuple[int, bool]]:
    """For each word of the reading aligned to a truth word: that word's index, and whether it spells it."""
    aligned = {}
    for op in Levenshtein.opcodes(read, truth):
        if op.tag == "equal":
            aligned.update({op.src_start + i: (op.dest_start + i, True) for i in range(op.src_end - op.src_start)})
        elif op.tag == "replace":
            for i in range(min(op.src_end - op.src_start, op.dest_end - op.dest_start)):
                aligned[op.src_start + i] = (op.dest_start + i, False)
    return aligned


def measure(args: tuple[Page, str, Path | None]) -> Result:
    page, lang, crops = args
    gray, dpi = load(page)
    painted = prepare(gray, dpi)
    if not painted.figures:
        return Result(page.id, ())
    truth_text = page.gt.read_text(encoding="utf-8")
    truth = normalise(truth_text, join_hyphens=True).split()
    unpainted = prepare(gray, dpi, WITHOUT)
    open_words = _words_on_scan(unpainted, lang, dpi)
    painted_words = _words_on_scan(painted, lang, dpi)
    open_read = [w for w, _ in open_words]
    spelt_painted = {t for t, exact in _alignment([w for w, _ in painted_words], truth).values() if exact}
    type_words, junk, lost = [], [], []
    aligned = _alignment(open_read, truth)
    for i, (word, box) in enumerate(open_words):
        if not _inside(box, painted.figures):
            continue
        t, exact = aligned.get(i, (-1, False))
        if t >= 0 and (exact or Levenshtein.distance(word, truth[t]) * NEAR <= len(truth[t])):
            type_words.append(word)
            if exact and t not in spelt_painted:
                lost.append(truth[t])
        else:
            junk.append(word)
    if crops is not None:
        crops.mkdir(parents=True, exist_ok=True)
        for n, (x0, y0, x1, y1) in enumerate(painted.figures, 1):
            cv2.imwrite(str(crops / f"{page.id}-{n}.png"), gray[y0:y1, x0:x1])
    s_painted = score(truth_text, " ".join(w for w, _ in painted_words), join_hyphens=True)
    s_open = score(truth_text, " ".join(open_read), join_hyphens=True)
    return Result(
        page.id,
        painted.figures,
        tuple(type_words),
        tuple(junk),
        tuple(lost),
        (s_painted.char_errors, s_painted.chars),
        (s_open.char_errors, s_open.chars),
    )


def report(results: list[Result]) -> str:
    found = [r for r in results if r.figures]
    figures = sum(len(r.figures) for r in found)
    type_words = sum(len(r.type_words) for r in found)
    junk = sum(len(r.junk_words) for r in found)
    lost = sum(len(r.lost) for r in found)

    def cer(pairs: list[tuple[int, int]]) -> str:
        chars = sum(c for _, c in pairs)
        return f"{100 * sum(e for e, _ in pairs) / max(chars, 1):.2f}%"

    lines = [
        f"{len(results)} pages, {len(found)} with figures, {figures} figures. Words Tesseract reads inside the "
        f"figures when they are not painted: {type_words + junk}, of which {type_words} printed words of the "
        f"truth (spelt or within one edit in {NEAR} characters) and {junk} junk; truth words lost by the "
        f"painting (read right unpainted, not at all painted): {lost}. CER on the pages with figures: "
        f"{cer([r.cer_painted for r in found])} painted, {cer([r.cer_open for r in found])} unpainted.",
        "",
        "| page | figures (w×h px) | words inside | printed words | junk | lost | CER painted | CER unpainted |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in found:
        sizes = ", ".join(f"{x1 - x0}×{y1 - y0}" for x0, y0, x1, y1 in r.figures)
        printed, junk_words, lost_words = (_cell(words) for words in (r.type_words, r.junk_words, r.lost))
        lines.append(
            f"| {r.id} | {sizes} | {len(r.type_words) + len(r.junk_words)} | {printed} | {junk_words} | "
            f"{lost_words} | {cer([r.cer_painted])} | {cer([r.cer_open])} |"
        )
    return "\n".join(lines)


def _cell(words: tuple[str, ...]) -> str:
    """Words for a cell of a markdown table: in code, the table's bars escaped."""
    return " ".join(f"`{w}`".replace("|", "\\|") for w in words) or "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--lang", default="eng")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--crops", type=Path, help="write each figure's crop of the scan here")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    a = ap.parse_args(argv)
    pages = find_pages(a.data)
    if not pages:
        print(f"figures: no pages with ground truth in {a.data}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    with Pool(a.workers, initializer=_one_thread) as pool:
        results = pool.map(measure, [(p, a.lang, a.crops) for p in pages])
    print(f"{len(pages)} pages in {time.perf_counter() - t0:.0f} s with {a.workers} workers", file=sys.stderr)
    table = report(results)
    print(table)
    if not a.no_write:
        from common import write_section

        write_section(
            "figures",
            f"`python benchmarks/figures.py --lang {a.lang}` on {a.data.name} (Tesseract through ocrfix's reader, "
            f"psm 3):\n\n{table}",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
