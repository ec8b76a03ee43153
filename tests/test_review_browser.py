"""The review report in a real browser (Debian's Chromium driven by Playwright), as a reviewer uses it:
decide with the keyboard, export decisions.json, apply it and find the texts changed exactly as decided;
reload after applying; restart `--serve` and find the decisions made before; undo; read it on a phone."""

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLES, need, process_ends
from ocrfix import lexicon
from ocrfix.correct.words import split_token
from ocrfix.outputs import read_page
from ocrfix.pipeline import Settings, finish_volume, process_page
from ocrfix.review.decisions import apply_to_run
from ocrfix.sources import list_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium, and a run over three noisy pages to review

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    scans = tmp_path_factory.mktemp("scans")
    for name in ("page6.tif", "page9.pdf", "page10.jpg"):  # the noisiest sample pages
        shutil.copy(need(SAMPLES / "scans" / name), scans)
    out = tmp_path_factory.mktemp("out")
    settings = Settings(lang="eng")
    finish_volume([process_page(ref, out, settings) for ref in list_pages(scans)[0]], out, settings, {})
    return out


@pytest.fixture
def out(run_folder: Path, tmp_path: Path) -> Path:
    """A copy of the run for one test to change."""
    return Path(shutil.copytree(run_folder, tmp_path / "out"))


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _groups(page) -> list[dict]:
    return page.evaluate("JSON.parse(document.getElementById('groups').textContent)")


def _row(page, key: str):
    return page.locator(f'tr[data-key="{key}"]')


def _decide(page, key: str, *keys: str) -> None:
    _row(page, key).click()
    for k in keys:
        page.keyboard.press(k)


def _export(page, to: Path) -> list[dict]:
    with page.expect_download() as download:
        page.keyboard.press("x")
    download.value.save_as(to)
    return json.loads(to.read_text())["decisions"]


def _core(token: str) -> str:
    return split_token(token)[1]


def _expected_word(decision: dict) -> str:
    return {"accept": decision["proposed"], "reject": decision["raw"], "edit": decision["text"]}[decision["action"]]


def test_decide_export_apply_then_reload_and_export_again(browser, out: Path, tmp_path: Path):
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto((out / "report.html").as_uri())
    groups = _groups(page)
    unknown = next(g for g in groups if g["kind"] == "unknown" and g["learnable"])
    accept, reject = [g for g in groups if g["kind"] in ("change", "unknown", "noise") and g["key"] != unknown["key"]][
        :2
    ]

    _decide(page, accept["key"], "a")
    _decide(page, reject["key"], "r")
    _decide(page, unknown["key"], "e", "Control+a")
    page.keyboard.type("Gorkinsky")
    page.keyboard.press("Shift+Enter")  # keep the typed reading and learn it
    assert _row(page, accept["key"]).locator("td.state").inner_text() == "confirmed"
    assert _row(page, reject["key"]).locator("td.state").inner_text() == f"rejected: keeps “{reject['raw']}”"
    assert _row(page, unknown["key"]).locator("td.state").inner_text() == "edited: “Gorkinsky”, learned"
    assert page.locator("#decided").inner_text() == f"3 of {len(groups)} decided"

    page.reload()  # decisions persist in the browser until exported
    assert page.locator("#decided").inner_text() == f"3 of {len(groups)} decided"
    decisions = _export(page, tmp_path / "decisions.json")
    assert sorted((d["group"], d["action"], d["learn"]) for d in decisions) == sorted(
        [(accept["key"], "accept", False), (reject["key"], "reject", False), (unknown["key"], "edit", True)]
    )

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

    page.reload()  # the report written again by the apply, in the same browser: the decided groups are done
    left = _groups(page)
    assert not {accept["key"], reject["key"], unknown["key"]} & {g["key"] for g in left}
    assert page.locator("#decided").inner_text() == f"0 of {len(left)} decided"
    assert "3 decisions saved earlier are applied already" in page.locator("#status").inner_text()
    assert "Decided and applied earlier: 3 groups" in page.locator("#applied-list summary").inner_text()
    _decide(page, left[0]["key"], "r")
    assert [d["group"] for d in _export(page, tmp_path / "again.json")] == [left[0]["key"]]


