"""What each preprocessing step gains: Tesseract's CER/WER on the unprocessed pages, then with the
steps of `ocrfix.preprocess.prepare` switched on one after another (none -> +orient -> +deskew ->
+denoise -> +binarise).

    .venv/bin/python benchmarks/preprocess_steps.py [--data DIR]... [--limit N] [--workers 2]

A data set is a folder of `<id>.png` + `<id>.gt.txt` pairs (like ../shared/data/oldbooks-dev) or a
folder with `scans/` and `gt/<id>.gt.txt` (like samples/). By default both of those, when present.
Tesseract runs as `image_to_string(img, lang, config="--psm 3 --dpi N")` with OMP_THREAD_LIMIT=1,
in a pool of worker processes; N is the file's DPI, or `estimate_dpi` when the file has none.
Prints a markdown table; `--pages` adds the CER of every page that any step moved.

When a configuration hands Tesseract exactly the image an earlier one did (a step that found
nothing to do), that OCR result and its measured time are reused rather than run again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ocrfix.preprocess import estimate_dpi, prepare  # noqa: E402

DEFAULT_DATA = [REPO.parent / "shared" / "data" / "oldbooks-dev", REPO / "samples"]
CONFIGS: list[tuple[str, tuple[str, ...] | None]] = [
    ("none", None),  # the unprocessed image
    ("+orient", ("orient",)),
    ("+deskew", ("orient", "deskew")),
    ("+denoise", ("orient", "deskew", "denoise")),
    ("+binarise", ("orient", "deskew", "denoise", "binarise")),
]
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[^\S\n]*\n\s*(?=[^\W\d_])")


# --------------------------------------------------------------------------- scoring


def normalise(text: str) -> str:
    """NFC, line-end hyphenation joined, all whitespace runs as one space."""
    text = _HYPHEN_BREAK.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def cer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(character edits, reference characters)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return Levenshtein.distance(ref, hyp), len(ref)


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words)."""
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    return Levenshtein.distance(ref, hyp), len(ref)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Page:
    dataset: str
    id: str
    scan: Path
    frame: int
    gt: Path


def find_pages(folder: Path) -> list[Page]:
    name = folder.name
    if (folder / "scans").is_dir() and (folder / "gt").is_dir():
        from ocrfix.sources import list_pages

        refs, _ = list_pages(folder / "scans")
        return [
            Page(name, r.id, r.path, r.frame, folder / "gt" / f"{r.id}.gt.txt")
            for r in refs
            if (folder / "gt" / f"{r.id}.gt.txt").is_file()
        ]
    return [
        Page(name, p.stem, p, 0, p.with_suffix(".gt.txt"))
        for p in sorted(folder.glob("*.png"))
        if p.with_suffix(".gt.txt").is_file()
    ]


def load(page: Page) -> tuple[np.ndarray, float]:
    """Grey pixels and DPI (from the file when plausible, else estimated from the text)."""
    if page.scan.suffix.lower() in (".tif", ".tiff", ".pdf") or page.frame:
        from ocrfix.sources import PageRef, load_page

        scan = load_page(PageRef(page.scan, page.frame, page.id))
        gray, dpi = scan.gray, scan.dpi
    else:
        from PIL import Image

        with Image.open(page.scan) as im:
            raw = im.info.get("dpi", (0, 0))[0]
            dpi = float(raw) if 70 <= float(raw or 0) <= 1600 else None
            gray = np.asarray(im.convert("L"))
    return np.ascontiguousarray(gray), float(dpi) if dpi else estimate_dpi(gray)


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Result:
    dataset: str
    id: str
    config: str
    char_errors: int
    chars: int
    word_errors: int
    words: int
    prep_seconds: float
    ocr_seconds: float
    steps: tuple[str, ...]


