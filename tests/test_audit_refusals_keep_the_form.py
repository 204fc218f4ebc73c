"""A month range the auditor's pages cannot show is refused on the page itself: the form as it
was sent, the reason beside it, and no figures, instead of a bare error page."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def auditor(make_user, auth):
    auth.sign_in(make_user("auditor", ()))


@pytest.mark.parametrize("path", ["/audit/", "/audit/trust"])
def test_a_range_that_runs_backwards_is_refused_with_the_form_kept(client, auditor, path):
    response = client.get(f"{path}?since=2026-12&until=2026-10")
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert 'role="alert"' in page
    assert "since (2026-12) is after until (2026-10)" in page
    assert 'name="since" aria-describedby="filters-error" value="2026-12"' in page
    assert 'value="2026-10"' in page
    assert "<svg" not in page


def test_the_response_table_puts_the_on_time_shares_beside_the_cases(client, auditor, casebook):
    rows = list(
        csv.reader(io.StringIO(client.get("/audit/export/response-times.csv").get_data(as_text=True)))
    )

    assert rows[0][:7] == [
        "panel",
        "cases",
        "acknowledged on time",
        "resolved on time",
        "overdue",
        "escalated",
        "reporter unreachable",
    ]
