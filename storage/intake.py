"""Inbound messages become encrypted reports in one transaction, idempotently."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

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
    """Store a new report, or return the one this gateway message already made.

    Statements built once and run on the connection, not the unit of work: this runs for
    every message a gateway delivers, and the gateway waits for the commit."""
    existing = _stored_for_message(session, message)
    if existing:
        return existing
    number = normalise_number(message.sender)
    reporter_id = _upsert_reporter(session, keys, keyed_pseudonym(pepper, number), number)
    report = Report(id=uuid.uuid4(), ref=new_reference())
    data_key = issue_report_key(keys, report)
    entry = Message(id=uuid.uuid4())
    seal_message(data_key, entry, message.body)
    connection = session.connection()
    connection.execute(
        _INSERT_REPORT,
        {
            "id": report.id,
            "ref": report.ref,
            "reporter_id": reporter_id,
            "channel": message.channel,
            "received_at": message.received_at,
            "topic_hint": message.topic_hint,
            "key_id": report.key_id,
            "wrapped_key": report.wrapped_key,
        },
    )
    connection.execute(
        _INSERT_MESSAGE,
        {
            "id": entry.id,
            "report_id": report.id,
            "channel": message.channel,
            "external_id": message.external_id,
            "author": "reporter",
            "body": entry.body,
            "created_at": message.received_at,
        },
    )
    return StoredReport(report.id, report.ref, created=True)


_INSERT_REPORT = insert(Report)
_INSERT_MESSAGE = insert(Message)


def _upsert_reporter(session: Session, keys: KeyRing, pseudonym: str, number: str) -> int:
    """The reporter's id, created if new, in one statement: two first messages from one number
    may arrive at once."""
    draft = Reporter(pseudonym=pseudonym)
    seal_contact(keys, draft, number)
    connection = session.connection()
    values = {
        "pseudonym": pseudonym,
        "key_id": draft.key_id,
        "wrapped_key": draft.wrapped_key,
        "contact": draft.contact,
        "last_seen_at": utcnow(),
    }
    (reporter_id,) = connection.execute(_reporter_upsert(connection.dialect.name), values).one()
    return reporter_id


@cache
def _reporter_upsert(dialect: str) -> ReturningInsert[int]:
    """A reporter who said STOP and writes again becomes reachable again, under a fresh key."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Reporter)
    stored, offered = Reporter, statement.excluded
    erased = stored.contact.is_(None)
    return statement.on_conflict_do_update(
        index_elements=["pseudonym"],
        set_={
            "last_seen_at": offered.last_seen_at,
            "contact": func.coalesce(stored.contact, offered.contact),
            "key_id": case((erased, offered.key_id), else_=stored.key_id),
            "wrapped_key": case((erased, offered.wrapped_key), else_=stored.wrapped_key),
            "stopped_at": case((erased, None), else_=stored.stopped_at),
        },
    ).returning(stored.id)


def add_follow_up(
    session: Session, keys: KeyRing, pepper: bytes, message: InboundMessage, ref: str, text: str
) -> StoredReport | None:
    """Add a reporter's follow-up to their own report; None when the reference is not theirs."""
    existing = _stored_for_message(session, message)
    if existing:
        return existing
    report = _reporters_report(session, pepper, message.sender, ref)
    if report is None:
        return None
    followup = InboundMessage(message.channel, message.external_id, message.sender, text, message.received_at)
    _append_message(session, report_key(keys, report), report, followup)
    return StoredReport(report.id, report.ref, created=True, language=report.language)


def find_or_create_reporter(session: Session, pseudonym: str) -> Reporter:
    """The reporter behind a pseudonym, created (with no number) if new.

    Creation is one INSERT ... ON CONFLICT DO NOTHING: two first messages from one number may
    arrive at once, and a savepoint would cost three round trips on every new reporter."""
    reporter = session.scalar(select(Reporter).where(Reporter.pseudonym == pseudonym))
    if reporter:
        reporter.last_seen_at = utcnow()
        return reporter
    inserting = _dialect_insert(session)(Reporter).values(pseudonym=pseudonym)
    unless_present = inserting.on_conflict_do_nothing(index_elements=["pseudonym"])
    created = session.scalar(unless_present.returning(Reporter))
    return created or session.scalars(select(Reporter).where(Reporter.pseudonym == pseudonym)).one()


def _dialect_insert(session: Session) -> Callable[..., postgresql.Insert | sqlite.Insert]:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


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


def _stored_for_message(session: Session, message: InboundMessage) -> StoredReport | None:
    """The report a gateway message already made, if it was delivered before."""
    found = {"channel": message.channel, "external_id": message.external_id}
    row = session.connection().execute(_REPORT_FOR_MESSAGE, found).first()
    return StoredReport(row.id, row.ref, created=False) if row else None


_REPORT_FOR_MESSAGE = (
    select(Report.id, Report.ref)
    .join(Message, Message.report_id == Report.id)
    .where(Message.channel == bindparam("channel"), Message.external_id == bindparam("external_id"))
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
