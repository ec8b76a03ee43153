"""The command line (a contract: see docs/outputs.md and the README). Options are validated here, once; the work is elsewhere."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def _interrupted(signum: int, _frame: object) -> None:
    """A signal before a command handles signals itself: one line and exit 128 + the signal, at once.
    At once, not by an exception, which a library's bare `except:` in the imports may swallow; nothing
    is under way then that needs undoing (`run`'s checks leave at most a probe file the next run clears)."""
    os.write(2, b"ocrfix: interrupted\n")  # not through sys.stderr, which the signal may have interrupted
    os._exit(128 + signum)


THE_COMMAND = __name__ == "__main__" or Path(sys.argv[0]).name == "ocrfix"
"""This process is the command itself, not a program importing it (a test's CliRunner)."""

if THE_COMMAND:
    # The command itself, not a program importing it: Ctrl-C while the imports below load (0.3 s) would
    # print a KeyboardInterrupt traceback, and SIGTERM kill it without a word. Until `_own_signals`.
    for _signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_signal, _interrupted)

import gc  # imported after the handlers above are set
import json
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from .evaluate import TEXT_KINDS, ZERO, pair_files, score_files
from .export import ALL_FORMATS, DEFAULT_FORMATS
from .lexicon import read_entries
from .ocr import DEFAULT_LANG, DEFAULT_TIMEOUT, OcrError, check_languages
from .prefect_server import ApiUnreachable, started_early

if TYPE_CHECKING:
    from .pipeline import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Scanned book pages to clean, aligned text.")
err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def _own_signals(ctx: typer.Context) -> None:
    """Signals as each command handles them once it starts: `run` keeps `_interrupted` until it sets
    its own (see `_run_flow`); the others get Python's own handling back (Ctrl-C raises
    KeyboardInterrupt, which ends a review's server and leaves no half-written file)."""
    if ctx.invoked_subcommand != "run":
        for sig, default in ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, signal.SIG_DFL)):
            if signal.getsignal(sig) is _interrupted:
                signal.signal(sig, default)


def _fail(reason: str, code: int = 2) -> None:
    err.print(f"ocrfix: {reason}", markup=False)
    raise typer.Exit(code)


def quiet_prefect() -> None:
    """The terminal shows Prefect's warnings only, and no analytics are sent, unless the user asked
    otherwise. A configured server (PREFECT_API_URL) gets the runs' INFO log as well; a local one,
    which no one watches, gets warnings only. A failed page's traceback goes to the server,
    never to the terminal (see `_run_flow`)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    else:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        # a local server (ours, or the one Prefect starts) logs its own shutdown as errors: not the user's concern
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


def _rate(task: Task) -> float | None:
    """Items a second since counting began (see `_Bar.count_from`; else since the bar started), None
    before the first: rich's own speed, over its last samples, made two pages finished together
    "7501.8 pages/min"."""
    since = task.fields.get("since", task.start_time)
    counted = task.completed - task.fields.get("base", 0)
    elapsed = task.get_time() - since if since is not None else 0.0
    return counted / elapsed if counted > 0 and elapsed > 0 else None


class _RateColumn(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        rate = _rate(task)
        return Text(f"{rate * 60:.1f} {self.unit}/min" if rate else "", style="progress.data.speed")


class _LeftColumn(ProgressColumn):
    """Time left at `_rate`."""

    def render(self, task: Task) -> Text:
        rate = _rate(task)
        if not rate or task.total is None:
            return Text("-:--:--", style="progress.remaining")
        left = int((task.total - task.completed) / rate)
        return Text(f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}", style="progress.remaining")


class _Bar:
    """A progress bar's handle: calling it advances the bar by one (a page's or a file's callback may
    pass the item, which it ignores)."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress, self._task = progress, task

    def __call__(self, *_item: object) -> None:
        self._progress.advance(self._task)

    def set(self, done: int, total: int) -> None:
        """`done` of `total` (a count that grows in steps, like the lines of a text being corrected)."""
        self._progress.update(self._task, completed=done, total=total)

    def count_from(self, done: int) -> None:
        """`done` items are finished already (by an earlier run): the rate counts from now, without them."""
        self._progress.update(self._task, completed=done, since=self._progress.get_time(), base=done)


