"""Reading text from the OCR text of whole volumes (`ocrfix correct --reflow`, issue 17), against a regex baseline.

    python benchmarks/reflow.py [--split tune|report|all] [--no-write]

A first OCR pass leaves a volume as plain Tesseract text: pages joined, lines broken as printed, words
hyphenated at line and page ends, running heads and folios between the pages, a paragraph cut in two at
every page break. `--reflow` is to turn that into reading text, one paragraph a line. This measures how
close it comes, as a user runs it (the CLI through subprocess, one call per data set), next to the text
as given, plain `ocrfix correct` (words only) and the issue's few regular expressions.

Data. oldbooks-dev (../shared/data): each run of consecutive pages of a book is a volume; the volumes
are split in two halves by a hash of their first page id (the `tune` half for tuning, docs/benchmarks.md reports
the `report` half). The samples: their nine pages, one volume. The OCR is plain `tesseract <png> -l eng`
of each page (single-threaded, cached in ~/.cache/ocrfix-bench/), trailing whitespace and form feed
stripped, pages joined by a blank line.

Truth. Each page's reading text, a paragraph a line: the samples' `<id>.reading.txt`; oldbooks-dev's
`<id>.gt.txt` less its running head (the first line, when a blank line follows it and it begins or ends
with a page number: arabic or roman, any case, not a lone `I`; `CHAPTER II` is a title and stays) and
less a page number standing alone as its last line (the folio at the foot of a chapter's first page).
Then the pages of a volume are joined: a page whose last line ends in a hyphen after a letter joins the
next page's first line without the hyphen (a word broken across pages); a page whose last line does not
end a sentence (. ! ? : ; or a closing quote or bracket, footnote markers aside), or whose next page
starts lower case, runs on into it (joined with a space); otherwise the next page opens a paragraph.
Counts of each rule are printed, every page break's decision is in page-breaks.tsv of the work folder.
An approximation: a paragraph whose sentence ends exactly at a page end and goes on with a capital counts
as two; a real hyphen at a page end (`smelling-` / `bottles`) is dropped; captions, footnotes and the
ground truth's own breaks (a paragraph interrupted by a figure) stay in, as the ground truth has them.

Measured per data set and text: CER and WER of the whole text against the truth (ocrfix's own scoring,
whitespace collapsed, hyphenation not joined: joining it is part of the task); paragraphs (runs of
non-blank lines between blank lines) against the truth's; paragraphs whose first letter is lower case
(most are a paragraph cut by a page or column break); the seconds of the ocrfix calls. And clean text:
`--reflow` on the truth itself, where every word changed is a word made worse. Every volume's texts are
left in /tmp/ocrfix-reflow-bench/<split>/<data>/<text>/ to diff.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, SHARED, materialise, plain_tesseract, write_section
from correction import half, right_words
from ocrfix.evaluate import ZERO, Score, normalise, score
from ocrfix.sources import list_pages

OLDBOOKS = SHARED / "data" / "oldbooks-dev"
SAMPLES = ROOT / "samples"
CACHE = Path.home() / ".cache" / "ocrfix-bench"
WORK = Path(tempfile.gettempdir()) / "ocrfix-reflow-bench"
OCRFIX = Path(sys.executable).with_name("ocrfix")

_ROMAN = r"(?:c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
_NUMBER = rf"(?:\d+|(?!i\b){_ROMAN}(?<=[ivxlc]))"
_HEAD = re.compile(rf"^\s*{_NUMBER}\s|\s{_NUMBER}\s*$", re.I)
_TITLE = re.compile(r"^\s*(?:chapter|part|book|section)\b", re.I)
_FOOT_FOLIO = re.compile(rf"^\s*{_NUMBER}\s*$", re.I)
_FOOTNOTE_MARKS = "*†‡⁰¹²³⁴⁵⁶⁷⁸⁹"
_SENTENCE_END = ".!?:;\"'”’)]"
_LETTER = re.compile(r"[^\W\d_]")
WORD_BROKEN = "word broken across pages"
_JOIN = {WORD_BROKEN: "", "paragraph runs on": " ", "new paragraph": "\n\n"}

TEXTS = {
    "truth": "reading truth",
    "input": "OCR as given",
    "regex": "regex baseline",
    "correct": "`ocrfix correct`",
    "reflow": "`ocrfix correct --reflow`",
    "truth-reflow": "clean text: `--reflow` on the reading truth",
}
"""The texts measured, by the name of their folder in the work folder."""


@dataclass
class Volume:
    name: str
    half: str
    pages: int
    ocr: str
    truth: str


@dataclass(frozen=True)
class Measure:
    """Summable over volumes."""

    score: Score = ZERO
    paragraphs: int = 0
    lower: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(self.score + other.score, self.paragraphs + other.paragraphs, self.lower + other.lower)


def regex_baseline(text: str) -> str:
    """The issue's regular expressions: drop short lines without a lower-case letter (heads, folios, stamp
    fragments), join a blank-line break before a lower-case word (a paragraph cut by a page break), join
    line-end hyphens, then make each paragraph one line."""
    kept = [
        line for line in text.split("\n") if not line.strip() or len(line.strip()) >= 40 or re.search("[a-z]", line)
    ]
    text = re.sub(r"\n\s*\n", "\n\n", "\n".join(kept).strip())
    text = re.sub(r"\n\n(?=[a-z])", "\n", text)
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text) + "\n"


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def opens_lower(paragraph: str) -> bool:
    """The paragraph's first letter (after any quotes, marks or markup) is lower case."""
    letter = _LETTER.search(paragraph)
    return letter is not None and letter.group().islower()


