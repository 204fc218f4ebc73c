"""A number sending reports faster than a person writes them: past the limit, each message is
kept as a follow-up to the number's latest report, so one burst fills one case, not a queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.intake.identity import reporter_pseudonym
from storage.intake.reports import find_reporter
from storage.models import Report
from storage.request_limits import count_request


@dataclass(frozen=True)
class Flood:
    """Where the message goes instead of a new report; `first` when it is the first over the
    limit this minute, the one that is answered."""

    ref: str
    first: bool


def count_report(session: Session, pepper: bytes, sender: str, per_minute: int) -> Flood | None:
    """Count one new report by this number; None while it is within `per_minute` this minute."""
    # The caller column holds 64 characters; 48 of the pseudonym's hex still never collide.
    allowance = count_request(session, f"reports:{reporter_pseudonym(pepper, sender)[:48]}", per_minute)
    if allowance.allowed:
        return None
    reporter = find_reporter(session, pepper, sender)
    if reporter is None:
        return None
    latest = session.scalar(
        select(Report.ref)
        .where(Report.reporter_id == reporter.id)
        .order_by(Report.received_at.desc())
        .limit(1)
    )
    return Flood(latest, allowance.requests == per_minute + 1) if latest else None
