"""Accents seen in the image (issue 24): how often Tesseract drops a name's accent, and how often
`accents.accent_seen` tells from the pixels whether the print carries it.

    python benchmarks/accents.py [--no-write] [--every N] [--rendered-only]

Rendered pages: lines of period prose, each with one dictionary name whose accent stands above a letter
(`Étienne`, `Élisée`, `Coyoacán`, `Cárdenas`, `Thälmann`, `Zürich`, `Lérida`, `Peiró`, `Mathéo`), printed
with its accents and, on other lines, plain (`Etienne`), set in Liberation Serif (the samples' face, through
their generator's `font`) and DejaVu Serif at 11 pt, at 200 and 300 dpi, clean and with mild noise (blur,
grain, JPEG). Tesseract (eng+fra+spa, as a run reads) reads each page; every name it reads without its
accent is asked about: the evidence is right when it says True for an accented printing and False for a plain
one. Real pixels: every word of the nine sample scans and of every Nth oldbooks-dev page (prepared and read as
a run does), asked as if the dictionary's form had an acute on each of its vowels in turn (`i` aside, whose
dot is a mark): any True for a word the truth prints without an accent is a false sighting.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from common import ROOT, SHARED, write_section
from ocrfix.accents import accent_seen, ink_above
from ocrfix.lexicon import fold, read_plain, strip_accents
from ocrfix.model import Word
from ocrfix.ocr import DEFAULT_LANG, read_lines
from ocrfix.preprocess import prepare
from ocrfix.sources import list_pages, load_page
from ocrfix.tokens import split_token

NAMES = ("Étienne", "Élisée", "Coyoacán", "Cárdenas", "Thälmann", "Zürich", "Lérida", "Peiró", "Mathéo")
"""Dictionary names (`dictionaries/`) with a mark above a letter that is not an i: capitals and lower case."""
PROSE = (
    "In the spring of 1937 {} wrote again to the Bulletin in Paris.",
    "The letters sent by {} were read at the meeting that evening.",
    "Serge had met {} only once, at the congress held that winter.",
)
FONTS = {
    "Liberation Serif": "LiberationSerif-Regular.ttf",
    "DejaVu Serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
}
POINTS = 11
"""The body size of the books ocrfix reads (the samples are set at 10.5-11 pt)."""
LEADING = 1.25
"""Line spacing in ems: a book's 11 on 13.75 pt, so a capital's accent comes near the line above's descenders."""
VOWELS = "aeouyAEOUY"
OLDBOOKS = SHARED / "data" / "oldbooks-dev"