def measure(truth: str, text: str) -> Measure:
    paras = paragraphs(text)
    return Measure(score(truth, text), len(paras), sum(map(opens_lower, paras)))


def truth_page(gt: str, counts: Counter[str]) -> str:
    """An oldbooks-dev ground-truth page without its running head and foot folio, a paragraph a line."""
    lines = gt.strip("\n").split("\n")
    if len(lines) > 1 and not lines[1].strip() and _HEAD.search(lines[0]) and not _TITLE.match(lines[0]):
        counts["running head dropped"] += 1
        lines = lines[1:]
    if _FOOT_FOLIO.match(lines[-1]):
        counts["foot folio dropped"] += 1
        lines = lines[:-1]
    return "\n\n".join(line.strip() for line in lines if line.strip())


def page_break(before: str, after: str) -> str:
    """How the truth joins two pages (see the module's docstring): a key of _JOIN."""
    if re.search(r"[^\W\d_]-$", before):
        return WORD_BROKEN
    if not before.rstrip(_FOOTNOTE_MARKS).endswith(tuple(_SENTENCE_END)) or opens_lower(after):
        return "paragraph runs on"
    return "new paragraph"


def join_pages(pages: list[str], ids: list[str], counts: Counter[str], log: list[str]) -> str:
    """A volume's truth from its pages' (a paragraph a line, blank lines between); each break's rule is
    counted in COUNTS and logged in LOG."""
    text = pages[0]
    for page_id, page in zip(ids[1:], pages[1:], strict=True):
        rule = page_break(text, page)
        counts[rule] += 1
        log.append(f"{page_id}\t{rule}\t…{text[-40:]!r}\t{page[:40]!r}…")
        text = (text[:-1] if rule == WORD_BROKEN else text) + _JOIN[rule] + page
    return text + "\n"


def ocr_pages(cache: Path, ids: list[str], png_folder: Callable[[Path], Path]) -> list[str]:
    """Plain Tesseract's text of each page from the cache; missing pages are read into it (2 workers)."""
    missing = [i for i in ids if not (cache / f"{i}.txt").is_file()]
    if missing:
        with tempfile.TemporaryDirectory() as tmp:
            pngs = png_folder(Path(tmp))
            plain_tesseract([pngs / f"{i}.png" for i in missing], cache, "eng", 2)
    return [(cache / f"{i}.txt").read_text(encoding="utf-8").strip() for i in ids]


