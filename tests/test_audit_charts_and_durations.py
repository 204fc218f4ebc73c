"""What the auditor's charts and tables say when they are read: a period with nothing in it
says so instead of drawing empty axes, an axis of counts steps in whole cases, an axis of
shares runs from 0 to 100%, and every duration in a CSV is hours to two places."""

from __future__ import annotations

import csv
import io
import re

import pytest

from app.audit.figures import group_charts
from storage.reporting.exact import Distribution, ResponseTimes

AXIS_LABEL = re.compile(r'text-anchor="end" font-size="15" fill="#4a4a4a">([^<]*)<')


@pytest.fixture
def auditor(make_user, auth):
    account = make_user("auditor", panels=())
    auth.sign_in(account)
    return account


def chart(page: str, title: str) -> str:
    """The SVG of the chart with this title."""
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    return next(svg for svg in svgs if f">{title}</title>" in svg)


def test_a_period_with_no_cases_says_so_instead_of_drawing_empty_charts(client, auditor, casebook):
    page = client.get("/audit/?since=2025-01&until=2025-02").get_data(as_text=True)

    assert "<svg" not in page
    assert page.count("No figures to chart for this period.") == 6
    assert '<figcaption class="chart-title">SLA compliance by panel</figcaption>' in page


def test_the_trust_page_of_a_period_with_no_reports_draws_no_empty_chart(client, auditor, casebook):
    page = client.get("/audit/trust?since=2025-01&until=2025-02").get_data(as_text=True)

    assert "<svg" not in page
    assert page.count("No figures to chart for this period.") == 7


def test_an_axis_of_counts_steps_in_whole_cases(client, auditor, casebook):
    page = client.get("/audit/?group_by=panel&since=2026-02&until=2026-02").get_data(as_text=True)

    for title in ("Overdue and escalated cases by panel", "Cases by month"):
        axis = AXIS_LABEL.findall(chart(page, title))
        assert axis[0] == "0", title
        assert all(re.fullmatch(r"\d+", label) for label in axis), (title, axis)


@pytest.mark.parametrize("stack", ["sqlite"])
def test_an_axis_of_shares_runs_from_none_to_all(app):
    under_half = Distribution(6, 3600.0, 7200.0)
    row = ResponseTimes("Pumwani", 6, under_half, under_half, under_half, 0.4, 0.25, 2, 1, 0)
    with app.test_request_context():
        compliance = str(group_charts([row], "ward", {})[2])

    assert AXIS_LABEL.findall(compliance) == ["0%", "25%", "50%", "75%", "100%"]


def test_every_duration_in_the_csv_is_hours_to_two_places(client, auditor, casebook):
    answer = client.get("/audit/export/response-times.csv?group_by=urgency")

    header, *rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    durations = [index for index, name in enumerate(header) if name.endswith((" median h", " p90 h"))]
    assert len(durations) == 6
    cells = [row[index] for row in rows for index in durations if row[index]]
    assert cells
    assert all(re.fullmatch(r"\d+\.\d\d", cell) for cell in cells), cells
