"""Letter case: capitals strewn through a known word made consistent (`Repair.CASE`), and `Mr.` or `Mrs.` read
before a name as another short word (`TITLE`). Each function proposes; the scorer decides.
"""

from __future__ import annotations

import regex

from ..words import Corrector

_INNER_CAPITALS = regex.compile(r"^(Mc|Mac|Fitz|O|D|De|Di|Da|La|Le|Van|Von)\p{Lu}\p{Ll}")
"""Names that carry a capital inside (`McCall`, `MacDonald`, `DeWitt`, `LaGuardia`)."""
_TITLE_READ = regex.compile(r"^[\p{L}\p{N}]{0,2}[rR]([sS]?)$")
"""How newsprint OCR reads `Mr` and `Mrs` (`Mir`, `Air`, `lr`, `Blr`, `DIr`, `Airs`, `M4RS`): the `r` survives, the `M` breaks."""
_OTHER_TITLES = frozenset({"mr", "mrs", "dr", "sir", "sr", "jr", "fr", "br", "hr"})
"""Titles that end in `r` too (`Fr.` Father, `Sr.` Senior or Señor, `Hr.` Herr): not `Mr` misread."""
_REVERENT_PRONOUNS = frozenset({"He", "His", "Him", "Thou", "Thee", "Thy", "Thine"})
"""Pronouns of the deity, capitalised mid-sentence on purpose."""


def recased(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> str:
    """Capitals strewn through a known word (`sAid`, `POLICe`, `JAnuary`) made consistent: all capitals
    in a heading or where most letters are, else as its first letter says. A capitalised word stays one
    (`that More stood`: a surname, however common the word), unless it is a function word's case slip."""
    core = cores[i][1]
    lower = core.lower()
    if _capital_slip(ctx, cores, i):
        return lower
    if not core.isalpha() or core.islower() or core.isupper() or core.istitle() or _INNER_CAPITALS.match(core):
        return core
    if ctx.lexicon.is_name(core) or not ctx.lexicon.knows(lower):
        return core
    capitals = sum(c.isupper() for c in core) / len(core)
    heading = any(0 <= k < len(cores) and len(cores[k][1]) > 1 and cores[k][1].isupper() for k in (i - 1, i + 1))
    if heading or capitals >= 0.75:
        return core.upper()
    return lower[:1].upper() + lower[1:] if core[0].isupper() else lower


def _capital_slip(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> bool:
    """`loaded when It was picked`, `close contact With him`: a word as common as a function word,
    capitalised between two lower-case English words with no mark between, is a case slip; not
    before a capitalised word (a title: `his book In Defence of Marxism`), not a name, and not a pronoun
    that reverence capitalises (`the Lord had said that He would`)."""
    if not 0 < i < len(cores) - 1:
        return False
    (_, left, left_post), (pre, core, post), (right_pre, right, _) = cores[i - 1 : i + 2]
    return (
        core.istitle()
        and core.isalpha()
        and len(core) > 1
        and core not in _REVERENT_PRONOUNS
        and not (left_post or pre or post or right_pre)
        and len(left) > 1
        and left.isalpha()
        and left.islower()
        and right.isalpha()
        and right.islower()
        and ctx.lexicon.zipf(core.lower(), "en") >= ctx.params.function_word_zipf
        and not ctx.lexicon.is_name(core)
        and ctx._english(left)
        and ctx._english(right)
    )


def title(ctx: Corrector, cores: list[tuple[str, str, str]], i: int) -> str | None:
    """`before Air. Gillespie`, `opened by Mir. Aspinall`, `Airs. Benton deposed`: a short reading
    ending in `r.` or `rs.` before a name is `Mr.` or `Mrs.`; not an initial (`Sir R. Carden`),
    another title, a word in lower case (`the open air. Mr.`), or before a word that opens sentences."""
    pre, core, post = cores[i]
    m = _TITLE_READ.match(core)
    if (
        m is None
        or post != "."
        or i + 1 >= len(cores)
        or len(core) == 1
        and core.isupper()
        or core.lower() in _OTHER_TITLES
    ):
        return None
    if core.islower() and ctx.lexicon.zipf(core) >= ctx.params.protect_zipf:
        return None
    after_pre, after, _ = cores[i + 1]
    if (
        after_pre
        or not (after[:1].isupper() and after.isalpha())
        or ctx.lexicon.zipf(after.lower(), "en") >= ctx.params.function_word_zipf
    ):
        return None
    title = "Mrs" if m.group(1) else "Mr"
    return title.upper() if core.isupper() and len(core) > 1 else title
