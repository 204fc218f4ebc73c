"""Inbound messages become encrypted reports in one transaction, idempotently."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, case, exists, func, insert, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from storage import audit
from storage.crypto import KeyRing
from storage.crypto import pseudonym as keyed_pseudonym
from storage.crypto.sealing import erase_contact, issue_report_key, report_key, seal_contact, seal_message
from storage.database import Store
from storage.intake.identity import new_reference, normalise_number
from storage.intake.media import ATTACHMENT_COLUMNS, MediaItem, add_pending, pending_rows
from storage.models import Attachment, Base, Message, Report, Reporter, utcnow


@dataclass(frozen=True)
class InboundMessage:
    """A message as a gateway delivered it, before anything is stored."""

    channel: str
    external_id: str
    sender: str
    body: str
    received_at: datetime = field(default_factory=utcnow)
    topic_hint: str | None = None
    media: tuple[MediaItem, ...] = ()


@dataclass(frozen=True)
class StoredReport:
    report_id: uuid.UUID
    ref: str
    created: bool
    language: str | None = None
    # The message's media, pending, for the worker to fetch; empty when nothing new was stored.
    attachment_ids: tuple[uuid.UUID, ...] = ()


def store_report(store: Store, message: InboundMessage) -> StoredReport:
    """Store a new report, or return the one this gateway message already made.

    Tried once more when the same message arrived twice at once, a reference was drawn twice,
    or the connection turned out to be dead: every attempt either writes everything or nothing."""
    try:
        return _store_once(store, message)
    except IntegrityError:
        return _store_once(store, message)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _store_once(store, message)


def _store_once(store: Store, message: InboundMessage) -> StoredReport:
    """Seal the message and write its rows. This runs for every message while the gateway
    waits: on PostgreSQL it is one statement in autocommit, so one round trip, media and all;
    elsewhere four statements (five with media) in a transaction."""
    rows = _sealed_rows(store.keys, store.pepper, message)
    stored = StoredReport(rows.report["id"], rows.report["ref"], True, None, rows.attachment_ids)
    if store.autocommit is not None:
        with store.autocommit.connect() as connection:
            if connection.execute(_store_in_one_statement(len(rows.attachments)), _flat(rows)).first():
                return stored
            return _stored_before(connection, message)
    with store.engine.begin() as connection:
        existing = _stored_for_message(connection, message)
        if existing is not None:
            return existing
        upsert = _with_reporter_upsert(sqlite.insert(Reporter))
        (reporter_id,) = connection.execute(upsert, rows.reporter).one()
        connection.execute(insert(Report), rows.report | {"reporter_id": reporter_id})
        connection.execute(insert(Message), rows.message | {"report_id": rows.report["id"]})
        if rows.attachments:
            report_id = {"report_id": rows.report["id"]}
            connection.execute(insert(Attachment), [row | report_id for row in rows.attachments])
    return stored


@dataclass(frozen=True)
class _Rows:
    """The rows a new report writes, its text, number and media's whereabouts sealed. Every
    column without a server default is given: the one statement on PostgreSQL runs no
    Python-side default."""

    reporter: dict[str, Any]
    report: dict[str, Any]
    message: dict[str, Any]
    attachments: list[dict[str, Any]]

    @property
    def attachment_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(row["id"] for row in self.attachments)


def _sealed_rows(keys: KeyRing, pepper: bytes, message: InboundMessage) -> _Rows:
    number = normalise_number(message.sender)
    reporter = Reporter(pseudonym=keyed_pseudonym(pepper, number))
    seal_contact(keys, reporter, number)
    report = Report(id=uuid.uuid4(), ref=new_reference())
    data_key = issue_report_key(keys, report)
    entry = Message(id=uuid.uuid4())
    seal_message(data_key, entry, message.body)
    now = utcnow()
    return _Rows(
        reporter={
            "pseudonym": reporter.pseudonym,
            "language": "en",
            "key_id": reporter.key_id,
            "wrapped_key": reporter.wrapped_key,
            "contact": reporter.contact,
            "created_at": now,
            "last_seen_at": now,
        },
        report={
            "id": report.id,
            "ref": report.ref,
            "channel": message.channel,
            "status": "received",
            "received_at": message.received_at,
            "key_id": report.key_id,
            "wrapped_key": report.wrapped_key,
            "topic_hint": message.topic_hint,
            "needs_translation": False,
            "needs_human_review": False,
        },
        message={
            "id": entry.id,
            "channel": message.channel,
            "external_id": message.external_id,
            "author": "reporter",
            "body": entry.body,
            "created_at": message.received_at,
        },
        attachments=pending_rows(data_key, entry.id, message.media),
    )


def _flat(rows: _Rows) -> dict[str, Any]:
    """The rows as the parameters of the one statement: `<table>_<column>`, and
    `attachments_<position>_<column>` for each media item."""
    tables = [("reporters", rows.reporter), ("reports", rows.report), ("messages", rows.message)]
    tables += [(f"attachments_{row['position']}", row) for row in rows.attachments]
    return {f"{table}_{name}": value for table, values in tables for name, value in values.items()}


@cache
def _store_in_one_statement(media_count: int = 0) -> ReturningInsert[uuid.UUID]:
    """PostgreSQL: upsert the reporter, insert the report, its first message and a pending
    attachment for each media item, as data-modifying CTEs; if the message was delivered
    before, the first writes nothing and so neither do the others."""
    delivered_before = exists().where(
        Message.channel == bindparam("messages_channel"),
        Message.external_id == bindparam("messages_external_id"),
    )
    reporter_values = select(*_parameters(Reporter, REPORTER_COLUMNS)).where(~delivered_before)
    reporter = _with_reporter_upsert(
        postgresql.insert(Reporter).from_select(REPORTER_COLUMNS, reporter_values, include_defaults=False)
    ).cte("reporter")
    report_values = select(*_parameters(Report, REPORT_COLUMNS), reporter.c.id)
    report = (
        insert(Report)
        .from_select([*REPORT_COLUMNS, "reporter_id"], report_values, include_defaults=False)
        .returning(Report.id)
        .cte("report")
    )
    message_values = select(*_parameters(Message, MESSAGE_COLUMNS), report.c.id)
    message = (
        insert(Message)
        .from_select([*MESSAGE_COLUMNS, "report_id"], message_values, include_defaults=False)
        .returning(Message.report_id)
    )
    if not media_count:
        return message
    written = message.cte("message")
    attachment_values = [
        select(*_parameters(Attachment, ATTACHMENT_COLUMNS, f"attachments_{position}"), written.c.report_id)
        for position in range(media_count)
    ]
    return (
        insert(Attachment)
        .from_select(
            [*ATTACHMENT_COLUMNS, "report_id"], union_all(*attachment_values), include_defaults=False
        )
        .returning(Attachment.report_id)
    )


REPORTER_COLUMNS = ("pseudonym", "language", "key_id", "wrapped_key", "contact", "created_at", "last_seen_at")
REPORT_COLUMNS = (
    "id",
    "ref",
    "channel",
    "status",
    "received_at",
    "key_id",
    "wrapped_key",
    "topic_hint",
    "needs_translation",
    "needs_human_review",
)
MESSAGE_COLUMNS = ("id", "channel", "external_id", "author", "body", "created_at")


def _parameters(
    model: type[Base], names: tuple[str, ...], prefix: str | None = None
) -> list[BindParameter[Any]]:
    columns, prefix = model.__table__.c, prefix or model.__tablename__
    return [bindparam(f"{prefix}_{name}", type_=columns[name].type) for name in names]


def _with_reporter_upsert(statement: postgresql.Insert | sqlite.Insert) -> ReturningInsert[int]:
    """Insert the reporter, or on their next message note when they were last seen. A reporter
    who said STOP and writes again becomes reachable again, under a fresh key."""
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
    existing = _stored_for_message(session.connection(), message)
    if existing:
        return existing
    report = _reporters_report(session, pepper, message.sender, ref)
    if report is None:
        return None
    if report.reporter.contact is None:
        # As with a new report: a reporter who said STOP and writes again is reachable again.
        seal_contact(keys, report.reporter, normalise_number(message.sender))
        report.reporter.stopped_at = None
    followup = InboundMessage(message.channel, message.external_id, message.sender, text, message.received_at)
    data_key = report_key(keys, report)
    entry = _append_message(session, data_key, report, followup)
    attachment_ids = add_pending(session, data_key, report, entry, message.media)
    return StoredReport(report.id, report.ref, True, report.language, tuple(attachment_ids))


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


def _stored_for_message(connection: Connection, message: InboundMessage) -> StoredReport | None:
    """The report a gateway message already made, if it was delivered before."""
    row = connection.execute(_REPORT_FOR_MESSAGE, _delivery(message)).first()
    return StoredReport(row.id, row.ref, created=False) if row else None


def _stored_before(connection: Connection, message: InboundMessage) -> StoredReport:
    row = connection.execute(_REPORT_FOR_MESSAGE, _delivery(message)).one()
    return StoredReport(row.id, row.ref, created=False)


def _delivery(message: InboundMessage) -> dict[str, str]:
    return {"messages_channel": message.channel, "messages_external_id": message.external_id}


_REPORT_FOR_MESSAGE = (
    select(Report.id, Report.ref)
    .join(Message, Message.report_id == Report.id)
    .where(
        Message.channel == bindparam("messages_channel"),
        Message.external_id == bindparam("messages_external_id"),
    )
)


def _append_message(session: Session, data_key: bytes, report: Report, message: InboundMessage) -> Message:
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
    return entry
