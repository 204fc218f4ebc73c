"""Turn a raw SMS into the lower-case word tokens every other part of triage reads."""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

_APOSTROPHES = re.compile(r"[’'`´]")
# A report reference as Sauti sends it (K7F-3QX): three and three characters from an alphabet
# without 0, O, 1, I or L, always mixing letters and digits. Typed with or without the dash.
_REF_CHARACTER = "[2-9A-HJKMNP-Za-hjkmnp-z]"
_REFERENCE = re.compile(rf"(?<![\w-])({_REF_CHARACTER}{{3}})-?({_REF_CHARACTER}{{3}})(?![\w-])")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"[^\W_]+")
_CACHE_LIMIT = 50_000
_T = TypeVar("_T")


def normalise(text: str) -> str:
    """Lower-case, strip accents and apostrophes, and shrink stretched letters ("heeelp")."""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    without_marks = folded
    joined = _APOSTROPHES.sub("", without_marks)
    return _STRETCHED.sub(r"\1", joined)


def without_references(text: str) -> str:
    """``text`` with any report reference taken out, so a code never sways classification."""
    return _REFERENCE.sub(_blank_if_reference, text)


def _blank_if_reference(match: re.Match[str]) -> str:
    code = match.group(1) + match.group(2)
    is_reference = any(ch.isdigit() for ch in code) and any(ch.isalpha() for ch in code)
    return " " if is_reference else match.group(0)


def tokenize(text: str, spelling: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Split into word tokens, replacing SMS spellings ("xaxa", "2day") by their standard form."""
    words = _WORD.findall(normalise(text))
    if not spelling:
        return words
    tokens: list[str] = []
    for word in words:
        tokens.extend(spelling.get(word, (word,)))
    return tokens


def remember(cache: dict[str, _T], key: str, value: _T) -> _T:
    """Keep ``value`` in a cache of word readings, emptied once it holds _CACHE_LIMIT words: a
    worker meets new words all day."""
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value
