"""What the benchmarks share: the plain-Tesseract baseline, timing, and writing figures into docs/benchmarks.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIGURES = ROOT / "docs" / "benchmarks.md"
"""Where every benchmark writes its figures, each between its own markers; the README keeps one table of headlines."""


def plain_tesseract(images: list[Path], out: Path, lang: str, workers: int) -> float:
    """The baseline: the `tesseract` CLI, one process per core, each single-threaded. Returns wall seconds."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(image: Path) -> None:
        subprocess.run(
            ["tesseract", str(image), str(out / image.stem), "-l", lang],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - start


def materialise(scan_folders: list[Path], work: Path, limit: int = 0) -> tuple[Path, Path, list[str]]:
    """The pages of the scan folders, as two folders both tools read: `scans` (links to the files,
    for ocrfix) and `png` (each page's pixels as ocrfix loads them, for the tesseract CLI, which
    cannot read PDF). Returns both folders and the page ids."""
    from PIL import Image

    from ocrfix.sources import list_pages, load_page

    refs = [ref for folder in scan_folders for ref in list_pages(folder)[0]][: limit or None]
    scans, pngs = work / "scans", work / "png"
    scans.mkdir()
    pngs.mkdir()
    for path in {r.path for r in refs}:
        (scans / path.name).symlink_to(path.resolve())
    for ref in refs:
        page = load_page(ref)
        Image.fromarray(page.gray).save(pngs / f"{ref.id}.png", dpi=(page.dpi or 300,) * 2)
    return scans, pngs, [r.id for r in refs]


def every_nth(folder: Path, every: int, work: Path) -> Path:
    """Every `every`-th page (PNG) of `folder`, as links in a folder of `work` of the same name: a spread of a
    data set's pages for a quicker measurement."""
    chosen = work / folder.name
    chosen.mkdir()
    for page in sorted(folder.glob("*.png"))[::every]:
        (chosen / page.name).symlink_to(page)
    return chosen


def ocrfix_run(scans: Path, out: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """`ocrfix run` as a user starts it (Prefect start-up included). Returns wall seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ocrfix.cli", "run", str(scans), str(out), *args], check=False, env=env)
    return time.perf_counter() - start


@contextmanager
def code_before(given: Path | None, work: Path) -> Iterator[Path]:
    """The `src` folder of the code a before/after benchmark compares with: `given`, or else a temporary
    `git worktree` of HEAD under `work`, removed afterwards."""
    if given is not None:
        yield given
        return
    tree = work / "head"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), "HEAD"], cwd=ROOT, check=True)
    try:
        yield tree / "src"
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


def write_section(name: str, markdown: str) -> None:
    """Replace the text of docs/benchmarks.md between `<!-- name:start -->` and `<!-- name:end -->`."""
    text = FIGURES.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{FIGURES} has no <!-- {name}:start --> ... <!-- {name}:end --> section")
    FIGURES.write_text(
        pattern.sub(lambda m: m.group(1) + markdown.rstrip() + "\n" + m.group(2), text), encoding="utf-8"
    )
