"""Many sealed reports written together: on PostgreSQL in one statement in autocommit
(`batch_postgresql.py`), so one round trip; with media, or on SQLite, in one transaction of one
multi-row statement a table. Either way each number's reports this minute, and in its story,
are counted in the same write, and those past the number's limit are held back, unwritten, as
are those that may be the number's reply to a panel's answer or the next part of its story."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, Row, bindparam, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.database import Store
from storage.intake.batch_postgresql import store_in_one_statement
from storage.intake.sealed import Held, SealedReport, StoredReport
from storage.intake.upsert import with_reporter_upsert
from storage.models import Attachment, Message, Report, Reporter, utcnow
from storage.models.reports import STORY_PARTS_ARRIVE_WITHIN, Delivery

# A reporter's row as the upsert returns it: id, pseudonym, reports this minute, until when a
# reply to a panel is awaited, and messages in the current story.
ReporterRow = Row[int, str, int, datetime | None, int]


def write_batch(store: Store, batch: Sequence[SealedReport]) -> list[StoredReport | Held]:
    """Store each report, or find the one its gateway message already made, or hold it back
    past its number's limit, in the batch's order. A delivery that appears twice in the batch
    makes one report, which both get."""
    if not batch:
        return []
    first_of: dict[Delivery, int] = {}
    for position, sealed in enumerate(batch):
        first_of.setdefault(sealed.delivery, position)
    unique = [batch[position] for position in first_of.values()]
    outcomes = dict(zip(first_of, _write_unique(store, unique), strict=True))
    return [
        _as_seen_by(position == first_of[sealed.delivery], outcomes[sealed.delivery])
        for position, sealed in enumerate(batch)
    ]


def _as_seen_by(first: bool, outcome: StoredReport | Held) -> StoredReport | Held:
    if first or isinstance(outcome, Held):
        return outcome
    return replace(outcome, created=False, attachment_ids=())


def _write_unique(store: Store, unique: list[SealedReport]) -> list[StoredReport | Held]:
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


def _write_once(store: Store, unique: list[SealedReport]) -> list[StoredReport | Held]:
    """Every report handed in counts towards its number's reports this minute, including one
    whose delivery was stored before (a gateway retrying after losing our answer)."""
    minute = utcnow().replace(second=0, microsecond=0)
    if store.autocommit is not None and not any(sealed.attachments for sealed in unique):
        with store.autocommit.connect() as connection:
            rows = store_in_one_statement(connection, unique, minute)
            answered = {(row.channel, row.external_id) for row in rows}
            held = {
                (row.channel, row.external_id): Held(row.counted) for row in rows if row.counted is not None
            }
            before = reports_of_deliveries(
                connection, [s.delivery for s in unique if s.delivery not in answered]
            )
        return [held.get(s.delivery) or before.get(s.delivery) or s.stored() for s in unique]
    with store.writers_in_turn(), store.engine.begin() as connection:
        reporters = _upsert_reporters(connection, unique, minute)
        held = _held_back(unique, reporters)
        before = reports_of_deliveries(connection, [s.delivery for s in unique if s.delivery not in held])
        fresh = [s for s in unique if s.delivery not in held and s.delivery not in before]
        if fresh:
            _insert(connection, fresh, reporters)
    return [held.get(s.delivery) or before.get(s.delivery) or s.stored() for s in unique]


def _held_back(unique: list[SealedReport], reporters: dict[str, ReporterRow]) -> dict[Delivery, Held]:
    """The reports past their number's limit, given each number's reports this minute with the
    batch's: the batch's reports of a number are counted in the batch's order, so its last one
    reaches the count; those that arrive while their number's reply to a panel is awaited; and
    those that follow another of their number's within its story's time, counted the same way
    (perhaps the next part of one story). The same rule as the PostgreSQL statement's."""
    reached = {pseudonym: reporter.minute_reports for pseudonym, reporter in reporters.items()}
    parts = {pseudonym: reporter.story_parts for pseudonym, reporter in reporters.items()}
    held: dict[Delivery, Held] = {}
    for sealed in reversed(unique):
        count, part = reached[sealed.pseudonym], parts[sealed.pseudonym]
        reached[sealed.pseudonym] -= 1
        parts[sealed.pseudonym] -= 1
        if sealed.per_minute is None:
            continue
        replies_until = reporters[sealed.pseudonym].replies_until
        awaited = replies_until is not None and replies_until > sealed.report["received_at"]
        if count > sealed.per_minute or awaited or part > 1:
            held[sealed.delivery] = Held(count)
    return held


def reports_of_deliveries(
    connection: Connection, deliveries: Collection[Delivery]
) -> dict[Delivery, StoredReport]:
    """The reports these gateway messages made before, by (channel, gateway id)."""
    if not deliveries:
        return {}
    rows = connection.execute(_REPORTS_OF_DELIVERIES, {"deliveries": list(deliveries)})
    return {(row.channel, row.external_id): StoredReport(row.id, row.ref, created=False) for row in rows}


def _insert(connection: Connection, fresh: list[SealedReport], reporters: dict[str, ReporterRow]) -> None:
    """Each statement is given its rows as a list, which SQLAlchemy sends as one multi-row
    INSERT (its "insertmanyvalues"), compiled once for every size of batch."""
    reports = [s.report | {"reporter_id": reporters[s.pseudonym].id} for s in fresh]
    connection.execute(_INSERT_REPORTS, reports)
    connection.execute(_INSERT_MESSAGES, [s.message | {"report_id": s.report["id"]} for s in fresh])
    attachments = [row | {"report_id": s.report["id"]} for s in fresh for row in s.attachments]
    if attachments:
        connection.execute(_INSERT_ATTACHMENTS, attachments)


def _upsert_reporters(
    connection: Connection, unique: list[SealedReport], minute: datetime
) -> dict[str, ReporterRow]:
    """Each reporter's id, reports this minute and in its story, by pseudonym, inserted or
    seen again with the batch's reports counted. Rows go in pseudonym order, so that two
    processes' batches lock the reporters they share in the same order."""
    arriving = Counter(sealed.pseudonym for sealed in unique)
    by_pseudonym = {
        sealed.pseudonym: sealed.reporter
        | {
            "minute_started_at": minute,
            "minute_reports": arriving[sealed.pseudonym],
            "story_until": sealed.report["received_at"] + STORY_PARTS_ARRIVE_WITHIN,
            "story_parts": arriving[sealed.pseudonym],
        }
        for sealed in unique
    }
    rows = [by_pseudonym[pseudonym] for pseudonym in sorted(by_pseudonym)]
    upsert = _UPSERT_REPORTERS[connection.dialect.name]
    return {row.pseudonym: row for row in connection.execute(upsert, rows)}


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
