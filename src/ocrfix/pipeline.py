"""The per-page pipeline and the volume step, as plain functions (Prefect wraps them in `ocrfix.flows`).

`process_page` never raises for a bad scan: the problem becomes a failed `PageResult` with a
one-line reason, so the rest of the batch goes on. What it does raise (an OcrError, which a retry
may cure, or an error of ocrfix's own on an odd page) the orchestrator turns into a failed page
with `failed_result`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import platform
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2

from . import __version__, accents, footnotes, lexicon, outputs, run_names
from .correct import layout
from .correct.page import correct_page
from .correct.repairs import unknown
from .correct.words import Corrector
from .export import DEFAULT_FORMATS
from .markers import mark_footnotes
from .model import Figure, Line, Page, Stamp
from .ocr import DEFAULT_LANG, DEFAULT_TIMEOUT, OcrError, read_lines, start_readers, tesseract_version
from .page_files import write_pages
from .preprocess import Prepared, estimate_dpi, prepare
from .review.decisions import applied_decisions
from .review.report import write_report
from .smallcaps import mark_small_capitals
from .sources import PageRef, SourceError, Unreadable, list_pages, load_page, one_line, readable, shown
from .stamp_words import read_stamps


@dataclass(frozen=True)
class Settings:
    """Everything that changes what a page's outputs hold."""

    lang: str = DEFAULT_LANG
    timeout: float = DEFAULT_TIMEOUT
    dictionaries: tuple[str, ...] = ()
    """Extra dictionary files (`--dict`), used with the bundled ones."""
    correct: bool = True

    def load_lexicon(self) -> lexicon.Lexicon:
        return lexicon.load(tuple(Path(p) for p in self.dictionaries))


@dataclass(frozen=True)
class PageResult:
    """What the volume step and run.json need to know about a page: small, never the image."""

    id: str
    source: str
    frame: int
    status: str
    """done, blank (no text found) or failed."""
    reason: str = ""
    words: int = 0
    mean_conf: float | None = None
    changes: int = 0
    """Changes applied to the page's words."""
    review: int = 0
    """Changes proposed but not applied: they wait for a reviewer."""
    dpi: float | None = None
    rotation: int = 0
    skew: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)
    """What reading the page cost, step by step: this run's, or for a page from the cache the run's
    that read it (`{"cached": 0.0}` when that is not known)."""
    cached: bool = False
    """Finished by an earlier run with the same scan and settings: not read by this one."""


def warm_up(settings: Settings, readers: int) -> None:
    """Start `readers` resident Tesseracts and load what correction needs (lexicons, the SymSpell index, the
    tables of known words and of words by length) ahead of the first page that needs them; later calls find them
    ready. (With the index alone, the first page of a 6-page run built the tables: its correction took 0.21 s
    against 0.02-0.06 s.)"""
    one_thread_per_page()
    start_readers(settings.lang, readers)
    if settings.correct:
        first_pages_prepared()
        lexicon = settings.load_lexicon()
        unknown.prepare(lexicon)
        layout.prepare(lexicon)


def warm_up_ahead(settings: Settings, readers: int) -> None:
    """`warm_up` in a thread of its own, while the run does something else."""
    threading.Thread(target=warm_up, args=(settings, readers), daemon=True, name="warm-up").start()


def look_ahead(scans: Path, out: Path, settings: Settings, readers: int) -> int:
    """The number of pages in SCANS (a file that cannot be opened counts one); when some are still to be
    read into OUT, with `readers` > 0 (pages read in this process), `warm_up` for them begins now (it
    takes 3-4 s) while the command waits for its Prefect server and flow run, rather than with the first
    pages, and so does the reading of the first pages (`read_ahead`). Nothing starts for a folder
    with nothing to do: such a rerun waits for no lexicon and no Tesseract."""
    refs, unreadable = scan_listing(scans)
    finished = finished_pages(refs, out, settings)
    todo = [ref for ref in refs if ref.id not in finished]
    if todo and readers:
        read_ahead(todo, settings, min(readers, len(todo)))
        warm_up_ahead(settings, min(readers, len(todo)))
    return len(refs) + len(unreadable)


