"""How `ocrfix run` meets bad scans, a damaged output folder and signals (issue 19), in one invocation.

    python benchmarks/reliability.py [--no-write]

Every case runs the command as a user does: a subprocess with no Prefect server configured (so each run
starts its own temporary one), on small pages (the top halves of two sample pages). The cases:
- one folder of two good scans beside a bad or odd file of each kind (empty, truncated, not an image,
  two files sharing a stem, a 1x1 page, a 41 KB PNG of 144 Mpx, an encrypted PDF and one with no pages
  after it, a PDF page pdfium cannot load, a TIFF page without a width, a strip Tesseract refuses, a
  broken link, a link loop, a FIFO, a name with a line break, a name that is not UTF-8);
- a finished output folder damaged: run.json = `[]`, a page record = `[]`, a page's text truncated with
  its modification time kept; then `ocrfix review` of a damaged run.json;
- an output folder that cannot be written (`chattr +i` as root, else a non-root user), inside the scan
  folder, or in use by another run;
- a signal 0.1 s after the start, SIGINT once a page is finished (then the same command), `--timeout 1`;
- two identical runs (volume.pdf byte for byte).
Writes the table (case, expected, observed) into docs/benchmarks.md between the `reliability` markers; a case
whose observation does not match what is expected is marked so in the table and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, write_section
from ocrfix.lock import OutputLock
from ocrfix.sources import shown

sys.path.insert(0, str(ROOT / "tests"))
from test_sources import (  # the tests' own bad scans
    pdf_with_a_broken_page,
    tiff_whose_second_page_has_no_width,
    tiff_with_damaged_data,
)

SAMPLES = ROOT / "samples" / "scans"


@dataclass
class Ran:
    """A finished command: exit status, its stderr's lines, wall seconds."""

    code: int
    lines: list[str]
    seconds: float


@dataclass
class Case:
    name: str
    expected: str
    observed: str
    ok: bool


