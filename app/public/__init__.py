"""The public transparency page, open to anyone: reports by category and ward per month,
response-time medians and SLA compliance per panel. Every cell under five reports is
suppressed so no reporter can be singled out; nothing else is public."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from app.audit.charts import Series, bar_chart
from app.audit.tables import Table, count_table, panel_table
from app.context import transaction
from storage.models import utcnow
from storage.reporting.figures import monthly_counts, public_panels
from storage.reporting.public import SMALL_CELL, PanelSummary

public = Blueprint("public", __name__, template_folder="templates")
MONTHS_SHOWN = 12
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Transparency:
    since: datetime
    tables: list[Table]
    charts: list[Markup]


@public.get("/transparency")
def transparency() -> ResponseReturnValue:
    return render_template("public/transparency.html", page=cached_figures(), small_cell=SMALL_CELL)


def cached_figures() -> Transparency:
    """Anyone can ask for this page, so its queries run at most once every few minutes per
    process, however often it is asked for."""
    cache = current_app.extensions.setdefault("sauti.transparency", {})
    now = time.monotonic()
    if cache.get("expires", 0.0) <= now:
        cache["page"], cache["expires"] = figures(), now + CACHE_SECONDS
    page: Transparency = cache["page"]
    return page


def figures() -> Transparency:
    since = months_back(utcnow(), MONTHS_SHOWN - 1)
    with transaction() as session:
        by_category = monthly_counts(session, "category", since)
        by_ward = monthly_counts(session, "ward", since)
        panels = public_panels(session, since)
    tables = [count_table(by_category), count_table(by_ward), panel_table(panels)]
    return Transparency(since, tables, panel_charts(panels))


def panel_charts(panels: list[PanelSummary]) -> list[Markup]:
    labels = [p.panel for p in panels]
    hours = [
        Series("to acknowledge", [_hours(p.acknowledge_median) for p in panels]),
        Series("to first response", [_hours(p.first_response_median) for p in panels]),
    ]
    shares = [
        Series("acknowledged on time", [_percent(p.acknowledged_on_time) for p in panels]),
        Series("resolved on time", [_percent(p.resolved_on_time) for p in panels]),
    ]
    return [
        bar_chart("Median hours by panel", labels, hours, " h"),
        bar_chart("SLA compliance by panel", labels, shares, "%"),
    ]


def months_back(moment: datetime, months: int) -> datetime:
    """The first day of the month ``months`` before ``moment``'s."""
    index = moment.year * 12 + moment.month - 1 - months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100
