"""PostgreSQL: a batch of new reports without media as one statement. The rows travel as one
array a column, unnested into a table, so the statement is the same for every size of batch and
the server plans it once per connection. The arrays travel in PostgreSQL's binary format: in
text, each element of each array is escaped, in Python, at several times the cost.

Data-modifying CTEs upsert the reporters, counting their reports this minute and in their
story; insert the messages of the reports within their number's limit, not perhaps its reply
to a panel's answer and not a later part of its story; and insert those reports. The foreign
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
    Interval,
    Row,
    bindparam,
    false,
    func,
    insert,
    literal,
    literal_column,
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
from storage.models.reports import STORY_PARTS_ARRIVE_WITHIN

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

# Written into the statement rather than sent with it, as are its words: each value sent is a
# placeholder and a cast, bytes of a statement that must stay short (see `_compiled`).
_ONE: ColumnElement[int] = literal_column("1")


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
    names it the same, or where nothing reads it (`AS anon_1`), and a type is written short:
    psycopg parses a statement's placeholders once only for statements of at most 4,096 bytes,
    and again on every execution for longer ones."""
    compiled = _STORE_IN_ONE_STATEMENT.compile(dialect=PGDialect_psycopg())  # type: ignore[no-untyped-call]
    arrays = [*_COLUMNS, "per_minute"]
    sql = re.sub(rf"%\(({'|'.join(arrays)})\)s", r"%(\1)b", str(compiled))
    sql = re.sub(r"\b(\w+)\.(\w+) AS \2\b", r"\1.\2", sql)
    sql = re.sub(r" AS (anon_|\w+__)\d+\b", "", sql)
    sql = sql.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
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
        .render_derived(name="t")
    )
    batch = select(
        unnested,
        func.row_number().over(partition_by=unnested.c.pseudonym, order_by=unnested.c.position).label("rank"),
        func.count().over(partition_by=unnested.c.pseudonym).label("arriving"),
    ).cte("batch")
    # One row a reporter, in pseudonym order, so that two processes' batches lock the reporters
    # they share in the same order.
    reporter_rows = (
        select(
            batch.c.pseudonym,
            literal_column("'en'"),
            batch.c.contact_key_id,
            batch.c.contact_wrapped_key,
            batch.c.contact,
            batch.c.seen_at,
            batch.c.seen_at,
            bindparam("minute", type_=Reporter.__table__.c.minute_started_at.type),
            batch.c.arriving,
            batch.c.received_at + literal(STORY_PARTS_ARRIVE_WITHIN, Interval),
            batch.c.arriving,
        )
        .where(batch.c.rank == _ONE)
        .order_by(batch.c.pseudonym)
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
        "story_until",
        "story_parts",
    ]
    reporter = with_reporter_upsert(
        postgresql.insert(Reporter).from_select(reporter_columns, reporter_rows, include_defaults=False)
    ).cte("reporter")
    counted_so_far = reporter.c.minute_reports - batch.c.arriving + batch.c.rank
    story_part = reporter.c.story_parts - batch.c.arriving + batch.c.rank
    # Held back: past the number's limit, perhaps its reply to a panel's answer, or a later
    # part of its story.
    opens_report = or_(
        batch.c.per_minute.is_(None),
        (counted_so_far <= batch.c.per_minute)
        & (reporter.c.replies_until > batch.c.received_at).is_not(True)
        & (story_part == _ONE),
    )
    counted = (
        select(
            batch.c.report_id,
            batch.c.message_id,
            batch.c.channel,
            batch.c.external_id,
            batch.c.body,
            batch.c.received_at,
            reporter.c.id.label("reporter_id"),
            counted_so_far.label("counted"),
            opens_report.label("written"),
        )
        .join_from(batch, reporter, batch.c.pseudonym == reporter.c.pseudonym)
        .cte("counted")
    )
    message_columns = ["id", "channel", "external_id", "author", "body", "created_at", "report_id"]
    message_rows = (
        select(
            counted.c.message_id,
            counted.c.channel,
            counted.c.external_id,
            literal_column("'reporter'"),
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
            batch.c.report_id,
            batch.c.ref,
            batch.c.channel,
            literal_column("'received'"),
            batch.c.received_at,
            batch.c.key_id,
            batch.c.wrapped_key,
            batch.c.topic_hint,
            false(),
            false(),
            counted.c.reporter_id,
        )
        .join_from(batch, message, message.c.report_id == batch.c.report_id)
        .join(counted, counted.c.report_id == batch.c.report_id)
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
