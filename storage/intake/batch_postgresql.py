"""PostgreSQL: a batch of new reports without media as one statement. The rows travel as one
array a column, unnested into a table, so the statement is the same for every size of batch and
the server plans it once per connection. The arrays travel in PostgreSQL's binary format: in
text, each element of each array is escaped, in Python, at several times the cost.

Data-modifying CTEs upsert the reporters, counting their reports this minute; insert the
messages of the reports within their number's limit and not perhaps its reply to a panel's
answer; and insert those reports. The foreign
keys are checked once the whole statement is done. A message delivered before is left out by
its unique index, so neither it nor its report is written. The statement returns the
deliveries it wrote, and those it held back with their count."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Row,
    bindparam,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.sql import Select

from storage.intake.sealed import SealedReport
from storage.intake.upsert import with_reporter_upsert
from storage.models import Message, Report, Reporter

# Each column of the batch: its name, the sealed row and key it comes from, the column it goes to.
_COLUMNS: dict[str, tuple[str, str, ColumnElement[Any]]] = {
    "report_id": ("report", "id", Report.__table__.c.id),
    "ref": ("report", "ref", Report.__table__.c.ref),
    "channel": ("report", "channel", Report.__table__.c.channel),
    "received_at": ("report", "received_at", Report.__table__.c.received_at),
    "key_id": ("report", "key_id", Report.__table__.c.key_id),
    "wrapped_key": ("report", "wrapped_key", Report.__table__.c.wrapped_key),
    "topic_hint": ("report", "topic_hint", Report.__table__.c.topic_hint),
    "message_id": ("message", "id", Message.__table__.c.id),
    "external_id": ("message", "external_id", Message.__table__.c.external_id),
    "body": ("message", "body", Message.__table__.c.body),
    "pseudonym": ("reporter", "pseudonym", Reporter.__table__.c.pseudonym),
    "contact_key_id": ("reporter", "key_id", Reporter.__table__.c.key_id),
    "contact_wrapped_key": ("reporter", "wrapped_key", Reporter.__table__.c.wrapped_key),
    "contact": ("reporter", "contact", Reporter.__table__.c.contact),
    "seen_at": ("reporter", "last_seen_at", Reporter.__table__.c.last_seen_at),
}


def store_in_one_statement(
    connection: Connection, batch: Sequence[SealedReport], minute: datetime
) -> list[Row[Any]]:
    """Write the batch, counting it in the minute that started at `minute`; returns a
    (channel, external_id, counted) row for each message written, counted None, and for each
    report held back, counted its number's reports this minute. Deliveries stored before are
    in neither."""
    sql, constants = _compiled()
    limits = {"per_minute": [sealed.per_minute for sealed in batch], "minute": minute}
    return list(connection.exec_driver_sql(sql, constants | _as_columns(batch) | limits))


def _as_columns(batch: Sequence[SealedReport]) -> dict[str, list[Any]]:
    """The statement's parameters: one list a column, a report a position."""
    return {name: [getattr(sealed, row)[key] for sealed in batch] for name, (row, key, _) in _COLUMNS.items()}


@cache
def _compiled() -> tuple[str, dict[str, Any]]:
    """The statement as psycopg runs it, each array placeholder asking for the binary format
    (`%(name)b`), and the values of the statement's own constants.

    A column's label is left out where it repeats the column's name (`t.body AS body`), which
    names it the same: psycopg parses a statement's placeholders once only for statements of at
    most 4,096 bytes, and again on every execution for longer ones."""
    compiled = _STORE_IN_ONE_STATEMENT.compile(dialect=PGDialect_psycopg())  # type: ignore[no-untyped-call]
    arrays = [*_COLUMNS, "per_minute"]
    sql = re.sub(rf"%\(({'|'.join(arrays)})\)s", r"%(\1)b", str(compiled))
    sql = re.sub(r"\b(\w+)\.(\w+) AS \2\b", r"\1.\2", sql)
    constants = {name: value for name, value in compiled.params.items() if name not in [*arrays, "minute"]}
    return sql, constants


