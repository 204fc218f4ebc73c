"""The trust index lists every ward of the gazetteer in each month it shows: a ward where no one
reported has 0 reports, a volume of 0 and no composite, rather than no row at all."""

from __future__ import annotations

import csv
import io
import re
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


def test_the_trust_page_names_the_quiet_wards_of_a_month_on_one_line(one_report_in_pumwani, auditor, client):
    page = client.get("/audit/trust").get_data(as_text=True)
    trust_rows = re.findall(r'<th scope="row" data-key="([^"]+)"', _table(page, "trust-index"))
    quiet = _table(page, "quiet-wards")
    month = datetime.now(UTC).strftime("%Y-%m")

    assert trust_rows == ["Pumwani"]
    others = sorted(set(default_gazetteer().wards) - {"Pumwani"})
    assert f'data-key="{month}"' in quiet
    assert ", ".join(others) in quiet


def test_the_quiet_wards_have_a_csv_of_their_own(one_report_in_pumwani, auditor, client):
    rows = list(csv.reader(io.StringIO(client.get("/audit/export/quiet-wards.csv").get_data(as_text=True))))

    assert rows[0] == ["month", "wards"]
    assert "Pumwani" not in rows[1][1]
    assert "Eastleigh North" in rows[1][1]


def _table(page: str, name: str) -> str:
    return page.split(f'id="table-{name}"', 1)[1].split("</table>", 1)[0]
