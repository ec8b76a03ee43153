"""What each preprocessing step gains: Tesseract's CER/WER on the unprocessed pages, then with the
steps of `ocrfix.preprocess.prepare` switched on one after another (none -> +orient -> +deskew ->
+denoise -> +stamps -> +borders -> +specks -> +figures -> +binarise). "+figures" is what `prepare` does by default;
"+binarise" asks for binarising too. `--ablate` adds the default steps with each one left out.
"+deskew" turns a binarised page by whatever skew it measures (`MIN_SKEW_BINARY`), a grey one only
from `MIN_SKEW`; "default, deskew from MIN_SKEW" (with `--ablate`) turns binarised pages only from
`MIN_SKEW` too, as before, so the gain of the small turns shows on its own.

    .venv/bin/python benchmarks/preprocess_steps.py [--data DIR]... [--half tune|report] [--limit N]
        [--workers 2] [--damaged] [--ablate] [--pages] [--ocrmypdf PATH] [--write]

A data set is a folder of `<id>.png` + `<id>.gt.txt` pairs (like ../shared/data/oldbooks-dev) or a
folder with `scans/` and `gt/<id>.gt.txt` (like samples/). By default both of those, when present.
`--half` keeps every other page (by name) of a folder of pairs: "tune" the first, third..., "report"
the second, fourth...; the steps' thresholds were set on the tune half of oldbooks-dev. Scan folders
(the samples) are always taken whole.
Tesseract runs as `image_to_string(img, lang, config="--psm 3 --dpi N")` with OMP_THREAD_LIMIT=1,
in a pool of worker processes (OpenCV too on one thread each); N is the file's DPI, or
`estimate_dpi` when the file has none.
For comparison, when `unpaper` is installed: "unpaper (OCRmyPDF --clean)", the unprocessed page
cleaned by unpaper with the arguments OCRmyPDF's `--clean` gives it, then read by the same Tesseract
call; and with `--ocrmypdf PATH` (an `ocrmypdf` executable, e.g. in a venv of its own):
"OCRmyPDF --deskew --clean", OCRmyPDF run on the unprocessed page (as a PNG at its DPI) with those
options and `-l LANG`, its `--sidecar` text scored.
Prints a markdown table; `--pages` adds the CER of every page that any step moved. `--damaged`
adds a damaged copy of every page of a binarised data set (skewed 0.5-4 degrees and noisy, unevenly
lit, showing through, JPEG-compressed, faint or at 200 dpi in turn; one in seven turned).

When a configuration hands Tesseract exactly the image an earlier one did (a step that found
nothing to do), that OCR result and its measured time are reused rather than run again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ocrfix import preprocess  # noqa: E402
from ocrfix.evaluate import score  # noqa: E402
from ocrfix.preprocess import DEFAULT_STEPS, MIN_SKEW, estimate_dpi, prepare  # noqa: E402

DEFAULT_DATA = [REPO.parent / "shared" / "data" / "oldbooks-dev", REPO / "samples"]


@dataclass(frozen=True)
class Config:
    name: str
    steps: tuple[str, ...] | None = None
    """`prepare`'s steps; None: the unprocessed page (or what `tool` makes of it)."""
    tool: str | None = None
    """An outside program instead of `prepare`: "unpaper" or "ocrmypdf"."""
    after: str | None = None
    """The configuration this one adds a step to (its pages worse / better are counted against it)."""
    min_skew_binary: float | None = None
    """`preprocess.MIN_SKEW_BINARY` for this configuration; None: the module's own."""


OLD_DEFAULT = ("stamps", "orient", "deskew", "denoise")
"""`prepare`'s default steps before borders and specks were taken out."""
CUMULATIVE: list[Config] = [
    Config("none"),  # the unprocessed image
    Config("+orient", ("orient",), after="none"),
    Config("+deskew", ("orient", "deskew"), after="+orient"),
    Config("+denoise", ("orient", "deskew", "denoise"), after="+deskew"),
    Config("+stamps", OLD_DEFAULT, after="+denoise"),
    Config("+borders", ("stamps", "borders", "orient", "deskew", "denoise"), after="+stamps"),
    Config("+specks", ("stamps", "borders", "specks", "orient", "deskew", "denoise"), after="+borders"),
    Config("+figures", DEFAULT_STEPS, after="+specks"),  # = prepare()'s default steps
    Config("+binarise", (*DEFAULT_STEPS, "binarise"), after="+figures"),
]
ABLATIONS: list[Config] = [  # prepare()'s default steps but one
    Config(f"default without {step}", tuple(s for s in DEFAULT_STEPS if s != step), after="+figures")
    for step in DEFAULT_STEPS
] + [Config("default, deskew from MIN_SKEW", DEFAULT_STEPS, after="+figures", min_skew_binary=MIN_SKEW)]
UNPAPER = Config("unpaper (OCRmyPDF --clean)", tool="unpaper")
OCRMYPDF = Config("OCRmyPDF --deskew --clean", tool="ocrmypdf")
UNPAPER_CLEAN_ARGS = [  # OCRmyPDF 17's `--clean` (ocrmypdf/_exec/unpaper.py)
    "--layout", "none", "--mask-scan-size", "100", "--no-border-align", "--no-mask-center",
    "--no-grayfilter", "--no-blackfilter", "--no-deskew",
]  # fmt: skip


