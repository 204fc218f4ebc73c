"""Monthly summaries of cases, so auditors' figures over a million cases answer in
milliseconds. Per dimension (panel, category, ward, urgency, or all cases) and month they
hold exact counts, and a histogram of each response time in logarithmic buckets 2% wide,
from which medians and 90th percentiles are read to within 2%.

They are refreshed incrementally: only months whose cases changed (found through the audit
chain, which records every change) or whose deadlines may still pass are recomputed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, case, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from storage.models import AuditEvent, Case, Panel, Report
from storage.reporting.exact import UNKNOWN, Query, group_key
from storage.reporting.measures import (
    ANSWERABLE_PANEL_ID,
    COUNTS,
    DURATION_NAMES,
    DURATIONS,
    TALLIES,
    count_columns,
    month_of,
)
from storage.reporting.tables import DIMENSION_VALUES, MetricBucket, MetricCell, MetricRefresh, MetricScratch

BUCKETS_PER_E = 50
DIMENSIONS = (*DIMENSION_VALUES, "all")
# Deadlines (at most 30 days after receipt) turn cases late without any event, so the months
# of the last 32 days are recomputed every few minutes even when nothing happened in them.
RECENT = timedelta(days=32)
DEADLINES_EVERY = timedelta(minutes=10)


def refresh_summaries(session: Session, now: datetime, everything: bool = False) -> set[str]:
    """Recompute the months whose cases changed since the last refresh and, every few
    minutes, the recent months whose deadlines may have passed since (every month the first
    time, or with ``everything``); returns the months recomputed."""
    mark = session.get(MetricRefresh, 1, with_for_update=True)
    head = session.scalar(select(func.max(AuditEvent.id))) or 0
    if mark is None or everything:
        mark = mark or MetricRefresh(id=1, deadlines_at=now)
        session.add(mark)
        months, mark.deadlines_at = _all_months(session), now
    else:
        months = _changed_months(session, mark.last_event_id)
        if now - mark.deadlines_at >= DEADLINES_EVERY:
            months, mark.deadlines_at = months | _recent_months(now), now
    for month in sorted(months):
        _recompute(session, month, now)
    mark.last_event_id = head
    return months


def _recompute(session: Session, month: str, now: datetime) -> None:
    session.execute(delete(MetricCell).where(MetricCell.__table__.c.month == month))
    session.execute(delete(MetricBucket).where(MetricBucket.month == month))
    dialect = session.get_bind().dialect.name
    start, end = _month_bounds(month)
    facts = _facts(dialect, start, end, now)
    session.execute(insert(MetricScratch).from_select(list(facts.selected_columns.keys()), facts))
    scratch = MetricScratch.__table__.c
    for dimension in DIMENSIONS:
        value = literal("all") if dimension == "all" else scratch[dimension]
        totals = select(
            literal(dimension), value, literal(month), *count_columns(MetricScratch.__table__)
        ).group_by(value)
        session.execute(insert(MetricCell).from_select(["dimension", "value", "month", *COUNTS], totals))
        for measure in DURATION_NAMES:
            counted = (
                select(
                    literal(dimension),
                    value,
                    literal(month),
                    literal(measure),
                    scratch[measure],
                    func.count(),
                )
                .where(scratch[measure].is_not(None))
                .group_by(value, scratch[measure])
            )
            columns = ["dimension", "value", "month", "measure", "bucket", "n"]
            session.execute(insert(MetricBucket).from_select(columns, counted))
    session.execute(delete(MetricScratch))


def _facts(dialect: str, start: datetime, end: datetime, now: datetime) -> Query:
    """One row per case received in [start, end): its dimension values, the bucket of each
    duration, and each tally."""
    received = Report.received_at
    return (
        select(
            *(func.coalesce(group_key(dialect, d), UNKNOWN).label(d) for d in DIMENSION_VALUES),
            *(_bucket(dialect, duration.seconds(dialect)).label(duration.name) for duration in DURATIONS),
            *(tally.of_case(now).label(tally.name) for tally in TALLIES),
        )
        .select_from(Case)
        .join(Report, Report.id == Case.report_id)
        .join(Panel, Panel.id == ANSWERABLE_PANEL_ID)
        .where(received >= start, received < end)
    )


def _bucket(dialect: str, seconds: Any) -> Any:
    """Which logarithmic bucket a duration falls in: bucket b holds [e^(b/50) - 1, e^((b+1)/50) - 1)."""
    scaled = func.ln(case((seconds < 0, 0.0), else_=seconds) + 1) * BUCKETS_PER_E
    # PostgreSQL's cast rounds; SQLite's truncates, and its floor() (SQLAlchemy's) fails on NULL.
    return cast(func.floor(scaled) if dialect == "postgresql" else scaled, Integer)


def _changed_months(session: Session, after_event: int) -> set[str]:
    """Months of the reports that audit events after ``after_event`` are about."""
    report_ids: set[uuid.UUID] = set()
    case_ids: set[int] = set()
    for subject in session.scalars(select(AuditEvent.subject).where(AuditEvent.id > after_event)):
        kind, _, identifier = subject.partition(":")
        if kind == "report":
            report_ids |= _as_uuid(identifier)
        elif kind == "case" and identifier.isdigit():
            case_ids.add(int(identifier))
    dialect = session.get_bind().dialect.name
    month = month_of(dialect, Report.received_at)
    months: set[str] = set()
    for chunk in _chunks(list(report_ids)):
        months |= set(session.scalars(select(month).where(Report.id.in_(chunk)).distinct()))
    for chunk in _chunks(list(case_ids)):
        joined = select(month).join(Case, Case.report_id == Report.id).where(Case.id.in_(chunk))
        months |= set(session.scalars(joined.distinct()))
    return months


def _all_months(session: Session) -> set[str]:
    month = month_of(session.get_bind().dialect.name, Report.received_at)
    return set(session.scalars(select(month).join(Case, Case.report_id == Report.id).distinct()))


def _recent_months(now: datetime) -> set[str]:
    months, moment = set(), now - RECENT
    while moment <= now:
        months.add(month_key(moment))
        moment += timedelta(days=27)
    return months | {month_key(now)}


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=UTC)
    return start, datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)


def month_key(moment: datetime) -> str:
    """``YYYY-MM`` of a moment, in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def _as_uuid(text: str) -> set[uuid.UUID]:
    try:
        return {uuid.UUID(text)}
    except ValueError:
        return set()


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