def run_page(args: tuple[Page, str]) -> list[Result]:
    import pytesseract

    page, lang = args
    gray, dpi = load(page)
    truth = page.gt.read_text(encoding="utf-8")
    done: dict[bytes, tuple[str, float]] = {}  # image digest -> (text, OCR seconds)
    out = []
    for name, steps in CONFIGS:
        t0 = time.perf_counter()
        if steps is None:
            image, applied = gray, ()
        else:
            prepared = prepare(gray, dpi, steps=steps)
            image, applied = prepared.image, prepared.steps
        prep = time.perf_counter() - t0
        key = hashlib.blake2b(image.tobytes(), digest_size=16).digest() + bytes(str(image.shape), "ascii")
        if key not in done:
            t0 = time.perf_counter()
            text = pytesseract.image_to_string(image, lang=lang, config=f"--psm 3 --dpi {round(dpi)}")
            done[key] = (text, time.perf_counter() - t0)
        text, ocr = done[key]
        ce, cn = cer(truth, text)
        we, wn = wer(truth, text)
        out.append(Result(page.dataset, page.id, name, ce, cn, we, wn, prep, ocr, applied))
    return out


def report(results: list[Result], show_pages: bool) -> str:
    rows = [
        "| data set | configuration | pages | CER | WER | preprocess ms/page | seconds/page | pages worse / better than none |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    datasets = list(dict.fromkeys(r.dataset for r in results))
    by_key = {(r.dataset, r.id, r.config): r for r in results}
    for ds in datasets:
        for name, _ in CONFIGS:
            rs = [r for r in results if r.dataset == ds and r.config == name]
            n = len(rs)
            c = sum(r.char_errors for r in rs) / max(1, sum(r.chars for r in rs))
            w = sum(r.word_errors for r in rs) / max(1, sum(r.words for r in rs))
            prep = 1000 * sum(r.prep_seconds for r in rs) / max(1, n)
            secs = sum(r.prep_seconds + r.ocr_seconds for r in rs) / max(1, n)
            worse = better = 0
            for r in rs:
                base = by_key[(ds, r.id, "none")]
                d = r.char_errors / max(1, r.chars) - base.char_errors / max(1, base.chars)
                worse += d > 0
                better += d < 0
            rows.append(
                f"| {ds} | {name} | {n} | {100 * c:.2f}% | {100 * w:.2f}% | {prep:.0f} | {secs:.2f} | {worse} / {better} |"
            )
    text = "\n".join(rows)
    if show_pages:
        names = [name for name, _ in CONFIGS]
        text += "\n\nCER per page (pages where any configuration moved it):\n\n"
        text += "| data set | page | " + " | ".join(names) + " | steps applied |\n"
        text += "|---|---|" + "---:|" * len(names) + "---|\n"
        for ds in datasets:
            for pid in dict.fromkeys(r.id for r in results if r.dataset == ds):
                rs = [by_key[(ds, pid, name)] for name in names]
                cers = [r.char_errors / max(1, r.chars) for r in rs]
                if max(cers) != min(cers):
                    text += f"| {ds} | {pid} | " + " | ".join(f"{100 * c:.2f}%" for c in cers)
                    text += f" | {', '.join(rs[-1].steps) or '-'} |\n"
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, action="append", help="a data set folder (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="at most N pages per data set")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--lang", default="eng")
    ap.add_argument("--pages", action="store_true", help="also list every page whose CER moved")
    a = ap.parse_args(argv)
    folders = a.data or [d for d in DEFAULT_DATA if d.is_dir()]
    pages: list[Page] = []
    for folder in folders:
        found = find_pages(folder)
        if not found:
            print(f"preprocess_steps: no pages with ground truth in {folder}", file=sys.stderr)
        pages += found[: a.limit] if a.limit else found
    if not pages:
        print("preprocess_steps: nothing to measure", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    results: list[Result] = []
    with Pool(a.workers) as pool:
        for i, rs in enumerate(pool.imap_unordered(run_page, [(p, a.lang) for p in pages]), 1):
            results += rs
            print(f"\r{i}/{len(pages)} pages", end="", file=sys.stderr, flush=True)
    print(f"\r{len(pages)} pages in {time.perf_counter() - t0:.0f} s with {a.workers} workers", file=sys.stderr)
    order = {(p.dataset, p.id): i for i, p in enumerate(pages)}
    results.sort(key=lambda r: order[(r.dataset, r.id)])
    print(report(results, a.pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
