"""How many SMS a text costs: GSM-7 packs 160 characters into one message (153 a part when
split), anything outside it needs UCS-2 at 70 (67 a part). A split message is billed per part
and, on basic phones, its parts may arrive out of order; so every automatic text fits one."""

from __future__ import annotations

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


def cut_to_one_segment(text: str, ellipsis: str = "...") -> str:
    """The text, its punctuation made plain, shortened at the end with `ellipsis` if it would
    still need more than one SMS."""
    text = plain_punctuation(text)
    if fits_one_segment(text):
        return text
    cut = text
    while cut and not fits_one_segment(cut.rstrip() + ellipsis):
        cut = cut[:-1]
    return cut.rstrip() + ellipsis
