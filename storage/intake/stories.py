"""A story sent as several messages: a phone splits a long text, or a resident sends the rest
a moment later. What follows a number's report within STORY_PARTS_ARRIVE_WITHIN, naming no
report, is more of that report, added to it for the panel to read whole."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.intake.reports import add_follow_up, find_reporter
from storage.intake.sealed import InboundMessage, StoredReport
from storage.models import Report
from storage.models.reports import STORY_PARTS_ARRIVE_WITHIN


def add_to_story(
    session: Session, keys: KeyRing, pepper: bytes, message: InboundMessage
) -> StoredReport | None:
    """Add the message to the number's latest report, if that was received no longer than
    STORY_PARTS_ARRIVE_WITHIN before it; None otherwise, when it is a report of its own."""
    reporter = find_reporter(session, pepper, message.sender)
    if reporter is None:
        return None
    latest = session.execute(
        select(Report.ref, Report.received_at)
        .where(Report.reporter_id == reporter.id)
        .order_by(Report.received_at.desc())
        .limit(1)
    ).first()
    if latest is None or latest.received_at < message.received_at - STORY_PARTS_ARRIVE_WITHIN:
        return None
    return add_follow_up(session, keys, pepper, message, latest.ref, message.body)
