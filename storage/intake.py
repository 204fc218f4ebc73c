"""Inbound messages become encrypted reports in one transaction, idempotently."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import audit
from storage.crypto import KeyRing
from storage.crypto import pseudonym as keyed_pseudonym
from storage.identity import new_reference, normalise_number
from storage.models import Message, Report, Reporter, utcnow
from storage.sealing import erase_contact, issue_report_key, report_key, seal_contact, seal_message


@dataclass(frozen=True)
class InboundMessage:
    """A message as a gateway delivered it, before anything is stored."""

    channel: str
    external_id: str
    sender: str
    body: str
    received_at: datetime = field(default_factory=utcnow)
    topic_hint: str | None = None


@dataclass(frozen=True)
class StoredReport:
    report_id: uuid.UUID
    ref: str
    created: bool
    language: str | None = None


def store_report(session: Session, keys: KeyRing, pepper: bytes, message: InboundMessage) -> StoredReport:
    """Store a new report, or return the one this gateway message already made."""
    existing = _report_for_message(session, message)
    if existing:
        return StoredReport(existing.id, existing.ref, created=False)
    number = normalise_number(message.sender)
    reporter = find_or_create_reporter(session, keyed_pseudonym(pepper, number), keys, number)
    if reporter.contact is None:
        seal_contact(keys, reporter, number)
        reporter.stopped_at = None
    report = Report(
        id=uuid.uuid4(),
        ref=new_reference(),
        reporter=reporter,
        channel=message.channel,
        received_at=message.received_at,
        topic_hint=message.topic_hint,
    )
    data_key = issue_report_key(keys, report)
    session.add(report)
    _append_message(session, data_key, report, message)
    return StoredReport(report.id, report.ref, created=True)


def add_follow_up(
    session: Session, keys: KeyRing, pepper: bytes, message: InboundMessage, ref: str, text: str
) -> StoredReport | None:
    """Add a reporter's follow-up to their own report; None when the reference is not theirs."""
    existing = _report_for_message(session, message)
    if existing:
        return StoredReport(existing.id, existing.ref, created=False)
    report = _reporters_report(session, pepper, message.sender, ref)
    if report is None:
        return None
    followup = InboundMessage(message.channel, message.external_id, message.sender, text, message.received_at)
    _append_message(session, report_key(keys, report), report, followup)
    return StoredReport(report.id, report.ref, created=True, language=report.language)


def find_or_create_reporter(
    session: Session, pseudonym: str, keys: KeyRing | None = None, number: str | None = None
) -> Reporter:
    """The reporter behind a pseudonym, created (with their number sealed, when given) if new.

    Creation is one INSERT ... ON CONFLICT DO NOTHING: two first messages from one number may
    arrive at once, and a savepoint would cost three round trips on every new reporter."""
    reporter = session.scalar(select(Reporter).where(Reporter.pseudonym == pseudonym))
    if reporter:
        reporter.last_seen_at = utcnow()
        return reporter
    draft = Reporter(pseudonym=pseudonym)
    if keys is not None and number is not None:
        seal_contact(keys, draft, number)
    values = {
        "pseudonym": pseudonym,
        "key_id": draft.key_id,
        "wrapped_key": draft.wrapped_key,
        "contact": draft.contact,
    }
    created = session.scalar(_insert_unless_present(session).values(values).returning(Reporter))
    return created or session.scalars(select(Reporter).where(Reporter.pseudonym == pseudonym)).one()


def _insert_unless_present(session: Session) -> postgresql.Insert | sqlite.Insert:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(Reporter).on_conflict_do_nothing(index_elements=["pseudonym"])


def find_reporter(session: Session, pepper: bytes, sender: str) -> Reporter | None:
    pseudonym = keyed_pseudonym(pepper, normalise_number(sender))
    return session.scalar(select(Reporter).where(Reporter.pseudonym == pseudonym))


def stop_contact(session: Session, pepper: bytes, sender: str) -> bool:
    """Erase a reporter's stored number; no message goes to them again."""
    reporter = find_reporter(session, pepper, sender)
    if reporter is None:
        return False
    erase_contact(reporter)
    reporter.stopped_at = utcnow()
    return True


def rate_report(session: Session, pepper: bytes, sender: str, ref: str, score: int) -> Report | None:
    report = _reporters_report(session, pepper, sender, ref)
    if report is not None:
        report.rating = score
        audit.record(session, "report.rated", subject=f"report:{report.id}", details={"score": score})
    return report


def remember_language(session: Session, pepper: bytes, sender: str, language: str) -> None:
    number = normalise_number(sender)
    find_or_create_reporter(session, keyed_pseudonym(pepper, number)).language = language


def report_by_ref(session: Session, ref: str) -> Report | None:
    return session.scalar(select(Report).where(Report.ref == ref))


def public_status(report: Report) -> str:
    """received → open → acknowledged → responded → resolved; never anything about content."""
    return report.case.status if report.case else "received"


def _reporters_report(session: Session, pepper: bytes, sender: str, ref: str) -> Report | None:
    reporter = find_reporter(session, pepper, sender)
    report = report_by_ref(session, ref)
    if reporter is None or report is None or report.reporter_id != reporter.id:
        return None
    return report


def _report_for_message(session: Session, message: InboundMessage) -> Report | None:
    return session.scalar(
        select(Report)
        .join(Message, Message.report_id == Report.id)
        .where(Message.channel == message.channel, Message.external_id == message.external_id)
    )


def _append_message(session: Session, data_key: bytes, report: Report, message: InboundMessage) -> None:
    entry = Message(
        id=uuid.uuid4(),
        report=report,
        channel=message.channel,
        external_id=message.external_id,
        author="reporter",
        created_at=message.received_at,
    )
    seal_message(data_key, entry, message.body)
    session.add(entry)
