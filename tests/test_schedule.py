"""Scheduled batch runs: a tick over volume folders with new scans, the served deployment, prefect.yaml."""

import inspect
import shutil
from pathlib import Path

import yaml
from prefect.client.schemas.schedules import CronSchedule

from conftest import ROOT, SAMPLES, need
from flows.schedule import deployment, digitise_folders, volume_folders


def test_a_tick_processes_every_volume_and_then_only_what_is_new(prefect_server, tmp_path: Path):
    shelf, out = tmp_path / "shelf", tmp_path / "out"
    for volume, page in (("vol2", "page2.png"), ("vol10", "page3.png")):
        (shelf / volume).mkdir(parents=True)
        shutil.copy(need(SAMPLES / "scans" / page), shelf / volume)
    (shelf / "notes").mkdir()  # a folder without scans is no volume
    assert [p.name for p in volume_folders(shelf)] == ["vol2", "vol10"]

    first = digitise_folders(str(shelf), str(out), lang="eng", workers=2)
    assert {name: s["read"] for name, s in first.items()} == {"vol2": 1, "vol10": 1}
    assert (out / "vol2" / "pages" / "page2.lines.txt").is_file()

    shutil.copy(SAMPLES / "scans" / "page4.jpg", shelf / "vol2")
    second = digitise_folders(str(shelf), str(out), lang="eng", workers=2)
    assert {name: (s["pages"], s["read"]) for name, s in second.items()} == {"vol2": (2, 1), "vol10": (1, 0)}


def test_the_served_deployment_runs_the_folder_flow_on_the_cron(tmp_path: Path):
    d = deployment(tmp_path / "shelf", tmp_path / "out", "0 2 * * *", "eng+fra", ("/srv/names.txt",), 2)
    assert d.name == "ocrfix-out"
    assert [s.schedule.cron for s in d.schedules] == ["0 2 * * *"]
    assert d.parameters == {"scans": str(tmp_path / "shelf"), "out": str(tmp_path / "out"), "lang": "eng+fra",
                            "dictionaries": ["/srv/names.txt"], "workers": 2}
    assert d.entrypoint.endswith("flows/schedule.py:digitise_folders")


def test_prefect_yaml_deploys_the_same_flow_with_valid_parameters():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    for d in spec["deployments"]:
        path, name = d["entrypoint"].split(":")
        assert (ROOT / path).is_file() and name == digitise_folders.fn.__name__
        for s in d["schedules"]:
            CronSchedule(cron=s["cron"])
        assert set(d["parameters"]) <= set(inspect.signature(digitise_folders.fn).parameters)
        assert {"scans", "out"} <= set(d["parameters"])