def ocrfix(*args: str, signal_after: Callable[[subprocess.Popen], None] | None = None) -> Ran:
    """`ocrfix ARGS` as a user starts it (its own temporary Prefect server); `signal_after` may signal it."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ocrfix.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    if signal_after is not None:
        signal_after(proc)
    stderr = proc.communicate(timeout=900)[1]
    return Ran(proc.returncode, stderr.splitlines(), time.perf_counter() - start)


def half_page(source: Path, target: Path) -> None:
    from PIL import Image

    with Image.open(source) as im:
        im.convert("L").crop((0, 0, im.width, im.height // 2)).save(target, dpi=im.info.get("dpi", (300, 300)))


# --------------------------------------------------------------------------- the bad scans


BAD_SCANS: list[tuple[str, str, str]] = [
    # (file name, case, what its one line must say)
    ("empty.png", "empty file", "empty file (0 bytes)"),
    ("truncated.png", "truncated PNG", "damaged image data"),
    ("letter.jpg", "a text file named .jpg", "not an image Pillow can read"),
    ("dot.png", "1x1 page", "too small to be a page: 1x1 px"),
    ("bomb.png", "decompression bomb: 12000x12000 1-bit PNG of 41 KB", "refused as a possible decompression bomb"),
    ("a-locked.pdf", "encrypted PDF", "encrypted PDF (needs a password)"),
    ("b-no-pages.pdf", "PDF with no pages, read after the encrypted one", "no pages"),
    ("broken-page.pdf", "PDF page pdfium cannot load", "page 1: damaged (pdfium cannot load the page)"),
    ("no-width.tif", "TIFF whose second page has no width", "damaged image data (Missing dimensions)"),
    ("lzw.tif", "TIFF whose compressed data is damaged (libtiff complains)", "damaged image data"),
    ("strip.png", "60000x16 strip (Tesseract refuses it)", "tesseract could not recognise the page"),
    ("gone.png", "broken symbolic link", "broken symbolic link"),
    ("loop.png", "symbolic link loop", "symbolic link loop"),
    ("pipe.png", "FIFO named .png", "a FIFO (named pipe), not a scan (not opened)"),
    ("two\nlines.png", "name with a line break", "not an image Pillow can read"),
    (os.fsdecode(b"caf\xe9.png"), "name that is not UTF-8 (Latin-1 café.png)", "the file name is not UTF-8"),
]


def bad_folder(folder: Path, good: list[Path]) -> None:
    """Two good scans, one file sharing the stem of one of them, and a bad or odd file of each kind."""
    from PIL import Image
    from pypdf import PdfWriter

    folder.mkdir()
    for page in good:
        shutil.copy(page, folder)
    with Image.open(good[0]) as im:
        im.save(folder / f"{good[0].stem}.jpg", quality=90)  # the clash: page2.jpg beside page2.png
    (folder / "empty.png").write_bytes(b"")
    data = good[0].read_bytes()
    (folder / "truncated.png").write_bytes(data[: len(data) // 3])
    (folder / "letter.jpg").write_text("Dear Victor, this is not an image.\n")
    Image.new("L", (1, 1), 255).save(folder / "dot.png")
    Image.new("1", (12000, 12000), 1).save(folder / "bomb.png")
    Image.new("L", (200, 300), 255).save(folder / "plain.pdf", resolution=150)
    writer = PdfWriter(clone_from=folder / "plain.pdf")
    writer.encrypt("secret")
    writer.write(folder / "a-locked.pdf")
    (folder / "plain.pdf").unlink()
    PdfWriter().write(folder / "b-no-pages.pdf")
    pdf_with_a_broken_page(folder / "broken-page.pdf")
    tiff_whose_second_page_has_no_width(folder / "no-width.tif")
    tiff_with_damaged_data(folder / "lzw.tif")
    Image.new("L", (60000, 16), 255).save(folder / "strip.png")
    (folder / "gone.png").symlink_to("missing.png")
    (folder / "loop.png").symlink_to("loop.png")
    os.mkfifo(folder / "pipe.png")
    (folder / "two\nlines.png").write_text("not an image")
    Image.new("L", (100, 100), 255).save(folder / os.fsdecode(b"caf\xe9.png"))


# --------------------------------------------------------------------------- the cases


class Bench:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.cases: list[Case] = []
        good = work / "good"
        good.mkdir()
        for name in ("page2.png", "page3.png"):
            half_page(SAMPLES / name, good / name)
        self.good = good
        self.formats = ("--formats", "hocr,pdf", "--lang", "eng")

    def case(self, name: str, expected: str, observed: str, ok: bool) -> None:
        self.cases.append(Case(name, expected, observed, ok))
        print(f"{'ok ' if ok else 'NOT'} {name}: {observed}", flush=True)

    def shown(self, line: str) -> str:
        """A stderr line as the table shows it, as code: the work folder's paths made short."""
        text = line.removeprefix("ocrfix: ").replace(str(self.work) + "/", "").replace("|", "\\|")
        return f"`` {text} ``" if "`" in text else f"`{text}`"

    def run(self, scans: Path, out: Path, *extra: str, signal_after=None) -> Ran:
        return ocrfix("run", str(scans), str(out), *self.formats, *extra, signal_after=signal_after)

    def bad_scans(self) -> None:
        scans, out = self.work / "scans", self.work / "out-bad"
        bad_folder(scans, sorted(self.good.iterdir()))
        ran = self.run(scans, out)
        lines = ran.lines[:-1]
        tracebacks = sum("Traceback" in line for line in ran.lines)
        self.case(
            "the folder of 2 good scans and bad ones",
            "exit 1; one line per bad file and a summary; no traceback",
            f"exit {ran.code}; {len(ran.lines)} lines for {len(BAD_SCANS)} bad files; {tracebacks} tracebacks",
            ran.code == 1 and len(ran.lines) == len(BAD_SCANS) + 1 and not tracebacks,
        )
        for name, case, words in BAD_SCANS:
            mine = [line for line in lines if _names(line, name)]
            self.case(
                case,
                f"one line: {words}",
                "; ".join(map(self.shown, mine)) or "no line",
                len(mine) == 1 and words in mine[0],
            )
        record = json.loads((out / "run.json").read_text(encoding="utf-8"))
        read = {p["id"]: Path(p["source"]).name for p in record["pages"] if p["status"] == "done"}
        self.case(
            "page2.png and page2.jpg share a stem",
            "both read: page2 (page2.jpg) and page2-png",
            ", ".join(f"{i} ({s})" for i, s in sorted(read.items()) if i.startswith("page2")),
            read.get("page2") == "page2.jpg" and read.get("page2-png") == "page2.png",
        )

    def finished(self) -> Path:
        out = self.work / "out-good"
        ran = self.run(self.good, out)
        assert ran.code == 0, ran.lines
        return out

    def identical_runs(self, first: Path) -> None:
        second = self.work / "out-again"
        self.run(self.good, second)
        same = (first / "volume.pdf").read_bytes() == (second / "volume.pdf").read_bytes()
        self.case("two identical runs", "volume.pdf byte-identical", "identical" if same else "different", same)

    def damaged(self, finished: Path) -> None:
        for name, damage, expected, notes in (
            ("run.json = `[]`", "run.json", "exit 0; one line; run.json rebuilt", 1),
            ("a page record = `[]`", "pages/page2.json", "exit 0; the page redone, no line", 0),
        ):
            out = self.copy(finished, "out-damaged")
            (out / damage).write_text("[]\n")
            ran = self.run(self.good, out)
            rebuilt = _json_page_ids(out / "run.json")
            said = [self.shown(line) for line in ran.lines[:-1]]
            self.case(
                f"rerun over {name}",
                expected,
                f"exit {ran.code}; {'; '.join(said) or 'no line'}; run.json lists {', '.join(rebuilt)}",
                ran.code == 0 and rebuilt == ["page2", "page3"] and len(said) == notes,
            )
        out = self.copy(finished, "out-truncated")
        text = out / "pages" / "page2.txt"
        stat = text.stat()
        text.write_bytes(text.read_bytes()[: stat.st_size // 2])
        os.utime(text, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        ran = self.run(self.good, out)
        restored = text.read_bytes() == (finished / "pages" / "page2.txt").read_bytes()
        self.case(
            "pages/page2.txt truncated by hand, its time kept",
            "redone by the next run",
            f"exit {ran.code}; {'restored' if restored else 'left truncated'}",
            ran.code == 0 and restored,
        )
        out = self.copy(finished, "out-review")
        (out / "run.json").write_text("[]\n")
        ran = ocrfix("review", str(out))
        self.case(
            "`ocrfix review` of a run.json = `[]`",
            "exit 2; one line",
            f"exit {ran.code}; {'; '.join(map(self.shown, ran.lines))}",
            ran.code == 2 and len(ran.lines) == 1,
        )

    def copy(self, finished: Path, name: str) -> Path:
        out = self.work / name
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(finished, out)
        return out

    def refused_folders(self) -> None:
        out = self.work / "out-unwritable"
        out.mkdir()
        how, undo = _make_unwritable(out)
        if how:
            ran = self.run(self.good, out)
            undo()
            self.case(
                f"OUT cannot be written ({how})",
                "exit 2; one line, before Prefect starts",
                f"exit {ran.code} after {ran.seconds:.1f} s; {'; '.join(map(self.shown, ran.lines))}",
                ran.code == 2 and len(ran.lines) == 1 and "cannot write" in ran.lines[0],
            )
        else:
            self.case("OUT cannot be written", "exit 2; one line", f"skipped: {undo}", True)
        ran = self.run(self.good, self.good / "out")
        self.case(
            "OUT inside SCANS",
            "exit 2; one line; nothing written among the scans",
            f"exit {ran.code} after {ran.seconds:.1f} s; {'; '.join(map(self.shown, ran.lines))}",
            ran.code == 2 and len(ran.lines) == 1 and not (self.good / "out").exists(),
        )
        out = self.work / "out-busy"
        out.mkdir()
        with OutputLock(out):
            ran = self.run(self.good, out)
        self.case(
            "OUT in use by another run",
            "exit 2; one line, before Prefect starts",
            f"exit {ran.code} after {ran.seconds:.1f} s; {'; '.join(map(self.shown, ran.lines))}",
            ran.code == 2 and len(ran.lines) == 1 and "in use" in ran.lines[0],
        )

    def signals(self, finished: Path) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            ran = self.run(self.good, self.work / f"out-early-{sig.name}", signal_after=_after(0.1, sig))
            self.case(
                f"{sig.name} 0.1 s after the start",
                f"exit {128 + sig}; one line",
                f"exit {ran.code}; {'; '.join(map(self.shown, ran.lines))}",
                ran.code == 128 + sig and len(ran.lines) == 1,
            )
        out = self.work / "out-interrupted"
        ran = self.run(self.good, out, "--workers", "1", signal_after=_once_a_page_is_finished(out))
        self.case(
            "SIGINT once a page is finished",
            "exit 130; one line",
            f"exit {ran.code}; {'; '.join(map(self.shown, ran.lines))}",
            ran.code == 130 and len(ran.lines) == 1,
        )
        again = self.run(self.good, out)
        names = ["volume.txt", "volume.pdf", *(f"pages/{p.name}" for p in sorted((finished / "pages").glob("*.txt")))]
        differ = [n for n in names if (out / n).read_bytes() != (finished / n).read_bytes()]
        self.case(
            "the same command after SIGINT",
            "exit 0; outputs identical to an uninterrupted run",
            f"exit {again.code}; " + (f"differ: {', '.join(differ)}" if differ else f"{len(names)} outputs identical"),
            again.code == 0 and not differ,
        )

    def timeout(self) -> None:
        scans = self.work / "full-page"
        scans.mkdir()
        shutil.copy(SAMPLES / "page2.png", scans)
        ran = ocrfix("run", str(scans), str(self.work / "out-timeout"), "--timeout", "1", "--formats", "")
        self.case(
            "`--timeout 1` on a full page (eng+fra+spa)",
            "exit 1; one line for the page and a summary",
            f"exit {ran.code}; {'; '.join(map(self.shown, ran.lines[:-1]))}",
            ran.code == 1 and len(ran.lines) == 2 and "timed out" in ran.lines[0],
        )


def _names(line: str, name: str) -> bool:
    """Whether a reason names the file (as `ocrfix.sources.shown` writes a name: escaped where need be)."""
    return f"/{shown(Path(name)).strip(chr(39))}" in line


def _json_page_ids(path: Path) -> list[str]:
    try:
        return [p["id"] for p in json.loads(path.read_text(encoding="utf-8"))["pages"]]
    except (OSError, ValueError, TypeError, KeyError):
        return []


def _make_unwritable(folder: Path) -> tuple[str, Callable[[], None] | str]:
    """Make `folder` unwritable for the command: `chattr +i` as root (root writes anywhere else). Returns
    how, and how to undo it; or no how and the reason it cannot be done here."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return "mode 555", lambda: folder.chmod(0o755)
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        return "chattr +i, as root", lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)
    return "", "running as root where chattr +i is refused (the file system does not support it)"


def _after(seconds: float, sig: signal.Signals) -> Callable[[subprocess.Popen], None]:
    def send(proc: subprocess.Popen) -> None:
        time.sleep(seconds)
        proc.send_signal(sig)

    return send


def _once_a_page_is_finished(out: Path) -> Callable[[subprocess.Popen], None]:
    def send(proc: subprocess.Popen) -> None:
        while not list((out / "pages").glob("*.json")) and proc.poll() is None:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)

    return send


def table(cases: list[Case]) -> str:
    rows = [f"| {c.name} | {c.expected} | {'' if c.ok else '**not as expected:** '}{c.observed} |" for c in cases]
    return "\n".join(["| case | expected | observed |", "|---|---|---|", *rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocrfix-reliability-") as work:
        bench = Bench(Path(work))
        bench.bad_scans()
        finished = bench.finished()
        bench.identical_runs(finished)
        bench.damaged(finished)
        bench.refused_folders()
        bench.signals(finished)
        bench.timeout()
    markdown = (
        "`python benchmarks/reliability.py` (each case a run of the command as a user starts it, "
        "on the top halves of two sample pages):\n\n" + table(bench.cases)
    )
    print(markdown)
    if not args.no_write:
        write_section("reliability", markdown)
    return 0 if all(c.ok for c in bench.cases) else 1


if __name__ == "__main__":
    sys.exit(main())
