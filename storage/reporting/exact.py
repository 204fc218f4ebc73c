"""Response times and SLA compliance, computed in the database: counts, medians and 90th
percentiles of the time to acknowledge, to first response and to resolution, grouped by
panel, category, ward, urgency or month. Cases are never loaded into Python.

Times are measured from when the report was received. PostgreSQL answers with
``percentile_cont``; SQLite, which has no percentile function, with window functions that
give the same continuous (interpolated) percentile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Integer,
    RowMapping,
    Select,
    SQLColumnExpression,
    case,
    cast,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from storage.models import Case, Panel, Report, utcnow
from storage.reporting.measures import (
    ANSWERABLE_PANEL_ID,
    DURATION_NAMES,
    DURATIONS,
    Tally,
    count_columns,
    month_of,
    tallies,
)

GROUPS = ("panel", "category", "ward", "urgency", "month")
# The tallies response times are made of; the trust index takes the others.
RESPONSE_TALLIES = tallies(
    "ack_due", "ack_on_time", "resolve_due", "resolve_on_time", "overdue", "escalated", "unreachable"
)
PERCENTILES = {"median": 0.5, "p90": 0.9}
UNKNOWN = "unknown"
Query: TypeAlias = "Select[*tuple[Any, ...]]"


@dataclass(frozen=True)
class Distribution:
    """How long something took, in seconds, over the cases where it happened."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class ResponseTimes:
    group: str
    cases: int
    acknowledge: Distribution
    first_response: Distribution
    resolution: Distribution
    acknowledged_on_time: float | None
    resolved_on_time: float | None
    overdue: int
    escalated: int
    # Cases whose reporter said STOP or had their number erased: no answer can reach them.
    unreachable: int


def response_times(
    session: Session,
    group_by: str,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
    fewest: int = 1,
) -> list[ResponseTimes]:
    """One row per group, in group order. ``since`` is inclusive, ``until`` exclusive; both
    apply to when the report was received. On-time shares count only cases whose deadline
    has passed or that were handled, and are None when fewer than ``fewest`` cases."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    dialect = session.get_bind().dialect.name
    without_jit(session)
    group = func.coalesce(group_key(dialect, group_by), UNKNOWN).label("group")
    statement = case_facts(dialect, [group], RESPONSE_TALLIES, now or utcnow())
    if group_by == "panel":
        statement = statement.join(Panel, Panel.id == ANSWERABLE_PANEL_ID)
    facts = within(statement, since, until).subquery()
    if dialect == "postgresql":
        # One pass: the totals and percentile_cont over the same scan.
        totals = group_totals(facts, RESPONSE_TALLIES).add_columns(*percentile_columns(facts, DURATION_NAMES))
        return [
            response_row(row.group, row._mapping, row._mapping, fewest)
            for row in session.execute(totals.order_by(facts.c.group))
        ]
    rows = {row.group: row for row in session.execute(group_totals(facts, RESPONSE_TALLIES))}
    spreads = percentiles(session, facts, dialect, DURATION_NAMES)
    return [response_row(key, rows[key]._mapping, spreads.get(key, {}), fewest) for key in sorted(rows)]


def case_facts(
    dialect: str, keys: list[ColumnElement[Any]], tallies: tuple[Tally, ...], now: datetime
) -> Query:
    """One row per case: its keys, each duration in seconds, and the given tallies."""
    return (
        select(
            *keys,
            *(duration.seconds(dialect).label(duration.name) for duration in DURATIONS),
            *(tally.of_case(now).label(tally.name) for tally in tallies),
        )
        .select_from(Case)
        .join(Report, Report.id == Case.report_id)
    )


def group_totals(facts: Any, tallies: tuple[Tally, ...]) -> Query:
    """Per ``group`` of the facts: the counts named as ``COUNTS`` names them."""
    return select(facts.c.group, *count_columns(facts, tallies)).group_by(facts.c.group)


def within(statement: Query, since: datetime | None, until: datetime | None) -> Query:
    if since is not None:
        statement = statement.where(Report.received_at >= since)
    if until is not None:
        statement = statement.where(Report.received_at < until)
    return statement


def group_key(dialect: str, group_by: str) -> SQLColumnExpression[Any]:
    if group_by == "month":
        return month_of(dialect, Report.received_at)
    if group_by == "panel":
        return Panel.key
    column: SQLColumnExpression[Any] = getattr(Report, group_by)
    return column


def without_jit(session: Session) -> None:
    """PostgreSQL's JIT compiles these aggregates for longer than they take to run."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def percentiles(
    session: Session, facts: object, dialect: str, measures: tuple[str, ...]
) -> dict[str, dict[str, float | None]]:
    """Median and 90th percentile of each measure column of ``facts``, per its ``group``
    column: {group: {"acknowledge_median": s, "acknowledge_p90": s, ...}}"""
    spreads: dict[str, dict[str, float | None]] = {}
    if dialect == "postgresql":
        f = facts.c  # type: ignore[attr-defined]
        columns = percentile_columns(facts, measures)
        for row in session.execute(select(f.group, *columns).group_by(f.group)):
            spreads[row.group] = {key: row._mapping[key] for key in row._mapping if key != "group"}
        return spreads
    for measure in measures:
        for row in session.execute(_window_percentiles(facts, measure)):
            spreads.setdefault(row.group, {}).update(
                {f"{measure}_{name}": row._mapping[name] for name in PERCENTILES}
            )
    return spreads


