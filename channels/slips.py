"""A keyword as fingers mistype it: one letter wrong, missing or extra, or two letters beside
each other swapped ("STATSU", "STRAT", "startt", "MSADA"). A word of four letters is read only
through a swap or a letter typed twice ("HLEP", "STOPP"): one letter wrong in four makes other
words ("RAPE" is no RATE)."""

from __future__ import annotations

from collections.abc import Iterable

# The shortest keyword read through any slip; one shorter is read through a swap or a letter
# typed twice when it has SHORT_SLIP_LETTERS, and only as typed when it has fewer.
ANY_SLIP_LETTERS = 5
SHORT_SLIP_LETTERS = 4


def meant(typed: str, keywords: Iterable[str]) -> str | None:
    """The one keyword `typed` is a slip of, or None: when it is a slip of none, or of more
    than one, it is no keyword."""
    close = [word for word in keywords if typed != word and _read_through(typed, word)]
    return close[0] if len(close) == 1 else None


def slipped(typed: str, word: str) -> bool:
    """`typed` is `word` with one letter wrong, missing or extra, or two beside each other swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        return _one_wrong(typed, word) or _swapped(typed, word)
    shorter, longer = sorted((typed, word), key=len)
    return any(longer[:at] + longer[at + 1 :] == shorter for at in range(len(longer)))


def _swapped(typed: str, word: str) -> bool:
    """`typed` is `word` with two letters beside each other swapped ("HLEP", "SOTP")."""
    if len(typed) != len(word) or typed == word:
        return False
    apart = [at for at in range(len(word)) if typed[at] != word[at]]
    first = apart[0]
    return apart == [first, first + 1] and typed[first] == word[first + 1] and typed[first + 1] == word[first]


def _doubled(typed: str, word: str) -> bool:
    """`typed` is `word` with one of its letters typed twice ("STOPP", "HEELP")."""
    return any(typed == word[: at + 1] + word[at:] for at in range(len(word)))


def _one_wrong(typed: str, word: str) -> bool:
    return sum(left != right for left, right in zip(typed, word, strict=True)) == 1


def _read_through(typed: str, word: str) -> bool:
    if len(word) >= ANY_SLIP_LETTERS:
        return slipped(typed, word)
    return len(word) == SHORT_SLIP_LETTERS and (_swapped(typed, word) or _doubled(typed, word))