# --------------------------------------------------------------------------- scoring


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Page:
    dataset: str
    id: str
    scan: Path
    frame: int
    gt: Path
    damage: str | None = None  # a kind of `DAMAGE`: the page is degraded in memory before use


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
    if page.damage:
        from PIL import Image

        with Image.open(page.scan) as im:
            return damaged(np.asarray(im.convert("L")), page.damage, page.id)
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


# --------------------------------------------------------------------------- damaged copies

DAMAGE = {  # what a poor scan of a clean 300 dpi page may suffer, besides a skew of 0.5-4 degrees
    "noise": dict(blur=0.7, noise=0.045),
    "light": dict(blur=0.6, noise=0.012, light=0.45, gutter=0.3),
    "show-through": dict(blur=0.6, noise=0.015, show=0.2),
    "jpeg": dict(blur=0.7, noise=0.02, jpeg=40),
    "faint": dict(blur=0.8, noise=0.02, paper=0.82, ink=0.40),
    "200dpi": dict(blur=1.0, noise=0.03, salt=0.003, dpi=200, light=0.3),
}


def damaged_pages(pages: list[Page]) -> list[Page]:
    """A damaged copy of each page, the kinds of damage taken in turn."""
    kinds = list(DAMAGE)
    return [
        Page(f"{p.dataset} damaged", f"{p.id}-{kinds[i % len(kinds)]}", p.scan, p.frame, p.gt, kinds[i % len(kinds)])
        for i, p in enumerate(pages)
    ]


def damaged(binary: np.ndarray, kind: str, seed: str) -> tuple[np.ndarray, float]:
    """A clean binarised 300 dpi page "scanned" again, badly: skewed, with `DAMAGE[kind]`;
    every seventh page also upside down or sideways. Deterministic for a given seed string."""
    import cv2

    spec = DAMAGE[kind]
    rng = np.random.default_rng(list(seed.encode()))
    cover = cv2.GaussianBlur((binary < 128).astype(np.float32), (0, 0), 0.8)
    h, w = cover.shape
    angle = rng.choice([-1, 1]) * rng.uniform(0.5, 4.0)
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    turn = lambda a: cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR)  # noqa: E731
    paper, ink = spec.get("paper", 0.93), spec.get("ink", 0.12)
    lum = paper - (paper - ink) * turn(cover)
    if "show" in spec:  # the back of the leaf: mirrored, blurred, out of register
        back = cv2.warpAffine(np.ascontiguousarray(cover[:, ::-1]), np.float32([[1, 0, 17], [0, 1, 23]]), (w, h))
        lum -= spec["show"] * cv2.GaussianBlur(turn(back), (0, 0), 2.5)
    dpi = spec.get("dpi", 300)
    if dpi != 300:
        lum = cv2.resize(lum, None, fx=dpi / 300, fy=dpi / 300, interpolation=cv2.INTER_AREA)
        h, w = lum.shape
    lum = cv2.GaussianBlur(lum, (0, 0), spec["blur"])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = np.ones((h, w), np.float32)
    if "light" in spec:
        a = rng.uniform(0, 2 * np.pi)
        g = np.cos(a) * (xx / w - 0.5) + np.sin(a) * (yy / h - 0.5)
        light -= spec["light"] * (g - g.min()) / (g.max() - g.min())
    if "gutter" in spec:
        light -= spec["gutter"] * np.exp(-xx / (0.25 * dpi))
    lum = lum * light + rng.normal(0, spec["noise"], lum.shape).astype(np.float32)
    if "salt" in spec:
        r = rng.random(lum.shape, dtype=np.float32)
        lum[r < spec["salt"] / 2] = ink
        lum[r > 1 - spec["salt"] / 2] = paper
    out = np.clip(lum * 255 + 0.5, 0, 255).astype(np.uint8)
    if "jpeg" in spec:
        _, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, spec["jpeg"]])
        out = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if rng.random() < 1 / 7:
        out = np.rot90(out, rng.choice([1, 2, 3]))
    return np.ascontiguousarray(out), float(dpi)


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