def scan_listing(scans: Path) -> tuple[list[PageRef], list[Unreadable]]:
    """`list_pages`, listed once per process while the folder holds the same files, each as it was: `ocrfix run`
    lists its scans as it starts (`look_ahead`), to name its flow run and in the flow, and a listing opens every
    scan to count its pages (about 0.05 s of CPU for 400 files) where the files' state is a stat of each (3 ms)."""
    state = _folder_state(scans)
    if state is None:
        return list_pages(scans)
    refs, unreadable = _listing(scans, state)
    return list(refs), list(unreadable)


FolderState = tuple[tuple[str, outputs.FileState], ...]


def _folder_state(folder: Path) -> FolderState | None:
    """Each entry of the folder by name with its state (see `outputs.FileState`), None when it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((entry.name, outputs.file_state(Path(entry.path))) for entry in entries))
    except OSError:
        return None


@lru_cache(maxsize=16)
def _listing(scans: Path, state: FolderState) -> tuple[tuple[PageRef, ...], tuple[Unreadable, ...]]:
    """`scan_listing` while the folder is in `state`: a run's listings come one after another, so a few entries do
    (a schedule's tick runs its volumes in turn)."""
    refs, unreadable = list_pages(scans)
    return tuple(refs), tuple(unreadable)


def one_thread_per_page() -> None:
    """Tesseract (`OMP_THREAD_LIMIT`, read by each reader as it starts) and OpenCV on one thread each: a run
    reads one page per worker, and their own threads would fight the workers for the cores (OpenCV's cost
    preprocessing 57 ms of CPU a page against 54 ms on one thread, outputs the same, on 35 oldbooks-dev pages)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)


def worker_count(workers: int) -> int:
    """Pages read at once: `workers`, or one per core when 0."""
    return workers or os.cpu_count() or 1


def process_page(ref: PageRef, out: Path, settings: Settings) -> PageResult:
    """Load, prepare, read, correct and write one page, unless its outputs are already there for
    the same scan content and settings. A bad scan becomes a failed result; an OcrError (a crash or
    a timeout of Tesseract, possibly transient) is raised so that the orchestrator may retry, and so
    is any other exception, which no retry cures (see `failed_result`)."""
    try:
        return _process_page(ref, out, settings)
    finally:
        release_freed_memory()


def release_freed_memory() -> None:
    """Hand the memory a page's images freed back to the system. glibc keeps freed blocks in one arena per
    worker thread, and the pages' large arrays leave them fragmented: on 151 oldbooks-dev pages the command's
    own process peaked at 0.668 GB without this, 0.651-0.654 GB with it (0.645 GB with two arenas,
    MALLOC_ARENA_MAX=2, which a running process cannot set for itself). No-op without glibc."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018  # only glibc has it
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _glibc()


@dataclass
class _Read:
    """A page loaded, prepared and read by Tesseract: the part of its work that needs no lexicon (of the scan,
    only what the record keeps: a page read ahead holds no scan image until its task takes it)."""

    scan_shape: tuple[int, int]
    dpi_estimated: bool
    dpi: float
    prepared: Prepared
    lines: list[Line]
    stamps: list[Stamp]
    seconds: dict[str, float]


AHEAD_PER_READER = 2
"""Pages each reader reads ahead at most, until the first task begins (see `read_ahead`): with one, the readers
of a 6-page run on a lingering server sat idle for 1.5 s between their first page and the first task (a /proc
timeline); with two, that run took 9.7 s against 9.97 s (3 runs each, oldbooks-dev's first 6 pages). Each page
read ahead holds its prepared image until its task takes it."""
_AHEAD: dict[tuple[str, str], Future[_Read | PageResult]] = {}
"""The pages read ahead (`read_ahead`), by page id and key (two scans may hold the same pixels), until their
task takes them."""
_AHEAD_LOCK = threading.Lock()
_tasks_began = False
"""Set by the first page task: no page is read ahead after it (each one read ahead has a task to take it)."""
_unprepared: set[int] = set()
"""The threads reading ahead (by number) whose first page is not yet prepared (see `first_pages_prepared`)."""
_PREPARED = threading.Condition(_AHEAD_LOCK)
"""Told each time a thread reading ahead has its first page prepared."""


def read_ahead(refs: list[PageRef], settings: Settings, readers: int) -> None:
    """Begin reading these pages now, in `readers` threads, while the command imports Prefect and waits for
    its flow run (2-5 s, in which the command's Python holds one core and the readers can have the other):
    their tasks take what was read (`_process_page`). Each thread reads one page after another, at most
    `AHEAD_PER_READER`, until the first task begins. Only what needs no lexicon is read ahead; a page's reading
    ahead is its task's first attempt: what it raised, the task raises, and is retried for or not as before."""
    global _tasks_began
    threads = [refs[first : readers * AHEAD_PER_READER : readers] for first in range(readers)]
    with _AHEAD_LOCK:  # a run before this one in the same process (a test's) left its own
        _AHEAD.clear()
        _tasks_began = False
        _unprepared.update(first for first, mine in enumerate(threads) if mine)
    for first, mine in enumerate(threads):
        if mine:
            threading.Thread(target=_fill, args=(first, mine, settings), daemon=True, name=f"ahead {first}").start()


def first_pages_prepared() -> None:
    """Wait until each thread reading ahead has prepared its first page (or failed to): until then the readers
    have nothing to read, and the command's other work at the start (importing Prefect, loading the lexicon)
    would share the one interpreter with the preparing (their Tesseracts sat idle 0.5 s of a 6-page run for
    it, a /proc timeline). Returns at once when nothing is read ahead."""
    with _PREPARED:
        _PREPARED.wait_for(lambda: not _unprepared)


def _prepared(thread: int) -> None:
    """Thread `thread` of `read_ahead` has prepared its first page, failed to, or ended (said again, no change)."""
    with _PREPARED:
        _unprepared.discard(thread)
        _PREPARED.notify_all()


def _fill(thread: int, refs: list[PageRef], settings: Settings) -> None:
    try:
        for ref in refs:
            try:
                key = page_key(ref, settings)
            except OSError:  # the scan is gone since it was listed: its task fails the page in one line
                continue
            ahead: Future[_Read | PageResult] = Future()
            with _AHEAD_LOCK:
                if _tasks_began:
                    return
                _AHEAD[ref.id, key] = ahead
            try:
                ahead.set_result(_read(ref, settings, _Clock(), lambda: _prepared(thread)))
            except BaseException as err:  # noqa: BLE001  # kept for the task, which raises it
                ahead.set_exception(err)
    finally:
        _prepared(thread)


def _taken_ahead(ref: PageRef, key: str) -> Future[_Read | PageResult] | None:
    """The page's reading ahead, if one began; no page is read ahead once a task has asked."""
    global _tasks_began
    with _AHEAD_LOCK:
        _tasks_began = True
        return _AHEAD.pop((ref.id, key), None)


def _process_page(ref: PageRef, out: Path, settings: Settings) -> PageResult:
    clock = _Clock()
    key = page_key(ref, settings)
    done = finished_result(ref, out, key)
    if done is not None:
        return done
    ahead = _taken_ahead(ref, key)
    # the reading ahead is this task's first attempt: what it raised, the task raises (and is retried for or not)
    read = ahead.result() if ahead is not None else _read(ref, settings, clock)
    if isinstance(read, PageResult):
        return read
    if ahead is not None:
        clock = _Clock(read.seconds)  # the time the task waited for it was spent elsewhere
    dpi, prepared, lines, stamps = read.dpi, read.prepared, read.lines, read.stamps
    height, width = prepared.image.shape[:2]
    page = Page(
        id=ref.id,
        source=str(ref.path),
        frame=ref.frame,
        width=width,
        height=height,
        dpi=round(dpi, 1),
        dpi_estimated=read.dpi_estimated,
        rotation=prepared.rotation,
        skew=round(prepared.skew, 3),
        steps=list(prepared.steps),
        lang=settings.lang,
        lines=lines,
        cache_key=key,
        scan_width=read.scan_shape[1],
        scan_height=read.scan_shape[0],
        stamps=stamps,
        figures=[Figure(box) for box in prepared.figures],
    )
    if settings.correct:
        mark_footnotes(page.lines, prepared.image, settings.lang, dpi, settings.timeout)
        clock.lap("markers")
        lex = settings.load_lexicon()
        for word, above in zip(
            page.words, accents.page_marks(page, prepared.image, lex.has_accented_form), strict=True
        ):
            word.above = above
        mark_small_capitals(page, prepared.image)
        layout.mark_noise(page, lex)
        correct_page(page, Corrector(lex))
        clock.lap("correct")
    outputs.write_page(page, out)
    clock.lap("write")
    return _result(page, ref, clock.laps)


def _read(
    ref: PageRef, settings: Settings, clock: _Clock, on_prepared: Callable[[], None] | None = None
) -> _Read | PageResult:
    """Load, prepare and read the page, calling `on_prepared` before it is read; a scan that cannot be loaded
    is a failed result."""
    try:
        scan = load_page(ref)
    except SourceError as err:
        return PageResult(ref.id, str(ref.path), ref.frame, "failed", str(err), seconds=clock.laps)
    clock.lap("load")
    dpi = scan.dpi or estimate_dpi(scan.gray)
    prepared = prepare(scan.gray, dpi, colour=scan.colour)
    clock.lap("preprocess")
    if on_prepared is not None:
        on_prepared()
    lines = read_lines(prepared.image, settings.lang, dpi, settings.timeout)
    stamps = read_stamps(prepared.stamps, prepared.stamp_inks, dpi, settings.lang, settings.timeout)
    clock.lap("ocr")
    return _Read(scan.gray.shape[:2], scan.dpi is None, dpi, prepared, lines, stamps, clock.laps)


def finished_result(ref: PageRef, out: Path, key: str) -> PageResult | None:
    """The result of a page whose outputs are already in `out` for the same key (see `page_key`), or None."""
    return _checked_result(ref, out, key, outputs.page_files_state(out, ref.id))


@lru_cache(maxsize=4096)
def _checked_result(ref: PageRef, out: Path, key: str, state: outputs.FilesState) -> PageResult | None:
    """`finished_result` while the page's files are in `state`: checked once per process rather than at each
    step that asks (`ocrfix run` as it starts, in `look_ahead`; the flow before deciding which pages need a
    task; each page's task), as the check reads the record and hashes every file it lists (about 2 ms of CPU
    a page, 0.9 s for 400), where the state is a stat of each file (0.05 ms). Room for a volume of 4096 pages: a
    run checks all its pages at one step before the next step checks them again."""
    done = outputs.finished_page(out, ref.id, key)
    return None if done is None else replace(_result(done, ref, {"cached": 0.0}), cached=True)


def finished_pages(refs: list[PageRef], out: Path, settings: Settings) -> dict[str, PageResult]:
    """The pages of `refs` an earlier run finished with the same scan and settings, by id (see `earlier_result`)."""
    return {ref.id: earlier for ref in refs if (earlier := earlier_result(ref, out, settings))}


def earlier_result(ref: PageRef, out: Path, settings: Settings) -> PageResult | None:
    """The result of a page an earlier run finished with the same scan and settings, or None: also when
    the scan cannot be read any more (removed since it was listed), so that its page task fails it in
    one line (see `failed_result`) instead of the whole run."""
    try:
        return finished_result(ref, out, page_key(ref, settings))
    except OSError:
        return None


def _result(page: Page, ref: PageRef, seconds: dict[str, float]) -> PageResult:
    words = page.words
    status, reason = ("done", "") if words else ("blank", f"{ref.path}: blank page (no text found)")
    return PageResult(
        ref.id,
        str(ref.path),
        ref.frame,
        status,
        reason,
        words=len(words),
        mean_conf=round(sum(w.conf for w in words) / len(words), 2) if words else None,
        changes=sum(c.applied for w in words for c in w.changes),
        review=sum(not c.applied for w in words for c in w.changes),
        dpi=page.dpi,
        rotation=page.rotation,
        skew=page.skew,
        seconds=seconds,
    )


def page_key(ref: PageRef, settings: Settings) -> str:
    """What a page's outputs depend on: the scan's bytes, which page of it, the settings, the
    dictionaries' contents and the version of ocrfix. Not the path or the modification time."""
    stat = ref.path.stat()
    digest = hashlib.sha256(_file_digest(str(ref.path), stat.st_size, stat.st_mtime_ns))
    digest.update(f"{ref.frame}|{_settings_digest(settings)}".encode())
    return digest.hexdigest()


@lru_cache(maxsize=4096)
def _file_digest(path: str, size: int, mtime_ns: int) -> bytes:
    """SHA-256 of the file's bytes, read once per process while the file is unchanged: `ocrfix run` asks
    as it starts (`look_ahead`), the flow before deciding which pages need a task, the page again, and
    every page of a PDF or TIFF asks. Room for ten volumes of 400 files (a digest is 32 bytes): with
    fewer, a volume's scans would be read in full at each of those steps."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


@lru_cache(maxsize=16)
def _settings_digest(settings: Settings) -> str:
    digest = hashlib.sha256(json.dumps([__version__, asdict(settings)], sort_keys=True).encode())
    for path in lexicon.dictionary_paths(tuple(Path(p) for p in settings.dictionaries)) + [lexicon.rejections_file()]:
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def unreadable_result(item: Unreadable) -> PageResult:
    return PageResult(item.id, readable(str(item.path)), 0, "failed", item.reason)


def failed_result(ref: PageRef, err: BaseException) -> PageResult:
    """A page whose processing raised (see `process_page`), as a failed page with a one-line reason
    naming the file, and the page of a multi-page file: Tesseract's own reason for an OcrError, the
    kind and message of any other exception (an odd image ocrfix does not cope with; its traceback
    is in the orchestrator's log, not on the user's terminal)."""
    where = shown(ref.path) + (f": page {ref.frame + 1}" if ref.id.endswith(f"-p{ref.frame + 1:04d}") else "")
    what = one_line(err) if isinstance(err, OcrError) else f"failed ({type(err).__name__}: {one_line(err)})"
    return PageResult(ref.id, str(ref.path), ref.frame, "failed", f"{where}: {what}")


def render_outputs(
    pages: list[Page],
    out: Path,
    formats: tuple[str, ...],
    lex: lexicon.Lexicon | None = None,
    volume: dict[str, Any] | None = None,
) -> tuple[dict[str, float], list[dict[str, str]]]:
    """Every output rendered from the page records (page texts, volume.txt, corrections.tsv, names.tsv, the
    standard formats, report.html): after a run's volume pass and after a reviewer's decisions alike.
    `lex`: the run's lexicon, for the names index and the review report (unless given, the one the run in
    `out` used, as its run.json says); `volume`: what the run did with the volume's names (run.json's
    `volume_names`, the last run's unless given), for the report.
    Returns the report's summary and the volume-level failures (a volume.pdf that could not be made)."""
    last = _readable_last_run(out) if lex is None or volume is None else None
    applied = lex or _applied_lexicon(out, last)
    names = volume if volume is not None else run_names.earlier(last) or None
    failures: list[dict[str, str]] = []
    review: dict[str, float] = {}

    def volume_files() -> None:
        outputs.write_volume(pages, out)
        outputs.write_corrections(pages, out)
        outputs.write_names(pages, applied, out)
        if "pdf" in formats and pages:
            from .export.pdf import write_pdf

            try:
                write_pdf(pages, out / VOLUME_PDF)
            except (SourceError, OSError, ValueError) as err:  # e.g. a scan moved since its page was read
                failures.append(
                    {"id": VOLUME_PDF, "source": str(out / VOLUME_PDF), "reason": f"{VOLUME_PDF}: {one_line(err)}"}
                )
        review.update(write_report(pages, out, applied.knows, names))

    write_pages(pages, out, formats, then=volume_files)
    return review, failures


