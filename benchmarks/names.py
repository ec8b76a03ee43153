"""Dictionary names spelt right in the corrected text, before and after a change of the corrector; the names
index against the truth; the volume's own names (index and glossary pages) and what they do to clean text.

    python benchmarks/names.py --records OUT [--base SRC] [--no-write]
    python benchmarks/names.py --shapes

Two kinds of text: the samples' page records of an `ocrfix run` into OUT (Tesseract's words and confidences,
corrected again here as `ocrfix run` corrects a page), and oldbooks-dev's plain Tesseract text in
`~/.cache/ocrfix-bench/oldbooks-dev.eng/` corrected as `ocrfix correct` does. A name is a word of the truth that a
dictionary holds (capitalised); it is spelt right as often as the corrected text of the same page prints it,
up to the truth's count. `--base SRC` corrects the same texts with the code in SRC (a `git worktree` of the
commit before), in a process of its own, and reports both.

The names index (`names.tsv`) of the run in OUT is compared with the index of the samples' reading truth
(`names.text_rows`, the same matching): precision and recall of the distinct names. The seed volume's own
names (`volume_names`: its glossary) are counted, and clean text (the seed, the samples' and oldbooks-dev's
truth) is corrected with and without them as a dictionary: the words each correction changes.

`--shapes` measures what `volume_names` judges a run of lines by: on every body page of truth (samples,
oldbooks-dev, bln600) the most entry-like lines in one run and their share; on the seed's glossary, as the
markdown gives it and set at the samples' measure by their generator, and on an index page of the seed's
persons set and read by Tesseract, the share of entries.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from common import ROOT, SHARED, write_section

CACHE = Path.home() / ".cache" / "ocrfix-bench" / "oldbooks-dev.eng"


def corrected(records: Path) -> dict[str, dict[str, str]]:
    """Each data set's pages corrected by the ocrfix on sys.path: {set: {page id: text}}."""
    from ocrfix import lexicon, outputs
    from ocrfix.correct.page import correct_page
    from ocrfix.correct.textfile import correct_text
    from ocrfix.correct.words import Corrector
    from ocrfix.model import Page
    from ocrfix.text import corrected_lines

    lex = lexicon.load()
    samples = {}
    for entry in json.loads((records / "run.json").read_text(encoding="utf-8"))["pages"]:
        if entry["status"] == "failed":
            continue
        data = json.loads(outputs.page_path(records, entry["id"], ".json").read_text(encoding="utf-8"))
        for line in data["lines"]:  # as read: the run's changes go (their fields differ between versions)
            for word in line["words"]:
                word["final"], word["changes"] = word["raw"], []
        page = Page.from_dict(data)
        correct_page(page, Corrector(lex))
        samples[page.id] = corrected_lines(page)
    books = {
        f.stem: correct_text(f.read_text(encoding="utf-8"), Corrector(lex))[0] for f in sorted(CACHE.glob("*.txt"))
    }
    return {"samples": samples, "oldbooks-dev": books}


