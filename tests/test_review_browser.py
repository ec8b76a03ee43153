"""The review report in a real browser (Debian's Chromium driven by Playwright): decide with the keyboard,
export decisions.json, apply it, and find the texts changed exactly as decided."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES, need
from ocrfix import lexicon
from ocrfix.outputs import read_page
from ocrfix.pipeline import Settings, finish_volume, process_page
from ocrfix.review.decisions import apply_to_run
from ocrfix.sources import list_pages

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    scans = tmp_path_factory.mktemp("scans")
    for name in ("page6.tif", "page9.pdf", "page10.jpg"):  # the noisiest sample pages
        shutil.copy(need(SAMPLES / "scans" / name), scans)
    out = tmp_path_factory.mktemp("out")
    settings = Settings(lang="eng")
    finish_volume([process_page(ref, out, settings) for ref in list_pages(scans)[0]], out, settings, {})
    return out


def _expected_word(decision: dict) -> str:
    return {"accept": decision["proposed"], "reject": decision["raw"], "edit": decision["text"]}[decision["action"]]


def test_decide_export_and_apply_in_a_real_browser(run_folder: Path, tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    out = run_folder
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto((out / "report.html").as_uri())
        groups = page.evaluate("JSON.parse(document.getElementById('groups').textContent)")
        unknown = next(g for g in groups if g["kind"] == "unknown")
        accept, reject = [g for g in groups if g["kind"] in ("change", "unknown", "noise") and g["key"] != unknown["key"]][:2]

        page.locator(f'tr[data-key="{accept["key"]}"]').click()
        page.keyboard.press("a")
        page.locator(f'tr[data-key="{reject["key"]}"]').click()
        page.keyboard.press("r")
        page.locator(f'tr[data-key="{unknown["key"]}"]').click()
        page.keyboard.press("e")
        page.keyboard.press("Control+a")
        page.keyboard.type("Gorkinsky")
        page.keyboard.press("Enter")
        assert "accept" in page.locator(f'tr[data-key="{accept["key"]}"]').get_attribute("class")
        assert page.locator("#decided").inner_text() == f"3 of {len(groups)} decided"

        page.reload()  # decisions persist in the browser until exported
        assert page.locator("#decided").inner_text() == f"3 of {len(groups)} decided"
        with page.expect_download() as download:
            page.keyboard.press("x")
        download.value.save_as(tmp_path / "decisions.json")
        browser.close()

    decisions = json.loads((tmp_path / "decisions.json").read_text())["decisions"]
    assert sorted((d["group"], d["action"]) for d in decisions) == sorted(
        [(accept["key"], "accept"), (reject["key"], "reject"), (unknown["key"], "edit")])
    apply_to_run(out, tmp_path / "decisions.json")
    for d in decisions:
        for page_id, li, wi in d["items"]:
            line = read_page(out, page_id).lines[li]
            if d["kind"] == "noise":  # a line dropped as noise: kept out if accepted, put back if rejected
                assert line.role == ("noise" if d["action"] == "accept" else "body")
                continue
            word = line.words[wi]
            assert word.final == _expected_word(d), d
            lines_txt = (out / "pages" / f"{page_id}.lines.txt").read_text().splitlines()[li]
            assert _expected_word(d) in lines_txt if _expected_word(d) else word.raw not in lines_txt.split()
    assert "Gorkinsky" in lexicon.user_dictionary().read_text().split()
