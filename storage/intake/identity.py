"""Numbers become pseudonyms; reports get reference codes that reveal nothing."""

from __future__ import annotations

import re
import secrets

import phonenumbers

from storage.crypto import pseudonym

# No 0/O, 1/I/L: a reference is read aloud and typed on keypads.
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REF_LENGTH = 6
REF_PATTERN = re.compile(rf"^[{REF_ALPHABET}]{{3}}-?[{REF_ALPHABET}]{{3}}$")
# A Kenyan mobile number (07… or 01…) in E.164, as gateways send most numbers: already in the
# form phonenumbers would give it, which takes a parse of some 12-25 µs to find out.
KENYAN_MOBILE_E164 = re.compile(r"\+254[17][0-9]{8}")
# What a gateway writes in a number besides ASCII digits. Letters (read as keypad digits by
# phonenumbers), other scripts' digits and extensions would put a message on someone's number.
DIALLED = re.compile(r"\+?[0-9][0-9 ().-]*")


class InvalidNumberError(ValueError):
    """The sender field is not a phone number."""


def normalise_number(raw: str, region: str = "KE") -> str:
    """E.164 form of a number as gateways send it: `0712…`, `+254712…`, `254712…`,
    `whatsapp:+254712…` all become `+254712…`."""
    cleaned = raw.strip().removeprefix("whatsapp:").strip()
    if KENYAN_MOBILE_E164.fullmatch(cleaned):
        return cleaned
    return parsed_number(cleaned, region)


def parsed_number(cleaned: str, region: str = "KE") -> str:
    """`normalise_number` for any number, by phonenumbers' rules."""
    if not DIALLED.fullmatch(cleaned):
        raise InvalidNumberError("sender is not a phone number in ASCII digits")
    if cleaned.isdigit() and not cleaned.startswith("0"):
        cleaned = "+" + cleaned
    try:
        parsed = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidNumberError("sender is not a phone number") from error
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidNumberError("sender is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def reporter_pseudonym(pepper: bytes, raw_number: str) -> str:
    return pseudonym(pepper, normalise_number(raw_number))


def new_reference() -> str:
    """Six random characters; always letters and digits mixed, so no word is mistaken for one.
    One draw from the system's random source makes all six (a draw each costs a system call)."""
    while True:
        drawn = secrets.randbelow(len(REF_ALPHABET) ** REF_LENGTH)
        code = ""
        for _ in range(REF_LENGTH):
            drawn, position = divmod(drawn, len(REF_ALPHABET))
            code += REF_ALPHABET[position]
        if not code.isalpha() and not code.isdigit():
            return f"{code[:3]}-{code[3:]}"


def canonical_reference(typed: str) -> str | None:
    """The stored form of a reference as a resident typed it, or None if it cannot be one."""
    compact = re.sub(r"[\s\-]", "", typed.upper())
    if not REF_PATTERN.match(compact) or compact.isalpha() or compact.isdigit():
        return None
    return f"{compact[:3]}-{compact[3:]}"