def with_volume_names(texts: dict[str, str], records: Path) -> tuple[dict[str, str], str]:
    """The samples' pages as `corrected` gives them, then through the volume step's names (`run_names.apply`)
    beside index and glossary pages of the seed set by the samples' generator: the index of the seed's persons
    scanned and read by Tesseract (`_index_page`), the glossary as printed: {page id: text}, and a sentence
    saying what the volume step did (the lines it changed printed)."""
    from ocrfix import lexicon, outputs, run_names
    from ocrfix.correct.page import correct_page
    from ocrfix.correct.words import Corrector
    from ocrfix.model import Line, Page, Word
    from ocrfix.text import corrected_lines
    from ocrfix.volume_names import new_entries

    lex = lexicon.load()
    gen = _generator()
    lines = (SHARED / "seed" / "serge-trotsky-papers.md").read_text(encoding="utf-8").splitlines()
    glossary = lines[lines.index("## Glossary of Organisations") + 1 : lines.index("## Chronology")]
    book = gen.set_book("Glossary", [gen._parse_inline(g.lstrip("- ")) for g in glossary if g.strip("- ")])
    extra = {"index": _index_page(gen), "glossary": [line.text(book.paras) for line in book.lines]}
    pages = []
    for entry in json.loads((records / "run.json").read_text(encoding="utf-8"))["pages"]:
        if entry["status"] != "failed":
            data = json.loads(outputs.page_path(records, entry["id"], ".json").read_text(encoding="utf-8"))
            for line in data["lines"]:
                for word in line["words"]:
                    word["final"], word["changes"] = word["raw"], []
            pages.append(Page.from_dict(data))
    for page_id, texts_read in extra.items():
        words = [[Word(w, (0, 40 * n, 10, 40 * n + 30), 95.0) for w in t.split()] for n, t in enumerate(texts_read)]
        pages.append(
            Page(
                page_id,
                "",
                0,
                1,
                1,
                300.0,
                False,
                0,
                0.0,
                [],
                "eng",
                [Line(w[0].box, w, 1, n) for n, w in enumerate(words) if w],
            )
        )
    for page in pages:
        correct_page(page, Corrector(lex))
    before = {page.id: corrected_lines(page) for page in pages}
    assert all(before[k] == v for k, v in texts.items())  # the same page step as `corrected`
    with tempfile.TemporaryDirectory() as tmp:
        cpu = time.process_time()
        _, applied = run_names.apply(pages, Path(tmp), lex, (), {p.id for p in pages}, None, set())
        cpu = time.process_time() - cpu
    after = {page.id: corrected_lines(page) for page in pages if page.id in texts}
    differ = [
        (a, b) for k in texts for a, b in zip(before[k].splitlines(), after[k].splitlines(), strict=True) if a != b
    ]
    for a, b in differ:
        print(f"  volume step: {a!r} -> {b!r}")
    said = (
        f"The volume step beside the seed's index of persons (set, scanned and read by Tesseract) and its glossary "
        f"(as printed): {sum(len(v) for v in applied.names.values())} names read "
        f"({sum(len(v) for v in new_entries(applied.names, lex).values())} no dictionary holds), "
        f"{len(applied.corrected)} of the {len(texts)} sample pages corrected again with them ({cpu:.1f} s of CPU), "
        f"{len(differ)} of their lines changed."
    )
    return after, said


def truth(name: str, page: str) -> str:
    folder = ROOT / "samples" / "gt" if name.startswith("samples") else SHARED / "data" / "oldbooks-dev"
    path = folder / f"{page}.gt.txt"
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8")) if path.is_file() else ""


def names_in(text: str, is_name) -> Counter[str]:
    from ocrfix.tokens import split_token

    cores = (split_token(t)[1] for t in unicodedata.normalize("NFC", text).split())
    return Counter(c for c in cores if c[:1].isupper() and is_name(c))


def score(texts: dict[str, dict[str, str]]) -> dict[str, tuple[int, int, int, int]]:
    """Per data set: names in the truth, spelt right; the same for names with a diacritic."""
    from ocrfix import lexicon

    lex = lexicon.load()
    result = {}
    for name, pages in texts.items():
        total = right = marked = marked_right = 0
        for page, text in pages.items():
            wanted, found = names_in(truth(name, page), lex.is_name), names_in(text, lambda w: True)
            for word, n in wanted.items():
                hit = min(n, found[word])
                total, right = total + n, right + hit
                if lexicon.strip_accents(word) != word:
                    marked, marked_right = marked + n, marked_right + hit
        result[name] = (total, right, marked, marked_right)
    return result


def index_scores(records: Path) -> tuple[int, int, int]:
    """The run's names index against the samples' reading truth: distinct names in both, in the run's index,
    in the truth's."""
    from ocrfix import lexicon
    from ocrfix.names import INDEX_FILE, text_rows

    lex = lexicon.load()
    found = {row.split("\t")[0] for row in (records / INDEX_FILE).read_text(encoding="utf-8").splitlines()[1:]}
    pages = sorted((ROOT / "samples" / "gt").glob("*.reading.txt"))
    wanted = {
        row[0] for row in text_rows(((p.name, p.read_text(encoding="utf-8").splitlines()) for p in pages), lex, {})
    }
    return len(found & wanted), len(found), len(wanted)