def _applied_lexicon(out: Path, last: dict[str, Any] | None) -> lexicon.Lexicon:
    """The lexicon of the run in `out` (its `--dict` files and the volume's names it applied, as its run.json
    `last` says), for outputs rendered again after a review; the general one when there is no run.json."""
    files = tuple(Path(p) for p in (last or {}).get("settings", {}).get("dictionaries", []) if Path(p).is_file())
    return run_names.applied_lexicon(out, lexicon.load(files), files, last)


def finish_volume(
    results: Iterable[PageResult],
    out: Path,
    settings: Settings,
    config: dict[str, Any],
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> dict[str, Any]:
    """The volume pass and the volume-level outputs (volume.txt, corrections.tsv, the standard formats,
    report.html, names.tsv, run.json) from the finished pages; returns run.json's content. A page from the cache
    keeps the timings the last run.json gives it, and a run that read no page says so in `noop_run`
    beside them: a rerun with nothing to do leaves the figures of the run that did the work."""
    last = _readable_last_run(out)
    results = _with_earlier_timings(list(results), last)
    failures = [{"id": r.id, "source": r.source, "reason": r.reason} for r in results if r.status == "failed"]
    previous = _last_run_if_nothing_changed(results, last, out, settings, formats)
    volume_names: dict[str, Any] | None = None
    if previous is not None:
        review, volume_failures = previous["review"], [f for f in previous["failures"] if f["id"] == VOLUME_PDF]
        written = previous["outputs"]
        volume_names = {**run_names.earlier(previous), "again": []} if run_names.earlier(previous) else None
    else:
        pages = outputs.read_pages(out, [r.id for r in results if r.status != "failed"])
        # the run's own lexicon, `--dict` included: loaded once, for the volume pass and the report
        lex = settings.load_lexicon()
        if settings.correct:
            # the volume's own names first: the words of the other pages corrected again with them, then the pass
            lex, names = run_names.apply(
                pages,
                out,
                lex,
                tuple(Path(p) for p in settings.dictionaries),
                {r.id for r in results if not r.cached},
                last,
                {page for d in applied_decisions(out, pages) for page, _, _ in d.items},
            )
            volume_names = names.record()
            volume_pass(pages, lex)
        review, volume_failures = render_outputs(pages, out, formats, lex, volume_names)
        written = {name: digest for name in _volume_files(formats) if (digest := outputs.file_digest(out / name))}
    failures += volume_failures
    run = {
        "ocrfix": __version__,
        "tesseract": tesseract_version(),
        "python": platform.python_version(),
        "settings": asdict(settings),
        "config": {**config, "formats": list(formats)},
        "summary": {
            "pages": len(results),
            "words": sum(r.words for r in results),
            "changes": sum(r.changes for r in results),
            "review": sum(r.review for r in results),
        },
        "review": review,
        "pages": [asdict(r) for r in results],
        "failures": failures,
        "blank": [r.id for r in results if r.status == "blank"],
        "outputs": written,
    }
    if volume_names is not None:
        run["volume_names"] = volume_names
    if any(r.cached for r in results) and not any(r.status != "failed" and not r.cached for r in results):
        run["noop_run"] = {
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "pages": sum(r.cached for r in results),
        }
    outputs.write_run(run, out)
    return run


def volume_pass(pages: list[Page], lex: lexicon.Lexicon, footnote_blocks: bool = True) -> None:
    """The volume's structure across its pages: running heads and folios (a head's word misread on one page
    mended to the reading most pages print), footnote blocks (after the folios: one
    below the notes is no note), line-end and page-break hyphenation, paragraphs continued over a page break.
    `footnote_blocks=False` leaves the lines' roles as they are, to measure what the blocks add."""
    layout.mark_running_heads(pages)
    layout.mend_running_heads(pages, lex)
    if footnote_blocks:
        footnotes.mark_footnote_blocks(pages)
    layout.mark_hyphenation(pages, lex)
    layout.mark_page_continuations(pages)


def run_outcome(run: dict[str, Any]) -> str:
    """What a run did, in a phrase (the command's last line, the flow run's state): `3 of 4 pages read,
    1 failed`, `1 of 5 pages read, 4 already done, 0 failed`, `nothing new: 4 pages already done`, and how
    many pages were corrected again for the volume's names (`run_names`): `...; 2 pages corrected again for the
    volume's names`."""
    pages = run["pages"]
    earlier = sum(p["cached"] for p in pages)
    failed = len(run["failures"])
    again = len(run_names.earlier(run).get("again", []))
    names = f"; {again} page{'' if again == 1 else 's'} corrected again for the volume's names" if again else ""
    if "noop_run" in run:
        return (
            f"nothing new: {earlier} page{'' if earlier == 1 else 's'} already done"
            + (f", {failed} failed" if failed else "")
            + names
        )
    read = sum(p["status"] == "done" and not p["cached"] for p in pages)
    return (
        f"{read} of {len(pages)} pages read"
        + (f", {earlier} already done" if earlier else "")
        + f", {failed} failed"
        + names
    )


def _readable_last_run(out: Path) -> dict[str, Any] | None:
    """The last run's run.json, or None when there is none or it is no run's record (it is rebuilt)."""
    try:
        return last_run(out)
    except RunFileError:
        return None


def _with_earlier_timings(results: list[PageResult], last: dict[str, Any] | None) -> list[PageResult]:
    """Each page from the cache with the timings the last run.json gives the same page."""
    earlier = {p["id"]: p.get("seconds") for p in (last or {}).get("pages", [])}
    return [
        replace(r, seconds=earlier[r.id]) if r.cached and isinstance(earlier.get(r.id), dict) else r for r in results
    ]


VOLUME_PDF = "volume.pdf"
VOLUME_FILES = ("volume.txt", "corrections.tsv", "names.tsv", "report.html")


def _volume_files(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The files the volume step writes besides the pages' (their SHA-256 are run.json's `outputs`)."""
    return VOLUME_FILES + ((VOLUME_PDF,) if "pdf" in formats else ())


def _last_run_if_nothing_changed(
    results: list[PageResult], last: dict[str, Any] | None, out: Path, settings: Settings, formats: tuple[str, ...]
) -> dict[str, Any] | None:
    """The last run's run.json (`last`) when this run changed nothing, so the volume step has nothing to
    redo: every page came from the cache (its files intact), the pages, settings, formats and ocrfix
    version are the last run's, its volume files are as it wrote them (the SHA-256 run.json keeps), and
    no file under pages/ is newer than run.json (written last; an interrupted volume step leaves newer
    records behind)."""
    if last is None or not all(r.cached for r in results if r.status != "failed"):
        return None
    try:
        finished = (out / outputs.RUN_FILE).stat().st_mtime_ns
        newest = max((p.stat().st_mtime_ns for p in (out / "pages").iterdir()), default=0)
    except OSError:
        return None
    kept = last.get("outputs", {})
    same = (
        last["ocrfix"] == __version__
        and last["settings"] == json.loads(json.dumps(asdict(settings)))
        and last["config"].get("formats") == list(formats)
        and [(p["id"], p["status"]) for p in last["pages"]] == [(r.id, r.status) for r in results]
    )
    intact = all(outputs.unchanged(out / name, kept.get(name)) for name in _volume_files(formats))
    names_kept = not settings.correct or not run_names.file_changed(out, last)  # an edit of the names is applied
    return last if same and newest <= finished and intact and names_kept else None


class RunFileError(Exception):
    """OUT/run.json is there but is not what an ocrfix run writes; str() is the one-line reason."""


def last_run(out: Path) -> dict[str, Any] | None:
    """OUT/run.json as an earlier run wrote it, or None when there is none. The folder is checked, not
    trusted: a run.json that is no run's record (edited, truncated, another program's) raises
    RunFileError, and the run rebuilds it rather than failing on it forever."""
    path = out / outputs.RUN_FILE
    try:
        run = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as e:
        raise RunFileError(f"{path}: cannot be read ({e.strerror})") from None
    except ValueError as e:  # invalid JSON or not UTF-8
        raise RunFileError(f"{path}: not JSON ({e})") from None
    problem = _run_problem(run)
    if problem:
        raise RunFileError(f"{path}: not an ocrfix run record ({problem})")
    return run


_RUN_FIELDS = {
    "ocrfix": str,
    "settings": dict,
    "config": dict,
    "summary": dict,
    "review": dict,
    "pages": list,
    "failures": list,
    "blank": list,
}
_ENTRY_FIELDS = {"pages": ("id", "status"), "failures": ("id", "source", "reason")}
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def _run_problem(run: object) -> str:
    """What keeps `run` from being a run record the volume step may reuse ('' when nothing does)."""
    if not isinstance(run, dict):
        return f"{_JSON_TYPES[type(run)]}, not an object"
    for key, kind in _RUN_FIELDS.items():
        if key not in run:
            return f"no {key!r}"
        if not isinstance(run[key], kind):
            return f"{key!r} is {_JSON_TYPES[type(run[key])]}, not {_JSON_TYPES[kind]}"
    for key, fields in _ENTRY_FIELDS.items():
        for n, entry in enumerate(run[key]):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in fields):
                return f"{key}[{n}] is not an object with {', '.join(fields)}"
    if not all(isinstance(run["review"].get(k), int | float) for k in ("groups", "places", "minutes")):
        return "'review' lacks its groups, places or minutes"
    formats = run["config"].get("formats", [])
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        return "'config' has formats that are not a list of names"
    if not isinstance(run.get("volume_names", {}), dict):
        return "'volume_names' is not an object"
    kept = run.get("outputs", {})  # an older run.json has none: its volume step is redone
    if not isinstance(kept, dict) or not all(isinstance(d, str) for d in kept.values()):
        return "'outputs' is not an object of SHA-256 digests"
    return ""


class OutputFolderError(Exception):
    """OUT cannot take a run's outputs; str() is the one-line reason."""


