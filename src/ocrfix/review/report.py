"""report.html: one self-contained page listing what needs a person, with snippets cut from the scans.

Snippets are PNG files in OUT/report/ beside the page, loaded lazily, so a 400-page volume's report
opens quickly; the groups travel inside the page as JSON for the keyboard-driven review script.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..geometry import page_transform
from ..model import Page
from ..outputs import atomic_write
from ..sources import PageRef, SourceError, load_page
from .items import Group, Item, collect, minutes_to_review
from .snippets import cut, write_png

SNIPPETS_PER_GROUP = 3
"""Occurrences shown as images in a group's row (the rest are listed by page)."""


def write_report(pages: list[Page], out: Path, knows: Callable[[str], bool] | None = None) -> dict[str, float]:
    """Write OUT/report.html and its snippets; returns the summary shown at its top. `knows`: the run's
    lexicon's test of a word (see `collect`)."""
    groups = collect(pages, knows)
    snippets = _write_snippets(pages, groups, out)
    summary = {
        "pages": len(pages),
        "words": sum(len(p.words) for p in pages),
        "changes": sum(c.applied for p in pages for w in p.words for c in w.changes),
        "groups": len(groups),
        "places": sum(len(g.items) for g in groups),
        "minutes": minutes_to_review(groups),
    }
    rows = [
        {
            "key": g.key, "kind": g.kind, "raw": g.raw, "proposed": g.proposed, "reason": g.reason,
            "confidence": g.confidence, "applied": g.applied, "alternatives": g.alternatives,
            "count": len(g.items), "pages": sorted({i.page for i in g.items}), "context": g.items[0].context,
            "snippets": snippets.get(g.key, []),
            "items": [[i.page, i.line, i.word] for i in g.items],
        }
        for g in groups
    ]
    env = Environment(loader=PackageLoader("ocrfix.review", "templates"), autoescape=select_autoescape(["j2", "html"]))
    html = env.get_template("report.html.j2").render(
        title=out.name,
        run_id=hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:10],
        summary=summary,
        groups=rows,
        groups_json=json.dumps(rows, ensure_ascii=False).replace("</", "<\\/"),
        page_ids=[p.id for p in pages],
        reasons=sorted({g.reason for g in groups}),
    )
    atomic_write(out / "report.html", html)
    return summary


def _write_snippets(pages: list[Page], groups: list[Group], out: Path) -> dict[str, list[str]]:
    """Cut the first few occurrences of each group from their scans, each scan loaded once."""
    wanted: dict[str, list[tuple[str, Item]]] = {}
    for g in groups:
        for item in g.items[:SNIPPETS_PER_GROUP]:
            wanted.setdefault(item.page, []).append((g.key, item))
    by_id = {p.id: p for p in pages}
    result: dict[str, list[str]] = {}
    for page_id, needed in wanted.items():
        page = by_id[page_id]
        try:
            scan = load_page(PageRef(Path(page.source), page.frame, page.id)).gray
        except (SourceError, OSError):
            continue  # the scan moved or is gone: the row shows the text only
        matrix = page_transform(page, scan.shape)
        for key, item in needed:
            name = f"{page.id}-{item.line}-{item.word}.png"
            write_png(cut(scan, matrix, item.box), out / "report" / name)
            result.setdefault(key, []).append(f"report/{name}")
    return result
