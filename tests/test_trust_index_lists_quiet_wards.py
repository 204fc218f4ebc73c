"""The trust index lists every ward of the gazetteer in each month it shows: a ward where no one
reported has 0 reports, a volume of 0 and no composite, rather than no row at all."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from storage.reporting.summaries import refresh_summaries
from tests.helpers import report_by_ref
from triage.places import default_gazetteer


@pytest.fixture
def auditor(make_user, auth):
    auth.sign_in(make_user("auditor", ()))


@pytest.fixture
def one_report_in_pumwani(reported_case, runtime) -> str:
    ref = reported_case("Askari wanaitisha hongo kila siku sokoni Pumwani")
    assert report_by_ref(runtime, ref).ward == "Pumwani"
    with runtime.store.transaction() as session:
        refresh_summaries(session, datetime.now(UTC))
    return ref


def test_every_ward_has_a_row_in_the_trust_csv(one_report_in_pumwani, auditor, client):
    rows = list(
        csv.DictReader(io.StringIO(client.get("/audit/export/trust-index.csv").get_data(as_text=True)))
    )

    assert [row["ward"] for row in rows] == sorted(default_gazetteer().wards)
    by_ward = {row["ward"]: row for row in rows}
    assert by_ward["Pumwani"]["reports"] == "1"
    quiet = by_ward["Eastleigh North"]
    assert quiet["reports"] == "0"
    assert quiet["reports per 1,000 residents"] == "0.00"
    assert quiet["trust index (0-100)"] == ""


def test_the_trust_page_shows_the_wards_where_no_one_reported(one_report_in_pumwani, auditor, client):
    page = client.get("/audit/trust").get_data(as_text=True)

    assert "Eastleigh North" in page
    assert "Eastleigh South" in page
