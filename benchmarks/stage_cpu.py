"""The CPU each per-page stage of a run costs, before (git's HEAD) and after (the working tree), and whether
the stages' outputs stay the same.

    python benchmarks/stage_cpu.py [--before SRC] [--after SRC --after-name TEXT] [--every 4] [--lang L] [--no-write]

Each code version measures in a process of its own (`--child`, its `src` first on PYTHONPATH), one page at
a time as a page task runs them: load, estimate the DPI, prepare (the stamp test within it, on the grey
pages it looks at, also timed alone, and Tesseract's orientation guess, on the pages prepare asks it about,
timed as it is made), read (the resident Tesseract), footnote markers (their measurement also timed alone). A stage's CPU is the
user + sys time the process tree spent in it: this process, the children it waited for (`RUSAGE_CHILDREN`:
a `tesseract` command) and the live ones (`/proc/<pid>/stat`: the resident Tesseract). Pages run one after
another, so a stage's CPU is its own; the machine may be shared, so no wall time is reported. Data: the
sample scans and every `--every`th page of oldbooks-dev. Outputs compared page by page: the prepared image
(its bytes), the stamps' boxes, Tesseract's orientation guesses, the lines Tesseract read, and the words the
markers step changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import ROOT, SHARED, code_before, every_nth, write_section

SAMPLES = ROOT / "samples" / "scans"
OLDBOOKS = SHARED / "data" / "oldbooks-dev"
STAGES = ("load", "preprocess", "stamps", "orientation", "ocr", "markers", "markers: measuring")
"""`stamps` and `orientation` are within `preprocess`, `markers: measuring` within `markers`: each also timed
alone (`orientation` as prepare makes it)."""
OUTPUTS = ("image", "stamps", "stamps alone", "orientation", "lines", "markers")
"""The fingerprints of a page's outputs that must stay the same."""
_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu() -> float:
    """CPU seconds (user + sys) of this process, its reaped children and its live ones."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    me = str(os.getpid())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile: it is reaped, or not ours
            continue
        if fields[1] == me:  # fields[0] is the state, [1] the parent, [11] and [12] utime and stime
            total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def timed(seconds: dict[str, float], stage: str, work: Callable[[], Any]) -> Any:
    """`work()`, its process-tree CPU added to `seconds[stage]`."""
    start = tree_cpu()
    result = work()
    seconds[stage] = seconds.get(stage, 0.0) + tree_cpu() - start
    return result


def measure(folders: list[Path], lang: str) -> list[dict[str, Any]]:
    """Each page's stage CPU and the fingerprints of its stages' outputs (runs in the child)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ocrfix._exec import tesseract
    from ocrfix.markers import REPAIR, find_markers, mark_footnotes
    from ocrfix.ocr import DEFAULT_TIMEOUT, read_lines, start_readers
    from ocrfix.preprocess import estimate_dpi, is_binary, prepare
    from ocrfix.sources import list_pages, load_page
    from ocrfix.stamps import remove_stamps

    guess = tesseract.osd
    s: dict[str, float] = {}
    guesses: list[list[float] | None] = []

    def timed_guess(image: Any, dpi: float, timeout: float = tesseract.OSD_TIMEOUT) -> tuple[int, float] | None:
        """Tesseract's orientation guess, timed and kept (prepare asks for it through the module)."""
        found = timed(s, "orientation", lambda: guess(image, dpi, timeout))
        guesses.append(None if found is None else list(found))
        return found

    tesseract.osd = timed_guess
    start_readers(lang, 1)
    read_lines(load_page(list_pages(folders[0])[0][0]).gray, lang, 300)  # the reader's models loaded
    pages = []
    for folder in folders:
        for ref in list_pages(folder)[0]:
            s = {}
            guesses = []
            scan = timed(s, "load", lambda ref=ref: load_page(ref))
            dpi = scan.dpi or timed(s, "load", lambda scan=scan: estimate_dpi(scan.gray))
            grey = not is_binary(scan.gray)  # prepare looks for stamps on grey pages alone
            alone = (
                timed(s, "stamps", lambda scan=scan, dpi=dpi: remove_stamps(scan.gray, dpi, scan.colour)).boxes
                if grey
                else ()
            )
            prepared = timed(s, "preprocess", lambda scan=scan, dpi=dpi: prepare(scan.gray, dpi, colour=scan.colour))
            lines = timed(s, "ocr", lambda p=prepared, dpi=dpi: read_lines(p.image, lang, dpi, DEFAULT_TIMEOUT))
            read = "\n".join(" ".join(w.raw for w in line.words) for line in lines)
            timed(s, "markers: measuring", lambda p=prepared, lines=lines: find_markers(lines, p.image))
            timed(
                s, "markers", lambda p=prepared, lines=lines, dpi=dpi: mark_footnotes(lines, p.image, lang, dpi, 60.0)
            )
            marked = [w.final for line in lines for w in line.words if any(c.repair == REPAIR for c in w.changes)]
            pages.append(
                {
                    "data": folder.name,
                    "id": ref.id,
                    "grey": grey,
                    "seconds": s,
                    "image": hashlib.sha1(prepared.image.tobytes() + repr(prepared.image.shape).encode()).hexdigest(),
                    "stamps": [list(map(int, b)) for b in prepared.stamps],
                    "stamps alone": [list(map(int, b)) for b in alone],
                    "orientation": guesses,
                    "lines": hashlib.sha1(read.encode()).hexdigest(),
                    "markers": marked,
                }
            )
    return pages