def oldbooks_runs() -> list[list[str]]:
    """Runs of consecutive page ids within a book (e009, e010, e011 | e018 | ...)."""
    runs: list[list[str]] = []
    for page_id in sorted(p.name.removesuffix(".gt.txt") for p in OLDBOOKS.glob("*.gt.txt")):
        last = runs[-1][-1] if runs else ""
        if last[:1] == page_id[0] and int(last[1:]) + 1 == int(page_id[1:]):
            runs[-1].append(page_id)
        else:
            runs.append([page_id])
    return runs


def oldbooks_volumes(split: str, counts: Counter[str], log: list[str]) -> list[Volume]:
    runs = [ids for ids in oldbooks_runs() if split == "all" or half(ids[0]) == split]
    page_ids = [i for ids in runs for i in ids]
    ocr = dict(zip(page_ids, ocr_pages(CACHE / "oldbooks-dev.eng", page_ids, lambda _: OLDBOOKS), strict=True))
    volumes = []
    for ids in runs:
        gt = [truth_page((OLDBOOKS / f"{i}.gt.txt").read_text(encoding="utf-8"), counts) for i in ids]
        name = f"{ids[0]}-{ids[-1]}" if len(ids) > 1 else ids[0]
        text = "\n\n".join(ocr[i] for i in ids) + "\n"
        volumes.append(Volume(name, half(ids[0]), len(ids), text, join_pages(gt, ids, counts, log)))
    return volumes


def samples_volume(counts: Counter[str], log: list[str]) -> Volume:
    ids = [ref.id for ref in list_pages(SAMPLES / "scans")[0]]
    ocr = ocr_pages(CACHE / "samples.eng", ids, lambda tmp: materialise([SAMPLES / "scans"], tmp)[1])
    gt = [(SAMPLES / "gt" / f"{i}.reading.txt").read_text(encoding="utf-8").strip() for i in ids]
    truth = join_pages(["\n\n".join(p.split("\n")) for p in gt], ids, counts, log)
    return Volume("samples", "", len(ids), "\n\n".join(ocr) + "\n", truth)


