"""The tables auditors and the public see, built once and shown as HTML or sent as CSV, so
every table on a page has the same CSV behind it. Headers are English message ids: the CSV
keeps them as they are, the pages show them in the reader's language; the first column holds
keys (a panel's, a category's) that the pages name for people."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response

from app.csv_export import csv_text
from storage.reporting.exact import ResponseTimes
from storage.reporting.public import CountTable, PanelSummary
from storage.reporting.trust import COMPONENTS, TrustMonth

SUPPRESSED = "<5"
# Every duration in a table or CSV is hours to this many places: 0.01 h is 36 seconds.
HOUR_PLACES = 2
WITHHELD = "\N{EN DASH}"


def N_(message: str) -> str:  # noqa: N802  (the conventional name extraction tools look for)
    """Mark a header for translation where it is shown; app/babel.cfg extracts it."""
    return message


MEASURE_HEADERS = {
    "acknowledge": (N_("to acknowledge: count"), N_("to acknowledge: median h"), N_("to acknowledge: p90 h")),
    "first_response": (
        N_("to first response: count"),
        N_("to first response: median h"),
        N_("to first response: p90 h"),
    ),
    "resolution": (N_("to resolution: count"), N_("to resolution: median h"), N_("to resolution: p90 h")),
}
SCORE_HEADERS = {
    "volume": N_("score: volume"),
    "on_time": N_("score: on time"),
    "speed": N_("score: speed"),
    "satisfaction": N_("score: satisfaction"),
    "repeat_use": N_("score: repeat use"),
    "feedback": N_("score: feedback"),
}
DIMENSIONS = {
    "panel": N_("panel"),
    "category": N_("category"),
    "ward": N_("ward"),
    "urgency": N_("urgency"),
    "month": N_("month"),
}
TITLES = {
    "panel": N_("Response times by panel"),
    "category": N_("Response times by category"),
    "ward": N_("Response times by ward"),
    "urgency": N_("Response times by urgency"),
    "month": N_("Response times by month"),
}


@dataclass(frozen=True)
class Table:
    """`dimension` says what the first column's keys are (panel, category, ward, urgency,
    month) so that a page can name them."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    dimension: str


def response_table(rows: list[ResponseTimes], group_by: str, name: str = "response-times") -> Table:
    """What an auditor reads first (the on-time shares, the overdue and escalated cases) comes
    first, in view on a laptop; the counts, medians and 90th percentiles follow."""
    headers = [DIMENSIONS[group_by], N_("cases")]
    headers += [N_("acknowledged on time"), N_("resolved on time"), N_("overdue"), N_("escalated")]
    headers += [N_("reporter unreachable")]
    for measure in ("acknowledge", "first_response", "resolution"):
        headers += MEASURE_HEADERS[measure]
    body = []
    for row in rows:
        cells = [row.group, str(row.cases)]
        cells += [percent(row.acknowledged_on_time), percent(row.resolved_on_time)]
        cells += [str(row.overdue), str(row.escalated), str(row.unreachable)]
        for d in (row.acknowledge, row.first_response, row.resolution):
            cells += [str(d.count), hours(d.median), hours(d.p90)]
        body.append(cells)
    return Table(name, TITLES[group_by], headers, body, group_by)


def trust_table(months: list[TrustMonth]) -> Table:
    """The index beside its ward and month, then the figures it comes from, then their scores."""
    headers = [
        N_("ward"),
        N_("month"),
        N_("trust index (0-100)"),
        N_("reports"),
        N_("reports per 1,000 residents"),
        N_("on time"),
        N_("median response h"),
        N_("satisfaction (1-5)"),
        N_("ratings"),
        N_("repeat use"),
        N_("feedback share"),
        *(SCORE_HEADERS[name] for name in COMPONENTS),
    ]
    body = [
        [
            m.ward,
            m.month,
            decimal(m.composite, 0),
            str(m.reports),
            decimal(m.volume_per_1000, 2),
            percent(m.on_time),
            decimal(m.median_response_hours, HOUR_PLACES),
            decimal(m.satisfaction, 2),
            str(m.ratings),
            percent(m.repeat_use),
            percent(m.feedback_share),
            *(decimal(m.scores[name], 2) for name in COMPONENTS),
        ]
        for m in months
    ]
    return Table("trust-index", N_("Trust index by ward and month"), headers, body, "ward")


def quiet_wards_table(months: list[TrustMonth]) -> Table:
    """Each month, newest first, with the wards that sent no report in it."""
    quiet: dict[str, list[str]] = {}
    for m in months:
        if not m.reports:
            quiet.setdefault(m.month, []).append(m.ward)
    body = [[month, ", ".join(sorted(quiet[month]))] for month in sorted(quiet, reverse=True)]
    return Table("quiet-wards", N_("Wards with no report"), [N_("month"), N_("wards")], body, "month")


def count_table(counts: CountTable) -> Table:
    body = [[key, *(_count(counts.cells[(key, month)]) for month in counts.months)] for key in counts.keys]
    title = (
        N_("Reports by category and month")
        if counts.dimension == "category"
        else N_("Reports by ward and month")
    )
    return Table(
        f"reports-by-{counts.dimension}",
        title,
        [DIMENSIONS[counts.dimension], *counts.months],
        body,
        counts.dimension,
    )


def panel_table(summaries: list[PanelSummary]) -> Table:
    headers = [
        N_("panel"),
        N_("cases"),
        N_("median hours to acknowledge"),
        N_("median hours to first response"),
        N_("median hours to resolution"),
        N_("acknowledged on time"),
        N_("resolved on time"),
    ]
    body = [
        [
            s.panel,
            _count(s.cases),
            _withheld(hours(s.acknowledge_median)),
            _withheld(hours(s.first_response_median)),
            _withheld(hours(s.resolution_median)),
            _withheld(percent(s.acknowledged_on_time)),
            _withheld(percent(s.resolved_on_time)),
        ]
        for s in summaries
    ]
    return Table("panels", N_("Response times and SLA compliance by panel"), headers, body, "panel")


def csv_response(table: Table) -> Response:
    return Response(
        csv_text(table.headers, table.rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{table.name}.csv"'},
    )


def hours(seconds: float | None) -> str:
    """Hours to two decimal places, whatever their size, so that a column compares and sorts
    as written: 4.3 minutes is 0.07 (to 36 seconds), 5 1/4 hours 5.25."""
    return decimal(None if seconds is None else seconds / 3600, HOUR_PLACES)


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def decimal(value: float | None, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _count(value: int | None) -> str:
    """A count under five reads "<5": that much may be said without singling anyone out."""
    return SUPPRESSED if value is None else str(value)


def _withheld(text: str) -> str:
    """A median or share that is withheld (fewer than five cases behind it) reads as a dash."""
    return text or WITHHELD
