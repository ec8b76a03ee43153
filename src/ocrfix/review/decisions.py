"""Applying a reviewer's decisions (decisions.json) to a finished run, without running OCR again.

Each decision names a group and its places. The file is checked before anything is touched: its shape
(`parse`, one-line reasons), that it was made for this run (`run_id`), and, place by place, that the
place still reads what the decision says (a stale or forged place is reported and skipped). Accepting,
rejecting or typing a reading sets those words' text and records a "reviewer" change on them; words a
reviewer asked ocrfix to learn go to the user dictionary (only word-shaped ones), rejected changes to
the rejection list. The places decided are kept in OUT/report/applied.json so the report lists them as
done, not as new. Applying the same decisions twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import outputs
from ..lexicon import load, read_entries, rejections_file, user_dictionary
from ..model import Change, Line, Page
from ..sources import one_line
from ..tokens import split_token

KINDS = ("change", "unknown", "noise", "join")
ACTIONS = ("accept", "reject", "edit")
APPLIED_FILE = Path("report") / "applied.json"
"""The places already decided, relative to OUT (see `record_applied`)."""
_WORD_SHAPED = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
"""Letters, with an apostrophe or hyphen only between letters: `O'Brien`, `Serge-Trotsky`, not `iibe:tarian`."""

Place = tuple[str, int, int]
"""(page id, 0-based line, 0-based word): where a decision applies."""


class DecisionError(Exception):
    """decisions.json cannot be applied; str() is the one-line reason."""


@dataclass(frozen=True)
class Decision:
    group: str
    kind: str
    raw: str
    proposed: str
    reason: str
    action: str
    text: str | None
    """The typed reading (edit only)."""
    items: tuple[Place, ...]
    learn: bool = False
    """Put the decided word into the user dictionary ("accept and learn"); a plain accept only confirms."""
    at: float = 0
    """When it was decided (ms since 1970, the browser's clock): the later of two copies wins a merge."""

    @property
    def target(self) -> str:
        """The text the decided places should read."""
        return {"accept": self.proposed, "reject": self.raw}.get(self.action, self.text or "")


@dataclass
class Applied:
    changed: int = 0
    """Places whose text (or line role, or hyphen) now differs from both before and the reading."""
    reverted: int = 0
    """Places put back to what was read (a rejected change): not a change."""
    unchanged: int = 0
    """Places already as decided (a confirmation, or the same decisions applied again)."""
    skipped: list[str] = field(default_factory=list)
    """One line per place that no longer reads what its decision says."""
    learned: tuple[str, ...] = ()
    """Entries to add to the user dictionary."""
    not_learned: tuple[str, ...] = ()
    """Readings a reviewer asked to learn that are not word-shaped (`iibe:tarian`)."""
    done: list[Decision] = field(default_factory=list)
    """The decisions, narrowed to the places they were applied to."""

    def summary(self) -> list[str]:
        """What was done, for the terminal: a revert or a confirmation is not counted as a change."""
        lines = [
            f"{self.changed} changes applied, {self.reverted} put back as read, {self.unchanged} places already as decided"
            f"{f', {len(self.skipped)} skipped' if self.skipped else ''}; "
            f"{len(self.learned)} new entries in the user dictionary"
        ]
        if self.not_learned:
            lines.append(f"not learned (not word-shaped): {', '.join(self.not_learned)}")
        return lines


def run_id(pages: list[Page]) -> str:
    """Names the run: its pages and what each was made from (scan content and settings), so it survives a
    moved folder, another port and an --apply, but not a rerun that read a page again."""
    text = "\n".join(f"{p.id}\t{p.cache_key}" for p in sorted(pages, key=lambda p: p.id))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def word_shaped(token: str) -> bool:
    """Whether a token, its outer punctuation aside, is a word a dictionary may hold."""
    core = split_token(token)[1]
    return bool(_WORD_SHAPED.fullmatch(core)) and len(core) > 1


def parse(data: Any) -> tuple[str, list[Decision]]:
    """The run id and the decisions of a decisions file's JSON, or DecisionError saying what is wrong."""
    if not isinstance(data, dict):
        raise DecisionError(f"not a decisions file: {_what(data)} at the top, not an object")
    decisions = data.get("decisions")
    if not isinstance(decisions, list):
        raise DecisionError(f'not a decisions file: "decisions" is {_what(decisions)}, not a list')
    run = data.get("run")
    if not isinstance(run, str) or not run:
        raise DecisionError('no run id ("run"): export the decisions from this run\'s report')
    return run, [_decision(d, f"decisions[{i}]") for i, d in enumerate(decisions)]


def _decision(d: Any, where: str) -> Decision:
    if not isinstance(d, dict):
        raise DecisionError(f"{where} is {_what(d)}, not an object")
    for name in ("group", "kind", "raw", "proposed", "reason", "action"):
        if not isinstance(d.get(name), str):
            raise DecisionError(f'{where}: "{name}" is {_what(d.get(name))}, not a string')
    if d["kind"] not in KINDS:
        raise DecisionError(f'{where}: kind "{d["kind"]}" is none of {", ".join(KINDS)}')
    if d["action"] not in ACTIONS:
        raise DecisionError(f'{where}: action "{d["action"]}" is none of {", ".join(ACTIONS)}')
    text = d.get("text")
    if d["action"] == "edit" and not isinstance(text, str):
        raise DecisionError(f'{where}: an edit needs its "text" (a string), not {_what(text)}')
    if isinstance(text, str) and any(unicodedata.category(c) == "Cc" for c in text):
        raise DecisionError(f"{where}: the text holds a control character (a line break or tab)")
    if not isinstance(d.get("learn", False), bool):
        raise DecisionError(f'{where}: "learn" is {_what(d.get("learn"))}, not true or false')
    if not isinstance(d.get("at", 0), int | float) or isinstance(d.get("at", 0), bool):
        raise DecisionError(f'{where}: "at" is {_what(d.get("at"))}, not a number')
    if not isinstance(d.get("items"), list):
        raise DecisionError(f'{where}: "items" is {_what(d.get("items"))}, not a list')
    items = []
    for j, item in enumerate(d["items"]):
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in item[1:])
        ):
            raise DecisionError(
                f"{where}.items[{j}]: {json.dumps(item)[:60]} is not [page, line, word] with line and word ≥ 0"
            )
        items.append((item[0], item[1], item[2]))
    return Decision(
        d["group"],
        d["kind"],
        d["raw"],
        d["proposed"],
        d["reason"],
        d["action"],
        text if isinstance(text, str) else None,
        tuple(items),
        d.get("learn", False),
        d.get("at", 0),
    )