@contextmanager
def _progress(total: int, unit: str = "pages") -> Iterator[_Bar]:
    """A progress bar on stderr, on a terminal only (items done / total, rate, time left)."""
    columns = (
        TextColumn(unit),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(unit),
        TimeElapsedColumn(),
        _LeftColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        yield _Bar(progress, progress.add_task(unit, total=total))


@app.command(
    help=(
        "The whole pipeline over a folder of scans, as a Prefect flow.\n\n"
        "With PREFECT_API_URL set (e.g. http://127.0.0.1:4200/api after `prefect server start`), the run is a flow "
        "run on that server, named after the volume (`scans · 412 pages`): its URL is printed and its log sent there. "
        "Without it, a local Prefect server is started for the run and lingers OCRFIX_SERVER_LINGER seconds "
        "(default 300; 0 ends it with the run) for the next command to reuse.\n\n"
        "Exit status: 0 done, 1 some pages failed, 2 nothing could be done (one line says why)."
    )
)
def run(
    scans: Annotated[Path, typer.Argument(help="Folder of scans (PNG, TIFF, JPEG, PDF).")],
    out: Annotated[Path, typer.Argument(help="Output folder (created if missing).")],
    lang: Annotated[str, typer.Option(help="Tesseract languages, joined by +.")] = DEFAULT_LANG,
    workers: Annotated[int | None, typer.Option(min=1, help="Pages processed at once (default: one per core).")] = None,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds Tesseract may spend on one page.")] = DEFAULT_TIMEOUT,
    dict_files: Annotated[
        list[Path] | None, typer.Option("--dict", help="A volume's own dictionary (repeatable).")
    ] = None,
    dask_address: Annotated[
        str | None, typer.Option(help="Run the pages on this Dask scheduler (tcp://HOST:8786).")
    ] = None,
    formats: Annotated[
        str, typer.Option(help=f"Standard formats besides the texts, comma-separated: {', '.join(ALL_FORMATS)}.")
    ] = ",".join(DEFAULT_FORMATS),
) -> None:
    """The whole pipeline over a folder of scans, as a Prefect flow."""
    from .lock import LockError, OutputLock
    from .pipeline import OutputFolderError, RunFileError, Settings, check_output_folder, last_run, run_outcome

    dictionaries = _check_run_options(scans, lang, dict_files)
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in ALL_FORMATS]
    if unknown:
        _fail(f"--formats: unknown {', '.join(unknown)} (choose from {', '.join(ALL_FORMATS)})")
    try:
        check_output_folder(scans, out)
    except OutputFolderError as e:
        _fail(str(e))
    settings = Settings(lang=lang, timeout=timeout, dictionaries=dictionaries)
    try:
        with OutputLock(out.resolve()):  # before Prefect starts: a busy folder is said at once
            try:
                last_run(out)  # checked, not trusted
            except RunFileError as e:
                err.print(f"ocrfix: {e}; rebuilding it", markup=False)
            result = _run_flow(scans.resolve(), out.resolve(), settings, workers, dask_address, chosen)
    except (LockError, ApiUnreachable) as e:
        _fail(str(e))
    pages = result["pages"]
    for page in pages:
        if page["status"] != "done":
            err.print(f"ocrfix: {page['reason']}", markup=False)
    if not pages:
        _fail(f"{scans}: no scans found (PNG, TIFF, JPEG or PDF)")
    err.print(f"ocrfix: {run_outcome(result)}; outputs in {out}", markup=False)
    _end(1 if result["failures"] else 0)


