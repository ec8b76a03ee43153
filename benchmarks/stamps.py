"""Stamps over the print: what taking them out of the image gains where there are some, and that pages
without any are left alone.

    .venv/bin/python benchmarks/stamps.py [--lang eng+fra+spa] [--workers 2] [--no-write]

On the sample pages whose truth has a stamp (samples/gt/stamps.json): whether `prepare` finds it (the
share of the truth's box the found box covers, and the share of the found box on it), and Tesseract's reading of the prepared
page with and without the "stamps" step: CER and WER against the page's lines, printed words lost (truth
words deleted in a word alignment) and the stamp's words read (each stamp word read more often than the
truth prints it). On every other page (the other samples, oldbooks-dev, and a damaged grey copy of each
oldbooks-dev page as `preprocess_steps.py --damaged` makes them): how many pages the step fires on, and
whether `prepare`'s image is byte-identical with and without it where it does not fire (then Tesseract's
reading, and so every text of a run, is the same). Tesseract through ocrfix's own reader, psm 3.

Each stamp found is read from its own ink as a run reads it (`stamp_words.read_stamps`), set against what
a person reads in it (the truth's lines): its words read right (a word of the truth, whatever its case),
pieces of them (`AWA` of `AWAY`), and others; with the CPU time of that reading (this process and the
resident Tesseract's, `psutil`), over all pages (a page where no stamp was found pays nothing: the
reading returns at once).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing import Pool

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import psutil  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from ocrfix.evaluate import normalise, score  # noqa: E402
from ocrfix.model import Stamp  # noqa: E402
from ocrfix.preprocess import DEFAULT_STEPS, is_binary, prepare  # noqa: E402
from ocrfix.stamp_words import read_stamps  # noqa: E402
from preprocess_steps import DEFAULT_DATA, Page, damaged_pages, find_pages, load  # noqa: E402

SAMPLES = DEFAULT_DATA[1]
WITHOUT = tuple(s for s in DEFAULT_STEPS if s != "stamps")


@dataclass(frozen=True)
class Firing:
    dataset: str
    id: str
    grey: bool
    boxes: int
    identical: bool  # prepare's image the same with and without the step
    seconds: float  # CPU time of prepare with the step
    stamps: tuple[Stamp, ...]  # each stamp found with its words (`read_stamps`)
    reading: float  # CPU time of reading them, the resident Tesseract's with it


@dataclass(frozen=True)
class Reading:
    id: str
    steps: str
    cer: float
    wer: float
    lost: int
    words: int
    stamp_words: int
    found: str  # the stamps found, as shares of the truth's box they cover


def _one_thread() -> None:
    import cv2

    cv2.setNumThreads(1)


def fires(args: tuple[Page, str]) -> Firing:
    page, lang = args
    gray, dpi = load(page)
    t0 = time.process_time()
    with_step = prepare(gray, dpi)
    seconds = time.process_time() - t0
    without = prepare(gray, dpi, WITHOUT)
    same = with_step.image.shape == without.image.shape and bool((with_step.image == without.image).all())
    stamps: list[Stamp] = []
    reading = 0.0  # where none was found `read_stamps` returns at once: measuring it would time psutil
    if with_step.stamps:
        read_stamps(
            with_step.stamps, with_step.stamp_inks, dpi, lang, 60.0
        )  # the resident Tesseract started, its models loaded
        t0 = _tree_cpu()
        stamps = read_stamps(with_step.stamps, with_step.stamp_inks, dpi, lang, 60.0)
        reading = _tree_cpu() - t0
    return Firing(
        page.dataset, page.id, not is_binary(gray), len(with_step.stamps), same, seconds, tuple(stamps), reading
    )


def _tree_cpu() -> float:
    """CPU seconds of this process and its children alive (the resident Tesseract)."""
    me = psutil.Process()
    return sum(sum(p.cpu_times()[:2]) for p in [me, *me.children(recursive=True)])


def _words_read(stamp: Stamp, truth: dict) -> tuple[int, int, int]:
    """Of the words read in a stamp: those of the truth (case aside), pieces of its lines' words, others."""
    printed = {w.upper() for w in truth["words"]}
    read = stamp.text.upper().split()
    right = sum(w in printed for w in read)
    pieces = sum(w not in printed and any(w in line.upper() for line in truth["lines"]) for w in read)
    return right, pieces, len(read) - right - pieces