def render_page(lines: list[str], face: str, dpi: int, noisy: bool, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    """A page of `lines` in `face` at `POINTS` pt and `dpi` (8-bit grey, black on white), and each line's
    baseline row; `noisy`: blurred, grained and JPEG-compressed as a mediocre scan is."""
    px = round(POINTS * dpi / 72)
    font = _font(face, px)
    step, margin = round(px * LEADING), round(dpi * 0.75)
    width = margin * 2 + max(int(font.getlength(t)) for t in lines)
    height = margin * 2 + step * len(lines)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    baselines = [margin + step * (k + 1) for k in range(len(lines))]
    for text, y in zip(lines, baselines, strict=True):
        draw.text((margin, y), text, font=font, fill=0, anchor="ls")
    pixels = np.asarray(page, dtype=np.float32)
    if noisy:
        import cv2

        rng = np.random.default_rng(seed)
        pixels = cv2.GaussianBlur(pixels, (0, 0), 0.7 * dpi / 300)
        pixels = np.clip(pixels + rng.normal(0, 12, pixels.shape), 0, 255)
        buffer = io.BytesIO()
        Image.fromarray(pixels.astype(np.uint8)).save(buffer, "JPEG", quality=70)
        pixels = np.asarray(Image.open(buffer), dtype=np.float32)
    return pixels.astype(np.uint8), baselines


def _font(face: str, px: int) -> ImageFont.FreeTypeFont:
    """The face at `px` pixels: Liberation Serif through the samples' generator, as the samples are set."""
    if face == "Liberation Serif":
        spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules.setdefault("make_samples", module)
        spec.loader.exec_module(module)
        return module.font(FONTS[face], px)
    return ImageFont.truetype(FONTS[face], px)


def name_lines(names: tuple[str, ...] = NAMES) -> list[str]:
    """Every name in every sentence, printed with its accents and printed plain."""
    return [t.format(n) for n in names for t in PROSE] + [t.format(strip_accents(n)) for n in names for t in PROSE]


def name_readings(image: np.ndarray, baselines: list[int], lines: list[str], dpi: int) -> Iterator[tuple[str, Word]]:
    """Each rendered line's name as printed, and the word Tesseract read for it (the one that folds to it, on the
    line whose box holds the baseline)."""
    read = read_lines(image, DEFAULT_LANG, dpi)
    for text, baseline in zip(lines, baselines, strict=True):
        name = next(n for n in (*NAMES, *map(strip_accents, NAMES)) if n in text.split())
        for line in read:
            if line.box[1] <= baseline - 2 <= line.box[3]:
                for word in line.words:
                    if fold(split_token(word.raw)[1]) == fold(name):
                        yield name, word
                        break
                else:
                    yield name, Word("", line.box, 0)  # misread beyond its accents
                break


def rendered() -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """Verdicts on the rendered pages, by (printing, verdict), and Tesseract's readings of the accented names
    (kept, dropped, other), over every face, resolution and noise."""
    verdicts: Counter[tuple[str, str]] = Counter()
    readings: Counter[str] = Counter()
    lines = name_lines()
    for face in FONTS:
        for dpi in (200, 300):
            for noisy in (False, True):
                condition = f"{face} {dpi} dpi{' noisy' if noisy else ''}"
                image, baselines = render_page(lines, face, dpi, noisy, seed=dpi)
                for name, word in name_readings(image, baselines, lines, dpi):
                    core = split_token(word.raw)[1]
                    accented = name in NAMES
                    if accented:
                        outcome = "kept" if core == name else "dropped" if read_plain(core, name) else "other"
                        readings[outcome] += 1
                        readings[f"{'capital' if name[0] != strip_accents(name[0]) else 'lower case'} {outcome}"] += 1
                    if core != strip_accents(name):
                        continue
                    printed = name if accented else next(n for n in NAMES if strip_accents(n) == name)
                    seen = accent_seen(ink_above(image, word.box, word.raw), core, printed)
                    verdict = {True: "seen", False: "none", None: "unsure"}[seen]
                    verdicts[("accented" if accented else "plain", verdict)] += 1
                    verdicts[(f"{condition} {'accented' if accented else 'plain'}", verdict)] += 1
    return verdicts, readings


def real_pages(every: int) -> dict[str, Counter[str]]:
    """On real scans, every word asked about an acute on each of its vowels: by data set, how often the
    evidence says seen (false: the truth has no accent there), none, or cannot tell."""
    found: dict[str, Counter[str]] = {}
    samples = [r for r in list_pages(ROOT / "samples" / "scans")[0]]
    oldbooks = sorted(OLDBOOKS.glob("*.png"))[::every]
    sets = {"samples": [(r, ROOT / "samples" / "gt" / f"{r.id}.gt.txt") for r in samples]}
    sets["oldbooks-dev"] = [(r, OLDBOOKS / f"{r.id}.gt.txt") for r in list_pages(OLDBOOKS)[0] if r.path in oldbooks]
    for label, pages in sets.items():
        counts: Counter[str] = Counter()
        for ref, truth in pages:
            accented = {fold(w) for w in truth.read_text(encoding="utf-8").split() if strip_accents(w) != w}
            scan = load_page(ref)
            dpi = scan.dpi or 300.0
            image = prepare(scan.gray, dpi).image
            for line in read_lines(image, DEFAULT_LANG, dpi):
                for word in line.words:
                    core = split_token(word.raw)[1]
                    if len(core) < 3 or not core.isalpha() or not core.isascii() or fold(word.raw) in accented:
                        continue
                    above = ink_above(image, word.box, word.raw)
                    for k, letter in enumerate(core):
                        if letter in VOWELS:
                            printed = core[:k] + unicodedata.normalize("NFC", letter + "\u0301") + core[k + 1 :]
                            seen = accent_seen(above, core, printed)
                            counts[{True: "seen", False: "none", None: "unsure"}[seen]] += 1
        found[label] = counts
    return found


def _share(counts: Counter, key: str, total: int) -> str:
    return f"{counts[key]} ({100 * counts[key] / total:.1f}%)" if total else "0"


def report(verdicts: Counter[tuple[str, str]], readings: Counter[str], real: dict[str, Counter[str]]) -> str:
    total = sum(readings[k] for k in ("kept", "dropped", "other"))
    capitals = sum(readings[f"capital {k}"] for k in ("kept", "dropped", "other"))
    out = [
        "Rendered pages (`benchmarks/accents.py`): 9 names with a mark above a letter, each in 3 sentences, printed "
        f"with its accents and plain, {POINTS} pt, Liberation Serif and DejaVu Serif, 200 and 300 dpi, clean and "
        "noisy; Tesseract eng+fra+spa.",
        "",
        f"Accented names read: {total}; accent kept {_share(readings, 'kept', total)}, dropped "
        f"{_share(readings, 'dropped', total)}, misread otherwise {_share(readings, 'other', total)}; of the "
        f"{capitals} with the accent on the capital, dropped {_share(readings, 'capital dropped', capitals)}.",
        "",
        "| read plain, printed | evidence: accent seen | no accent | cannot tell |",
        "|---|---|---|---|",
    ]
    rows = sorted({k for k, _ in verdicts})
    for row in rows:
        n = sum(v for (k, _), v in verdicts.items() if k == row)
        sub = Counter({verdict: v for (k, verdict), v in verdicts.items() if k == row})
        out.append(
            f"| {row} ({n}) | {_share(sub, 'seen', n)} | {_share(sub, 'none', n)} | {_share(sub, 'unsure', n)} |"
        )
    out += ["", "Real pixels, every unaccented word asked about an acute on each vowel (any 'seen' is false):", ""]
    out += ["| pages | letters asked | seen (false) | no accent | cannot tell |", "|---|---|---|---|---|"]
    for label, counts in real.items():
        n = sum(counts.values())
        out.append(
            f"| {label} | {n} | {_share(counts, 'seen', n)} | {_share(counts, 'none', n)} | {_share(counts, 'unsure', n)} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--every", type=int, default=6, help="every Nth oldbooks-dev page (default 6: 26 pages)")
    parser.add_argument("--rendered-only", action="store_true")
    args = parser.parse_args()
    verdicts, readings = rendered()
    real = {} if args.rendered_only else real_pages(args.every)
    text = report(verdicts, readings, real)
    print(text)
    if not args.no_write:
        write_section("accents", text)


if __name__ == "__main__":
    main()
