"""Many sealed reports written together: on PostgreSQL in one statement in autocommit
(`batch_postgresql.py`), so one round trip; with media, or on SQLite, in one transaction of one
multi-row statement a table."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from sqlalchemy import Connection, bindparam, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.database import Store
from storage.intake.batch_postgresql import store_in_one_statement
from storage.intake.sealed import SealedReport, StoredReport
from storage.intake.upsert import with_reporter_upsert
from storage.models import Attachment, Message, Report, Reporter

Delivery = tuple[str, str]


def write_batch(store: Store, batch: Sequence[SealedReport]) -> list[StoredReport]:
    """Store each report, or find the one its gateway message already made, in the batch's
    order. A delivery that appears twice in the batch makes one report, which both get."""
    if not batch:
        return []
    first_of: dict[Delivery, int] = {}
    for position, sealed in enumerate(batch):
        first_of.setdefault(sealed.delivery, position)
    unique = [batch[position] for position in first_of.values()]
    stored = dict(zip(first_of, _write_unique(store, unique), strict=True))
    return [
        _as_seen_by(position == first_of[sealed.delivery], stored[sealed.delivery])
        for position, sealed in enumerate(batch)
    ]


def _as_seen_by(first: bool, stored: StoredReport) -> StoredReport:
    return stored if first else replace(stored, created=False, attachment_ids=())


def _write_unique(store: Store, unique: list[SealedReport]) -> list[StoredReport]:
    """Tried once more when a concurrent duplicate or a drawn reference collided, or the
    connection turned out to be dead: each attempt writes the whole batch or nothing."""
    try:
        return _write_once(store, unique)
    except IntegrityError:
        return _write_once(store, [sealed.with_new_reference() for sealed in unique])
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _write_once(store, unique)


def _write_once(store: Store, unique: list[SealedReport]) -> list[StoredReport]:
    if store.autocommit is not None and not any(sealed.attachments for sealed in unique):
        with store.autocommit.connect() as connection:
            made = {(row.channel, row.external_id) for row in store_in_one_statement(connection, unique)}
            before = reports_of_deliveries(connection, [s.delivery for s in unique if s.delivery not in made])
        return [before.get(sealed.delivery) or sealed.stored() for sealed in unique]
    with store.writers_in_turn(), store.engine.begin() as connection:
        before = reports_of_deliveries(connection, [sealed.delivery for sealed in unique])
        fresh = [sealed for sealed in unique if sealed.delivery not in before]
        if fresh:
            _insert(connection, fresh)
    return [before.get(sealed.delivery) or sealed.stored() for sealed in unique]


def reports_of_deliveries(
    connection: Connection, deliveries: Collection[Delivery]
) -> dict[Delivery, StoredReport]:
    """The reports these gateway messages made before, by (channel, gateway id)."""
    if not deliveries:
        return {}
    rows = connection.execute(_REPORTS_OF_DELIVERIES, {"deliveries": list(deliveries)})
    return {(row.channel, row.external_id): StoredReport(row.id, row.ref, created=False) for row in rows}


def _insert(connection: Connection, fresh: list[SealedReport]) -> None:
    """Each statement is given its rows as a list, which SQLAlchemy sends as one multi-row
    INSERT (its "insertmanyvalues"), compiled once for every size of batch."""
    reporter_ids = _upsert_reporters(connection, fresh)
    reports = [s.report | {"reporter_id": reporter_ids[s.reporter["pseudonym"]]} for s in fresh]
    connection.execute(_INSERT_REPORTS, reports)
    connection.execute(_INSERT_MESSAGES, [s.message | {"report_id": s.report["id"]} for s in fresh])
    attachments = [row | {"report_id": s.report["id"]} for s in fresh for row in s.attachments]
    if attachments:
        connection.execute(_INSERT_ATTACHMENTS, attachments)


def _upsert_reporters(connection: Connection, fresh: list[SealedReport]) -> dict[str, int]:
    """Each reporter's id by pseudonym, inserted or seen again. Rows go in pseudonym order, so
    that two processes' batches lock the reporters they share in the same order."""
    by_pseudonym = {sealed.reporter["pseudonym"]: sealed.reporter for sealed in fresh}
    rows = [by_pseudonym[pseudonym] for pseudonym in sorted(by_pseudonym)]
    upsert = _UPSERT_REPORTERS[connection.dialect.name]
    return {row.pseudonym: row.id for row in connection.execute(upsert, rows)}


_REPORTS_OF_DELIVERIES = (
    select(Report.id, Report.ref, Message.channel, Message.external_id)
    .join(Message, Message.report_id == Report.id)
    .where(tuple_(Message.channel, Message.external_id).in_(bindparam("deliveries", expanding=True)))
)
# With RETURNING, so that the PostgreSQL driver too gets one multi-row statement, not one each.
_INSERT_REPORTS = insert(Report).returning(Report.id)
_INSERT_MESSAGES = insert(Message).returning(Message.id)
_INSERT_ATTACHMENTS = insert(Attachment).returning(Attachment.id)
_UPSERT_REPORTERS = {
    "postgresql": with_reporter_upsert(postgresql.insert(Reporter)),
    "sqlite": with_reporter_upsert(sqlite.insert(Reporter)),
}
