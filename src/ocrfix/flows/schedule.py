"""Scheduled batch runs: on each tick, every volume folder under SCANS goes to OUT/<volume>/.

Only what is new is done: pages already finished for the same scan content and settings are
skipped by the page cache, so a tick over a folder that gained five scans reads five pages.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, cast

from natsort import os_sorted
from prefect import flow
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.states import Completed, Failed, State

from ocrfix.lock import Busy
from ocrfix.ocr import DEFAULT_LANG
from ocrfix.pipeline import OutputFolderError, Settings, check_output_folder, run_outcome
from ocrfix.sources import scan_files

from .digitise import run_volume, slug

DEFAULT_TIMEZONE = "UTC"
"""The time zone of a cron schedule unless one is given (`ocrfix schedule --timezone`, OCRFIX_TIMEZONE)."""
REPOSITORY = Path(__file__).resolve().parents[3]


def volume_folders(scans: Path) -> list[Path]:
    """The folders directly under SCANS that hold scans, in natural order: one volume each."""
    return [Path(p) for p in os_sorted(p for p in scans.iterdir() if p.is_dir() and scan_files(p))]


@flow(name="digitise-folders", log_prints=False)
def digitise_folders(
    scans: str, out: str, lang: str = DEFAULT_LANG, dictionaries: list[str] | None = None, workers: int = 0
) -> State:
    """One tick: each volume folder under `scans` into `out/<volume>`, each a flow run of its own named
    after the volume. A volume another run holds is skipped; one whose output folder cannot be written
    (the checks of `ocrfix run`) or with a failed page fails, and the tick with it (see `tick_state`).
    The state's data: each volume's summary, or why it was skipped or refused."""
    if not Path(scans).is_dir():  # a deployment's folder not mounted on this worker, say
        return Failed(message=f"{scans}: not a folder")
    settings = Settings(lang=lang, dictionaries=tuple(dictionaries or ()))
    summaries: dict[str, Any] = {}
    for volume in volume_folders(Path(scans)):
        target = Path(out) / volume.name
        try:
            check_output_folder(volume, target)
            run = run_volume(volume, target, settings, workers)
        except Busy as busy:
            summaries[volume.name] = {"skipped": str(busy)}
            continue
        except OutputFolderError as refused:
            summaries[volume.name] = {"refused": str(refused)}
            continue
        summaries[volume.name] = {
            **run["summary"],
            "failures": len(run["failures"]),
            "outcome": run_outcome(run),
            "read": sum(p["status"] != "failed" and not p["cached"] for p in run["pages"]),
        }
    return tick_state(summaries)


def tick_state(summaries: dict[str, Any]) -> State:
    """The worst of the volumes' states: Failed, naming the volumes that failed and why, when a volume
    had a failed page or could not be written; else Completed, with what each volume did."""
    failed = {
        name: s.get("refused") or s["outcome"] for name, s in summaries.items() if "refused" in s or s.get("failures")
    }
    if failed:
        listed = "; ".join(f"{name}: {why}" for name, why in failed.items())
        return Failed(message=f"{len(failed)} of {len(summaries)} volumes failed: {listed}", data=summaries)
    done = "; ".join(f"{name}: {s.get('skipped') or s['outcome']}" for name, s in summaries.items())
    return Completed(message=done or "no volume folders", data=summaries)


def deployment_name(out: Path) -> str:
    """`ocrfix-<OUT's name>-<8 hex digits of OUT's full path>`: two OUTs called `out` get two deployments."""
    return f"ocrfix-{slug(out.name)}-{hashlib.sha256(str(out).encode()).hexdigest()[:8]}"


def deployment(
    scans: Path,
    out: Path,
    cron: str,
    lang: str,
    dictionaries: tuple[str, ...],
    workers: int,
    timezone: str = DEFAULT_TIMEZONE,
    name: str | None = None,
) -> RunnerDeployment:
    """The deployment `ocrfix schedule` serves: the folder flow on a cron schedule in `timezone`, its
    folders as parameters, named `name` or after OUT's full path (`deployment_name`)."""
    return cast(
        RunnerDeployment,
        digitise_folders.to_deployment(  # called outside an event loop: not a coroutine
            name=name or deployment_name(out),
            schedules=[Cron(cron, timezone=timezone)],
            parameters={
                "scans": str(scans),
                "out": str(out),
                "lang": lang,
                "dictionaries": list(dictionaries),
                "workers": workers,
            },
            description=f"ocrfix: new scans under {scans} into {out}",
            tags=["ocrfix"],
        ),
    )


DEPLOY_SETTINGS = {
    "scans": ("OCRFIX_SCANS", "/srv/scans"),
    "out": ("OCRFIX_OUT", "/srv/ocrfix-out"),
    "cron": ("OCRFIX_CRON", "0 2 * * *"),
    "timezone": ("OCRFIX_TIMEZONE", DEFAULT_TIMEZONE),
    "lang": ("OCRFIX_LANG", DEFAULT_LANG),
    "repository": ("OCRFIX_REPOSITORY", str(REPOSITORY)),
}
"""What prefect.yaml's deployment takes from the environment of `prefect deploy`: name, variable, default."""


def deploy_settings() -> dict[str, str]:
    """A `prefect deploy` step (prefect.yaml's build section): the settings of `DEPLOY_SETTINGS`, each from
    its environment variable or its default. Prefect's own `{{ $VAR }}` has no default, and an unset one
    is left in the deployment as written. `repository` is where the workers find this checkout (the
    flow-run's working directory): by default where it is on the machine that deploys."""
    return {name: os.environ.get(variable) or default for name, (variable, default) in DEPLOY_SETTINGS.items()}
