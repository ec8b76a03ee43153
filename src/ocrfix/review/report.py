"""report.html: one self-contained page listing what needs a person, with snippets cut from the scans.

Snippets are PNG files in OUT/report/ beside the page, loaded lazily, so a 400-page volume's report
opens quickly; the groups travel inside the page as JSON for the keyboard-driven review script, with
the decisions saved in OUT/decisions.json (a page opened from disk cannot read files beside it) and
those already applied, so no decision made earlier is lost or asked again. Below them, what preprocessing
left out of the text (the figures painted to paper before OCR, the stamps taken out of the image), each
cut from the scan, so an editor sees whether any type was inside it: nothing is lost without a trace.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, Template, select_autoescape
from jinja2.bccache import Bucket

from .. import diskcache
from ..geometry import page_transform
from ..model import Box, Page
from ..names import HEADER as NAMES_HEADER
from ..names import INDEX_FILE
from ..outputs import atomic_write
from ..sources import PageRef, SourceError, load_page
from .decisions import DecisionError, applied_decisions, parse, run_id, word_shaped
from .items import Group, Item, collect, minutes_to_review
from .snippets import evidence, write_png

SNIPPETS_PER_GROUP = 3
"""Occurrences shown as images in a group's row (the rest are listed by page)."""
LEFT_OUT = "left-out"
"""The folder, in OUT/report, of the crops of what was left out of the text (apart from the rows' snippets,
whose names say a page, a line and a word)."""
DECISIONS_FILE = "decisions.json"
"""Where `--serve` saves the reviewer's decisions, in OUT."""
TOKEN_SLOT = '<meta name="ocrfix-token" content="">'
"""Where `--serve` puts its session's token into the page it serves (never into the file)."""
TOKEN_HEADER = "X-Ocrfix-Token"
"""The header in which the served page sends the token back."""
TEMPLATE = "report.html.j2"


def write_report(
    pages: list[Page],
    out: Path,
    knows: Callable[[str], bool] | None = None,
    volume_names: dict[str, Any] | None = None,
) -> dict[str, float]:
    """Write OUT/report.html and its snippets; returns the summary shown at its top. `knows`: the run's
    lexicon's test of a word (see `collect`); `volume_names`: what the run did with the volume's own names
    (run.json's `volume_names`), said in a line of the names section."""
    run = run_id(pages)
    applied = applied_decisions(out, pages)
    groups = collect(pages, knows, {(d.kind, *item) for d in applied for item in d.items})
    snippets, left_out = _cut_from_scans(pages, groups, out)
    names = _names_section(out, groups)
    summary = {
        "pages": len(pages),
        "words": sum(len(p.words) for p in pages),
        "changes": sum(w.final != w.raw for p in pages for w in p.words),
        "groups": len(groups),
        "places": sum(len(g.items) for g in groups),
        "minutes": minutes_to_review(groups),
        "figures": sum(len(p.figures) for p in pages),
        "stamps": sum(len(p.stamps) for p in pages),
    }
    rows = [
        {
            "key": g.key,
            "kind": g.kind,
            "raw": g.raw,
            "proposed": g.proposed,
            "reason": g.reason,
            "alternatives": g.alternatives,
            "items": [[i.page, i.line, i.word] for i in g.items],
            "learnable": g.kind in ("change", "unknown") and any(word_shaped(t) for t in g.proposed.split()),
        }
        for g in groups
    ]
    html = _template().render(
        title=out.name,
        run_id=run,
        legacy_run_id=hashlib.sha1(str(out.resolve()).encode()).hexdigest()[
            :10
        ],  # what reports before 0.3 keyed the browser's copy by
        token_slot=TOKEN_SLOT,
        token_header=TOKEN_HEADER,
        summary=summary,
        groups=groups,
        snippets=snippets,
        groups_json=_script_json(rows),
        saved_json=_script_json(_saved_decisions(out)),
        applied=applied,
        applied_json=_script_json(sorted({d.group for d in applied})),
        page_ids=[p.id for p in pages],
        reasons=sorted({g.reason for g in groups}),
        names=names,
        left_out=left_out,
        volume_names=volume_names
        if volume_names and (volume_names.get("names") or volume_names.get("pages"))
        else None,
    )
    atomic_write(out / "report.html", html)
    return summary


def _template() -> Template:
    """The report's template, its compiled code kept between runs by Jinja's own bytecode cache in the user's
    cache folder (compiling it cost 0.07 s of CPU a run); Jinja uses it only for the same source, Jinja and
    Python."""
    env = Environment(
        loader=PackageLoader("ocrfix.review", "templates"),
        autoescape=select_autoescape(["j2", "html"]),
        bytecode_cache=_CompiledTemplates(str(diskcache.cache_dir())),
    )
    return env.get_template(TEMPLATE)


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, which a run that cannot read or write it goes without
    (the template is compiled then)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _names_section(out: Path, groups: list[Group]) -> list[dict[str, Any]]:
    """The names index (OUT/names.tsv, as the run wrote it) for the report: per name its kind, the variants
    read and its places, a place linked to the snippet of its line where the report cut one (a review group's
    place on that line). None for a run without the index."""
    try:
        rows = [line.split("\t") for line in (out / INDEX_FILE).read_text(encoding="utf-8").splitlines()[1:]]
    except OSError:
        return []
    shown: dict[tuple[str, int], str] = {}
    for g in groups:
        for item in g.items[:SNIPPETS_PER_GROUP]:
            name = _snippet_name(item)
            if (out / "report" / name).is_file():
                shown.setdefault((item.page, item.line + 1), "report/" + quote(name))
    section = []
    for name, kind, variants, places in (row for row in rows if len(row) == len(NAMES_HEADER)):
        where = []
        for place in places.split("; ") if places else []:
            page, _, lines = place.rpartition(":")
            where += [{"page": page, "line": int(n), "src": shown.get((page, int(n)))} for n in lines.split(",")]
        section.append(
            {"name": name, "kind": kind, "variants": variants.split("|") if variants else [], "where": where}
        )
    return section


