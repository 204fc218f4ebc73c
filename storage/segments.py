"""How many SMS a text costs: GSM-7 packs 160 characters into one message (153 a part when
split), anything outside it needs UCS-2 at 70 (67 a part). A split message is billed per part
and, on basic phones, its parts may arrive out of order; so every automatic text fits one."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# These take two GSM-7 characters each: an escape and the character.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
# Typed by phones and word processors, outside GSM-7: one curly quote would make a whole SMS
# UCS-2, and cut it at 70 characters instead of 160.
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)

# What is left at the end of a name cut after a word: "Panel - Eastleigh" cuts to "Panel".
_BETWEEN_WORDS = " -,;:/&"


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


def units(text: str) -> int:
    """The length a gateway counts: GSM-7 septets, or UTF-16 code units for UCS-2."""
    if is_gsm7(text):
        return sum(2 if char in GSM7_EXTENDED else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def one_segment_limit(text: str) -> int:
    return GSM7_SINGLE if is_gsm7(text) else UCS2_SINGLE


def segments(text: str) -> int:
    """How many SMS the text is sent as."""
    size = units(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if is_gsm7(text) else (UCS2_SINGLE, UCS2_PART)
    if size <= single:
        return 1
    return -(-size // part)


def fits_one_segment(text: str) -> bool:
    return segments(text) == 1


def plain_punctuation(text: str) -> str:
    """Curly quotes, dashes and the like as their GSM-7 counterparts."""
    return text.translate(_PLAIN_PUNCTUATION)


def counting_rules() -> dict[str, object]:
    """What a counter outside Python (the reply box's, in the browser) needs to count a text
    as `units` does once `plain_punctuation` has made it plain: from these tables, so that
    the two never disagree."""
    return {
        "gsm7": "".join(sorted(GSM7_BASIC)),
        "extended": "".join(sorted(GSM7_EXTENDED)),
        "plain": {chr(code): plain for code, plain in _PLAIN_PUNCTUATION.items()},
        "gsm7_limit": GSM7_SINGLE,
        "ucs2_limit": UCS2_SINGLE,
    }


def as_gsm7(name: str) -> str:
    """The name in GSM-7 alone, for a text that must stay at 160 characters: punctuation made
    plain, a letter GSM-7 lacks written without its accent ("Ngũgĩ" as "Ngugi"), and any other
    character outside GSM-7 left out."""
    plain = "".join(_gsm7_lookalike(char) for char in plain_punctuation(name))
    return " ".join(plain.split())


def shorten_to_fit(text: str, fits: Callable[[str], bool], ellipsis: str = "...") -> str:
    """The text whole if `fits` accepts it, else its longest start with `ellipsis` that does,
    cut after a whole word where one fits; `ellipsis` alone if none does."""
    if fits(text):
        return text
    for start in _starts(text):
        if fits(start + ellipsis):
            return start + ellipsis
    return ellipsis


def cut_to_gsm7(text: str, limit: int) -> str:
    """A text from outside (a panel's answer) in GSM-7, which every phone shows whole, its
    lines kept, cut after a word with "..." to `limit` GSM-7 units. An emoji or a curly quote
    left in would make it UCS-2, which holds less than half as much."""
    lines = "\n".join(as_gsm7(line) for line in text.splitlines())
    return shorten_to_fit(lines, lambda cut: units(cut) <= limit)


def cut_to_one_segment(text: str) -> str:
    """The text in GSM-7, cut after a word with "..." if it would still need more than one SMS."""
    return cut_to_gsm7(text, GSM7_SINGLE)


def _gsm7_lookalike(char: str) -> str:
    if is_gsm7(char):
        return char
    bare = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    return bare if is_gsm7(bare) else ""


def _starts(text: str) -> Iterator[str]:
    """Starts of the text, longest first: those ending with a whole word (punctuation between
    words dropped), then ever shorter pieces of the first word."""
    words = text.split()
    for count in range(len(words) - 1, 0, -1):
        start = " ".join(words[:count]).rstrip(_BETWEEN_WORDS)
        if start:
            yield start
    first = words[0] if words else ""
    for end in range(len(first) - 1, 0, -1):
        yield first[:end]
