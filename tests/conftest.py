"""Shared fixtures: real scans from ../shared and the bundled samples, the lexicon and corrector loaded once,
one Prefect test server per session."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrfix import lexicon
from ocrfix.correct.textfile import correct_text
from ocrfix.correct.words import Corrector
from ocrfix.lexicon import Lexicon

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet  # what pytest.param returns

    from ocrfix.correct.plaintext import TextChange

# review decisions are remembered in a user folder: the tests keep theirs out of the home directory
os.environ["OCRFIX_USER_DIR"] = tempfile.mkdtemp(prefix="ocrfix-user-")
# a local Prefect server ends with the command that started it, leaving nothing behind the suite (the tests
# about a lingering server set their own linger and stop it)
os.environ["OCRFIX_SERVER_LINGER"] = "0"

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


def in_ci() -> bool:
    """Whether the tests run in CI (the environment variable `CI` set, as CI services set it)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need(path: Path) -> Path:
    """`path`, which a test reads; the one place that decides what its absence means. On a developer's machine
    without ../shared the test is skipped; in CI it fails, so that a run without the data cannot go green
    having tested little."""
    if not path.exists():
        message = f"{path} not available (the shared data next to the repository)"
        if in_ci():
            pytest.fail(f"{message}; CI is set, so missing data is a failure", pytrace=False)
        pytest.skip(message)
    return path


def bln600(name: str, kind: str) -> str:
    """Article `name` of BLN600 as its file holds it: `kind` "ocr" (the OCR as given) or "gt" (its truth)."""
    return (need(BLN600) / f"{name}.{kind}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def lex() -> Lexicon:
    """The lexicons, loaded once for the session (a few seconds; nothing changes them)."""
    return lexicon.load()


@pytest.fixture(scope="session")
def corrector(lex: Lexicon) -> Corrector:
    """One corrector for every test of the session: it holds no state a test could change."""
    return Corrector(lex)


@pytest.fixture(scope="session")
def seed(corrector: Corrector) -> tuple[list[str], list[str], list[TextChange]]:
    """The seed (a careful first OCR pass of a modern book, the users' own example) and what `ocrfix correct`
    makes of it: its lines as given, its lines corrected, the changes. Corrected once for the session."""
    text = need(SHARED / "seed" / "serge-trotsky-papers.md").read_text(encoding="utf-8")
    out, changes = correct_text(text, corrector)
    return text.split("\n"), out.split("\n"), changes


def fixed(corrector: Corrector, text: str) -> str:
    """The text as `ocrfix correct` gives it back."""
    return correct_text(text, corrector)[0]


def for_review(corrector: Corrector, text: str) -> list[tuple[str, str]]:
    """The changes offered to a person, not applied: what the scorer is unsure of."""
    return [(c.raw, c.final) for c in correct_text(text, corrector)[1] if not c.applied]


def lines(*cases: tuple[str, str]) -> list[ParameterSet]:
    """Real lines as read and as they should come back, each a test case named by the line as read (so a
    failing line names itself and does not hide the others)."""
    return [pytest.param(given, expected, id=given) for given, expected in cases]


def kept(*texts: str) -> list[ParameterSet]:
    """Real lines that must come back as they were read: `lines` with each line its own expectation."""
    return lines(*((text, text) for text in texts))


def library_stamp() -> np.ndarray:
    """Where a framed stamp ("BIBLIOTHEQUE / MUNICIPALE 1931", turned 7 degrees) puts its ink: 1 there."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 44)
    stamp = Image.new("L", (620, 230), 0)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle((4, 4, 615, 225), outline=255, width=8)
    for i, text in enumerate(["BIBLIOTHEQUE", "MUNICIPALE 1931"]):
        draw.text((30, 30 + i * 90), text, font=font, fill=255)
    return (np.array(stamp.rotate(7, expand=True, fillcolor=0)) >= 128).astype(np.float32)


@pytest.fixture(scope="session")
def oldbooks_page() -> Path:
    return need(OLDBOOKS / "e009.png")


@pytest.fixture(scope="session")
def text_crop(oldbooks_page: Path) -> np.ndarray:
    """The first paragraphs of a real 300 dpi book page, cut between two lines: a quick Tesseract run."""
    with Image.open(oldbooks_page) as im:
        return np.asarray(im.convert("L").crop((0, 0, im.width, 1205)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the Prefect test server runs a flow on it: it is `slow` without having to say so, and
    `make test-fast` never starts the server."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


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
