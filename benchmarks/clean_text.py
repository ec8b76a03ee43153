"""`ocrfix correct` on clean text: the ground truth of each data set, corrected as if it were OCR.

    python benchmarks/clean_text.py [--no-write]

Good text should come out as it went in: every word changed is a word made worse (or a misprint of the
original "mended", which an edition would keep). Counted per data set: the changes applied and the share
of words no longer as printed (positions from a word alignment with the text that went in).
"""

from __future__ import annotations

import argparse
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Literal

from common import SHARED, write_section
from correction import right_words
from ocrfix import lexicon
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector
from ocrfix.evaluate import normalise


@dataclass(frozen=True)
class DataSet:
    """A data set's ground truth, and how its files make texts: a file a text, all its files one text (separate lines
    of print), or its pages joined by book, the letter their names begin with (as a whole book's truth may come)."""

    folder: str
    about: str
    texts: Literal["a file a text", "one text", "a book a text"] = "a file a text"


DATA_SETS = {
    "bln600-train": DataSet("bln600-train", "19th-century English newspapers, 600 articles"),
    "oldbooks-dev": DataSet("oldbooks-dev", "English books, 151 pages, a paragraph a line"),
    "ocr17-fr-lines-dev": DataSet("ocr17-fr-lines-dev", "19th-century French print, 180 lines (one text)", "one text"),
    "oldbooks-dev books": DataSet(
        "oldbooks-dev",
        "the same, each book's pages as one text, a blank line between pages (4 texts)",
        "a book a text",
    ),
}


def texts(name: str) -> list[str]:
    """The data set's ground truth as texts (see `DataSet`)."""
    data = DATA_SETS[name]
    files = sorted((SHARED / "data" / data.folder).glob("*.gt.txt"))
    read = [unicodedata.normalize("NFC", f.read_text(encoding="utf-8")) for f in files]
    if data.texts == "one text":
        return ["\n".join(t.strip("\n") for t in read)]
    if data.texts == "a book a text":
        by_book: dict[str, list[str]] = {}
        for f, text in zip(files, read, strict=True):
            by_book.setdefault(f.name[0], []).append(text)
        return ["\n\n".join(pages) for pages in by_book.values()]
    return read


def one(text: str) -> tuple[int, int, int, Counter]:
    """Words in, words changed, changes applied, and those by the repair that made them."""
    fixed, changes = correct_text(text, Corrector(lexicon.load()))
    words = normalise(text).split()
    by_repair = Counter(str(c.repair) for c in changes if c.applied)
    return len(words), len(words) - len(right_words(words, normalise(fixed).split())), by_repair.total(), by_repair


def measure() -> dict[str, tuple[int, int, int, Counter]]:
    results = {}
    with ProcessPoolExecutor(2) as pool:
        for name in DATA_SETS:
            counts = list(pool.map(one, texts(name), chunksize=8))
            results[name] = (*(sum(c[k] for c in counts) for k in range(3)), sum((c[3] for c in counts), Counter()))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = measure()
    rows = [f"| {name} | {DATA_SETS[name].about} | {w} | {a} | {c / w:.2%} |" for name, (w, c, a, _) in results.items()]
    for row, result in zip(rows, results.values(), strict=True):
        print(row, "by repair:", dict(result[3].most_common()))
    if not args.no_write:
        write_section(
            "clean",
            "\n".join(
                [
                    "`ocrfix correct` on the ground truth of each data set in `../shared/data` (clean text: every word it "
                    "changes is good text made worse, or a misprint of the original mended), `python benchmarks/clean_text.py`:",
                    "",
                    "| data | what | words | changes applied | words changed |",
                    "|---|---|---|---|---|",
                    *rows,
                ]
            ),
        )


if __name__ == "__main__":
    main()
