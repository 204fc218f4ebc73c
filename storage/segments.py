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


def cut_to_one_segment(text: str, ellipsis: str = "...") -> str:
    """The text, shortened at the end with `ellipsis` if it would need more than one SMS."""
    if fits_one_segment(text):
        return text
    cut = text
    while cut and not fits_one_segment(cut.rstrip() + ellipsis):
        cut = cut[:-1]
    return cut.rstrip() + ellipsis
