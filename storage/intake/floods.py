"""A number sending reports faster than a person writes them: past the limit, each message is
kept as a follow-up to the number's latest report, so one burst fills one case, not a queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from storage.database import Store
from storage.intake.identity import reporter_pseudonym
from storage.models import Report, Reporter
from storage.request_limits import count_request


@dataclass(frozen=True)
class Flood:
    """Where the message goes instead of a new report; `first` when it is the first over the
    limit this minute, the one that is answered."""

    ref: str
    first: bool


def count_report(store: Store, pepper: bytes, sender: str, per_minute: int) -> Flood | None:
    """Count one new report by this number; None while it is within `per_minute` this minute.
    This runs for every report while the gateway waits: on PostgreSQL it is one statement in
    autocommit, without a transaction of its own. Tried once more on a connection that turned
    out to be dead, as storing the report is."""
    try:
        return _count_once(store, pepper, sender, per_minute)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _count_once(store, pepper, sender, per_minute)


def _count_once(store: Store, pepper: bytes, sender: str, per_minute: int) -> Flood | None:
    if store.autocommit is None:
        with store.engine.begin() as connection:
            return _count(connection, pepper, sender, per_minute)
    with store.autocommit.connect() as connection:
        return _count(connection, pepper, sender, per_minute)


def _count(connection: Connection, pepper: bytes, sender: str, per_minute: int) -> Flood | None:
    pseudonym = reporter_pseudonym(pepper, sender)
    # The caller column holds 64 characters; 48 of the pseudonym's hex still never collide.
    # Past windows are swept on a schedule: here that would cost a second round trip.
    allowance = count_request(connection, f"reports:{pseudonym[:48]}", per_minute, sweep=False)
    if allowance.allowed:
        return None
    latest = connection.scalar(
        select(Report.ref)
        .join(Reporter, Reporter.id == Report.reporter_id)
        .where(Reporter.pseudonym == pseudonym)
        .order_by(Report.received_at.desc())
        .limit(1)
    )
    return Flood(latest, allowance.requests == per_minute + 1) if latest else None
