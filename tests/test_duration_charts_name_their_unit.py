"""A chart of response times says in its title the unit it is drawn in: in minutes when every
time is under an hour, as its axis and its labels are, in English and in Kiswahili."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from storage.reporting.summaries import refresh_summaries

AXIS_LABEL = re.compile(r'text-anchor="end" font-size="15" fill="#4a4a4a">([^<]*)<')


@pytest.fixture
def acknowledged_at_once(reported_case, make_user, api_token, client, runtime) -> None:
    ref = reported_case()
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}
    answer = client.post(f"/api/v1/cases/{ref}/actions", json={"action": "acknowledge"}, headers=headers)
    assert answer.status_code == 200, answer.json
    with runtime.store.transaction() as session:
        refresh_summaries(session, datetime.now(UTC))


def chart_titled(page: str, title: str) -> str:
    return next(svg for svg in re.findall(r"<svg.*?</svg>", page, re.S) if f">{title}</title>" in svg)


def test_a_chart_of_times_under_an_hour_is_titled_in_minutes(acknowledged_at_once, make_user, auth, client):
    auth.sign_in(make_user("auditor", ()))

    page = client.get("/audit/?group_by=panel").get_data(as_text=True)

    median = chart_titled(page, "Median minutes by panel")
    assert all(label.endswith(" min") for label in AXIS_LABEL.findall(median))
    assert "Median hours by panel" not in page
    assert "90th percentile minutes by panel" in page


def test_the_kiswahili_title_of_a_chart_in_minutes_says_minutes(
    acknowledged_at_once, auditor_in_kiswahili, client
):
    page = client.get("/audit/?group_by=panel").get_data(as_text=True)

    assert "Dakika za wastani wa kati kwa" in page
    assert "Saa za wastani wa kati kwa" not in page
