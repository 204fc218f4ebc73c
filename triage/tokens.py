"""Turn a raw SMS into the lower-case word tokens every other part of triage reads."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"[’'`´]")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Lower-case, strip accents and apostrophes, and shrink stretched letters ("heeelp")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in folded if not unicodedata.combining(ch))
    joined = _APOSTROPHES.sub("", without_marks)
    return _STRETCHED.sub(r"\1", joined)


def tokenize(text: str, spelling: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Split into word tokens, replacing SMS spellings ("xaxa", "2day") by their standard form."""
    words = _WORD.findall(normalise(text))
    if not spelling:
        return words
    tokens: list[str] = []
    for word in words:
        tokens.extend(spelling.get(word, (word,)))
    return tokens
