"""Dictionary names spelt right in the corrected text, before and after a change of the corrector.

    python benchmarks/names.py --records OUT [--base SRC] [--no-write]

Two kinds of text: the samples' page records of an `ocrfix run` into OUT (Tesseract's words and confidences,
corrected again here as `ocrfix run` corrects a page), and oldbooks-dev's plain Tesseract text in
`~/.cache/ocrfix-bench/oldbooks-dev.eng/` corrected as `ocrfix correct` does. A name is a word of the truth that a
dictionary holds (capitalised); it is spelt right as often as the corrected text of the same page prints it,
up to the truth's count. `--base SRC` corrects the same texts with the code in SRC (a `git worktree` of the
commit before), in a process of its own, and reports both.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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


def truth(name: str, page: str) -> str:
    folder = ROOT / "samples" / "gt" if name == "samples" else SHARED / "data" / "oldbooks-dev"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True, help="an `ocrfix run` of samples/scans")
    parser.add_argument("--base", type=Path, help="src/ of the code to compare with")
    parser.add_argument("--emit", type=Path, help=argparse.SUPPRESS)  # the base's process writes its texts here
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.emit:
        args.emit.write_text(json.dumps(corrected(args.records)), encoding="utf-8")
        return
    runs = {"after": corrected(args.records)}
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
            total, right, marked, marked_right = scored[label][name]
            cells.append(f"{right}/{total} ({right / max(total, 1):.1%}), with diacritics {marked_right}/{marked}")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    table = "\n".join(["| data | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs), *rows])
    print(table)
    if not args.no_write:
        write_section("names", table)


if __name__ == "__main__":
    main()
