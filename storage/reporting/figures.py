"""The figures auditors and the public are shown. Over whole months they are read from the
monthly summaries (fast at any size; medians and 90th percentiles within 2%); over any other
window they are computed exactly from the cases."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Panel
from storage.reporting import exact, public, trust
from storage.reporting.exact import GROUPS, PERCENTILES, Query, ResponseTimes
from storage.reporting.measures import COUNTS, DURATION_NAMES
from storage.reporting.public import CountTable, PanelSummary
from storage.reporting.summaries import BUCKETS_PER_E, month_key
from storage.reporting.tables import MetricBucket, MetricCell
from storage.reporting.trust import TrustMonth, TrustPolicy


def response_times(
    session: Session,
    group_by: str,
    since: datetime | None = None,
    until: datetime | None = None,
    fewest: int = 1,
) -> list[ResponseTimes]:
    """As `exact.response_times`, from the monthly summaries when the window is whole months."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    window = month_window(since, until)
    if window is None:
        return exact.response_times(session, group_by, since, until, fewest=fewest)
    dimension, key = ("all", "month") if group_by == "month" else (group_by, "value")
    spreads = bucket_percentiles(session, dimension, (key,), window, DURATION_NAMES)
    return [
        exact.response_row(cell[key], cell, spreads.get((cell[key],), {}), fewest)
        for cell in (row._mapping for row in summed_cells(session, dimension, (key,), window))
    ]


def trust_index(
    session: Session, policy: TrustPolicy, since: datetime | None = None, until: datetime | None = None
) -> list[TrustMonth]:
    window = month_window(since, until)
    if window is None:
        return trust.trust_index(session, policy, since, until)
    keys = ("value", "month")
    medians = bucket_percentiles(session, "ward", keys, window, ("first_response",))
    months = []
    for row in summed_cells(session, "ward", keys, window):
        cell = row._mapping
        if cell["value"] == exact.UNKNOWN:
            continue
        median = medians.get((cell["value"], cell["month"]), {}).get("first_response_median")
        months.append(trust.trust_month({**cell, "ward": cell["value"]}, median, policy))
    return months


def monthly_counts(session: Session, dimension: str, since: datetime) -> CountTable:
    """Reports per month and category or ward from ``since`` (the start of a month) on,
    small cells suppressed."""
    rows = summed_cells(session, dimension, ("value", "month"), Window(since.strftime("%Y-%m"), None))
    return public.count_table(dimension, {(r.value, r.month): int(r.cases) for r in rows})


def public_panels(session: Session, since: datetime) -> list[PanelSummary]:
    return public.public_panels(response_times(session, "panel", since, fewest=public.SMALL_CELL))


@dataclass(frozen=True)
class Window:
    """Whole months, ``since`` inclusive and ``until`` exclusive, as ``YYYY-MM``."""

    since: str | None
    until: str | None


def month_window(since: datetime | None, until: datetime | None) -> Window | None:
    """The window as whole months, or None when either end is not the start of a month."""
    if not all(_month_start(moment) for moment in (since, until)):
        return None
    return Window(month_key(since) if since else None, month_key(until) if until else None)


def summed_cells(session: Session, dimension: str, keys: tuple[str, ...], window: Window) -> list[Any]:
    """Counts per ``keys`` (``value`` and/or ``month``) over the window."""
    cells = MetricCell.__table__.c
    columns = [cells[key].label(key) for key in keys]
    statement = select(*columns, *(func.sum(cells[c]).label(c) for c in COUNTS))
    statement = _within(statement.where(cells.dimension == dimension), cells.month, window)
    return list(session.execute(statement.group_by(*columns).order_by(*columns)))


def bucket_percentiles(
    session: Session, dimension: str, keys: tuple[str, ...], window: Window, measures: tuple[str, ...]
) -> dict[tuple[str, ...], dict[str, float | None]]:
    """Median and 90th percentile of each measure per ``keys``, read from the histograms:
    {keys: {"acknowledge_median": s, ...}}, within 2% of percentile_cont."""
    columns = [getattr(MetricBucket, key).label(key) for key in keys]
    summed = _within(
        select(
            *columns, MetricBucket.measure, MetricBucket.bucket, func.sum(MetricBucket.n).label("n")
        ).where(MetricBucket.dimension == dimension, MetricBucket.measure.in_(measures)),
        MetricBucket.month,
        window,
    ).group_by(*columns, MetricBucket.measure, MetricBucket.bucket)
    s = summed.subquery()
    partition = [*(s.c[key] for key in keys), s.c.measure]
    ranked = select(
        s,
        func.sum(s.c.n).over(partition_by=partition, order_by=s.c.bucket).label("cum"),
        func.sum(s.c.n).over(partition_by=partition).label("total"),
    ).subquery()
    r = ranked.c
    holds_a_rank = []
    for fraction in PERCENTILES.values():
        rank = func.floor((r.total - 1) * fraction)
        holds_a_rank.append(and_(r.cum - r.n <= rank + 1, r.cum > rank))
    statement = (
        select(ranked).where(or_(*holds_a_rank)).order_by(*(r[key] for key in keys), r.measure, r.bucket)
    )
    histograms: dict[tuple[tuple[str, ...], str], list[Any]] = {}
    for row in session.execute(statement):
        histograms.setdefault((tuple(row._mapping[key] for key in keys), row.measure), []).append(row)
    spreads: dict[tuple[str, ...], dict[str, float | None]] = {}
    for (key, measure), rows in histograms.items():
        for name, fraction in PERCENTILES.items():
            spreads.setdefault(key, {})[f"{measure}_{name}"] = _percentile(rows, fraction)
    return spreads


def _percentile(rows: list[Any], fraction: float) -> float | None:
    """percentile_cont's interpolation between the two order statistics around the rank,
    each placed evenly inside its bucket."""
    total = int(rows[0].total)
    position = (total - 1) * fraction
    low = math.floor(position)
    below, above = _order_statistic(rows, low), _order_statistic(rows, min(low + 1, total - 1))
    if below is None or above is None:
        return None
    return below + (position - low) * (above - below)


def _order_statistic(rows: list[Any], index: int) -> float | None:
    for row in rows:
        before = int(row.cum) - int(row.n)
        if before <= index < int(row.cum):
            low = math.exp(row.bucket / BUCKETS_PER_E) - 1
            high = math.exp((row.bucket + 1) / BUCKETS_PER_E) - 1
            return low + (high - low) * (index - before + 0.5) / int(row.n)
    return None


def _within(statement: Query, month_column: Any, window: Window) -> Query:
    if window.since:
        statement = statement.where(month_column >= window.since)
    if window.until:
        statement = statement.where(month_column < window.until)
    return statement


def _month_start(moment: datetime | None) -> bool:
    return moment is None or moment == moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def panel_names(session: Session) -> dict[str, tuple[str, str]]:
    """Each panel's English and Kiswahili name by its key, for pages that name the panels."""
    return {
        key: (name, name_sw)
        for key, name, name_sw in session.execute(select(Panel.key, Panel.name, Panel.name_sw))
    }