def _end(code: int) -> None:
    """End a finished run with exit status `code`. The command itself ends at once, once Python's exit
    handlers have run (Prefect's, which send what is left, and the resident Tesseracts'): the teardown
    that would follow frees the run's data object by object (the lexicon and its index: 0.5 s after a
    rerun, 1-3 s after a run that corrected pages, measured by benchmarks/startup_profile.py); for a
    program that called `run`, typer's Exit."""
    if not THE_COMMAND:
        if code:
            raise typer.Exit(code)
        return
    import atexit

    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class _RunView:
    """What the terminal shows of a run as it goes (a `ocrfix.flows.digitise.Watch`): the flow run's URL on a
    configured server (a local one has no UI and ends on its own: its URL would lead nowhere), and the bar."""

    def __init__(self, bar: _Bar, api: str | None) -> None:
        self._bar, self._api = bar, api

    def started(self, flow_run_url: str | None, finished: int) -> None:
        if self._api and flow_run_url:
            err.print(f"ocrfix: flow run at {flow_run_url}", markup=False)
        self._bar.count_from(finished)

    def page_done(self) -> None:
        self._bar()


def _run_logs_to_the_server_only() -> None:
    """A run's log (a failed page's traceback, the failed run's last word) goes to its Prefect server,
    not to the terminal: the command says what failed, one line a page. Set once Prefect is imported,
    which configures its logging."""
    import logging

    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).propagate = False


def _run_flow(
    scans: Path, out: Path, settings: Settings, workers: int | None, dask_address: str | None, formats: tuple[str, ...]
) -> dict[str, Any]:
    """The flow over SCANS into OUT, whose lock the caller holds, with a progress bar; returns run.json's content.

    SIGINT (Ctrl-C) and SIGTERM stop the run: no page starts, the resident Tesseracts are stopped and the local
    Prefect server let go (a temporary one stopped, a lingering one's lease ended), the finished pages stay (a
    rerun skips them), and the command says so in one line and exits 130 or 143 (128 + the signal). While the flow
    runs, the signal is a KeyboardInterrupt where the run waits for it (see ocrfix/flows/digitise.py), which stops
    it; before the flow or after it, nothing is under way that needs stopping (a temporary server dies with this
    process, a lingering one's lease with it), and the command ends at once: a KeyboardInterrupt there could land
    in any library's code, which may turn it into an error of its own (pydantic's, in Prefect's start)."""
    import threading

    from .pipeline import first_pages_prepared, look_ahead, worker_count

    quiet_prefect()
    received: list[int] = []
    digitise: ModuleType | None = None  # ocrfix.flows.digitise, once imported

    def interrupt(signum: int, _frame: object) -> None:
        if received:  # a second Ctrl-C while the run stops changes nothing
            return
        received.append(signum)
        if digitise is not None and digitise.flow_under_way():
            raise KeyboardInterrupt
        os.write(2, f"ocrfix: {_interrupted_run(scans, out, settings)}\n".encode())
        os._exit(128 + signum)

    stoppable = threading.current_thread() is threading.main_thread()  # where Python runs signal handlers
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)} if stoppable else {}
    try:
        try:
            with started_early() as prefect_server:  # it comes up while the scans are listed and Prefect imported
                # the readers and the lexicon load meanwhile too, when the pages are read in this process
                readers = worker_count(workers or 0) if dask_address is None else 0
                pages = look_ahead(scans, out, settings, readers)
                first_pages_prepared()  # then Prefect's import, while the readers read them
                # Prefect is imported only for the commands that run flows; its import makes objects that live as
                # long as the command, which the garbage collector kept scanning (0.3 s of CPU): kept out of its sight
                gc.disable()
                try:
                    from .flows import digitise as flow
                finally:
                    gc.freeze()
                    gc.enable()

                digitise = flow
                _run_logs_to_the_server_only()
                with _progress(pages) as bar, prefect_server() as api:
                    return flow.run_volume(
                        scans,
                        out,
                        settings,
                        workers or 0,
                        _RunView(bar, api),
                        dask_address,
                        formats,
                        locked=True,
                        stoppable=stoppable,
                    )
        finally:
            if not received:  # once stopping, they stay: the command is ending
                for sig, handler in previous.items():
                    if handler is not None:  # None: not set from Python, cannot be restored
                        signal.signal(sig, handler)
    except KeyboardInterrupt:
        if not received:
            raise
        err.print(f"ocrfix: {_interrupted_run(scans, out, settings)}", markup=False)
        raise typer.Exit(128 + received[0]) from None