def _store_in_one_statement() -> Select[tuple[str, str, int | None]]:
    arrays = [
        bindparam(name, type_=postgresql.ARRAY(column.type)) for name, (_, _, column) in _COLUMNS.items()
    ]
    arrays.append(bindparam("per_minute", type_=postgresql.ARRAY(Integer)))
    unnested = (
        func.unnest(*arrays)
        .table_valued(*_COLUMNS, "per_minute", with_ordinality="position")
        .render_derived()
    )
    incoming = select(
        unnested,
        func.row_number().over(partition_by=unnested.c.pseudonym, order_by=unnested.c.position).label("rank"),
        func.count().over(partition_by=unnested.c.pseudonym).label("arriving"),
    ).cte("incoming")
    # One row a reporter, in pseudonym order, so that two processes' batches lock the reporters
    # they share in the same order.
    reporter_rows = (
        select(
            incoming.c.pseudonym,
            literal("en"),
            incoming.c.contact_key_id,
            incoming.c.contact_wrapped_key,
            incoming.c.contact,
            incoming.c.seen_at,
            incoming.c.seen_at,
            bindparam("minute", type_=Reporter.__table__.c.minute_started_at.type),
            incoming.c.arriving,
        )
        .where(incoming.c.rank == 1)
        .order_by(incoming.c.pseudonym)
    )
    reporter_columns = [
        "pseudonym",
        "language",
        "key_id",
        "wrapped_key",
        "contact",
        "created_at",
        "last_seen_at",
        "minute_started_at",
        "minute_reports",
    ]
    reporter = with_reporter_upsert(
        postgresql.insert(Reporter).from_select(reporter_columns, reporter_rows, include_defaults=False)
    ).cte("reporter")
    counted_so_far = reporter.c.minute_reports - incoming.c.arriving + incoming.c.rank
    # Held back: past the number's limit, or perhaps its reply to a panel's answer.
    opens_report = or_(
        incoming.c.per_minute.is_(None),
        (counted_so_far <= incoming.c.per_minute)
        & (reporter.c.replies_until > incoming.c.received_at).is_not(True),
    )
    counted = (
        select(
            incoming.c.report_id,
            incoming.c.message_id,
            incoming.c.channel,
            incoming.c.external_id,
            incoming.c.body,
            incoming.c.received_at,
            reporter.c.id.label("reporter_id"),
            counted_so_far.label("counted"),
            opens_report.label("written"),
        )
        .join_from(incoming, reporter, incoming.c.pseudonym == reporter.c.pseudonym)
        .cte("counted")
    )
    message_columns = ["id", "channel", "external_id", "author", "body", "created_at", "report_id"]
    message_rows = (
        select(
            counted.c.message_id,
            counted.c.channel,
            counted.c.external_id,
            literal("reporter"),
            counted.c.body,
            counted.c.received_at,
            counted.c.report_id,
        )
        .where(counted.c.written)
        .order_by(counted.c.channel, counted.c.external_id)
    )
    # The unique index on the delivery decides what is new, with no plan to choose: a check
    # planned while the table was small would scan it whole for as long as the plan is kept.
    # Deliveries go in in one order, so that two batches sharing some wait for each other
    # instead of deadlocking.
    message = (
        postgresql.insert(Message)
        .from_select(message_columns, message_rows, include_defaults=False)
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(Message.report_id, Message.channel, Message.external_id)
        .cte("message")
    )
    report_rows = (
        select(
            incoming.c.report_id,
            incoming.c.ref,
            incoming.c.channel,
            literal("received"),
            incoming.c.received_at,
            incoming.c.key_id,
            incoming.c.wrapped_key,
            incoming.c.topic_hint,
            false(),
            false(),
            counted.c.reporter_id,
        )
        .join_from(incoming, message, message.c.report_id == incoming.c.report_id)
        .join(counted, counted.c.report_id == incoming.c.report_id)
    )
    report_columns = [
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
        "reporter_id",
    ]
    report = insert(Report).from_select(report_columns, report_rows, include_defaults=False).cte("report")
    written = select(message.c.channel, message.c.external_id, null().label("counted"))
    held = select(counted.c.channel, counted.c.external_id, counted.c.counted).where(~counted.c.written)
    # A CTE that writes runs to completion whether the statement reads it or not.
    return written.union_all(held).add_cte(report)  # type: ignore[return-value]


_STORE_IN_ONE_STATEMENT = _store_in_one_statement()
