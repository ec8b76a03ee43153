"""Where the CPU of the ocr stage goes, page by page, against the `tesseract` command on the same pixels.

    python benchmarks/ocr_cpu.py [--every 13] [--lang L] [--no-write]

One process, one page at a time, Tesseract on one thread (`OMP_THREAD_LIMIT=1`); pages are the sample scans
and every `--every`th page of oldbooks-dev, each prepared as a run prepares it (not timed). For each page:
- `command`: the `tesseract` command over the prepared page (an uncompressed PGM, `--psm 3 --dpi D`, TSV out),
  the CPU of its process (`RUSAGE_CHILDREN`); `load` is the same command over a blank page, the model
  loading and start-up it pays on every page (the least of three);
- `library`: libtesseract in this process (`tesslib.TessApi`), without and with the glyph alternatives, and
  within the latter the walk over the glyphs that collects them (`choices walk`);
- `resident`: the page as `ocr.read_lines` reads it: the resident child's CPU (`/proc/<pid>/stat`), this
  process's CPU for sending the pixels and decoding the reply (`parent`), and building the lines (`records`).
The TSV of every reading is compared with the command's, and the alternatives of the resident reading with
the library's. CPU is user + sys; the machine may be shared, so no wall time is reported.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import SHARED, every_nth, write_section
from stage_cpu import SAMPLES, tree_cpu

OLDBOOKS = SHARED / "data" / "oldbooks-dev"
COLUMNS = (
    "command",
    "command − load",
    "library, no alternatives",
    "library, alternatives",
    "choices walk",
    "resident child",
    "parent",
    "records",
)


def children_cpu() -> float:
    """CPU seconds of this process's reaped children."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def command_cpu(image: Path, lang: str, dpi: int, out: Path) -> tuple[float, str]:
    """The `tesseract` command's CPU over `image`, and its TSV without the header row."""
    start = children_cpu()
    subprocess.run(
        ["tesseract", str(image), str(out), "-l", lang, "--psm", "3", "--dpi", str(dpi), "tsv"],
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    tsv = out.with_suffix(".tsv").read_text(encoding="utf-8")
    return children_cpu() - start, tsv.split("\n", 1)[1]


def measure(folders: list[Path], lang: str, work: Path) -> tuple[float, list[dict[str, Any]]]:
    """The command's load cost and, per page, the CPU of each column and whether the readings agree."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2
    import numpy as np

    from ocrfix.ocr import DEFAULT_TIMEOUT, PSM, parse_tsv, start_readers
    from ocrfix.ocr import read_page as resident_read
    from ocrfix.preprocess import estimate_dpi, prepare
    from ocrfix.sources import list_pages, load_page
    from ocrfix.tesslib import TessApi

    blank = work / "blank.pgm"
    cv2.imwrite(str(blank), np.full((60, 200), 255, np.uint8))
    load = min(command_cpu(blank, lang, 300, work / "blank")[0] for _ in range(3))
    walk = [0.0]
    collect = TessApi._choices

    def timed_choices(api: TessApi) -> Any:
        start = time.process_time()
        try:
            return collect(api)
        finally:
            walk[0] += time.process_time() - start

    TessApi._choices = timed_choices  # type: ignore[method-assign]
    api = TessApi(lang)
    start_readers(lang, 1)
    pages = []
    for folder in folders:
        for ref in list_pages(folder)[0]:
            scan = load_page(ref)
            dpi = scan.dpi or estimate_dpi(scan.gray)
            image = prepare(scan.gray, dpi, colour=scan.colour).image
            pgm = work / "page.pgm"
            cv2.imwrite(str(pgm), image)
            s: dict[str, float] = {}
            s["command"], command_tsv = command_cpu(pgm, lang, round(dpi), work / "page")
            s["command − load"] = s["command"] - load
            height, width = image.shape
            pixels = image.tobytes()
            start = time.process_time()
            plain = api.read(pixels, width, height, round(dpi), PSM)
            s["library, no alternatives"] = time.process_time() - start
            walk[0] = 0.0
            start = time.process_time()
            library = api.read(pixels, width, height, round(dpi), PSM, choices=True)
            s["library, alternatives"] = time.process_time() - start
            s["choices walk"] = walk[0]
            own, tree = time.process_time(), tree_cpu()
            resident = resident_read(image, lang, dpi, PSM, DEFAULT_TIMEOUT)
            s["parent"] = time.process_time() - own
            s["resident child"] = tree_cpu() - tree - s["parent"]
            start = time.process_time()
            parse_tsv(*resident)
            s["records"] = time.process_time() - start
            same = plain.tsv == library.tsv == resident.tsv == command_tsv and library.choices == resident.choices
            pages.append({"data": folder.name, "id": ref.id, "seconds": s, "same": same})
    api.close()
    return load, pages


def table(load: float, pages: list[dict[str, Any]], command: str, load_avg: float) -> str:
    """Mean CPU seconds a page per data set and column."""
    out = [
        f"`{command}` (`--lang eng+fra+spa`, one page at a time, one thread; load {load_avg:.1f} at the end)."
        f" CPU seconds (user + sys) a page, mean over the pages; the command's model loading and start-up"
        f" (`load`, over a blank page): {load:.2f} s:",
        "",
        "| data | pages | " + " | ".join(COLUMNS) + " | readings identical |",
        "|---|---|" + "---|" * len(COLUMNS) + "---|",
    ]
    for data in dict.fromkeys(p["data"] for p in pages):
        ps = [p for p in pages if p["data"] == data]
        cells = [f"{sum(p['seconds'][c] for p in ps) / len(ps):.3f}" for c in COLUMNS]
        name = "samples" if data == SAMPLES.name else data
        out.append(f"| {name} | {len(ps)} | " + " | ".join(cells) + f" | {sum(p['same'] for p in ps)} / {len(ps)} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=int, default=13, help="every how many'th oldbooks-dev page (default 13: 12)")
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocr-cpu-") as tmp:
        work = Path(tmp)
        chosen = every_nth(OLDBOOKS, args.every, work)
        load, pages = measure([SAMPLES, chosen], args.lang, work)
    for page in pages:
        print(page["data"], page["id"], page["same"], {k: round(v, 3) for k, v in page["seconds"].items()})
    markdown = table(load, pages, f"python benchmarks/ocr_cpu.py --every {args.every}", os.getloadavg()[0])
    print(markdown)
    if not args.no_write:
        write_section("ocr-cpu", markdown)


if __name__ == "__main__":
    sys.exit(main())
