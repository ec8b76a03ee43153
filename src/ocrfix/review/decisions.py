"""Applying a reviewer's decisions (decisions.json) to a finished run, without running OCR again.

Each decision names a group and its places; accepting, rejecting or typing a reading sets those
words' text and records a "reviewer" change on them. Accepted names and words go to the user
dictionary and rejected changes to the rejection list, so the next run neither asks nor proposes
them again. Applying the same decisions twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import outputs
from ..correct.words import split_token
from ..lexicon import load, read_entries, rejections_file, user_dictionary
from ..model import Change, Line, Page

ACTIONS = ("accept", "reject", "edit")


class DecisionError(Exception):
    """decisions.json cannot be applied; str() is the one-line reason."""


@dataclass
class Applied:
    words: int = 0
    """Words whose text the decisions changed."""
    lines: int = 0
    """Lines whose role or hyphen the decisions changed."""
    learned: tuple[str, ...] = ()
    """Entries added to the user dictionary."""


def read_decisions(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        decisions = data["decisions"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DecisionError(f"{path}: not a decisions file ({err})") from err
    for d in decisions:
        if d.get("action") not in ACTIONS or not isinstance(d.get("items"), list):
            raise DecisionError(f"{path}: a decision needs an action ({', '.join(ACTIONS)}) and its items")
    return decisions


def apply_decisions(pages: list[Page], decisions: list[dict[str, Any]]) -> Applied:
    """Change the page records as decided (in place)."""
    by_id = {p.id: p for p in pages}
    result = Applied()
    learned: list[str] = []
    for d in decisions:
        for page_id, li, wi in d["items"]:
            page = by_id.get(page_id)
            if page is None or li >= len(page.lines):
                continue
            line = page.lines[li]
            if d["kind"] in ("noise", "join"):
                result.lines += _decide_line(line, d)
            elif wi < len(line.words):
                result.words += _decide_word(line, wi, d)
        if d["action"] in ("accept", "edit") and d["kind"] in ("change", "unknown"):
            learned.extend(_words_to_learn(d["text"] if d["action"] == "edit" else d["proposed"]))
    result.learned = tuple(dict.fromkeys(learned))
    return result


def _decide_line(line: Line, d: dict[str, Any]) -> int:
    """A noise line kept out (accept) or put back into the text (reject); a page-break hyphen
    joined as proposed (accept) or the other way round (reject). 1 if the line changed."""
    if d["kind"] == "noise":
        role = "body" if d["action"] == "reject" else "noise"
        changed, line.role = line.role != role, role
        return int(changed)
    proposed = "join" if d["proposed"] != d["raw"] else "keep"
    wanted = {"join": "keep", "keep": "join"}[proposed] if d["action"] == "reject" else proposed
    changed, line.hyphen = line.hyphen != wanted, wanted
    return int(changed)


def _decide_word(line: Line, wi: int, d: dict[str, Any]) -> int:
    """Set the word (and the words a join swallowed) to the decided text; 1 if anything changed."""
    span = max(1, len(d["raw"].split()))
    words = line.words[wi : wi + span]
    if d["action"] == "reject":
        targets = [w.raw for w in words]
    else:
        text = d["text"] if d["action"] == "edit" else d["proposed"]
        targets = [text] + [""] * (len(words) - 1)
    if [w.final for w in words] == targets:
        return 0
    for w, target in zip(words, targets, strict=True):
        if w.final != target:
            w.changes.append(Change(w.final or "", target, f"reviewer: {d['action']}", 1.0, True))
            w.final = target
    return 1


def _words_to_learn(text: str) -> list[str]:
    """The words of an accepted reading the lexicons do not know yet (names, mostly)."""
    lexicon = load()
    words = [split_token(t)[1] for t in text.split()]
    return [w for w in words if w and not lexicon.knows(w) and not w.isdigit()]


def remember(decisions: list[dict[str, Any]], pages: list[Page], learned: tuple[str, ...]) -> None:
    """Accepted words into the user dictionary; rejected changes, with their neighbours, into the rejection list."""
    if learned:
        path = user_dictionary()
        known = set(read_entries(path)) if path.is_file() else set()
        new = [w for w in learned if w not in known]
        if new:
            text = path.read_text(encoding="utf-8") if path.is_file() else "# names and words accepted in review\n"
            outputs.atomic_write(path, text + "".join(w + "\n" for w in new))
    by_id = {p.id: p for p in pages}
    rows = set()
    for d in decisions:
        if d["action"] != "reject" or d["kind"] != "change":
            continue
        for page_id, li, wi in d["items"]:
            words = by_id[page_id].lines[li].words if page_id in by_id else []
            span = max(1, len(d["raw"].split()))
            left = words[wi - 1].raw if wi > 0 else ""
            right = words[wi + span].raw if wi + span < len(words) else ""
            rows.add((d["raw"], d["proposed"], left, right))
    if rows:
        path = rejections_file()
        old = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        lines = list(dict.fromkeys(old + ["\t".join(r) for r in sorted(rows)]))
        outputs.atomic_write(path, "".join(line + "\n" for line in lines))


def apply_to_run(out: Path, decisions_file: Path) -> Applied:
    """Apply decisions.json to the run in OUT and re-render every output (texts, formats, report)
    from the updated records, in the formats the run was made with."""
    from ..pipeline import render_outputs

    decisions = read_decisions(decisions_file)
    formats = json.loads((out / "run.json").read_text(encoding="utf-8"))["config"].get("formats", [])
    pages = outputs.read_run_pages(out)
    result = apply_decisions(pages, decisions)
    render_outputs(pages, out, tuple(formats))
    remember(decisions, pages, result.learned)
    return result