def _interrupted_run(scans: Path, out: Path, settings: Settings) -> str:
    """What a stopped run says: how many of the pages are finished (a rerun skips those), when they can be counted:
    a Ctrl-C while the command imported PIL to list the scans left PIL half imported, and its count raised a
    traceback and ended the command with 1 instead of 130 (one `test_prefect_server.py` run in three)."""
    from .pipeline import finished_result, page_key
    from .sources import list_pages

    try:
        refs = list_pages(scans)[0]
        finished = sum(finished_result(ref, out, page_key(ref, settings)) is not None for ref in refs)
    except Exception:  # noqa: BLE001  # the signal landed inside an import the count needs (PIL's, listing the scans)
        return "interrupted; the same command finishes the run"
    return f"interrupted; {finished} of {len(refs)} pages finished, the same command finishes the run"


def _check_run_options(scans: Path, lang: str, dict_files: list[Path] | None) -> tuple[str, ...]:
    """The options `run` and `schedule` share, checked once before any work; returns the dictionaries."""
    if not scans.is_dir():
        _fail(f"{scans}: not a folder")
    dictionaries = _check_dictionaries(dict_files)
    try:
        check_languages(lang)
    except OcrError as e:
        _fail(str(e))
    return dictionaries


def _check_dictionaries(files: list[Path] | None) -> tuple[str, ...]:
    for f in files or []:
        if not f.is_file():
            _fail(f"{f}: no such dictionary file")
        try:
            read_entries(f)
        except UnicodeDecodeError:
            _fail(f"{f}: dictionary is not UTF-8 text")
    return tuple(str(f.resolve()) for f in files or [])


TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
"""The files `ocrfix correct` takes from a folder."""


def _text_inputs(paths: list[Path]) -> list[Path]:
    """The files named, and the text files of the folders named (recursively, in natural order)."""
    from natsort import natsorted

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += natsorted(
                (
                    f
                    for f in path.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in TEXT_SUFFIXES
                    and not any(part.startswith(".") for part in f.relative_to(path).parts)
                ),
                key=str,
            )
        else:
            found.append(path)
    return found


@app.command()
def correct(
    files: Annotated[
        list[Path] | None, typer.Argument(help="OCR text files or folders of them (default: standard input).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write the text here (default: standard output); a folder for several files."
        ),
    ] = None,
    reflow: Annotated[
        bool,
        typer.Option(
            help="Write the reading text of a volume: paragraphs rejoined, hyphenation joined, running heads, "
            "folios and stamp fragments removed."
        ),
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write every change (applied or for review) here, as TSV.")
    ] = None,
    dict_files: Annotated[list[Path] | None, typer.Option("--dict", help="An extra dictionary (repeatable).")] = None,
    names: Annotated[
        Path | None,
        typer.Option(
            "--names",
            help="Write the volume's names index here (TSV: name, kind, variants read, file:lines); the names its "
            "own index and glossary pages print are a dictionary of this correction.",
        ),
    ] = None,
) -> None:
    """Correct OCR text that already exists, keeping its line structure (or, with --reflow, as reading text)."""
    from .correct.batch import BatchError, correct_files
    from .text_names import NamesIndexError, correct_volume

    dictionaries = _check_dictionaries(dict_files)
    inputs = _text_inputs(files or [])
    folders = [f for f in files or [] if f.is_dir()]
    several = len(inputs) > 1 or bool(folders)
    if several and output is None:
        _fail("several files need -o, a folder to write them into")
    if several and output is not None and output.exists() and not output.is_dir():
        _fail(f"{output}: not a folder (several files are written into a folder)")
    if files and not inputs:
        _fail(f"{', '.join(map(str, files))}: no text files ({', '.join(TEXT_SUFFIXES)})")
    if names is not None and not inputs:
        _fail("--names needs input files: standard input is read only once")
    indexed = ""
    try:
        with _progress(len(inputs), "files") if len(inputs) > 1 else _progress(0, "lines") as bar:
            advance = bar if len(inputs) > 1 else lambda: None
            progress = (lambda _done, _total: None) if len(inputs) > 1 else bar.set
            if names is None:
                summary = correct_files(
                    list(inputs) or [None], folders, output, several, report, dictionaries, reflow, advance, progress
                )
            else:
                volume = correct_volume(
                    inputs,
                    folders,
                    output,
                    several,
                    report,
                    dictionaries,
                    reflow,
                    names,
                    advance,
                    progress,
                    sys.stdout.buffer,
                )
                summary = volume.summary
                indexed = f"; {volume.names} names indexed, {volume.read} read from its index and glossary pages"
    except (BatchError, NamesIndexError) as e:
        _fail(str(e))
    for problem in summary.problems:
        err.print(f"ocrfix: {problem}", markup=False)
    err.print(
        f"ocrfix: {summary.applied} changes applied, {summary.review} left for review"
        + (f"; {summary.done} of {len(inputs)} files written" if several else "")
        + indexed,
        markup=False,
    )
    if summary.failed:
        raise typer.Exit(1)


