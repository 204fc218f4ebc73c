"""Response times compare as written: every table and CSV gives hours to two places (36
seconds), and a chart of times under an hour is drawn in minutes."""

from __future__ import annotations

import re

import pytest

from app.audit.figures import group_charts
from app.audit.tables import hours
from storage.reporting.exact import Distribution, ResponseTimes

pytestmark = pytest.mark.parametrize("stack", ["sqlite"])


def _row(acknowledge_seconds: float) -> ResponseTimes:
    quick = Distribution(6, acknowledge_seconds, acknowledge_seconds)
    return ResponseTimes("Kamukunji", 6, quick, quick, quick, 1.0, 1.0, 0, 0, 0)


def test_every_duration_is_hours_to_two_places_whatever_its_size(stack):
    assert [hours(seconds) for seconds in (4.3 * 60, 30 * 60, 5.25 * 3600, 400 * 3600)] == [
        "0.07",
        "0.50",
        "5.25",
        "400.00",
    ]


def test_a_chart_of_times_under_an_hour_is_drawn_in_minutes(app, stack):
    with app.test_request_context():
        median_chart = str(group_charts([_row(4.3 * 60)], "ward", {})[0])

    axis = re.findall(r'text-anchor="end" font-size="15" fill="#4a4a4a">([^<]*)<', median_chart)
    assert axis == ["0 min", "2 min", "4 min", "6 min"]
    assert "4.3 min</title>" in median_chart


def test_a_chart_of_times_over_an_hour_stays_in_hours(app, stack):
    with app.test_request_context():
        median_chart = str(group_charts([_row(2 * 3600)], "ward", {})[0])

    assert "2 h</title>" in median_chart
