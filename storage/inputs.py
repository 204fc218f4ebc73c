"""What Sauti accepts as text from outside, in one place: no NUL or other control character
(line breaks and tabs only where a field holds free text), no half of a surrogate pair, and
never longer than the column it goes to. The web forms, query and path values, the JSON API
and the gateway webhooks all refuse what breaks this with a 400 naming the field; only the
text of a resident's message keeps the other control characters a phone may send, as spaces."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote_to_bytes

from sqlalchemy import String
from sqlalchemy.orm import InstrumentedAttribute

from storage.wording import N_, RefusalError, Wording, Words, word

# C0 and C1 controls, DEL, and lone surrogates (which no encoding can store).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What a phone may put in a message's text besides line breaks and tabs: the SMS alphabet itself
# has a form feed and an escape. NUL and lone surrogates are no text a phone sends.
_PHONE_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InputError(RefusalError, ValueError):
    """A value refused as it came; the message names the field and says why."""


NOT_UTF8 = Wording(N_("is not valid UTF-8"))
FORM_BODY = "application/x-www-form-urlencoded"


def checked_text(value: str, field: str | Words, max_chars: int, *, multiline: bool = False) -> str:
    """`value` unchanged if it keeps the policy; otherwise InputError. `field` is a field's
    name, or words that describe it ("a query parameter name")."""
    named = word("field", field) if isinstance(field, str) else field
    if len(value) > max_chars:
        raise InputError(N_("%(field)s is longer than %(limit)d characters"), field=named, limit=max_chars)
    problem = _character_problem(value, multiline=multiline)
    if problem:
        raise InputError(N_("%(field)s %(problem)s"), field=named, problem=problem)
    return value


def refusal(value: str, *, multiline: bool = False) -> str | None:
    """Why the characters of `value` are refused, in English, or None when they are acceptable."""
    problem = _character_problem(value, multiline=multiline)
    return None if problem is None else str(problem)


def _character_problem(value: str, *, multiline: bool = False) -> Wording | None:
    """What is wrong with the characters of `value` ("contains a NUL character"), or None."""
    found = (_CONTROL_BUT_LINES if multiline else _CONTROL).search(value)
    if found is None:
        return None
    character = found.group()
    if character == "\x00":
        return Wording(N_("contains a NUL character"))
    if "\ud800" <= character <= "\udfff":
        return Wording(N_("contains half of a surrogate pair (not valid Unicode text)"))
    return Wording(N_("contains the control character %(code)s"), {"code": f"U+{ord(character):04X}"})


def shows_nothing(value: str) -> bool:
    """Whether `value` would show nothing at all: spaces of any kind, zero-width and direction
    marks, controls. A reply of such characters reaches a resident as a blank SMS."""
    return all(char.isspace() or unicodedata.category(char) in ("Cf", "Cc") for char in value)


def controls_as_spaces(value: str) -> str:
    """A message's text with each control character a phone may send (but line breaks and
    tabs) as a space: refusing the message would lose a report, as a gateway does not retry a
    refusal."""
    return _PHONE_CONTROLS.sub(" ", value)


def column_chars(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> int:
    """How many characters the column holds: the one place a field's limit comes from."""
    kind = column.property.columns[0].type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} has no length")
    return int(kind.length)


def check_percent_escapes(encoded: bytes, names: Words) -> None:
    """Werkzeug keeps a percent-escape that is no UTF-8 as the text "%FF" (and drops a form whose
    raw bytes are not UTF-8), so what was sent would be read as something else; a name or value
    that is not UTF-8 is refused instead."""
    for pair in encoded.split(b"&"):
        name, _, value = pair.partition(b"=")
        _utf8(value, word("field", _utf8(name, names)))


def _utf8(encoded: bytes, field: Words) -> str:
    try:
        return unquote_to_bytes(encoded.replace(b"+", b" ")).decode()
    except UnicodeDecodeError:
        raise InputError(N_("%(field)s %(problem)s"), field=field, problem=NOT_UTF8) from None