def reads(args: tuple[Page, dict, str]) -> list[Reading]:
    from ocrfix.ocr import read_lines

    page, stamp, lang = args
    gray, dpi = load(page)
    truth = page.gt.read_text(encoding="utf-8")
    printed = Counter(normalise(truth, True).split())
    out = []
    for name, steps in (("without stamps", WITHOUT), ("with stamps", DEFAULT_STEPS)):
        prepared = prepare(gray, dpi, steps)
        text = "\n".join(" ".join(w.raw for w in line.words) for line in read_lines(prepared.image, lang, dpi))
        s = score(truth, text, join_hyphens=True)
        ref, hyp = normalise(truth, True).split(), normalise(text, True).split()
        lost = sum(op.tag == "delete" for op in Levenshtein.editops(ref, hyp))
        read = Counter(hyp)
        stamp_words = sum(max(0, read[w] - printed[w]) for w in set(stamp["words"]))
        out.append(Reading(page.id, name, s.cer, s.wer, lost, len(ref), stamp_words, _found(prepared.stamps, stamp)))
    return out


def _found(boxes: tuple[tuple[int, int, int, int], ...], stamp: dict) -> str:
    """Each box found, as the share of the truth's box it covers and the share of itself on it."""
    tx0, ty0, tx1, ty1 = stamp["box"]
    shares = []
    for x0, y0, x1, y1 in boxes:
        common = max(0, min(x1, tx1) - max(x0, tx0)) * max(0, min(y1, ty1) - max(y0, ty0))
        shares.append(f"{common / ((tx1 - tx0) * (ty1 - ty0)):.0%} of it, {common / ((x1 - x0) * (y1 - y0)):.0%} on it")
    return "; ".join(shares) or "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", default="eng+fra+spa")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-write", action="store_true", help="print the tables only, not into docs/benchmarks.md")
    a = ap.parse_args(argv)
    truth = json.loads((SAMPLES / "gt" / "stamps.json").read_text(encoding="utf-8"))
    samples = find_pages(SAMPLES)
    oldbooks = find_pages(DEFAULT_DATA[0])
    stamped = [p for p in samples if p.id in truth]
    t0 = time.perf_counter()
    with Pool(a.workers, initializer=_one_thread) as pool:
        firings = pool.map(fires, [(p, a.lang) for p in samples + oldbooks + damaged_pages(oldbooks)])
        readings = [r for rs in pool.map(reads, [(p, truth[p.id], a.lang) for p in stamped]) for r in rs]
    print(f"{time.perf_counter() - t0:.0f} s with {a.workers} workers", file=sys.stderr)

    rows = [
        "| data set | pages | grey | stamps step fired on | image identical without it (pages not fired on) "
        "| prepare CPU ms/page | stamps' words CPU ms/page |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for ds in dict.fromkeys(f.dataset for f in firings):
        fs = [f for f in firings if f.dataset == ds]
        fired = [f for f in fs if f.boxes]
        quiet = [f for f in fs if not f.boxes]
        names = ", ".join(f"{f.id} ({f.boxes})" for f in fired)
        rows.append(
            f"| {ds} | {len(fs)} | {sum(f.grey for f in fs)} | {len(fired)}{f': {names}' if names else ''} "
            f"| {sum(f.identical for f in quiet)} / {len(quiet)} | {1000 * sum(f.seconds for f in fs) / len(fs):.0f} "
            f"| {1000 * sum(f.reading for f in fs) / len(fs):.1f} |"
        )
    rows += [
        "",
        "| sample page | steps | CER | WER | printed words lost | stamp words read | stamp found (its truth box) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    rows += [
        f"| {r.id} | {r.steps} | {100 * r.cer:.2f}% | {100 * r.wer:.2f}% | {r.lost} of {r.words} | {r.stamp_words} "
        f"| {r.found} |"
        for r in readings
    ]
    rows += [
        "",
        "| sample page | what a person reads in the stamp | read from its own ink | words right | pieces | other "
        "| angle | CPU ms |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    by_page = {(f.dataset, f.id): f for f in firings}
    for page in stamped:
        f = by_page[(page.dataset, page.id)]
        for stamp in f.stamps:
            right, pieces, other = _words_read(stamp, truth[page.id])
            rows.append(
                f"| {page.id} | {' / '.join(truth[page.id]['lines'])} | {stamp.text.replace(chr(10), ' / ') or '-'} "
                f"| {right} of {len(truth[page.id]['words'])} | {pieces} | {other} | {stamp.angle:g}° "
                f"| {1000 * f.reading / len(f.stamps):.0f} |"
            )
    table = "\n".join(rows)
    print(table)
    if not a.no_write:
        from common import write_section

        write_section(
            "stamps",
            f"`python benchmarks/stamps.py` (`--lang {a.lang}`; Tesseract's reading of the prepared "
            "page, psm 3):\n\n" + table,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
