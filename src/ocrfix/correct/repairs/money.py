"""Sums of money in shillings and pence (`10s. 6d.`) read with their unit misread (`Repair.MONEY`).

Old British print writes a sum's unit as a letter after its figures with a stop: `l.` for pounds, `s.` for
shillings, `d.` for pence. OCR reads an `s` as a letter of another shape (`20i.`, `15X.`) and a figure as the
letter of its shape (`lOs.`, `Gd.`): no word and no number, which a sum restores. Pounds read with their `l`
as a figure (`501.` for `50l.`) are a number as read, and a number is protected, but for the evidence of the text
itself: figures ending in `1` before a full stop, more than one, where a day of the month or a year would not end
so (`pounds_read`). Mended in any text that prints another sum, they were 27 of the generator's 39 changes on
BLN600's tune half and rewrote good numbers of a twentieth-century text that prints a single sum (`note 31.` ->
`note 3l.`). It proposes with its own confidence, which stands: too few changes for the scorer to fit.
"""

from __future__ import annotations

from collections.abc import Mapping

import regex

from ..scorer import Repair
from ..words import Corrector, Proposal

SUM = regex.compile(r"^\d[\d,]*[lsd]$")
"""A sum read right, without its stop (`50l`, `10s`, `6d`, `1,000l`)."""
_SHILLINGS_READ = regex.compile(r"^(\d{1,2})(?:[ixX]|ic|is)$")
"""Shillings (under 100) with their `s` read as a letter of another shape: the misreadings of `s` after figures
in BLN600's tune half (`20i.`, `15X.`, `40ic.`, `9is.`); `a`, `e` and `o` after figures may be ordinals
(`2a.`, `1o.`) and stay."""
_FIGURES_READ = regex.compile(r"^(?=.*[lIOoG])[\dlIOoG]{1,3}[sd]$")
"""Shillings or pence with a figure read as the letter of its shape (`lOs.` or `los.` for `10s.`, `Gd.` for `6d.`)."""
_FIGURE_OF = str.maketrans("lIOoG", "11006")
REASON = "unit of a sum read as a figure or letter"
LOST_SIGN = "\ufffd"
"""What a decoder writes for a byte it could not read (`textfile.py`): before figures, a sign that is no ASCII, which
in English print is the pound's (`�800` for `£800`: of the 136 before figures in BLN600's OCR, the truth prints `£` at
124 and no other sign at any)."""
LOST_REASON = "pound sign the text's encoding lost"
_POUNDS_READ = regex.compile(r"^(\d[\d,]*)1$")
"""Pounds with their `l` read as the figure of its shape (`501` for `50l`, `6,0001` for `6,000l`)."""
_POUNDS_TOKEN = regex.compile(r"^(\d[\d,]*\d)\.")
_YEAR = regex.compile(r"^(?:1\d|20)\d\d$")
POUNDS_REASON = "pounds' `l` read as a figure"
LAST_DAY = 31
"""A day of the month (`August 31.`) ends in `1` as often as any figure: no evidence of pounds."""


def pounds_read(words: Mapping[str, int]) -> int:
    """How many more of the text's figures above 31 before a full stop, no year, end in `1` (`501.`, `6,0001.,`)
    than in another figure: in print one in ten ends in `1` (oldbooks-dev's truth: 3 against 29), in BLN600's OCR of
    a report of sums most do, the pound's `l` read as a figure (the 11 tune articles that print two or more: 36
    against 1). A book that cites its pages (`see page 231.`) prints more of the others."""
    found = 0
    for word, n in words.items():
        m = _POUNDS_TOKEN.match(word) if word[:1].isdigit() else None  # most tokens are words
        if m is not None and not _YEAR.match(m.group(1)) and int(m.group(1).replace(",", "")) > LAST_DAY:
            found += n if m.group(1).endswith("1") else -n
    return found


def sums(readings: Mapping[str, int]) -> int:
    """How many sums the text prints read right: the evidence that a reading with a figure read as a letter before
    a stop (`lOs.`) may be one."""
    return sum(n for core, n in readings.items() if SUM.match(core))


def _no_word(ctx: Corrector, core: str) -> bool:
    """No English word as printed: a figure in it, a capital after its first letter (`lOs`), or no common English
    word (`los` is Spanish's; `Is` stays)."""
    return any(c.isdigit() or c.isupper() for c in core[1:]) or core[0].isdigit() or not ctx._english(core)


def amount(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> Proposal | None:
    """The sum a reading before a stop is (`20i.` -> `20s.`; `lOs.` -> `10s.` in a text that prints sums)."""
    pre, core, post = cores[i]
    if pre.endswith(LOST_SIGN) and core[:1].isdigit() and _in_english(ctx, cores, i):
        return Proposal(i, i + 1, pre[:-1] + "£" + core + post, Repair.MONEY, LOST_REASON, ctx.params.money_confidence)
    if not post.startswith("."):
        return None
    if _pounds(ctx, cores, i):
        return Proposal(i, i + 1, core[:-1] + "l" + post, Repair.MONEY, POUNDS_REASON, ctx.params.pounds_confidence)
    pence = core[-1:] == "d" and i > 0 and cores[i - 1][1][-1:] == "s" and SUM.match(cores[i - 1][1]) is not None
    shillings = _SHILLINGS_READ.match(core)
    if shillings is not None:
        figures, unit = shillings.group(1), "s"
    elif _FIGURES_READ.match(core) and (pence or ctx.sums >= ctx.params.money_min_sums and _no_word(ctx, core)):
        # pence after shillings (`2s. Gd.`) are evidence enough of themselves
        figures, unit = core[:-1].translate(_FIGURE_OF), core[-1]
    else:
        return None
    return Proposal(i, i + 1, pre + figures + unit + post, Repair.MONEY, REASON, ctx.params.money_confidence)


def _pounds(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> bool:
    """`of 501.`, `for 6,0001.,`: a figure ending in `1` before a full stop, no year, that a lower-case word runs on
    into (a heading's or a list's number follows a stop or a capital: `FIG. 21.`, `Perry. 11.`, `Nov 11.`), in a
    text that prints such figures again and again (`Params.money_min_pounds_read`)."""
    pre, core, _ = cores[i]
    if pre or i == 0 or not _POUNDS_READ.match(core) or _YEAR.match(core):
        return False
    _, left, left_post = cores[i - 1]
    return (
        not left_post and left.isalpha() and left.islower() and ctx.text.pounds_read >= ctx.params.money_min_pounds_read
    )


def _in_english(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> bool:
    """A word beside the sum is a common English word (a French text's lost sign may be a franc's or a euro's)."""
    return any(0 <= k < len(cores) and ctx._english(cores[k][1]) for k in (i - 2, i - 1, i + 1, i + 2))
