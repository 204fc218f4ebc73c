"""A reference as residents type it: in small letters, with spaces, any dash or none, a `_`, `/`,
`.` or `*` for its dash, wrapped in brackets or words ("Ref:", "hali ya", "Namba"), a letter too
many or too few. Reading one here never decides what a message asks: channels.keywords does."""

from __future__ import annotations

import re
from collections.abc import Collection

from storage.intake.identity import canonical_reference

# Words said around a command that change nothing it asks: "STOP please", "HALI ya ripoti
# yangu", "Ref: K7F-3QX", "STATUS of my report pls", "K7F-3QX 5 stars, thank you so much".
COURTESY = {
    *("PLEASE", "PLS", "PLZ", "PLIZ", "THANKS", "THANK", "YOU", "NOW", "SO", "MUCH", "STARS", "STAR"),
    *("TAFADHALI", "ASANTE", "SASA", "SANA", "POA", "FADLAN", "MAHADSANID"),
}
REFERENCE_WORDS = {
    *("OF", "MY", "THE", "FOR", "ON", "REF", "REFERENCE", "CODE", "NO", "NUMBER", "REPORT"),
    *("YA", "LA", "WA", "YANGU", "NAMBA", "NAMBARI", "RIPOTI", "KUMBUKUMBU"),
}
# Words before a reference that say the message is about that report: "Re: K7F-3QX they came
# back", "This is about K7F-3QX", "Kuhusu K7F-3QX, walirudi".
LEAD_IN_WORDS = REFERENCE_WORDS | {"RE", "ABOUT", "REGARDING", "KUHUSU", "THIS", "IS", "IT"}
# The longest message read as a reference alone, however wrapped ("Ref: K7F-3QX please").
LONE_REFERENCE_CHARS = 32
# How long a typed reference may be (letters and digits, without spaces and dashes) and still
# be read as one: a code with a letter too many or too few is a mistyped code, not a report.
TYPED_REFERENCE_CHARS = range(4, 9)
# The dashes phones and copy-paste put where a reference has its hyphen.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# What else fingers put there, between letters or digits: "BG5_BUG", "BG5/BUG", "BG5.BUG".
SEPARATOR = re.compile(r"(?<=[A-Za-z0-9])[_/.*\\](?=[A-Za-z0-9])")
PUNCTUATION = ".,:;!?#\"'()[]{}<>*=/"
REF_AT_START = re.compile(
    r"^\s*([A-Za-z0-9]{3}\s?[-_/.*\\]?\s?[A-Za-z0-9]{3})\b[\s:;,.)\]-]*(.*)$", re.DOTALL
)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"\d")


def canonical(typed: str) -> str | None:
    """The stored form of a reference typed with any mark for its dash, or None."""
    return canonical_reference(SEPARATOR.sub("-", typed))


def wordless(text: str) -> bool:
    """No letter or digit at all: spaces, punctuation, emoji."""
    return _LETTER_OR_DIGIT.search(text) is None


def typed_reference(words: list[str]) -> str | None:
    """What was typed where a reference belongs, if it can be read as one, a mistyped one
    included (a code with a digit or a dash; "" when nothing was typed); None when these are
    ordinary words. Words such as "ref", "ya" or "please" around it are not part of it."""
    words = without(words, REFERENCE_WORDS | COURTESY)
    if len(words) > 2 or (len(words) == 2 and not all(2 <= len(bare(word)) <= 4 for word in words)):
        return None
    typed = " ".join(words).strip(PUNCTUATION)
    dashed = SEPARATOR.sub("-", typed)
    compact = re.sub(r"[\s-]", "", dashed)
    if not typed:
        return ""
    if not compact.isalnum() or len(compact) not in TYPED_REFERENCE_CHARS:
        return None
    return typed if any(char.isdigit() for char in compact) or "-" in dashed else None


def reference_after(text: str, keywords: Collection[str]) -> str | None:
    """The valid reference in what was typed where one belongs, however it is wrapped
    ("K7F-3QX.", "ref k7f 3qx", "STATUS K7F-3QX" when STATUS is among `keywords`); None when
    there is none."""
    words = text.translate(DASHES).split()
    if words and bare(words[0]) in keywords:
        words = words[1:]
    ref, used = reference_at(words)
    return ref if only(words[used:], REFERENCE_WORDS | COURTESY) else None


def looks_like_reference(text: str) -> bool:
    """A message that is a reference and nothing else, however it is wrapped ("(K7F-3QX)",
    "Ref: K7F-3QX", "K7F-3QX?"): a valid code, or three and three characters with a dash or
    with letters and digits mixed."""
    if len(text) > LONE_REFERENCE_CHARS:
        return False
    typed = reference_typed_in(text)
    if not re.fullmatch(r"[A-Za-z0-9]{3}[\s-]?[A-Za-z0-9]{3}", SEPARATOR.sub("-", typed)):
        return False
    compact = re.sub(r"[\s-]", "", typed)
    mixed = any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact)
    return canonical(typed) is not None or "-" in typed or mixed


def reference_at(words: list[str]) -> tuple[str | None, int]:
    """The valid reference among the first words, past words such as "ref" or "ya", and how
    many words it took to reach its end; (None, 0) when there is none."""
    skipped = 0
    while skipped < len(words) and bare(words[skipped]) in REFERENCE_WORDS:
        skipped += 1
    if not _DIGIT.search(" ".join(words[skipped : skipped + 3])):
        return None, 0  # every reference has a digit
    for width in (1, 2, 3):
        typed = " ".join(words[skipped : skipped + width])
        if skipped + width <= len(words) and (ref := canonical(typed.strip(PUNCTUATION))):
            return ref, skipped + width
    return None, 0


def reference_typed_in(text: str) -> str:
    """What is left of a message for a reference once the words around it and its wrapping go."""
    words = without(text.translate(DASHES).split(), REFERENCE_WORDS | COURTESY)
    return re.sub(r"\s*-\s*", "-", " ".join(words).strip(PUNCTUATION))


def past_lead_in(text: str) -> str | None:
    """The message from its reference on, when only words such as "Re:", "Ref", "Namba" or
    "This is about" come before it ("Re: K7F-3QX they came back"); None otherwise."""
    words = text.split()
    skipped = 0
    while skipped < len(words) and bare(words[skipped]) in LEAD_IN_WORDS:
        skipped += 1
    rest = words[skipped:]
    if not skipped or reference_at(rest[:3])[0] is None:
        return None
    return text.split(maxsplit=skipped)[skipped]


def bare(word: str) -> str:
    return word.upper().strip(PUNCTUATION)


def without(words: list[str], ignored: set[str] | frozenset[str]) -> list[str]:
    return [word for word in words if bare(word) not in ignored and not wordless(word)]


def only(words: list[str], allowed: set[str] | frozenset[str]) -> bool:
    """Nothing in `words` but words from `allowed` and punctuation."""
    return all(bare(word) in allowed or wordless(word) for word in words)