def volume_scores() -> tuple[str, list[str]]:
    """The seed's own names (how many, of which kinds, how many the dictionaries lack) and, for each clean
    text, the words `ocrfix correct` changes without and with them."""
    from clean_text import texts
    from correction import right_words
    from ocrfix import lexicon
    from ocrfix.correct.textfile import correct_text
    from ocrfix.correct.words import Corrector
    from ocrfix.evaluate import normalise
    from ocrfix.text_names import read_volume
    from ocrfix.volume_names import volume_dictionary, write_dictionaries

    seed = SHARED / "seed" / "serge-trotsky-papers.md"
    lex = lexicon.load()
    found = read_volume([seed])
    kinds = Counter(v.kind for v in found)
    clean = {
        "the seed": [seed.read_text(encoding="utf-8")],
        "samples (reading truth)": [
            p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "gt").glob("*.reading.txt"))
        ],
        "oldbooks-dev": texts("oldbooks-dev"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        files = write_dictionaries(volume_dictionary(found, lex), Path(tmp))
        added = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        volume = lexicon.load(files)
        rows = []
        for name, items in clean.items():
            words = without = with_names = differ = 0
            for text in items:
                plain, own = (correct_text(text, Corrector(lx))[0] for lx in (lex, volume))
                read = normalise(text).split()
                words += len(read)
                without += len(read) - len(right_words(read, normalise(plain).split()))
                with_names += len(read) - len(right_words(read, normalise(own).split()))
                differ += sum(a != b for a, b in zip(plain.split("\n"), own.split("\n"), strict=True))
            rows.append(f"| {name} | {words} | {without} | {with_names} | {differ} |")
    summary = (
        f"The seed's own names: {len(found)} read from its glossary ("
        + ", ".join(f"{n} {k}" for k, n in kinds.most_common())
        + f"), {len({v.name for v in found})} distinct; {added} of them no dictionary holds (the volume dictionary)."
    )
    return summary, rows


def shapes() -> None:
    """What `volume_names` judges lines by, on body pages and on index and glossary pages (printed)."""
    from ocrfix.volume_names import candidate_runs

    bodies = [
        *sorted((ROOT / "samples" / "gt").glob("*.gt.txt")),
        *sorted((SHARED / "data" / "oldbooks-dev").glob("*.gt.txt")),
        *sorted((SHARED / "data" / "bln600-train").glob("*.gt.txt")),
    ]
    most, share = 0, 0.0
    for path in bodies:
        for run in candidate_runs(path.read_text(encoding="utf-8").splitlines()):
            for shape in ("index", "glossary"):
                count = sum(e.shape == shape for _, e in run.entries)
                most = max(most, count)
                share = max(share, count / run.lines) if count > 1 else share
    print(
        f"body pages ({len(bodies)}): at most {most} entry-like lines in a run; share of runs of 2 or more at most {share:.2f}"
    )
    lines = (SHARED / "seed" / "serge-trotsky-papers.md").read_text(encoding="utf-8").splitlines()
    glossary = lines[lines.index("## Glossary of Organisations") + 1 : lines.index("## Chronology")]
    _print_runs("seed glossary (markdown)", glossary)
    gen = _generator()
    paras = [gen._parse_inline(line.lstrip("- ")) for line in glossary if line.strip() and line.strip() != "---"]
    book = gen.set_book("Glossary", paras)
    set_lines = [line.text(book.paras) for line in book.lines]
    longest = max(sum(line.para == k for line in book.lines) for k in range(len(paras)))
    _print_runs(f"seed glossary set at the samples' measure (longest entry {longest} lines)", set_lines)
    _print_runs("index page of the seed's persons, set and read by Tesseract", _index_page(gen))


def _print_runs(label: str, lines: list[str]) -> None:
    from ocrfix.volume_names import candidate_runs

    for run in candidate_runs(lines):
        counts = Counter(e.shape for _, e in run.entries)
        print(
            f"{label}: run of {run.lines} lines, entries {dict(counts)}, share {max(counts.values()) / run.lines:.2f}"
        )


def _generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_samples", module)
    spec.loader.exec_module(module)
    return module


def _index_page(gen) -> list[str]:
    """The persons of the seed's names index (`names.text_rows`) as index entries (`Surname, Given, lines`),
    set as a page by the samples' generator, scanned like the clean sample page and read by Tesseract."""
    from ocrfix import lexicon
    from ocrfix.names import text_rows
    from ocrfix.ocr import read_lines

    seed = (SHARED / "seed" / "serge-trotsky-papers.md").read_text(encoding="utf-8").splitlines()
    rows = text_rows([("seed", seed)], lexicon.load(), {})
    entries = sorted(
        f"{name.split()[-1]}, {' '.join(name.split()[:-1])}, {places.partition(':')[2].replace(',', ', ')}"
        for name, kind, _, places in rows
        if kind == "person" and " " in name
    )
    paras = [gen.Paragraph(entry, "r" * len(entry)) for entry in entries]
    book = gen.set_book("Index", paras, geo=gen.Geometry(indent_pt=0.0, opening_lines=0))
    spec = gen.PageSpec("index.png", 2, dpi=300, skew=0.3, blur=0.5, noise=0.012, white_point=0.89)
    return [line.text for line in read_lines(gen.make_page(book, spec, seed=1994).pixels, "eng", 300.0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, help="an `ocrfix run` of samples/scans")
    parser.add_argument("--shapes", action="store_true", help="measure what index and glossary pages are judged by")
    parser.add_argument("--base", type=Path, help="src/ of the code to compare with")
    parser.add_argument("--emit", type=Path, help=argparse.SUPPRESS)  # the base's process writes its texts here
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.shapes:
        shapes()
        return
    if args.records is None:
        parser.error("--records is needed")
    if args.emit:
        args.emit.write_text(json.dumps(corrected(args.records)), encoding="utf-8")
        return
    runs = {"after": corrected(args.records)}
    runs["after"]["samples + the seed's index and glossary (volume step)"], volume_step = with_volume_names(
        runs["after"]["samples"], args.records
    )
    if args.base:
        with tempfile.TemporaryDirectory() as tmp:
            emitted = Path(tmp) / "base.json"
            env = {**os.environ, "PYTHONPATH": str(args.base)}
            command = [sys.executable, __file__, "--records", str(args.records), "--emit", str(emitted)]
            subprocess.run(command, env=env, check=True)
            runs = {"before": json.loads(emitted.read_text(encoding="utf-8")), **runs}
    scored = {label: score(texts) for label, texts in runs.items()}
    rows = []
    for name in runs["after"]:
        cells = []
        for label in runs:
            if name not in scored[label]:  # the volume step's row: the code before had none
                cells.append("—")
                continue
            total, right, marked, marked_right = scored[label][name]
            cells.append(f"{right}/{total} ({right / max(total, 1):.1%}), with diacritics {marked_right}/{marked}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    table = "\n".join(["| data | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs), *rows])
    both, found, wanted = index_scores(args.records)
    summary, clean = volume_scores()
    table += "\n".join(
        [
            "",
            "",
            f"The names index of the run (`names.tsv`) against the index of the samples' reading truth: precision "
            f"{both}/{found} ({both / max(found, 1):.1%}), recall {both}/{wanted} ({both / max(wanted, 1):.1%}) of "
            "the distinct names.",
            "",
            volume_step,
            "",
            summary + " Words of clean text `ocrfix correct` changes without and with them, and the lines that differ:",
            "",
            "| clean text | words | changed without | changed with the seed's names | lines that differ |",
            "|---|---|---|---|---|",
            *clean,
        ]
    )
    print(table)
    if not args.no_write:
        write_section("names", table)


if __name__ == "__main__":
    main()
