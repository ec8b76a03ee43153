"""How fast a large volume's review report opens: N pages (default 400) in Debian's Chromium.

    python benchmarks/report_open.py [--pages 400] [--no-write]

Runs `ocrfix run` on the bundled samples once, repeats their page records to make an N-page volume
(the same scans, so the snippets are real cuts), writes report.html, and times opening it headless
(navigation to the `load` event, snippets lazily loaded) with Playwright. Writes its line in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from common import ROOT, ocrfix_run, write_section
from ocrfix.outputs import read_page
from ocrfix.review.report import write_report

sys.path.insert(0, str(ROOT / "tests"))
from test_review_browser import ARGS, CHROMIUM  # the browser as the tests open it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ocrfix_run(ROOT / "samples" / "scans", work / "run", "--lang", "eng")
        run = json.loads((work / "run" / "run.json").read_text())
        base = [read_page(work / "run", p["id"]) for p in run["pages"]]
        pages = [replace(base[i % len(base)], id=f"v{i + 1:04d}") for i in range(args.pages)]
        start = time.perf_counter()
        summary = write_report(pages, work / "run")
        written = time.perf_counter() - start
        size = (work / "run" / "report.html").stat().st_size
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page()
            start = time.perf_counter()
            page.goto((work / "run" / "report.html").as_uri(), wait_until="load")
            opened = time.perf_counter() - start
            rows = page.locator("#rows tr").count()
            browser.close()
    result = {
        "pages": args.pages,
        "groups": summary["groups"],
        "rows": rows,
        "html_mb": size / 1e6,
        "write_s": written,
        "open_s": opened,
    }
    print(json.dumps(result, indent=1))
    if not args.no_write:
        write_section(
            "report",
            (
                f"`python benchmarks/report_open.py`: a {args.pages}-page volume (the samples' records repeated) gives "
                f"{summary['groups']} review groups; report.html is {size / 1e6:.1f} MB, written in {written:.1f} s, and "
                f"opens in headless Chromium (to the `load` event) in {opened:.1f} s."
            ),
        )


if __name__ == "__main__":
    main()
