"""The public transparency page, open to anyone: reports by category and ward per month,
response-time medians and SLA compliance per panel, and how to report and follow a report.
Every count under five reports reads "<5" and every figure such a count stands behind is
withheld, so no reporter can be singled out; nothing else is public."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from app.audit.charts import Series, bar_chart, has_values
from app.audit.figures import PanelNames, compliance_shares
from app.audit.tables import Table, count_table, panel_table
from app.context import transaction
from app.labels import dimension_label
from storage.models import utcnow
from storage.reporting.figures import monthly_counts, panel_names, public_panels
from storage.reporting.public import SMALL_CELL, PanelSummary
from workers.runtime import current

public = Blueprint("public", __name__, template_folder="templates")
MONTHS_SHOWN = 12
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Transparency:
    since: datetime
    tables: list[Table]
    panels: list[PanelSummary]
    names: PanelNames


@public.get("/transparency")
def transparency() -> ResponseReturnValue:
    page = cached_figures()
    return render_template(
        "public/transparency.html",
        page=page,
        charts=panel_charts(page.panels, page.names),
        small_cell=SMALL_CELL,
        contact=current().settings.public_contact,
    )


def cached_figures() -> Transparency:
    """Anyone can ask for this page, so its queries run at most once every few minutes per
    process, however often it is asked for. The figures are kept, not the page: each visitor
    reads them in their own language."""
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
        names = panel_names(session)
    tables = [count_table(by_category), count_table(by_ward), panel_table(panels)]
    return Transparency(since, tables, panels, names)


def panel_charts(panels: list[PanelSummary], names: PanelNames) -> list[Markup]:
    """The panels' medians and on-time shares, drawn only where there is a figure to draw."""
    labels = [dimension_label(p.panel, "panel", names) for p in panels]
    hours = [
        Series(_("to acknowledge"), [_hours(p.acknowledge_median) for p in panels]),
        Series(_("to first response"), [_hours(p.first_response_median) for p in panels]),
    ]
    shares = compliance_shares([p.acknowledged_on_time for p in panels], [p.resolved_on_time for p in panels])
    charts = []
    if has_values(hours):
        charts.append(bar_chart(_("Median hours by panel"), labels, hours, " h"))
    if has_values(shares):
        charts.append(bar_chart(_("SLA compliance by panel"), labels, shares, "%", 100))
    return charts


def months_back(moment: datetime, months: int) -> datetime:
    """The first day of the month ``months`` before ``moment``'s."""
    index = moment.year * 12 + moment.month - 1 - months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600