def _what(value: Any) -> str:
    """A JSON value's kind, for an error message."""
    if value is None:
        return "missing (or null)"
    if isinstance(value, bool):
        return "true or false"
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def read_decisions(path: Path, pages: list[Page]) -> list[Decision]:
    """decisions.json, checked as a whole: its shape, and that it was made for this run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise DecisionError(f"{path}: not a decisions file ({one_line(err)})") from err
    try:
        run, decisions = parse(data)
    except DecisionError as err:
        raise DecisionError(f"{path}: {err}") from None
    if run != run_id(pages):
        raise DecisionError(
            f"{path}: made for another run ({run}; this one is {run_id(pages)}): "
            "export the decisions again from this run's report"
        )
    return decisions


def apply_decisions(pages: list[Page], decisions: list[Decision]) -> Applied:
    """Change the page records as decided (in place), place by place, skipping places that no longer
    read what their decision says."""
    by_id = {p.id: p for p in pages}
    result = Applied()
    learned: list[str] = []
    for d in decisions:
        done: list[Place] = []
        for page_id, li, wi in d.items:
            page = by_id.get(page_id)
            line = page.lines[li] if page is not None and li < len(page.lines) else None
            why = _stale(line, wi, d) if line is not None else "no such page or line"
            if why:
                result.skipped.append(f"{page_id} line {li + 1} word {wi + 1}: {why}")
                continue
            assert line is not None
            outcome = _decide_line(line, d) if d.kind in ("noise", "join") else _decide_word(line, wi, d)
            setattr(result, outcome, getattr(result, outcome) + 1)
            done.append((page_id, li, wi))
        if done:
            result.done.append(replace(d, items=tuple(done)))
            if d.learn and d.action != "reject" and d.kind in ("change", "unknown"):
                learned.extend(d.target.split())
    known = load().knows
    result.learned = tuple(
        dict.fromkeys(split_token(t)[1] for t in learned if word_shaped(t) and not known(split_token(t)[1]))
    )
    result.not_learned = tuple(dict.fromkeys(t for t in learned if not word_shaped(t)))
    return result


def _stale(line: Line, wi: int, d: Decision) -> str:
    """Why the place no longer fits its decision ('' when it does): it must hold the reading the
    decision was made on, and read now the reading, the proposal or the decided text."""
    if d.kind == "noise":
        return (
            "" if wi == 0 and line.raw_text == d.raw else f"the line reads {line.raw_text[:40]!r}, not {d.raw[:40]!r}"
        )
    if wi >= len(line.words):
        return "no such word"
    if d.kind == "join":
        now = line.words[wi].final
        return (
            ""
            if line.hyphen and wi == len(line.words) - 1 and now == d.raw
            else f"reads {now!r}, not a line-end {d.raw!r}"
        )
    words = line.words[wi : wi + max(1, len(d.raw.split()))]
    readings = {" ".join(w.raw for w in words)} | {c.raw for c in words[0].changes}
    now = " ".join(w.final for w in words if w.final)
    if d.raw not in readings:
        return f"reads {now!r}, not {d.raw!r}"
    if now not in (d.raw, d.proposed, d.target):
        return f"reads {now!r} now, neither {d.raw!r} nor {d.proposed!r}"
    return ""


def _decide_line(line: Line, d: Decision) -> str:
    """A noise line kept out (accept) or put back into the text (reject); a page-break hyphen
    joined as proposed (accept) or the other way round (reject). Returns which `Applied` count it adds to."""
    if d.kind == "noise":
        role = "body" if d.action == "reject" else "noise"
        changed, line.role = line.role != role, role
    else:
        proposed = "join" if d.proposed != d.raw else "keep"
        wanted = {"join": "keep", "keep": "join"}[proposed] if d.action == "reject" else proposed
        changed, line.hyphen = line.hyphen != wanted, wanted
    return "unchanged" if not changed else "reverted" if d.action == "reject" else "changed"


def _decide_word(line: Line, wi: int, d: Decision) -> str:
    """Set the word (and the words a join swallowed) to the decided text; returns which `Applied`
    count it adds to."""
    words = line.words[wi : wi + max(1, len(d.raw.split()))]
    read = [w.raw for w in words]
    targets = read if d.action == "reject" else [d.target] + [""] * (len(words) - 1)
    if [w.final for w in words] == targets:
        return "unchanged"
    for w, target in zip(words, targets, strict=True):
        if w.final != target:
            w.changes.append(Change(w.final or "", target, f"reviewer: {d.action}", 1.0, True))
            w.final = target
    return "reverted" if targets == read else "changed"


def remember(decisions: list[Decision], pages: list[Page], learned: tuple[str, ...]) -> None:
    """Learned words into the user dictionary; rejected changes, with their neighbours, into the rejection list."""
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
        if d.action != "reject" or d.kind != "change":
            continue
        for page_id, li, wi in d.items:
            words = by_id[page_id].lines[li].words if page_id in by_id else []
            span = max(1, len(d.raw.split()))
            left = words[wi - 1].raw if wi > 0 else ""
            right = words[wi + span].raw if wi + span < len(words) else ""
            rows.add((d.raw, d.proposed, left, right))
    if rows:
        path = rejections_file()
        old = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        lines = list(dict.fromkeys(old + ["\t".join(r) for r in sorted(rows)]))
        outputs.atomic_write(path, "".join(line + "\n" for line in lines))


def applied_decisions(out: Path, pages: list[Page]) -> list[Decision]:
    """The decisions applied to this run so far, narrowed to the places on pages not read again since
    (a rerun that read a page again made its places new)."""
    try:
        data = json.loads((out / APPLIED_FILE).read_text(encoding="utf-8"))
        kept = dict(data["pages"])
        _, decisions = parse(data)
    except (OSError, ValueError, TypeError, KeyError, DecisionError):
        return []  # none yet, or damaged: the report then lists those places again, which loses nothing
    current = {p.id: p.cache_key for p in pages}
    narrowed = [replace(d, items=tuple(i for i in d.items if kept.get(i[0]) == current.get(i[0]))) for d in decisions]
    return [d for d in narrowed if d.items]


def record_applied(out: Path, pages: list[Page], done: list[Decision]) -> None:
    """Add the places just decided to OUT/report/applied.json (the latest decision of a place wins)."""
    places: dict[tuple[str, Place], Decision] = {}
    for d in applied_decisions(out, pages) + done:
        for item in d.items:
            places[(d.kind, item)] = d
    merged: dict[Decision, list[Place]] = {}  # by the decision without its places and time: one entry a decision
    for (_, item), d in places.items():
        merged.setdefault(replace(d, items=(), at=0), []).append(item)
    decisions = [{**asdict(d), "items": sorted(items)} for d, items in merged.items()]
    data = {"run": run_id(pages), "pages": {p.id: p.cache_key for p in pages}, "decisions": decisions}
    outputs.atomic_write(out / APPLIED_FILE, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def apply_to_run(out: Path, decisions_file: Path) -> Applied:
    """Apply decisions.json to the run in OUT and re-render every output (texts, formats, report) from
    the updated records, in the formats the run was made with. Nothing is written when no place fits."""
    from ..pipeline import render_outputs

    formats = json.loads((out / "run.json").read_text(encoding="utf-8"))["config"].get("formats", [])
    pages = outputs.read_run_pages(out)
    decisions = read_decisions(decisions_file, pages)
    result = apply_decisions(pages, decisions)
    if result.done:
        record_applied(out, pages, result.done)
        render_outputs(pages, out, tuple(formats))
        remember(result.done, pages, result.learned)
    return result
