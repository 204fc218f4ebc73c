"""Cases: a triaged report on a panel's desk, and the messages it sends back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from storage import audit
from storage.crypto import KeyRing
from storage.models import Case, Message, OutboundMessage, Panel, Report, Reporter, utcnow
from storage.sealing import open_message, report_key, seal_outbound

REPLY_CHANNEL = {
    "twilio_sms": "twilio_sms",
    "twilio_whatsapp": "twilio_whatsapp",
    "at_sms": "at_sms",
    "ussd": "at_sms",
}


@dataclass(frozen=True)
class Triage:
    """What triage concluded about a report, as storage records it."""

    category: str
    urgency: str
    language: str
    ward: str | None
    confidence: float
    model_version: str
    needs_translation: bool
    needs_human_review: bool


def lock_report(session: Session, report_id: uuid.UUID) -> Report | None:
    """Load a report (and its reporter) for update, so two workers never triage it at once."""
    query = select(Report).options(joinedload(Report.reporter)).where(Report.id == report_id)
    return session.scalar(query.with_for_update(of=Report))


def commit_without_waiting_for_disk(session: Session) -> None:
    """Let this transaction's commit return before its WAL reaches disk (PostgreSQL only).

    Only for work that can be redone from what is already durable: if a crash loses such a
    commit, the report is still `received` and the sweeper triages it again."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def first_text(session: Session, keys: KeyRing, report: Report) -> str:
    first = session.scalars(
        select(Message).where(Message.report_id == report.id).order_by(Message.created_at).limit(1)
    ).one()
    return open_message(report_key(keys, report), first)


def open_case(
    session: Session,
    report: Report,
    triage: Triage,
    panel: Panel,
    rule: str,
    due: tuple[datetime, datetime],
) -> Case:
    """Record the classification, put the report on the panel's desk and start the SLA clock."""
    report.category, report.urgency, report.ward = triage.category, triage.urgency, triage.ward
    report.language, report.confidence = triage.language, triage.confidence
    report.model_version = triage.model_version
    report.needs_translation = triage.needs_translation
    report.needs_human_review = triage.needs_human_review
    report.status, report.triaged_at = "triaged", utcnow()
    # A report still `received` has no case; saying so spares a query when the new case is
    # attached to it.
    set_committed_value(report, "case", None)
    case = Case(
        report=report,
        panel=panel,
        route_rule=rule,
        acknowledge_due_at=due[0],
        resolve_due_at=due[1],
    )
    session.add(case)
    session.flush()
    subject = f"report:{report.id}"
    audit.record(session, "report.received", subject=subject, details={"channel": report.channel})
    audit.record(
        session,
        "case.opened",
        subject=subject,
        details={
            "case": case.id,
            "panel": panel.key,
            "rule": rule,
            "category": triage.category,
            "urgency": triage.urgency,
            "model_version": triage.model_version,
        },
    )
    return case


def queue_to_reporter(
    session: Session, keys: KeyRing, report: Report, kind: str, text: str
) -> OutboundMessage | None:
    """Write a message about a report to its reporter's outbox, by the way they came."""
    return queue_message(session, keys, report.reporter, REPLY_CHANNEL[report.channel], kind, text, report)


def queue_message(
    session: Session,
    keys: KeyRing,
    reporter: Reporter,
    channel: str,
    kind: str,
    text: str,
    report: Report | None = None,
) -> OutboundMessage | None:
    """Write a message to the outbox; None if the reporter keeps no number with us."""
    if reporter.contact is None:
        return None
    outbound = OutboundMessage(
        id=uuid.uuid4(),
        reporter=reporter,
        report_id=report.id if report else None,
        channel=channel,
        kind=kind,
    )
    seal_outbound(keys, reporter, outbound, text)
    session.add(outbound)
    return outbound