def _one_thread() -> None:
    """Each worker uses one core, as Tesseract does with OMP_THREAD_LIMIT=1."""
    import cv2

    cv2.setNumThreads(1)


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children (Tesseract, unpaper,
    OCRmyPDF): the machine is shared, so wall-clock times would measure the other jobs too."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _cpu_since(start: tuple[float, float]) -> float:
    now = _cpu()
    return (now[0] - start[0]) + (now[1] - start[1])


def unpaper(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The page as OCRmyPDF's `--clean` hands it to Tesseract: cleaned by unpaper with OCRmyPDF's arguments."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        Image.fromarray(gray).save(f"{tmp}/in.pgm")
        command = ["unpaper", "--dpi", str(round(dpi)), *UNPAPER_CLEAN_ARGS, f"{tmp}/in.pgm", f"{tmp}/out.pgm"]
        subprocess.run(command, check=True, capture_output=True)
        with Image.open(f"{tmp}/out.pgm") as im:
            return np.asarray(im.convert("L"))


def ocrmypdf(program: str, gray: np.ndarray, dpi: float, lang: str) -> str:
    """The text OCRmyPDF reads on the page with `--deskew --clean` (its `--sidecar`)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        Image.fromarray(gray).save(f"{tmp}/in.png", dpi=(dpi, dpi))
        command = [program, "-q", "--deskew", "--clean", "-l", lang, "--sidecar", f"{tmp}/out.txt"]
        command += ["--tesseract-timeout", "3600"]  # its default, 180 s, skips pages of a busy machine
        command += ["--image-dpi", str(round(dpi)), "--output-type", "pdf", f"{tmp}/in.png", f"{tmp}/out.pdf"]
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        return Path(f"{tmp}/out.txt").read_text(encoding="utf-8")


def run_page(args: tuple[Page, str, list[Config], str | None]) -> list[Result]:
    import pytesseract

    page, lang, configs, ocrmypdf_program = args
    gray, dpi = load(page)
    truth = page.gt.read_text(encoding="utf-8")
    done: dict[bytes, tuple[str, float]] = {}  # image digest -> (text, OCR seconds)
    out = []
    for config in configs:
        t0 = _cpu()
        applied: tuple[str, ...] = ()
        if config.tool == "ocrmypdf":
            assert ocrmypdf_program
            text = ocrmypdf(ocrmypdf_program, gray, dpi, lang)
            prep, ocr = 0.0, _cpu_since(t0)  # its clean-up and its OCR are one run
        else:
            if config.tool == "unpaper":
                image = unpaper(gray, dpi)
            elif config.steps is None:
                image = gray
            else:
                own = preprocess.MIN_SKEW_BINARY
                if config.min_skew_binary is not None:
                    preprocess.MIN_SKEW_BINARY = config.min_skew_binary
                try:
                    prepared = prepare(gray, dpi, steps=config.steps)
                finally:
                    preprocess.MIN_SKEW_BINARY = own
                image, applied = prepared.image, prepared.steps
            prep = _cpu_since(t0)
            key = hashlib.blake2b(image.tobytes(), digest_size=16).digest() + bytes(str(image.shape), "ascii")
            if key not in done:
                t0 = _cpu()
                text = pytesseract.image_to_string(image, lang=lang, config=f"--psm 3 --dpi {round(dpi)}")
                done[key] = (text, _cpu_since(t0))
            text, ocr = done[key]
        s = score(truth, text, join_hyphens=True)
        out.append(
            Result(
                page.dataset, page.id, config.name, s.char_errors, s.chars, s.word_errors, s.words, prep, ocr, applied
            )
        )
    return out


def _worse_better(results: list[Result], by_key: dict[tuple[str, str, str], Result], against: str) -> str:
    """Pages whose CER rose / fell against configuration `against`."""
    worse = better = 0
    for r in results:
        base = by_key[(r.dataset, r.id, against)]
        d = r.char_errors / max(1, r.chars) - base.char_errors / max(1, base.chars)
        worse += d > 0
        better += d < 0
    return f"{worse} / {better}"


def report(results: list[Result], configs: list[Config], show_pages: bool) -> str:
    rows = [
        "| data set | configuration | pages | CER | WER | preprocess CPU ms/page | CPU seconds/page | CPU vs none "
        "| pages worse / better than none | ... than the configuration before |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    datasets = list(dict.fromkeys(r.dataset for r in results))
    by_key = {(r.dataset, r.id, r.config): r for r in results}
    for ds in datasets:
        base_secs = 0.0
        for config in configs:
            rs = [r for r in results if r.dataset == ds and r.config == config.name]
            n = len(rs)
            c = sum(r.char_errors for r in rs) / max(1, sum(r.chars for r in rs))
            w = sum(r.word_errors for r in rs) / max(1, sum(r.words for r in rs))
            prep = 1000 * sum(r.prep_seconds for r in rs) / max(1, n)
            secs = sum(r.prep_seconds + r.ocr_seconds for r in rs) / max(1, n)
            base_secs = base_secs or secs
            before = _worse_better(rs, by_key, config.after) if config.after else "-"
            rows.append(
                f"| {ds} | {config.name} | {n} | {100 * c:.2f}% | {100 * w:.2f}% | {prep:.0f} | {secs:.2f} "
                f"| {secs / max(base_secs, 1e-9):.2f}x | {_worse_better(rs, by_key, 'none')} | {before} |"
            )
    text = "\n".join(rows)
    if show_pages:
        names = [config.name for config in configs]
        text += "\n\nCER per page (pages where any configuration moved it):\n\n"
        default = next(config.name for config in configs if config.steps == DEFAULT_STEPS)
        text += "| data set | page | " + " | ".join(names) + " | steps applied by default |\n"
        text += "|---|---|" + "---:|" * len(names) + "---|\n"
        for ds in datasets:
            for pid in dict.fromkeys(r.id for r in results if r.dataset == ds):
                rs = [by_key[(ds, pid, name)] for name in names]
                cers = [r.char_errors / max(1, r.chars) for r in rs]
                if max(cers) != min(cers):
                    text += f"| {ds} | {pid} | " + " | ".join(f"{100 * c:.2f}%" for c in cers)
                    text += f" | {', '.join(by_key[(ds, pid, default)].steps) or '-'} |\n"
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, action="append", help="a data set folder (repeatable)")
    ap.add_argument("--half", choices=("tune", "report"), help="every other page of a folder of pairs")
    ap.add_argument("--limit", type=int, default=0, help="at most N pages per data set")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--lang", default="eng")
    ap.add_argument("--pages", action="store_true", help="also list every page whose CER moved")
    ap.add_argument(
        "--damaged",
        action="store_true",
        help="also measure a damaged copy of every binarised page (skew, noise, light, show-through, JPEG, ...)",
    )
    ap.add_argument("--ablate", action="store_true", help="also run the default steps with each one left out")
    ap.add_argument("--ocrmypdf", metavar="PATH", help="an ocrmypdf executable: also run OCRmyPDF --deskew --clean")
    ap.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    a = ap.parse_args(argv)
    configs = CUMULATIVE + (ABLATIONS if a.ablate else [])
    configs += [UNPAPER] if shutil.which("unpaper") else []
    configs += [OCRMYPDF] if a.ocrmypdf else []
    if not shutil.which("unpaper"):
        print("preprocess_steps: unpaper is not installed, so it is left out", file=sys.stderr)
    folders = a.data or [d for d in DEFAULT_DATA if d.is_dir()]
    pages: list[Page] = []
    for folder in folders:
        found = find_pages(folder)
        if not found:
            print(f"preprocess_steps: no pages with ground truth in {folder}", file=sys.stderr)
        if a.half and not (folder / "scans").is_dir():
            found = found[a.half == "report" :: 2]
        found = found[: a.limit] if a.limit else found
        pages += found
        if a.damaged and found:
            from PIL import Image

            with Image.open(found[0].scan) as im:
                binarised = im.mode == "1" and not found[0].frame
            pages += damaged_pages(found) if binarised else []
    if not pages:
        print("preprocess_steps: nothing to measure", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    results: list[Result] = []
    with Pool(a.workers, initializer=_one_thread) as pool:
        jobs = [(p, a.lang, configs, a.ocrmypdf) for p in pages]
        for i, rs in enumerate(pool.imap_unordered(run_page, jobs), 1):
            results += rs
            if sys.stderr.isatty():
                print(f"\r{i}/{len(pages)} pages", end="", file=sys.stderr, flush=True)
    print(f"\r{len(pages)} pages in {time.perf_counter() - t0:.0f} s with {a.workers} workers", file=sys.stderr)
    order = {(p.dataset, p.id): i for i, p in enumerate(pages)}
    results.sort(key=lambda r: order[(r.dataset, r.id)])
    table = report(results, configs, a.pages)
    print(table)
    if a.write:
        from common import write_section

        options = " ".join(arg for arg in (argv if argv is not None else sys.argv[1:]) if not arg.startswith("/"))
        write_section(
            "preprocess",
            f"`python benchmarks/preprocess_steps.py {options}` (`--lang {a.lang}`, CER/WER of Tesseract's text "
            f"after each step; CPU time of the worker and its children, Tesseract's included):\n\n{table}",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