def run_correct(inputs: Path, out: Path, reflow: bool) -> float:
    """`ocrfix correct [--reflow] INPUTS -o OUT`, one call for the folder; its wall seconds."""
    out.mkdir(parents=True)
    args = [*(["--reflow"] if reflow else []), str(inputs), "-o", str(out)]
    start = time.perf_counter()
    done = subprocess.run([OCRFIX, "correct", *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"ocrfix correct {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - start


def write_texts(folder: Path, texts: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def run_texts(volumes: list[Volume], work: Path) -> dict[str, float]:
    """Every text of every volume, as files in WORK/<text>/; the seconds of ocrfix's call per text."""
    write_texts(work / "truth", {v.name: v.truth for v in volumes})
    write_texts(work / "input", {v.name: v.ocr for v in volumes})
    write_texts(work / "regex", {v.name: regex_baseline(v.ocr) for v in volumes})
    return {
        "correct": run_correct(work / "input", work / "correct", False),
        "reflow": run_correct(work / "input", work / "reflow", True),
        "truth-reflow": run_correct(work / "truth", work / "truth-reflow", True),
    }


def read(folder: Path, volume: Volume) -> str:
    return (folder / f"{volume.name}.txt").read_text(encoding="utf-8")


def words_changed(volumes: list[Volume], folder: Path) -> str:
    """The share of the truth's words `--reflow` changed when given the truth itself."""
    words = changed = 0
    for v in volumes:
        ref = normalise(v.truth).split()
        words += len(ref)
        changed += len(ref) - len(right_words(ref, normalise(read(folder, v)).split()))
    return f"{changed / words:.2%} of {words} words changed"


def table(label: str, volumes: list[Volume], work: Path, timings: dict[str, float]) -> list[str]:
    """The rows of one data set (or half of one); TIMINGS empty when the calls covered more than these volumes."""
    rows = []
    for text, name in TEXTS.items():
        m = sum((measure(v.truth, read(work / text, v)) for v in volumes), Measure())
        if text == "truth-reflow":
            name += f" ({words_changed(volumes, work / text)})"
        errors = "– | –" if text == "truth" else f"{m.score.cer:.2%} | {m.score.wer:.2%}"
        timing = f"{timings[text]:.1f} s (1 call)" if text in timings else "–"
        rows.append(f"| {label} | {name} | {errors} | {m.paragraphs} | {m.lower} | {timing} |")
    return rows


HEADER = [
    "| data | text | CER | WER | paragraphs | opening lower-case | ocrfix time |",
    "|---|---|---:|---:|---:|---:|---:|",
]


def groups(name: str, volumes: list[Volume], split: str) -> list[tuple[str, list[Volume]]]:
    """The tables of a data set: oldbooks-dev's halves, then all of it when both were run."""
    if name == "samples":
        return [("all", volumes)]
    if split != "all":
        return [(split, volumes)]
    return [(h, [v for v in volumes if v.half == h]) for h in ("tune", "report")] + [("all", volumes)]


def label(name: str, group: str, volumes: list[Volume]) -> str:
    pages = sum(v.pages for v in volumes)
    what = f"{len(volumes)} volume{'s' * (len(volumes) != 1)}, {pages} pages"
    return f"{name} ({what})" if group == "all" else f"{name}, {group} half ({what})"


def figures(volumes: dict[str, list[Volume]], rows: list[str]) -> str:
    books = volumes["oldbooks-dev"]
    return "\n".join(
        [
            f"`python benchmarks/reflow.py`: the report half of `../shared/data/oldbooks-dev` ({len(books)} volumes: "
            f"runs of consecutive pages of four books, {sum(v.pages for v in books)} pages; halves split by a hash of the "
            "first page id) and the samples' nine pages as one volume. The text given is each page's plain `tesseract -l "
            "eng` text, pages joined by a blank line (the samples' page 5 is upside down: Tesseract reads garbage, most of "
            "their errors); `ocrfix correct --reflow INPUT -o OUT` runs once per data set; the regex baseline is the "
            "issue's (short lines without lower case dropped, hyphens and lines joined). The "
            "reading truth is the ground truth (a paragraph a line) less running heads and folios, a page running on into "
            "the next where it ends in a broken word or without a stop, or the next starts lower case. CER/WER of the "
            "whole text (whitespace collapsed, hyphenation not joined); paragraphs are runs of lines between blank lines, "
            "those opening lower case mostly a paragraph cut in two:",
            "",
            *HEADER,
            *rows,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="report", choices=["tune", "report", "all"])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    work = WORK / args.split
    shutil.rmtree(work, ignore_errors=True)
    counts: dict[str, Counter[str]] = {"oldbooks-dev": Counter(), "samples": Counter()}
    logs: dict[str, list[str]] = {"oldbooks-dev": [], "samples": []}
    volumes = {
        "oldbooks-dev": oldbooks_volumes(args.split, counts["oldbooks-dev"], logs["oldbooks-dev"]),
        "samples": [samples_volume(counts["samples"], logs["samples"])],
    }
    rows: dict[str, list[str]] = {}
    for name, vols in volumes.items():
        print(f"{name} truth: " + ", ".join(f"{rule} {n}" for rule, n in sorted(counts[name].items())))
        timings = run_texts(vols, work / name)
        (work / name / "page-breaks.tsv").write_text("\n".join(logs[name]) + "\n", encoding="utf-8")
        for group, members in groups(name, vols, args.split):
            timed = timings if len(members) == len(vols) else {}
            rows[f"{name} {group}"] = table(label(name, group, members), members, work / name, timed)
    print("\n".join([*HEADER, *(row for r in rows.values() for row in r)]))
    print(f"texts of every volume (input, each method's output, truth): {work}/<data>/<text>/<volume>.txt")
    if args.split == "report" and not args.no_write:
        write_section("reflow", figures(volumes, rows["oldbooks-dev report"] + rows["samples all"]))


if __name__ == "__main__":
    main()
