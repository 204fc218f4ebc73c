"""The tables auditors and the public see, built once and shown as HTML or sent as CSV, so
every table on a page has the same CSV behind it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response

from storage.reporting.exact import ResponseTimes
from storage.reporting.public import CountTable, PanelSummary
from storage.reporting.trust import COMPONENTS, TrustMonth

SUPPRESSED = "<5"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[str]]


def response_table(rows: list[ResponseTimes], group_by: str, name: str = "response-times") -> Table:
    headers = [group_by, "cases"]
    for measure in ("acknowledge", "first response", "resolution"):
        headers += [f"{measure}: count", f"{measure}: median h", f"{measure}: p90 h"]
    headers += ["acknowledged on time", "resolved on time", "overdue", "escalated"]
    body = []
    for row in rows:
        cells = [row.group, str(row.cases)]
        for d in (row.acknowledge, row.first_response, row.resolution):
            cells += [str(d.count), hours(d.median), hours(d.p90)]
        cells += [percent(row.acknowledged_on_time), percent(row.resolved_on_time)]
        body.append([*cells, str(row.overdue), str(row.escalated)])
    return Table(name, f"Response times by {group_by}", headers, body)


def trust_table(months: list[TrustMonth]) -> Table:
    headers = [
        "ward",
        "month",
        "reports",
        "reports per 1,000 residents",
        "on time",
        "median response h",
        "satisfaction (1-5)",
        "ratings",
        "repeat use",
        "feedback share",
        *(f"score: {name.replace('_', ' ')}" for name in COMPONENTS),
        "trust index (0-100)",
    ]
    body = [
        [
            m.ward,
            m.month,
            str(m.reports),
            decimal(m.volume_per_1000, 2),
            percent(m.on_time),
            decimal(m.median_response_hours, 1),
            decimal(m.satisfaction, 2),
            str(m.ratings),
            percent(m.repeat_use),
            percent(m.feedback_share),
            *(decimal(m.scores[name], 2) for name in COMPONENTS),
            decimal(m.composite, 0),
        ]
        for m in months
    ]
    return Table("trust-index", "Trust index by ward and month", headers, body)


def count_table(counts: CountTable) -> Table:
    body = [[key, *(_count(counts.cells[(key, month)]) for month in counts.months)] for key in counts.keys]
    return Table(
        f"reports-by-{counts.dimension}",
        f"Reports by {counts.dimension} and month",
        [counts.dimension, *counts.months],
        body,
    )


def panel_table(summaries: list[PanelSummary]) -> Table:
    headers = [
        "panel",
        "cases",
        "median hours to acknowledge",
        "median hours to first response",
        "median hours to resolution",
        "acknowledged on time",
        "resolved on time",
    ]
    body = [
        [
            s.panel,
            _count(s.cases),
            _hidden(hours(s.acknowledge_median), s.cases),
            _hidden(hours(s.first_response_median), s.cases),
            _hidden(hours(s.resolution_median), s.cases),
            _hidden(percent(s.acknowledged_on_time), s.cases),
            _hidden(percent(s.resolved_on_time), s.cases),
        ]
        for s in summaries
    ]
    return Table("panels", "Response times and SLA compliance by panel", headers, body)


def csv_response(table: Table) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{table.name}.csv"'},
    )


def hours(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.1f}"


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def decimal(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _count(value: int | None) -> str:
    return SUPPRESSED if value is None else str(value)


def _hidden(text: str, cases: int | None) -> str:
    """A figure of a suppressed panel shows as suppressed; a figure with no data stays empty."""
    return SUPPRESSED if cases is None else (text or SUPPRESSED)