def check_output_folder(scans: Path, out: Path) -> None:
    """Create OUT (and OUT/pages) or say in one line, before any work, why a run cannot use it (see
    `check_apart` and `check_writable`)."""
    check_apart(scans, out)
    check_writable(out, out / "pages")


def check_apart(scans: Path, out: Path) -> None:
    """Say in one line why outputs cannot go from SCANS to OUT: OUT is SCANS or inside it (a second run
    would read the first one's volume.pdf as a scan, and scans are only ever read), or either name is
    not UTF-8 (run.json and every page record name them; JSON and XML hold only Unicode)."""
    scans, out = scans.resolve(), out.resolve()
    for folder in (scans, out):
        if readable(str(folder)) != str(folder):
            raise OutputFolderError(f"{shown(folder)}: the folder's name is not UTF-8; rename it")
    if out == scans or scans in out.parents:
        raise OutputFolderError(
            f"{shown(out)}: the output folder is in the scan folder {shown(scans)}; choose one outside it"
        )


def check_writable(*folders: Path) -> None:
    """Create each folder or say in one line why outputs cannot be written into it: found now, not
    page after page."""
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # a file made and removed, as every output is; a run killed in between leaves a .tmp the next one clears
            fd, probe = tempfile.mkstemp(dir=folder, prefix=".ocrfix-probe.", suffix=".tmp")
            os.close(fd)
            os.unlink(probe)
        except FileExistsError:
            raise OutputFolderError(f"{shown(folder)}: not a folder") from None
        except OSError as e:
            raise OutputFolderError(f"{shown(folder)}: cannot write the outputs here ({e.strerror})") from None


