"""Numbers, times and flags as they are typed from outside (a query string, a form, an SMS, a
USSD menu), read strictly: a number is the ASCII digits 0-9 within a bound, a time is an ISO
8601 date or time that exists in UTC, a flag one of a few words for yes or no. What is refused
is an `InputError` that says why.

`str.isdigit()` is no test for a number: it is true of "²" and "１２", which `int()` refuses
or reads as another number than the one the person meant."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from storage.inputs import InputError
from storage.wording import N_, word

_ASCII_NUMBER = re.compile(r"[0-9]+")
# Every way a flag is written: by a checkbox ("on" or its value "1"), a link, a script.
YES = ("1", "true", "yes", "on")
NO = ("0", "false", "no", "off")


def is_ascii_number(text: str) -> bool:
    """Whether `text` is one or more of the digits 0-9 and nothing else (no sign, no space)."""
    return _ASCII_NUMBER.fullmatch(text) is not None


def whole_number(text: str, field: str, largest: int, *, smallest: int = 1) -> int:
    """`text` as a number from `smallest` to `largest`; otherwise an InputError naming `field`."""
    digits = text.lstrip("0") or "0"
    # The length is checked before int() reads it: int() refuses thousands of digits by raising.
    if not is_ascii_number(text) or len(digits) > len(str(largest)) or not smallest <= int(digits) <= largest:
        raise InputError(
            N_("%(field)s must be a whole number from %(smallest)d to %(largest)d"),
            field=word("field", field),
            smallest=smallest,
            largest=largest,
        )
    return int(digits)


def utc_moment(text: str, field: str) -> datetime:
    """`text`, an ISO 8601 date (its midnight) or time, as a moment in UTC; a time without a
    zone is taken to be UTC. A moment that a zone's offset pushes past year 9999 or before
    year 1 in UTC is refused like any malformed one."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            N_("%(field)s must be a date or time like 2026-03-01 or 2026-03-01T06:00:00Z"),
            field=word("field", field),
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InputError(
            N_("%(field)s is out of range: in UTC it falls outside the years 1 to 9999"),
            field=word("field", field),
        ) from None


def yes_or_no(text: str, field: str) -> bool:
    """`text`, one of YES or NO in any case, as a flag; otherwise an InputError naming `field`."""
    flag = text.strip().lower()
    if flag not in (*YES, *NO):
        raise InputError(N_("%(field)s must be true or false"), field=word("field", field))
    return flag in YES
