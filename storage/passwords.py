"""Which passwords Sauti keeps: at least MIN_PASSWORD_CHARS characters besides spaces at either
end, not one character over and over, and none of the most common passwords
(`common_passwords.txt`). Every way a password is set keeps this rule: the invitation link,
the command line, and the passwords Sauti makes up itself."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from storage.wording import N_, RefusalError

MIN_PASSWORD_CHARS = 12
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


class PasswordError(RefusalError, ValueError):
    """A password too easy to guess to keep; the message says why."""


def check_password(password: str) -> None:
    """Refuse a password too easy to guess, saying why."""
    typed = password.strip()
    if len(typed) < MIN_PASSWORD_CHARS:
        raise PasswordError(
            N_("a password needs at least %(count)d characters, not counting spaces at either end"),
            count=MIN_PASSWORD_CHARS,
        )
    if len(set(typed)) == 1:
        raise PasswordError(N_("a password cannot be one character repeated"))
    if typed.casefold() in common_passwords():
        raise PasswordError(N_("that is one of the most common passwords: choose one nobody would guess"))


def made_up_password() -> str:
    """A password for someone who has none yet, shown to them once."""
    password = secrets.token_urlsafe(12)
    check_password(password)
    return password


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))