def percentile_columns(facts: object, measures: tuple[str, ...]) -> list[ColumnElement[float]]:
    """PostgreSQL's continuous percentiles of each measure, labelled ``<measure>_<name>``."""
    f = facts.c  # type: ignore[attr-defined]
    return [
        func.percentile_cont(fraction).within_group(f[measure]).label(f"{measure}_{name}")
        for measure in measures
        for name, fraction in PERCENTILES.items()
    ]


def _window_percentiles(facts: object, measure: str) -> Query:
    """The continuous percentile by ranking each group's values: the value at rank
    ``(n - 1) * p`` (from 0), interpolated between its two neighbours as percentile_cont does."""
    f = facts.c  # type: ignore[attr-defined]
    value = f[measure]
    ranked = (
        select(
            f.group,
            value.label("value"),
            func.row_number().over(partition_by=f.group, order_by=value).label("rank"),
            func.count().over(partition_by=f.group).label("n"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    r = ranked.c
    columns = []
    for name, fraction in PERCENTILES.items():
        position = (r.n - 1) * literal(fraction)
        below = cast(position, Integer)
        low = func.max(case((r.rank == below + 1, r.value)))
        high = func.max(case((r.rank == below + 2, r.value)))
        weight = func.max(position - below)
        columns.append((low + weight * (func.coalesce(high, low) - low)).label(name))
    return select(r.group, *columns).group_by(r.group)


def response_row(
    key: str, t: Mapping[str, Any] | RowMapping, spread: Mapping[str, Any] | RowMapping, fewest: int = 1
) -> ResponseTimes:
    """A group's figures from its counts (named as ``COUNTS`` names them) and its
    percentiles (``<duration>_median``, ``<duration>_p90``); an on-time share resting on
    fewer than ``fewest`` cases is None."""
    distributions = {
        name: Distribution(
            int(t[name]),
            _float(spread.get(f"{name}_median")),
            _float(spread.get(f"{name}_p90")),
        )
        for name in DURATION_NAMES
    }
    return ResponseTimes(
        group=key,
        cases=int(t["cases"]),
        acknowledged_on_time=_share(t["ack_on_time"], t["ack_due"], fewest),
        resolved_on_time=_share(t["resolve_on_time"], t["resolve_due"], fewest),
        overdue=int(t["overdue"] or 0),
        escalated=int(t["escalated"] or 0),
        unreachable=int(t["unreachable"] or 0),
        **distributions,
    )


def _share(part: object, whole: object, fewest: int) -> float | None:
    cases = int(whole or 0)  # type: ignore[call-overload]
    return float(part) / cases if cases and cases >= fewest else None  # type: ignore[arg-type]


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
