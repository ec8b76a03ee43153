"""When a name's plain form is a spelling of its own, not the name with its diacritics lost.

Shared by the scripts that take names with diacritics from maintained sources (`given_names.py`,
`gazetteer.py`): an entry is a restoration target for its plain form, and a wrong target is worse than a
missing one. A plain form is a spelling of its own when SCOWL's British English list holds it (`Venus`,
`Jose`: English writes them so), or wordfreq's English knows it, rarely (`Emeline`): below the frequency
that keeps the corrector from restoring a common plain form (`Etienne`) on no more evidence than a
dictionary entry, it would be restored in clean English text.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import wordfreq  # noqa: E402

from ocrfix.correct.words import Params  # noqa: E402
from ocrfix.lexicon import ENGLISH_WORD_LIST, strip_accents  # noqa: E402


def english_words() -> set[str]:
    """SCOWL's British English list (missing: a list that damages English)."""
    return set(ENGLISH_WORD_LIST.read_text(encoding="utf-8").split())


def own_spelling(name: str, words: set[str]) -> bool:
    """`name` written plain is one of `words` (a source's own plain entries, English's), or English prints
    it rarely: restoring it would change text that is right."""
    plain = strip_accents(name)
    return plain in words or 0.0 < wordfreq.zipf_frequency(plain, "en", wordlist="large") < Params().protect_zipf
