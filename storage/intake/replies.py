"""A number's reply to a panel's answer: for a while after a panel answers, what the number
sends naming no report goes to the report the panel answered, for the panel to read there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.intake.reports import add_follow_up, find_reporter
from storage.intake.sealed import InboundMessage, StoredReport
from storage.models import OutboundMessage, Report
from storage.outbox import PANEL_REPLY


def add_reply(session: Session, keys: KeyRing, pepper: bytes, message: InboundMessage) -> StoredReport | None:
    """Add the message to the report the panel last answered, if the number's reply is still
    awaited; None otherwise. Once it has replied, the rest of its reply may follow for a
    while; after that, what it sends is a new report again."""
    reporter = find_reporter(session, pepper, message.sender)
    if reporter is None or reporter.replies_until is None or reporter.replies_until <= message.received_at:
        return None
    answered = session.scalar(
        select(Report.ref)
        .join(OutboundMessage, OutboundMessage.report_id == Report.id)
        .where(OutboundMessage.reporter_id == reporter.id, OutboundMessage.kind == PANEL_REPLY)
        .order_by(OutboundMessage.created_at.desc())
        .limit(1)
    )
    if answered is None:
        return None
    stored = add_follow_up(session, keys, pepper, message, answered, message.body)
    if stored is not None and stored.created:
        reporter.replied(message.received_at)
    return stored