Needed = list[tuple[str, int, Item, bool]]
"""The snippets to cut from one page's scan: (group key, place in the group, item, the next page's line)."""
Snippets = dict[str, list[tuple[int, bool, dict[str, Any]]]]


def _cut_from_scans(
    pages: list[Page], groups: list[Group], out: Path
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The groups' snippets (`_write_snippets`) and what was left out of the text (`_left_out`), page by page,
    each scan loaded once for both (a page with a figure and a word to review loaded its scan twice: the
    samples' report written in 0.27 s of CPU, 0.38 s before)."""
    wanted: dict[str, Needed] = {}
    for g in groups:
        for n, item in enumerate(g.items[:SNIPPETS_PER_GROUP]):
            wanted.setdefault(item.page, []).append((g.key, n, item, False))
            if item.next_line:
                wanted.setdefault(item.next_line[0], []).append((g.key, n, item, True))
    made: Snippets = {}
    rows: list[dict[str, Any]] = []
    for page in pages:
        regions = [("figure", n, f.box, "") for n, f in enumerate(page.figures, 1)]
        regions += [("stamp", n, st.box, st.text) for n, st in enumerate(page.stamps, 1)]
        if page.id not in wanted and not regions:
            continue
        try:
            scan = load_page(PageRef(Path(page.source), page.frame, page.id)).gray
        except (SourceError, OSError):
            scan = None  # the scan moved or is gone: the rows show the text only
        if scan is not None:
            _write_snippets(page, scan, wanted.get(page.id, []), out, made)
        rows += _left_out(page, scan, regions, out)
    return {key: [snippet for *_, snippet in sorted(shown, key=lambda s: s[:2])] for key, shown in made.items()}, rows


def _left_out(
    page: Page, scan: np.ndarray | None, regions: list[tuple[str, int, Box, str]], out: Path
) -> list[dict[str, Any]]:
    """What preprocessing took out of the image OCR read on a page: each figure painted to paper and each stamp
    (with its own words), its box and size on the scan and its crop of the scan at the scan's resolution (none
    when the scan moved or is gone)."""
    rows: list[dict[str, Any]] = []
    for kind, n, (x0, y0, x1, y1), text in regions:
        src = None
        if scan is not None:
            name = f"{page.id}-{kind}-{n}.png"
            write_png(scan[y0:y1, x0:x1], out / "report" / LEFT_OUT / name)  # the box is in the scan's pixels
            src = f"report/{LEFT_OUT}/{quote(name)}"
        label = f"{page.id}, {kind} {n}: {x1 - x0} × {y1 - y0} px at ({x0}, {y0})"
        rows.append({"page": page.id, "kind": kind, "label": label, "text": text, "src": src, "width": x1 - x0})
    return rows


def _snippet_name(item: Item) -> str:
    """The file of the snippet of an item's word, in OUT/report."""
    return f"{item.page}-{item.line}-{item.word}.png"


def _script_json(value: Any) -> str:
    """JSON to sit inside a <script> element (a `</script>` in a reading must not end it)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _saved_decisions(out: Path) -> list[dict[str, Any]]:
    """OUT/decisions.json as `--serve` saved it, for the page to merge with the browser's own copy. Made
    for another run of the folder too: a decision names its group by content, and the page exports it
    only for a group it lists, with that group's places."""
    try:
        _, decisions = parse(json.loads((out / DECISIONS_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, DecisionError):
        return []  # none, or not one: the browser's copy stands alone
    return [asdict(d) for d in decisions]


def _write_snippets(page: Page, scan: np.ndarray, needed: Needed, out: Path, made: Snippets) -> None:
    """Cut from a page's scan the first few occurrences of each group on it (for a page-break hyphen, also the
    next page's first line), adding to `made` per group the snippets' places, paths, sizes and word positions."""
    if not needed:
        return
    matrix = page_transform(page, scan.shape)
    for key, n, item, following in needed:
        if following:
            assert item.next_line is not None
            li = item.next_line[1]
            name, line, word, label = (
                f"{page.id}-{li}.png",
                page.lines[li].box,
                None,
                f"next page ({page.id}) goes on",
            )
        else:
            name, line, word = (
                _snippet_name(item),
                item.line_box,
                None if item.box == item.line_box else item.box,
            )
            label = f"{page.id}, line {item.line + 1}"
        image, offset = evidence(scan, matrix, line, word)
        write_png(image, out / "report" / name)
        made.setdefault(key, []).append(
            (
                n,
                following,
                {
                    "src": "report/" + quote(name),
                    "width": image.shape[1],
                    "height": image.shape[0],
                    "offset": round(offset),
                    "label": label,
                },
            )
        )