def test_confirm_learns_nothing_accept_and_learn_only_a_word_and_undo_takes_back_the_last_decision(
    browser, out: Path, tmp_path: Path
):
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto((out / "report.html").as_uri())
    groups = _groups(page)
    knows = lexicon.load().knows
    word = next(g for g in groups if g["kind"] == "unknown" and g["learnable"] and not knows(_core(g["raw"])))
    garbled = next(g for g in groups if g["kind"] == "unknown" and not g["learnable"])  # Lenii:’s
    with_alternatives = next(g for g in groups if g["alternatives"])
    other = next(g for g in groups if g not in (word, garbled, with_alternatives))

    _decide(page, garbled["key"], "l")
    assert _row(page, garbled["key"]).locator("td.state").inner_text() == "undecided"
    assert "not word-shaped" in page.locator("#status").inner_text()
    _decide(page, other["key"], "r")
    _decide(page, with_alternatives["key"], "1")
    assert (
        _row(page, with_alternatives["key"]).locator("td.state").inner_text()
        == f"picked: “{with_alternatives['alternatives'][0]}”"
    )
    # undo is the last decision, wherever the cursor is
    _row(page, garbled["key"]).click()
    page.keyboard.press("u")
    assert _row(page, with_alternatives["key"]).locator("td.state").inner_text() == "undecided"
    assert _row(page, with_alternatives["key"]).get_attribute("aria-current") == "true"
    assert _row(page, other["key"]).locator("td.state").inner_text() == f"rejected: keeps “{other['raw']}”"
    page.keyboard.press("u")
    assert _row(page, other["key"]).locator("td.state").inner_text() == "undecided"
    # clicking away from a reading being typed leaves no input behind
    _decide(page, garbled["key"], "e")
    page.locator("h1").click()
    assert page.locator("input.edit").count() == 0

    _decide(page, word["key"], "a")  # confirmed: seen, right, not a word to teach
    assert _row(page, word["key"]).locator("td.state").inner_text() == "confirmed"
    assert [(d["group"], d["learn"]) for d in _export(page, tmp_path / "confirmed.json")] == [(word["key"], False)]
    assert apply_to_run(out, tmp_path / "confirmed.json").learned == ()
    assert _core(word["raw"]) not in lexicon.user_dictionary().read_text().split()

    _decide(page, word["key"], "l")
    assert _row(page, word["key"]).locator("td.state").inner_text() == "accepted and learned"
    assert [(d["group"], d["learn"]) for d in _export(page, tmp_path / "learned.json")] == [(word["key"], True)]
    assert apply_to_run(out, tmp_path / "learned.json").learned == (_core(word["raw"]),)
    assert _core(word["raw"]) in lexicon.user_dictionary().read_text().split()


@pytest.fixture
def review_server(out: Path) -> Iterator:
    """`ocrfix review OUT --serve` as a user starts it; call it for each start, get its address."""
    started: list[subprocess.Popen] = []

    def start() -> str:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "ocrfix"), "review", str(out), "--serve"],
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        started.append(proc)
        assert proc.stderr is not None
        for line in proc.stderr:
            if m := re.search(r"review at (http://127\.0\.0\.1:\d+/report\.html)", line):
                return m[1]
        raise AssertionError(f"no address printed (status {proc.wait()})")

    yield start
    for proc in started:
        proc.terminate()
        assert process_ends(proc.pid, 10)
        proc.wait()


def test_restarting_serve_shows_the_decisions_made_before(browser, out: Path, review_server):
    expect = pytest.importorskip("playwright.sync_api").expect
    first = browser.new_context().new_page()
    first.goto(review_server())
    groups = _groups(first)
    _decide(first, groups[0]["key"], "a")
    _decide(first, groups[2]["key"], "r")
    expect(first.locator("#status")).to_contain_text("saved to decisions.json (2 decisions)")
    first.context.close()

    second = browser.new_context().new_page()  # a new session on another port: nothing in this browser's storage
    url = review_server()
    second.goto(url)
    expect(second.locator("#decided")).to_have_text(f"2 of {len(groups)} decided")
    assert _row(second, groups[2]["key"]).locator("td.state").inner_text() == f"rejected: keeps “{groups[2]['raw']}”"
    _decide(second, groups[1]["key"], "a")
    expect(second.locator("#status")).to_contain_text("(3 decisions)")
    saved = json.loads((out / "decisions.json").read_text())["decisions"]
    assert sorted(d["group"] for d in saved) == sorted(g["key"] for g in groups[:3])


def test_the_report_reads_on_a_420px_screen_with_focusable_rows_and_readable_contrast(browser, run_folder: Path):
    page = browser.new_context(viewport={"width": 420, "height": 800}).new_page()
    page.goto((run_folder / "report.html").as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 420  # no sideways scrolling
    page.keyboard.press("j")
    current = page.evaluate("[document.activeElement.tagName, document.activeElement.getAttribute('aria-current')]")
    assert current == ["TR", "true"]
    assert page.evaluate("document.activeElement") and page.locator("tr[tabindex='0']").count() == 1
    ratios = page.evaluate("""() => {
      const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
                           v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                         return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
                                   if (!c.startsWith("rgba(0, 0, 0, 0)")) return c; } return "rgb(255, 255, 255)"; };
      return [...document.querySelectorAll(".muted, .keys, .context, figcaption, td, th, h1, label, .summary span")]
        .filter(el => el.textContent.trim() && getComputedStyle(el).display !== "none")
        .map(el => { const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))];
                     return [(Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), el.className || el.tagName]; });
    }""")
    assert ratios and min(r for r, _ in ratios) >= 4.5, min(ratios)


def test_the_current_row_stays_clear_of_the_sticky_header(browser, run_folder: Path):
    page = browser.new_context(viewport={"width": 1280, "height": 700}).new_page()
    page.goto((run_folder / "report.html").as_uri())
    rows = len(_groups(page))
    for _ in range(rows - 1):
        page.keyboard.press("j")
    for _ in range(rows - 2):
        page.keyboard.press("k")  # back up to the second row: the page scrolls up under the header
    header = page.evaluate("document.getElementById('head').getBoundingClientRect().bottom")
    top = page.evaluate("document.querySelector('tr[aria-current=true]').getBoundingClientRect().top")
    assert top >= header - 1
