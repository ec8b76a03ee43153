"""One OCR text of any size corrected in bounded memory and linear time (`ocrfix correct`).

The text is read twice and never held whole. The first reading checks the bytes (binary, empty, invalid
UTF-8) and counts the words, which the corrector weighs (`Corrector.for_document`). The second cuts the
lines into blocks; a line's correction needs only itself, whether the line before ends in a broken word
and whether it ends a paragraph (`plaintext.Block`), so blocks are corrected apart, on every core, and
written in order as they come. The text's own error model is learned from its first `LEARN_CHARS`
(a whole text shorter than that, as before), and those blocks are corrected again once it has.
Line ends are kept as read (`\\r\\n` stays `\\r\\n`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from ..tokens import ends_broken
from .errormodel import ErrorModel, learn
from .plaintext import (
    Block,
    TextChange,
    corrected_block,
    keeps_paragraphs,
    last_word,
    lines_keep_paragraphs,
    text_changes,
)
from .repairs.unknown import prepare
from .words import Corrector, sure_pairs

BLOCK_LINES = 1000
"""Lines corrected as one piece of work: a few seconds of correction, against which handing the lines to
another process and back costs nothing, and few enough that the blocks in flight stay small."""
LEARN_CHARS = 1_000_000
"""The text's error model is learned from this much of it (about a 400-page volume): enough sure changes
for every confusion the text makes often, and a bound on what is held for the second look."""
SNIFF_BYTES = 65536
"""A NUL byte among the first this many bytes: binary data, not text."""


class InputError(Exception):
    """This file cannot be corrected: the message says why."""


@dataclass(frozen=True)
class Survey:
    """What the first reading learns of the whole text."""

    words: Counter[str]
    """Each whitespace-separated token, and how often the text prints it."""
    paragraphs: bool
    """The text keeps a paragraph a line (`plaintext.keeps_paragraphs`)."""
    lines: int
    problem: str | None
    """Where the text is not UTF-8 (its first place, and how many characters were replaced), or None."""


def read_lines(stream: BinaryIO) -> Iterator[tuple[str, str]]:
    """Each line of the text and its line end (`\\n`, `\\r\\n`, or nothing at the end of the text);
    invalid UTF-8 replaced by U+FFFD (a newline byte is never part of a multibyte character, so a line
    decodes as the whole text would)."""
    for raw in stream:
        end = b"\r\n" if raw.endswith(b"\r\n") else b"\n" if raw.endswith(b"\n") else b""
        yield raw[: len(raw) - len(end)].decode("utf-8", errors="replace"), end.decode()


def survey(stream: BinaryIO, name: str) -> Survey:
    """The first reading: the text's words counted, its bytes checked. Binary data and an empty text raise."""
    if b"\0" in stream.read(SNIFF_BYTES):
        raise InputError(f"{name}: not text (binary data)")
    stream.seek(0)
    words: Counter[str] = Counter()
    lengths: list[int] = []
    problem, replaced, offset, lines = None, 0, 0, 0
    for raw in stream:
        lines += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw.decode("utf-8", errors="replace")
            bad = line.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
            replaced += bad
            if problem is None:
                problem = f"invalid UTF-8 at line {lines} (byte {offset + e.start})"
        offset += len(raw)
        words.update(line.split())
        if line.strip():
            lengths.append(len(line.rstrip("\r\n")))
    if not words:
        raise InputError(f"{name}: empty file")
    where = f"{name}: {problem}; {replaced} characters replaced by U+FFFD" if problem else None
    return Survey(words, keeps_paragraphs(lengths), lines, where)


def blocks_of(lines: Iterable[str], paragraphs: bool, size: int = BLOCK_LINES) -> Iterator[Block]:
    """The lines in blocks of about `size`, each cut before a non-blank line (the next block's first,
    which the block needs to see), each knowing whether a broken word ends the lines before it."""
    pending: list[str] = []
    first, broken = 1, False
    for line in lines:
        if len(pending) >= size and line.strip():
            yield Block(pending, paragraphs, broken, line, first)
            broken = _ends_broken(pending, broken)
            first += len(pending)
            pending = []
        pending.append(line)
    yield Block(pending, paragraphs, broken, "", first)


