"""Fit the corrector's scorer on the tune halves, report its calibration on the report halves.

    pip install -e '.[fit]'
    python benchmarks/fit_scorer.py [--pages RUN/pages] [--only PREFIX] [--no-write]

Every change the repairs propose as a run makes them (the scorer last fitted deciding the first reading of
each line, which the second reading builds on) is an example: its evidence (`scorer.Evidence`) and whether it is
right, that is whether it brings the words around it closer to the ground truth (a word alignment of the
OCR with the truth, two words either side), or wrong, taking them further (changes that do neither are left
out). Sources, each split in halves by a stable hash of its id:
- BLN600 (`../shared/data/bln600-train`): newspaper OCR from a commercial engine, and its ground truth
  corrected as if it were OCR (clean print: every change to it is wrong);
- oldbooks-dev: the page records of an `ocrfix run` over its scans (`--pages`; Tesseract's words with their
  confidences and glyph alternatives), and its ground truth corrected the same way; its halves are
  `benchmarks/alternatives.py`'s (the pages sorted by name), so that its report half is held out there too.
A logistic regression (scikit-learn) is fitted on the tune halves and written to `src/ocrfix/correct/scorer.json`
(with `--only tesseract_`, only the weights of Tesseract's glyph alternatives, which only oldbooks-dev's records
have: the rest stay as fitted, so that text without a run is scored as before; with `--only unmarked`, only the
weight of a text no word of which bears a mark of misreading, `scorer.Evidence.unmarked`, so that a text with
one is scored as before);
on the report halves the script prints the Brier score and a reliability table (predicted against observed
rightness in bins), and writes them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from alternatives import as_read, oldbooks_run, pages
from common import SHARED, write_section
from correction import half
from ocrfix import lexicon
from ocrfix.correct.page import line_proposals
from ocrfix.correct.plaintext import corrected_lines
from ocrfix.correct.scorer import MIN_EXAMPLES, WEIGHTS, Evidence, Model, features, model
from ocrfix.correct.words import Corrector, Proposal
from ocrfix.evaluate import change_effects, normalise
from ocrfix.model import Page

BLN600 = SHARED / "data" / "bln600-train"
OLDBOOKS = SHARED / "data" / "oldbooks-dev"


def _rows(source: str, read: list[str], found: list[tuple[int, int, Proposal]], truth: list[str] | None) -> list[dict]:
    labels = change_effects(read, [(s, e, p.text) for s, e, p in found], read if truth is None else truth)
    return [
        {"source": source, "label": label, "raw": " ".join(read[s:e]), "text": p.text, **_evidence_row(p.evidence)}
        for (s, e, p), label in zip(found, labels, strict=True)
        if p.evidence is not None
    ]


def _evidence_row(e: Evidence) -> dict:
    return {"repair": str(e.repair), "features": features(e)}


def text_examples(source: str, text: str, truth: str | None) -> list[dict]:
    """The changes proposed for a plain text, with their labels."""
    corrector = Corrector(lexicon.load()).for_document(text.split())
    read: list[str] = []
    found: list[tuple[int, int, Proposal]] = []
    for line in corrected_lines(text, corrector):
        found += [(len(read) + p.start, len(read) + p.end, p) for p in line.proposals]
        read += [normalise(t.text) for t in line.tokens]
    return _rows(source, read, found, normalise(truth).split() if truth is not None else None)


def page_examples(source: str, record: Path, truth: str) -> list[dict]:
    """The changes proposed for a page record as Tesseract read it (earlier corrections undone), with labels."""
    page = as_read(Page.from_dict(json.loads(record.read_text(encoding="utf-8"))))
    read: list[str] = []
    found: list[tuple[int, int, Proposal]] = []
    for words, proposals in line_proposals(page, Corrector(lexicon.load())):
        found += [(len(read) + p.start, len(read) + p.end, p) for p in proposals]
        read += [normalise(w.final) for w in words]
    return _rows(source, read, found, normalise(truth, join_hyphens=True).split())


def jobs(records: Path | None) -> list[tuple[str, str, tuple]]:
    """(split, function name, arguments) for every text of every source."""
    out = []
    for ocr in sorted(BLN600.glob("*.ocr.txt")):
        article = ocr.name.split(".")[0]
        gt = ocr.with_name(f"{article}.gt.txt").read_text(encoding="utf-8")
        out.append((half(article), "text", ("bln600 ocr", ocr.read_text(encoding="utf-8"), gt)))
        out.append((half(article), "text", ("bln600 truth", gt, None)))
    for split in ("tune", "report"):
        for page in pages(split):
            gt = unicodedata.normalize("NFC", (OLDBOOKS / f"{page}.gt.txt").read_text(encoding="utf-8"))
            out.append((split, "text", ("oldbooks truth", gt, None)))
            if records is not None and (records / f"{page}.json").exists():
                out.append((split, "page", ("oldbooks ocr", records / f"{page}.json", gt)))
    return out


def run_job(job: tuple[str, str, tuple]) -> list[dict]:
    split, kind, args = job
    rows = text_examples(*args) if kind == "text" else page_examples(*args)
    return [{**r, "split": split} for r in rows]


def fit(rows: list[dict]) -> tuple[float, dict[str, float]]:
    """A logistic regression of rightness on the features; the standardisation folded into the weights."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = sorted({k for r in rows for k in r["features"]})
    x = np.array([[r["features"].get(k, 0.0) for k in names] for r in rows])
    y = np.array([r["label"] > 0 for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=5000).fit((x - mean) / scale, y)
    weights = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - (weights * mean).sum())
    return intercept, {k: round(float(w), 6) for k, w in zip(names, weights, strict=True) if abs(w) > 1e-9}


