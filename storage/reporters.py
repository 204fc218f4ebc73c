"""What a number asks of Sauti about itself, naming no report: the reference of its latest
report ("Any update?", "I forgot my ref"), and to be written to again after STOP (START)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.intake.reports import find_reporter, reachable_again
from storage.models import Report


def latest_reference(session: Session, pepper: bytes, sender: str) -> str | None:
    """The reference of the number's most recent report; None when it has made none."""
    reporter = find_reporter(session, pepper, sender)
    if reporter is None:
        return None
    return session.scalar(
        select(Report.ref)
        .where(Report.reporter_id == reporter.id)
        .order_by(Report.received_at.desc())
        .limit(1)
    )


def resume_contact(session: Session, keys: KeyRing, pepper: bytes, sender: str) -> bool:
    """START: keep the number of a reporter who said STOP, under a fresh key, so that news of
    their reports reaches them again. Whether anything changed: a number never seen, or one
    still kept, is left as it is (no number is stored for someone with nothing to hear of)."""
    reporter = find_reporter(session, pepper, sender)
    if reporter is None or reporter.reachable:
        return False
    reachable_again(keys, reporter, sender)
    return True