@app.command(
    help=(
        "Serve a Prefect deployment that processes new scans under SCANS on a schedule.\n\n"
        "Needs a Prefect server: `prefect server start`, then PREFECT_API_URL=http://127.0.0.1:4200/api. "
        "The cron runs in the time zone of --timezone (UTC unless given). The deployment is "
        "`digitise-folders/NAME`, NAME derived from OUT's full path unless --name is given, so that two OUTs "
        "called `out` do not collide."
    )
)
def schedule(
    scans: Annotated[Path, typer.Argument(help="A folder of volume folders, each holding scans.")],
    out: Annotated[Path, typer.Argument(help="Outputs go to OUT/<volume>/.")],
    cron: Annotated[
        str, typer.Option(help='When to look for new scans, e.g. "0 2 * * *", in the time zone of --timezone.')
    ],
    lang: Annotated[str, typer.Option(help="Tesseract languages, joined by +.")] = DEFAULT_LANG,
    dict_files: Annotated[list[Path] | None, typer.Option("--dict", help="An extra dictionary (repeatable).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Pages processed at once (default: one per core).")] = None,
    timezone: Annotated[str, typer.Option(help="The cron's time zone, an IANA name such as Europe/London.")] = "UTC",
    name: Annotated[
        str | None,
        typer.Option(
            help="The deployment's name (default: ocrfix-<OUT's folder name>-<8 hex digits of OUT's full path>)."
        ),
    ] = None,
) -> None:
    """Serve a Prefect deployment over SCANS on a schedule."""
    from .pipeline import OutputFolderError, RunFileError, check_apart, check_writable, checked_last_run
    from .prefect_server import check_reachable

    dictionaries = _check_run_options(scans, lang, dict_files)
    quiet_prefect()
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.settings import PREFECT_API_URL

    try:
        CronSchedule(cron=cron)
    except ValueError:
        _fail(f"--cron {cron!r}: not a cron expression")
    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValueError:
        _fail(f"--timezone {timezone!r}: not a time zone (an IANA name such as Europe/London)")
    if not PREFECT_API_URL.value():
        _fail(
            "scheduling needs a Prefect server: run `prefect server start`, then set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    try:
        check_reachable(PREFECT_API_URL.value())
    except ApiUnreachable as e:
        _fail(str(e))
    from prefect import serve

    from .flows.schedule import deployment, volume_folders

    try:  # the checks `run` makes, for OUT and each volume's folder in it, before serving
        check_apart(scans, out)
        check_writable(out)
        for volume in volume_folders(scans):
            check_writable(out / volume.name, out / volume.name / "pages")
            checked_last_run(out / volume.name)
    except (OutputFolderError, RunFileError) as e:
        _fail(str(e))
    serve(deployment(scans.resolve(), out.resolve(), cron, lang, dictionaries, workers or 0, timezone, name))


@app.command()
def review(
    out: Annotated[Path, typer.Argument(help="The output folder of a finished run.")],
    apply: Annotated[
        Path | None,
        typer.Option(
            help="Apply this decisions.json (checked first: its shape, its run, each place) and re-render every output."
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option(
            help="Serve the report to this machine's browser alone (127.0.0.1), "
            "saving decisions into OUT/decisions.json."
        ),
    ] = False,
    port: Annotated[int, typer.Option(help="Port for --serve (0: any free one).")] = 0,
) -> None:
    """The review report of a finished run; apply a reviewer's decisions (see docs/review.md)."""
    from .lock import LockError, OutputLock
    from .outputs import read_run_pages
    from .pipeline import OutputFolderError, RunFileError, check_finished_run, check_writable
    from .review.decisions import DecisionError, apply_to_run, run_id
    from .review.report import write_report
    from .review.serve import serve as make_server

    if not out.is_dir():
        _fail(f"{out}: not a folder")
    server = None
    try:
        check_finished_run(out)  # checked, as `run` checks it, not trusted
        with OutputLock(out.resolve()):  # not while a run writes the folder
            check_writable(out, out / "pages")
            pages = read_run_pages(out)
            if serve:  # bound before report.html is written again: a port in use changes nothing
                try:
                    server = make_server(out, run_id(pages), port)
                except OSError as e:
                    _fail(f"cannot serve on 127.0.0.1:{port}: {e.strerror or e}")
            if apply is not None:
                result = apply_to_run(out, apply)
                for line in [*(f"skipped {s}" for s in result.skipped), *result.summary()]:
                    err.print(f"ocrfix: {line}", markup=False)
            else:
                summary = write_report(pages, out)
                err.print(
                    f"ocrfix: {out / 'report.html'}: {summary['groups']} groups to review, "
                    f"about {summary['minutes']} minutes",
                    markup=False,
                )
    except (LockError, RunFileError, OutputFolderError, DecisionError) as e:
        _fail(str(e))
    if server is not None:
        err.print(f"ocrfix: review at http://127.0.0.1:{server.port}/report.html (Ctrl-C to stop)", markup=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    elif apply is not None and result.skipped:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    gt: Annotated[Path, typer.Argument(help="Ground truth: a folder of <id>.gt.txt files, or one file.")],
    out: Annotated[Path, typer.Argument(help="An ocrfix output folder, a folder of <id>.txt files, or one file.")],
    kind: Annotated[str, typer.Option(help=f"Which text of a run folder: {', '.join(TEXT_KINDS)}.")] = "lines",
    join_hyphens: Annotated[bool, typer.Option(help="Join line-end hyphenation on both sides first.")] = False,
    gt_suffix: Annotated[str, typer.Option(help="Ending of the ground-truth files.")] = ".gt.txt",
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the scores to this JSON file.")] = None,
) -> None:
    """CER and WER of OUT against ground truth, per page and overall."""
    if kind not in TEXT_KINDS:
        _fail(f"--kind must be one of {', '.join(TEXT_KINDS)}")
    if not gt.exists() or not out.exists():
        _fail(f"{gt if not gt.exists() else out}: no such file or folder")
    pairs = pair_files(gt, out, kind, gt_suffix)
    if not pairs:
        _fail(f"{gt}: no ground-truth files ending in {gt_suffix}")
    table = Table("page", "CER", "WER", "chars", "words")
    total = ZERO
    per_page = {}
    for page_id, ref, hyp in pairs:
        s = score_files(ref, hyp, join_hyphens)
        total += s
        per_page[page_id] = {"cer": s.cer, "wer": s.wer, "chars": s.chars, "words": s.words, "missing": hyp is None}
        table.add_row(
            page_id + (" (missing)" if hyp is None else ""), f"{s.cer:.2%}", f"{s.wer:.2%}", str(s.chars), str(s.words)
        )
    table.add_section()
    table.add_row("overall", f"{total.cer:.2%}", f"{total.wer:.2%}", str(total.chars), str(total.words))
    if json_out is not None:  # written first: when it cannot be, nothing is reported done
        from .outputs import atomic_write

        summary = {"cer": total.cer, "wer": total.wer, "chars": total.chars, "words": total.words, "pages": per_page}
        try:
            atomic_write(json_out, json.dumps(summary, indent=1) + "\n")  # its folder is made, as for every output
        except OSError as e:
            _fail(f"{json_out}: cannot write ({e.strerror})")
    Console(highlight=False).print(table)


def main() -> None:
    app(prog_name="ocrfix")


if __name__ == "__main__":
    main()