def fit_only(rows: list[dict], prefix: str, kept: Model) -> dict[str, float]:
    """The weights of the features whose names start with `prefix`, the others kept as `kept` has them: a logistic
    regression whose offset is `kept`'s log odds without those features (penalised as `fit` is, on features scaled
    to unit deviation), so a text whose features of `prefix` are all 0 is scored as before."""
    import numpy as np
    from scipy.optimize import minimize

    names = sorted({k for r in rows for k in r["features"] if k.startswith(prefix)})
    rows = [r for r in rows if any(r["features"].get(k) for k in names)]  # the others do not move these weights
    others = Model(kept.intercept, {k: w for k, w in kept.weights.items() if not k.startswith(prefix)}, kept.repairs)
    offset = np.array([math.log(p / (1 - p)) for p in (others.of_features(r["features"]) for r in rows)])
    x = np.array([[r["features"].get(k, 0.0) for k in names] for r in rows])
    y = np.array([float(r["label"] > 0) for r in rows])
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0

    def loss(w: np.ndarray) -> float:
        z = offset + (x / scale) @ w
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * w @ w)

    weights = minimize(loss, np.zeros(len(names))).x / scale
    return {**others.weights, **{k: round(float(w), 6) for k, w in zip(names, weights, strict=True)}}


def reliability(rows: list[dict], predicted: list[float]) -> list[tuple[str, int, float, float]]:
    """(bin, changes, mean predicted, share right) in tenths of predicted probability."""
    bins: dict[int, list[tuple[float, bool]]] = {}
    for r, p in zip(rows, predicted, strict=True):
        bins.setdefault(min(int(p * 10), 9), []).append((p, r["label"] > 0))
    return [
        (f"{k / 10:.1f}-{(k + 1) / 10:.1f}", len(v), sum(p for p, _ in v) / len(v), sum(y for _, y in v) / len(v))
        for k, v in sorted(bins.items())
    ]


