"""Scheduled batch runs: on each tick, every volume folder under SCANS goes to OUT/<volume>/.

Only what is new is done: pages already finished for the same scan content and settings are
skipped by the page cache, so a tick over a folder that gained five scans reads five pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from natsort import os_sorted
from prefect import flow
from prefect.deployments.runner import RunnerDeployment

from flows.digitise import run_volume
from ocrfix.lock import Busy
from ocrfix.ocr import DEFAULT_LANG
from ocrfix.pipeline import OutputFolderError, Settings, check_output_folder
from ocrfix.sources import scan_files


def volume_folders(scans: Path) -> list[Path]:
    """The folders directly under SCANS that hold scans, in natural order: one volume each."""
    return [Path(p) for p in os_sorted(p for p in scans.iterdir() if p.is_dir() and scan_files(p))]


@flow(name="digitise-folders", log_prints=False)
def digitise_folders(
    scans: str, out: str, lang: str = DEFAULT_LANG, dictionaries: list[str] | None = None, workers: int = 0
) -> dict[str, Any]:
    """One tick: each volume folder under `scans` into `out/<volume>`; a volume another run holds, or
    whose output folder cannot be written (the checks of `ocrfix run`), is skipped with the reason."""
    settings = Settings(lang=lang, dictionaries=tuple(dictionaries or ()))
    summaries: dict[str, Any] = {}
    for volume in volume_folders(Path(scans)):
        target = Path(out) / volume.name
        try:
            check_output_folder(volume, target)
            run = run_volume(volume, target, settings, workers)
        except (Busy, OutputFolderError) as refused:
            summaries[volume.name] = {"skipped": str(refused)}
            continue
        summaries[volume.name] = {**run["summary"], "failures": len(run["failures"]),
                                  "read": sum("ocr" in p["seconds"] for p in run["pages"])}
    return summaries


def deployment(scans: Path, out: Path, cron: str, lang: str, dictionaries: tuple[str, ...], workers: int) -> RunnerDeployment:
    """The deployment `ocrfix schedule` serves: the folder flow on a cron schedule, its folders as parameters."""
    return digitise_folders.to_deployment(
        name=f"ocrfix-{out.name}",
        cron=cron,
        parameters={"scans": str(scans), "out": str(out), "lang": lang, "dictionaries": list(dictionaries),
                    "workers": workers},
        description=f"ocrfix: new scans under {scans} into {out}",
        tags=["ocrfix"],
    )
