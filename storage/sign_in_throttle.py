"""Slowing password and code guessing without letting anyone lock an account from outside.

Failures are kept for an hour in the database, so every web worker counts the same guesses.
An address waits longer after each failure once it has used its free tries: for one account
(an attacker on one account), and across accounts (one address trying many). An address
that has failed against an account also feels, gently, the failures others made against it.
An address that has not been failing is never held back by anyone else's failures: there is
no lock that a stranger can put on somebody's account."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from storage.models import SignInFailure, utcnow

WINDOW = timedelta(hours=1)
FIRST_WAIT_SECONDS = 15
MAX_WAIT_SECONDS = 15 * 60
FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS = 3
FREE_FAILURES_PER_ADDRESS = 10
FREE_FAILURES_PER_ACCOUNT = 5
# The most that failures made from elsewhere add between two tries of an address.
GENTLE_WAIT_SECONDS = 10
EMAIL_CHARS = 254
ADDRESS_CHARS = 64


def sign_in_wait(session: Session, email: str, address: str, now: datetime | None = None) -> int:
    """Seconds this address must wait before it may try this account again; 0 to go ahead."""
    now = now or utcnow()
    email = _account(email)
    recent = session.execute(
        select(SignInFailure.email, SignInFailure.address, SignInFailure.at).where(
            SignInFailure.at >= now - WINDOW,
            or_(SignInFailure.email == email, SignInFailure.address == address),
        )
    ).all()
    pair = [row.at for row in recent if row.email == email and row.address == address]
    from_address = [row.at for row in recent if row.address == address]
    on_account = [row.at for row in recent if row.email == email]
    waits = [
        _remaining(_backoff(len(pair), FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS), pair, now),
        _remaining(_backoff(len(from_address), FREE_FAILURES_PER_ADDRESS), from_address, now),
    ]
    if pair:
        account_wait = min(_backoff(len(on_account), FREE_FAILURES_PER_ACCOUNT), GENTLE_WAIT_SECONDS)
        waits.append(_remaining(account_wait, pair, now))
    return max(0, math.ceil(max(waits)))


def record_sign_in_failure(session: Session, email: str, address: str) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - WINDOW))
    session.add(SignInFailure(email=_account(email)[:EMAIL_CHARS], address=address[:ADDRESS_CHARS]))


def forget_sign_in_failures(session: Session, email: str, address: str | None = None) -> int:
    """Forget the account's failures: from one address (after it signed in), or from every
    address (an admin unlocking it). Returns how many were forgotten."""
    statement = delete(SignInFailure).where(SignInFailure.email == _account(email))
    if address is not None:
        statement = statement.where(SignInFailure.address == address)
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def recent_failures_by_account(session: Session, now: datetime | None = None) -> dict[str, int]:
    """How many failed sign-ins each account had in the last hour, from anywhere."""
    since = (now or utcnow()) - WINDOW
    counted = select(SignInFailure.email, func.count()).where(SignInFailure.at >= since)
    return {email: int(n) for email, n in session.execute(counted.group_by(SignInFailure.email))}


def _backoff(failures: int, free: int) -> float:
    """The wait after the last of `failures`: none for the free ones, then doubling."""
    if failures < free:
        return 0
    return float(min(FIRST_WAIT_SECONDS * 2 ** (failures - free), MAX_WAIT_SECONDS))


def _remaining(wait: float, failures: list[datetime], now: datetime) -> float:
    if not failures or not wait:
        return 0
    return wait - (now - max(failures)).total_seconds()


def _account(email: str) -> str:
    return email.strip().lower()