def run_child(src: Path, folders: list[Path], lang: str) -> list[dict[str, Any]]:
    """`measure` in a process of its own with `src` first on PYTHONPATH."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(Path(__file__).parent)])}
        command = [sys.executable, __file__, "--child", out.name, "--lang", lang, *map(str, folders)]
        subprocess.run(command, env=env, check=True)
        return list(json.loads(Path(out.name).read_text(encoding="utf-8")))


def table(before: list[dict[str, Any]], after: list[dict[str, Any]], command: str, versions: str) -> str:
    """The sums of each stage's CPU per data set, and how many pages' outputs are identical."""
    out = [
        f"`{command}` (`--lang eng+fra+spa`, one page at a time; {versions}). CPU seconds (user + sys of the"
        " process tree) summed over the pages, before → after; `stamps` (on the grey pages) and `orientation`"
        " (Tesseract's OSD, on the pages prepare asks it about) are part of `preprocess`, `measuring` part of"
        " `markers`, each also timed alone:",
        "",
        "| data | pages (grey) | " + " | ".join(STAGES) + " | outputs identical |",
        "|---|---|" + "---|" * len(STAGES) + "---|",
    ]
    for data in dict.fromkeys(p["data"] for p in after):
        b = [p for p in before if p["data"] == data]
        a = [p for p in after if p["data"] == data]
        cells = []
        for stage in STAGES:
            sb, sa = (sum(p["seconds"].get(stage, 0.0) for p in ps) for ps in (b, a))
            cells.append(f"{sb:.2f} → {sa:.2f}")
        same = sum(all(x[k] == y[k] for k in OUTPUTS) for x, y in zip(b, a, strict=True))
        grey = sum(p["grey"] for p in a)
        name = "samples" if data == SAMPLES.name else data
        out.append(f"| {name} | {len(a)} ({grey}) | " + " | ".join(cells) + f" | {same} / {len(a)} |")
    out += [
        "",
        "Outputs compared: the prepared image's bytes, the stamps' boxes, Tesseract's orientation guesses, the"
        " lines Tesseract read (the reader's settings restored after a marker reading) and the words the markers"
        " step changed.",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="the src folder of the code to compare with (default: HEAD's)")
    parser.add_argument("--after", type=Path, default=ROOT / "src", help="the src folder measured (default: ours)")
    parser.add_argument("--after-name", default="the working tree", help="what --after is, for the table's text")
    parser.add_argument("--every", type=int, default=4, help="every how many'th oldbooks-dev page (default 4: 38)")
    parser.add_argument("--lang", default="eng+fra+spa")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave docs/benchmarks.md alone")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("folders", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.child.write_text(json.dumps(measure(args.folders, args.lang)), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="stage-cpu-") as tmp:
        work = Path(tmp)
        chosen = every_nth(OLDBOOKS, args.every, work)
        folders = [SAMPLES, chosen]
        with code_before(args.before, work) as before_src:
            before = run_child(before_src, folders, args.lang)
            after = run_child(args.after, folders, args.lang)
    for x, y in zip(before, after, strict=True):
        differ = [k for k in OUTPUTS if x[k] != y[k]]
        if differ:
            print(f"{y['data']}/{y['id']}: {', '.join(differ)} differ", file=sys.stderr)
    before_name = f"the code in {args.before}" if args.before else "HEAD"
    versions = f"{before_name} before, {args.after_name} after, load {os.getloadavg()[0]:.1f} at the end"
    markdown = table(before, after, f"python benchmarks/stage_cpu.py --every {args.every}", versions)
    print(markdown)
    if not args.no_write:
        write_section("stage-cpu", markdown)


if __name__ == "__main__":
    sys.exit(main())