def checked_last_run(out: Path) -> dict[str, Any] | None:
    """`last_run` for the commands that use a run's folder without running (review, schedule as it
    starts): a run.json ocrfix did not write is theirs to refuse, saying how to mend it."""
    try:
        return last_run(out)
    except RunFileError as e:
        raise RunFileError(f"{e}; `ocrfix run` rebuilds it") from None


def check_finished_run(out: Path) -> None:
    """Say in one line (RunFileError) why OUT holds no finished run to review: no run.json, one that ocrfix
    did not write, or a page record of the run that is missing or damaged. `ocrfix run` rebuilds what is
    damaged; `ocrfix review` reads what a run wrote, so it checks first, as `run` does."""
    run = checked_last_run(out)
    if run is None:
        raise RunFileError(f"{shown(out)}: not a finished ocrfix run (no {outputs.RUN_FILE})")
    for entry in run["pages"]:
        if entry["status"] != "failed":
            try:
                outputs.read_page(out, entry["id"])
            except outputs.RECORD_ERRORS as e:
                record = outputs.page_path(out, entry["id"], ".json")
                raise RunFileError(
                    f"{shown(record)}: not a page record ocrfix wrote ({one_line(e)}); `ocrfix run` redoes the page"
                ) from None


class _Clock:
    def __init__(self, laps: dict[str, float] | None = None) -> None:
        self.laps: dict[str, float] = dict(laps or {})
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now
