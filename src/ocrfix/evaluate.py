"""CER and WER the way dinglehopper computes them.

Texts are NFC-normalised; CER is the Levenshtein distance over extended grapheme clusters
divided by the reference length in clusters; WER the same over words. Optionally line-end
hyphenation is joined on both sides first, so a word broken across lines in one text and not
in the other is not counted as an error. Whitespace runs (line breaks included) compare as one
space, since ground truth and OCR seldom break lines at the same places.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

from .tokens import HYPHENS

_HYPHEN_BREAK = regex.compile(rf"(?<=\p{{L}})[{HYPHENS}]\h*\n\h*(?=\p{{L}})")
_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True)
class Score:
    """Edit distances and reference lengths, summable over pages (micro-average)."""

    char_errors: int
    chars: int
    word_errors: int
    words: int

    @property
    def cer(self) -> float:
        return self.char_errors / self.chars if self.chars else float(self.char_errors > 0)

    @property
    def wer(self) -> float:
        return self.word_errors / self.words if self.words else float(self.word_errors > 0)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.char_errors + other.char_errors,
            self.chars + other.chars,
            self.word_errors + other.word_errors,
            self.words + other.words,
        )


ZERO = Score(0, 0, 0, 0)


def normalise(text: str, join_hyphens: bool = False) -> str:
    text = unicodedata.normalize("NFC", text)
    if join_hyphens:
        text = _HYPHEN_BREAK.sub("", text)
    return " ".join(text.split())


CHANGE_WINDOW = 2
"""Words either side of a change that its effect is judged with (a join or a split moves word boundaries)."""


def change_effects(read: list[str], changes: list[tuple[int, int, str]], truth: list[str]) -> list[int]:
    """For each change (start, end, new text) of a reading's words: 1 when it brings the words around it
    closer to the truth, -1 when it takes them further, 0 when neither (a word alignment of the reading
    with the truth places each change)."""
    at = _aligned_boundaries(read, truth)
    effects = []
    for start, end, text in changes:
        a, b = max(0, start - CHANGE_WINDOW), min(len(read), end + CHANGE_WINDOW)
        target = " ".join(truth[at[a] : at[b]])
        after = " ".join(w for w in [*read[a:start], normalise(text), *read[end:b]] if w)
        d0, d1 = Levenshtein.distance(" ".join(read[a:b]), target), Levenshtein.distance(after, target)
        effects.append((d1 < d0) - (d1 > d0))
    return effects


def _aligned_boundaries(read: list[str], truth: list[str]) -> list[int]:
    """For each word boundary of the reading, the boundary of the truth it aligns with."""
    at = [0] * (len(read) + 1)
    for op in Levenshtein.opcodes(read, truth):
        span, dest = op.src_end - op.src_start, op.dest_end - op.dest_start
        for i in range(op.src_start, op.src_end + 1):
            at[i] = op.dest_start + (round((i - op.src_start) * dest / span) if span else 0)
    at[len(read)] = len(truth)
    return at


def graphemes(text: str) -> list[str]:
    return _GRAPHEME.findall(text)


def score(reference: str, hypothesis: str, join_hyphens: bool = False) -> Score:
    ref = normalise(reference, join_hyphens)
    hyp = normalise(hypothesis, join_hyphens)
    ref_chars, hyp_chars = graphemes(ref), graphemes(hyp)
    ref_words, hyp_words = ref.split(), hyp.split()
    return Score(
        Levenshtein.distance(ref_chars, hyp_chars),
        len(ref_chars),
        Levenshtein.distance(ref_words, hyp_words),
        len(ref_words),
    )


TEXT_KINDS = {"lines": ".lines.txt", "raw": ".raw.txt", "text": ".txt"}
"""Which text of a run folder to score: its page files are pages/<id><suffix>."""


def pair_files(
    gt: Path, out: Path, kind: str = "lines", gt_suffix: str = ".gt.txt"
) -> list[tuple[str, Path, Path | None]]:
    """(id, ground-truth file, output file or None) for every ground-truth page.

    GT is a folder of `<id><gt_suffix>` files or one file. OUT is an ocrfix run folder
    (its `pages/<id>.lines.txt` etc. are used), a folder of `<id>.txt` files, or one file.
    """
    if gt.is_file():
        return [(gt.name.removesuffix(gt_suffix), gt, out if out.is_file() else None)]
    folder, suffix = (out / "pages", TEXT_KINDS[kind]) if (out / "pages").is_dir() else (out, ".txt")
    pairs = []
    for ref in sorted(gt.glob(f"*{gt_suffix}")):
        page_id = ref.name.removesuffix(gt_suffix)
        hyp = folder / f"{page_id}{suffix}"
        pairs.append((page_id, ref, hyp if hyp.is_file() else None))
    return pairs


def score_files(ref: Path, hyp: Path | None, join_hyphens: bool = False) -> Score:
    """A missing output scores as empty text: everything in the reference is an error."""
    hyp_text = hyp.read_text(encoding="utf-8") if hyp is not None else ""
    return score(ref.read_text(encoding="utf-8"), hyp_text, join_hyphens)
