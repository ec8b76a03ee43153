"""Line-end and page-break hyphens joined or kept (issue 23), before (git's HEAD) and after (the working tree).

    python benchmarks/hyphenation.py [--split tune|report|all] [--no-write] [--list]

Data and text as benchmarks/reflow.py has them: oldbooks-dev's runs of consecutive pages as volumes, halves
split by a hash of the first page id (tune on `tune`, docs/benchmarks.md reports `report`), and the samples'
nine pages as one volume; each page's plain `tesseract -l eng` text (cached in ~/.cache/ocrfix-bench/),
pages joined by a blank line. `reflow` (what `ocrfix correct --reflow` does before correcting words) runs on
each volume in this process twice: with HEAD's `correct/layout.py` and `correct/reflow.py` (read from git,
nothing checked out) and with the working tree's. Each hyphen it decides is one of its structure changes.

Truth. A break `first-` / `second` (the words between their marks) is labelled from the volume's ground
truth: "join" when the truth prints `firstsecond` as a word and not `first-second`, "keep" when the other
way round; when it prints both, the occurrence nearest the break's relative place in the volume decides;
when neither (a half misread), it is unlabelled and counted apart. The truth of a page is its own: a word
the truth breaks across pages (oldbooks-dev's ground truth keeps those hyphens) gives no label by itself.
The samples were set with pyphen's en_GB patterns (samples/make_samples.py): the patterns' evidence is
circular there, oldbooks-dev's real books are the test of it.

Clean text: the reading truth (benchmarks/reflow.py's) wrapped at each of four printed widths of a line
(textwrap, breaking at a compound's own hyphen as a printer does); every line-end hyphen there is a real one, so each
one joined is good text made worse. Reading-text CER is of the whole text against the reading truth
(whitespace collapsed, hyphenation not joined), paragraphs as `reflow` renders them.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass
from types import ModuleType

from common import ROOT, write_section
from ocrfix.correct import reflow as reflow_now
from ocrfix.evaluate import ZERO, Score, score
from ocrfix.lexicon import Lexicon, load
from reflow import OLDBOOKS, SAMPLES, Volume, oldbooks_runs, oldbooks_volumes, samples_volume, truth_page

WRAPS = (50, 57, 64, 71)
"""Printed widths of a line in characters: the lines of oldbooks-dev's plain Tesseract text longer than 30
characters are 50 to 68 long between their quartiles, 64 at the median; each width puts other compounds
at a line end."""


def head_module(path: str, name: str) -> ModuleType:
    """A module of the package as git's HEAD has it, loaded beside the working tree's under another name."""
    shown = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=ROOT, check=True, capture_output=True, text=True)
    source = shown.stdout
    spec = importlib.util.spec_from_loader(f"ocrfix.correct.{name}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "ocrfix.correct"
    sys.modules[spec.name] = module
    exec(compile(source, f"HEAD:{path}", "exec"), module.__dict__)
    return module


def head_reflow() -> ModuleType:
    layout = head_module("src/ocrfix/correct/layout.py", "_head_layout")
    module = head_module("src/ocrfix/correct/reflow.py", "_head_reflow")
    module.hyphen_decision, module.ends_broken = layout.hyphen_decision, layout.ends_broken
    return module


@dataclass(frozen=True)
class Break:
    volume: str
    first: str
    second: str
    verdict: str
    label: str
    """join, keep, or "" (unlabelled)."""
    reason: str


@dataclass(frozen=True)
class Run:
    breaks: tuple[Break, ...]
    score: Score


def core(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", token.rstrip("-\u00ad\u2010\u00ac"))


def label(first: str, second: str, truth: str, where: float) -> str:
    """How the truth prints the word broken at a line end (see the module's docstring)."""
    if not first or not second:
        return ""
    forms = {
        "join": rf"(?<![\w-]){re.escape(first + second)}(?![\w-])",
        "keep": rf"(?<![\w-]){re.escape(first)}-{re.escape(second)}(?![\w-])",
    }
    found = [
        (abs(m.start() / len(truth) - where), verdict)
        for verdict, pattern in forms.items()
        for m in re.finditer(pattern, truth, re.I)
    ]
    return min(found)[1] if found else ""


def run(module: ModuleType, volumes: list[Volume], truths: dict[str, str], lexicon: Lexicon, clean: bool) -> Run:
    """`reflow` on each volume's OCR text (or, `clean`, its wrapped reading truth): its hyphen decisions,
    labelled, and the reading text's score."""
    breaks: list[Break] = []
    total = ZERO
    texts = [(v, text) for v in volumes for text in ([wrapped(v.truth, w) for w in WRAPS] if clean else [v.ocr])]
    for v, text in texts:
        paragraphs, changes = module.reflow(text, lexicon, False)
        lines = text.count("\n") + 1
        for c in changes:
            if c.reason.startswith("hyphenation"):
                left, right = c.raw.split(" / ")
                first, second = core(left), core(right)
                verdict = "join" if c.reason.startswith("hyphenation joined") else "keep"
                truth = "keep" if clean else label(first, second, truths[v.name], c.line / lines)
                breaks.append(Break(v.name, left, right, verdict, truth, c.reason))
        total += score(v.truth, "\n\n".join(p.render()[0] for p in paragraphs) + "\n")
    return Run(tuple(breaks), total)


def wrapped(truth: str, width: int) -> str:
    return "\n\n".join(textwrap.fill(p, width, break_long_words=False) for p in truth.split("\n\n")) + "\n"


def label_truths(volumes: list[Volume]) -> dict[str, str]:
    """Each volume's truth for labels: its pages' own text, a page's last line not run into the next."""
    truths = {
        "samples": "\n".join(
            (SAMPLES / "gt" / p.name).read_text(encoding="utf-8")
            for p in sorted((SAMPLES / "gt").glob("*.reading.txt"))
        )
    }
    counts: Counter[str] = Counter()
    for ids in oldbooks_runs():
        name = f"{ids[0]}-{ids[-1]}" if len(ids) > 1 else ids[0]
        pages = ((OLDBOOKS / f"{i}.gt.txt").read_text(encoding="utf-8") for i in ids)
        truths[name] = "\n".join(truth_page(page, counts) for page in pages)
    return {v.name: truths[v.name] for v in volumes}


def counts(r: Run) -> tuple[int, int, int, int, int]:
    """Joins right, joins wrong, kept right, kept wrong, unlabelled."""
    c = Counter((b.verdict, b.label) for b in r.breaks)
    unlabelled = c["join", ""] + c["keep", ""]
    return c["join", "join"], c["join", "keep"], c["keep", "keep"], c["keep", "join"], unlabelled


def row(data: str, text: str, when: str, r: Run) -> str:
    jr, jw, kr, kw, unl = counts(r)
    return f"| {data} | {text} | {when} | {len(r.breaks)} | {jr} | {jw} | {kr} | {kw} | {unl} | {r.score.cer:.2%} |"


HEADER = [
    "| data | text | decision | hyphens | joined right | joined wrong | kept right | kept wrong | unlabelled "
    "| reading-text CER |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="report", choices=["tune", "report", "all"])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--list", action="store_true", help="print every decision that differs or is wrong")
    args = parser.parse_args()
    lexicon = load()
    before = head_reflow()
    data = {
        f"oldbooks-dev, {args.split} half" if args.split != "all" else "oldbooks-dev": oldbooks_volumes(
            args.split, Counter(), []
        ),
        "samples": [samples_volume(Counter(), [])],
    }
    rows = []
    for name, volumes in data.items():
        truths = label_truths(volumes)
        pages = sum(v.pages for v in volumes)
        for clean, text in ((False, "plain Tesseract text"), (True, "clean: reading truth wrapped")):
            runs = {
                when: run(module, volumes, truths, lexicon, clean)
                for when, module in (("before (HEAD)", before), ("after", reflow_now))
            }
            rows += [row(f"{name} ({len(volumes)} volumes, {pages} pages)", text, when, r) for when, r in runs.items()]
            if args.list:
                old = {(b.volume, b.first, b.second): b for b in runs["before (HEAD)"].breaks}
                for b in runs["after"].breaks:
                    was = old.get((b.volume, b.first, b.second))
                    if (b.label and b.verdict != b.label) or (was and was.verdict != b.verdict):
                        print(
                            f"{text[:5]}\t{b.volume}\t{b.first} / {b.second}\ttruth={b.label or '?'}\t"
                            f"before={was.verdict if was else '?'}\tafter={b.verdict}\t{b.reason}"
                        )
    table = "\n".join([*HEADER, *rows])
    print(table)
    if args.split == "report" and not args.no_write:
        write_section(
            "hyphenation",
            "\n".join(
                [
                    "`python benchmarks/hyphenation.py`: every line-end and page-break hyphen `ocrfix correct --reflow` "
                    "decides in plain `tesseract -l eng` text (as `benchmarks/reflow.py` makes it: pages joined by a blank "
                    "line), labelled from the ground truth (the joined word or the hyphenated one as the truth prints it; "
                    "unlabelled where a half is misread), before (git's HEAD) and after; clean: the reading truth wrapped "
                    f"at {', '.join(map(str, WRAPS))} characters in turn, breaking at compounds' own hyphens (every hyphen "
                    "a real one). Reading-text CER "
                    "of `reflow`'s text before word correction, against the reading truth:",
                    "",
                    table,
                ]
            ),
        )


if __name__ == "__main__":
    main()