def _ends_broken(lines: list[str], before: bool) -> bool:
    """Whether the last line with a word ends in a broken one (`before`, with no word at all)."""
    for line in reversed(lines):
        word = last_word(line)
        if word is not None:
            return ends_broken(word)
    return before


@dataclass(frozen=True)
class Corrected:
    """A block corrected: its lines, its changes (numbered as in the whole text), and what its sure changes teach."""

    texts: list[str]
    changes: list[TextChange]
    pairs: list[tuple[str, str]]
    lines: int


def _at(line: int) -> Callable[[int], int]:
    """Where every change of a line is: at that line."""
    return lambda _start: line


def correct_block(block: Block, corrector: Corrector) -> Corrected:
    texts, changes, pairs = [], [], []
    for number, fixed in enumerate(corrected_block(block, corrector), start=block.first):
        texts.append(fixed.text)
        changes += text_changes(fixed, corrector, _at(number))
        pairs += sure_pairs(fixed.tokens, fixed.proposals)
    return Corrected(texts, changes, pairs, len(block.lines))


def correct_text(text: str, corrector: Corrector) -> tuple[str, list[TextChange]]:
    """The corrected text, line for line, and every change proposed (applied or for review): a text held
    in memory, corrected as a file is."""
    lines = text.split("\n")
    blocks = blocks_of(lines, lines_keep_paragraphs(lines))
    done = list(corrected(blocks, corrector.for_document(text.split())))
    return "\n".join(t for d in done for t in d.texts), [c for d in done for c in d.changes]


def corrected(blocks: Iterator[Block], corrector: Corrector, jobs: int = 1) -> Iterator[Corrected]:
    """Every block corrected, in order, by `jobs` processes (`corrector` knows the whole text's words):
    the blocks of the first `LEARN_CHARS` a second time when they teach an error model, every later
    block with it."""
    with _workers(corrector, jobs) as run:
        head: list[Block] = []
        chars = 0
        for block in blocks:
            head.append(block)
            chars += sum(map(len, block.lines))
            if chars >= LEARN_CHARS:
                break
        first = list(run(iter(head), None))
        errors = learn(pair for done in first for pair in done.pairs)
        yield from first if errors is None else run(iter(head), errors)
        yield from run(blocks, errors)


_WORKER_CORRECTOR: Corrector | None = None
"""The corrector a forked worker inherits (sent once by the fork, not with every block)."""
_WORKER_TAUGHT: Corrector | None = None
"""The worker's corrector with the error model of its last block: the next block's model is the same one
(sent again with every block), and the corrector's memos of it are kept."""


def _work(task: tuple[Block, ErrorModel | None]) -> Corrected:
    global _WORKER_TAUGHT
    block, errors = task
    if _WORKER_TAUGHT is None or _WORKER_TAUGHT.errors != errors:
        assert _WORKER_CORRECTOR is not None
        _WORKER_TAUGHT = _WORKER_CORRECTOR.with_errors(errors)
    return correct_block(block, _WORKER_TAUGHT)


@contextmanager
def _workers(
    corrector: Corrector, jobs: int
) -> Iterator[Callable[[Iterator[Block], ErrorModel | None], Iterator[Corrected]]]:
    """A function correcting blocks in order: in this process, or in `jobs` forked ones that inherit the
    corrector and its indexes (built first, once), with at most two blocks per process in flight."""
    if jobs <= 1:

        def alone(blocks: Iterator[Block], errors: ErrorModel | None) -> Iterator[Corrected]:
            taught = corrector.with_errors(errors)
            return (correct_block(b, taught) for b in blocks)

        yield alone
        return
    global _WORKER_CORRECTOR
    prepare(corrector.lexicon)
    _WORKER_CORRECTOR = corrector
    gc.freeze()  # the workers' collector leaves the inherited objects alone: their pages stay shared, not copied
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:

        def run(blocks: Iterator[Block], errors: ErrorModel | None) -> Iterator[Corrected]:
            flight: deque = deque()
            for block in blocks:
                flight.append(pool.apply_async(_work, ((block, errors),)))
                if len(flight) >= 2 * jobs:
                    yield flight.popleft().get()
            while flight:
                yield flight.popleft().get()

        yield run
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
        _WORKER_CORRECTOR = None


def jobs_for(lines: int) -> int:
    """One process per core for a text of several blocks; this process alone for one block."""
    return min(len(os.sched_getaffinity(0)), -(-lines // BLOCK_LINES))