def per_repair(rows: list[dict], predicted: list[float], threshold: float) -> list[tuple[str, int, int, int, int]]:
    """(repair, proposed, applied, applied and right, applied and wrong) at the apply threshold."""
    table: dict[str, list[int]] = {}
    for r, p in zip(rows, predicted, strict=True):
        t = table.setdefault(r["repair"], [0, 0, 0, 0])
        t[0] += 1
        if p >= threshold:
            t[1] += 1
            t[2] += r["label"] > 0
            t[3] += r["label"] < 0
    return [(k, *v) for k, v in sorted(table.items(), key=lambda kv: -kv[1][0])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=Path, help="page records of an ocrfix run over oldbooks-dev (default: made once)"
    )
    parser.add_argument(
        "--only",
        metavar="PREFIX",
        help="fit only the features named so (`tesseract_`: the glyph alternatives'), the rest kept from scorer.json",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the figures; keep scorer.json and docs/benchmarks.md"
    )
    args = parser.parse_args()
    with ProcessPoolExecutor(2) as pool:
        rows = [r for chunk in pool.map(run_job, jobs(args.pages or oldbooks_run()), chunksize=4) for r in chunk]
    kept = model()
    if args.only and kept is None:
        raise SystemExit("--only needs a fitted scorer.json to keep")
    counts = Counter(r["repair"] for r in rows if r["split"] == "tune")
    fitted = sorted(kept.repairs if args.only and kept else (k for k, n in counts.items() if n >= MIN_EXAMPLES))
    # a change that leaves its words as far from the truth as they were (the truth reads another word
    # altogether) tells nothing of whether changes like it help or harm
    tune = [r for r in rows if r["split"] == "tune" and r["repair"] in fitted and r["label"]]
    report = [r for r in rows if r["split"] == "report" and r["repair"] in fitted and r["label"]]
    if args.only and kept:
        intercept, weights = kept.intercept, fit_only(tune, args.only, kept)
    else:
        intercept, weights = fit(tune)
    fitted_model = Model(intercept, weights, frozenset(fitted))
    predicted = [fitted_model.of_features(r["features"]) for r in report]
    brier = sum((p - (r["label"] > 0)) ** 2 for r, p in zip(report, predicted, strict=True)) / len(report)
    base = sum(r["label"] > 0 for r in tune) / len(tune)
    brier_base = sum((base - (r["label"] > 0)) ** 2 for r in report) / len(report)
    bins = reliability(report, predicted)
    print(
        json.dumps(
            {
                "examples": {"tune": len(tune), "report": len(report)},
                "by_source": Counter(f"{r['split']} {r['source']}" for r in rows),
                "brier": brier,
                "brier_constant": brier_base,
            },
            indent=1,
        )
    )
    for row in bins:
        print("{}  {:6d}  predicted {:.3f}  observed {:.3f}".format(*row))
    from ocrfix.correct.words import Params

    for row in per_repair(report, predicted, Params().apply_threshold):
        print("{:<16} proposed {:5d}  applied {:5d}  right {:5d}  wrong {:4d}".format(*row))
    if args.no_write:
        return
    if args.only:  # the sources of the weights kept, and how many changes had the features fitted
        glyphs = [r for r in tune if any(v for k, v in r["features"].items() if k.startswith(args.only))]
        earlier = json.loads(WEIGHTS.read_text(encoding="utf-8"))["fitted_on"]
        fitted_on = {**{k: v for k, v in earlier.items() if not k.startswith(args.only)}, f"{args.only}*": len(glyphs)}
        how = (
            f"its features `{args.only}*` fitted on the {len(glyphs)} changes of the tune halves that have them "
            f"(`--only {args.only}`), the others as fitted before"
        )
    else:
        fitted_on = dict(Counter(r["source"] for r in tune))
        how = (
            f"fitted on the tune halves ({len(tune)} proposed changes of BLN600 and oldbooks-dev, OCR and ground truth)"
        )
    WEIGHTS.write_text(
        json.dumps(
            {
                "intercept": round(intercept, 6),
                "weights": weights,
                "repairs": fitted,
                "fitted_on": fitted_on,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    write_section(
        "calibration",
        "\n".join(
            [
                f"The corrector's scorer, {how}, on the report halves ({len(report)} changes), "
                f"`python benchmarks/fit_scorer.py{f' --only {args.only}' if args.only else ''}`: "
                f"Brier score {brier:.3f} (a constant guess: {brier_base:.3f}).",
                "",
                "| predicted | changes | mean predicted | observed right |",
                "|---|---|---|---|",
                *(f"| {b} | {n} | {p:.2f} | {o:.2f} |" for b, n, p, o in bins),
            ]
        ),
    )


if __name__ == "__main__":
    main()
