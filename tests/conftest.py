"""Shared fixtures: real scans from ../shared and the bundled samples, one Prefect test server per session."""

from __future__ import annotations

import os
import time
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

# review decisions are remembered in a user folder: the tests keep theirs out of the home directory
os.environ["OCRFIX_USER_DIR"] = tempfile.mkdtemp(prefix="ocrfix-user-")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OLDBOOKS = SHARED / "data" / "oldbooks-dev"
BLN600 = SHARED / "data" / "bln600-train"
SAMPLES = ROOT / "samples"


def process_ends(pid: int, within: float) -> bool:
    """Whether the process ends within `within` seconds (a zombie has ended; only its parent has not reaped it)."""
    deadline = time.monotonic() + within
    while True:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ")[-1].startswith("Z"):
                    return True
        except FileNotFoundError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture(scope="session")
def oldbooks_page() -> Path:
    return need(OLDBOOKS / "e009.png")


@pytest.fixture(scope="session")
def text_crop(oldbooks_page: Path) -> np.ndarray:
    """The first paragraphs of a real 300 dpi book page, cut between two lines: a quick Tesseract run."""
    with Image.open(oldbooks_page) as im:
        return np.asarray(im.convert("L").crop((0, 0, im.width, 1205)))


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory):
    """One temporary Prefect server for every flow test of the session."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        from prefect.settings import PREFECT_API_URL

        # `ocrfix run` looks for a configured server in the environment before it imports Prefect
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()
        try:
            yield
        finally:
            del os.environ["PREFECT_API_URL"]
