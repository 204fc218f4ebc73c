"""The auditor's pages: dashboards with the app's own charts, filters, a CSV behind every
table, the audit chain; for auditors and admins only, never a message text or a number."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from storage import audit
from storage.reporting.exact import GROUPS
from workers.sla import sweep_sla

REPORT = "Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba, namba yangu 0722333444"
NUMBERS = ("712345678", "722333444")


@pytest.fixture
def auditor(make_user, auth):
    account = make_user("auditor", panels=())
    auth.sign_in(account)
    return account


def csv_links(page: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/audit/export/[^"]+)"', page)]


def test_an_auditor_sees_response_times_as_charts_and_tables(client, auditor, casebook):
    page = client.get("/audit/").get_data(as_text=True)

    assert page.count("<svg") == 6
    assert page.count('<rect class="bar"') > 20
    assert "<polyline" in page
    assert 'id="table-response-times"' in page
    assert 'id="table-monthly"' in page
    assert "emergency-desk" in page


@pytest.mark.parametrize("group_by", GROUPS)
def test_every_table_has_a_csv_with_the_same_rows(client, auditor, casebook, group_by):
    page = client.get(f"/audit/?group_by={group_by}&since=2026-02&until=2026-03").get_data(as_text=True)

    links = csv_links(page)
    assert links
    assert all("since=2026-02" in link for link in links)
    for link in links:
        answer = client.get(link)
        rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
        assert answer.mimetype == "text/csv"
        table = link.split("/")[-1].split(".csv")[0]
        shown = re.search(rf'id="table-{table}".*?</table>', page, re.S).group(0)
        assert shown.count("<tr>") == len(rows)
        for row in rows[1:]:
            assert f'<th scope="row" data-key="{row[0]}">' in shown


def test_filters_narrow_the_months(client, auditor, casebook):
    page = client.get("/audit/?group_by=month&since=2026-02&until=2026-02").get_data(as_text=True)

    assert 'data-key="2026-02"' in page
    assert 'data-key="2026-01"' not in page
    assert 'data-key="2026-03"' not in page


def test_the_dashboard_says_in_which_time_its_months_are_cut(client, auditor):
    assert "Months run from midnight UTC, 03:00 in Nairobi" in client.get("/audit/").get_data(as_text=True)


def test_a_filter_that_makes_no_sense_is_refused(client, auditor):
    assert client.get("/audit/?group_by=reporter").status_code == 400
    assert client.get("/audit/?since=last-week").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/audit/",
        "/audit/trust",
        "/audit/export/response-times.csv",
        "/audit/export/monthly.csv",
        "/audit/export/trust-index.csv",
    ],
)
def test_a_last_month_no_window_can_end_after_is_refused_with_the_reason(client, auditor, path):
    response = client.get(f"{path}?until=9999-12")

    assert response.status_code == 400
    assert "until must be a month before 9999-12" in response.get_data(as_text=True)


def test_the_trust_page_charts_the_composite_and_each_component(client, auditor, casebook):
    page = client.get("/audit/trust").get_data(as_text=True)

    assert page.count("<svg") == 7
    assert "Trust index (0-100) by ward" in page
    assert "Pumwani" in page
    rows = list(csv.reader(io.StringIO(client.get("/audit/export/trust-index.csv").get_data(as_text=True))))
    assert rows[0][:3] == ["ward", "month", "trust index (0-100)"]
    assert len(rows) > 10


def test_the_chain_page_says_whether_the_chain_is_intact(client, runtime, auditor):
    with runtime.store.transaction() as session:
        audit.record(session, "case.acknowledged", details={"case": 1})
    intact = client.get("/audit/chain").get_data(as_text=True)
    with runtime.store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_events SET actor = 'x' WHERE id = 1")

    broken = client.get("/audit/chain").get_data(as_text=True)

    assert "Intact" in intact
    assert "Broken at event 1" in broken


def test_panel_members_may_not_and_strangers_must_sign_in(client, make_user, auth):
    assert client.get("/audit/").status_code == 302
    auth.sign_in(make_user("panel_member"))

    for path in ("/audit/", "/audit/trust", "/audit/chain", "/audit/export/response-times.csv"):
        assert client.get(path).status_code == 403


def test_an_admin_may_see_them(client, make_user, auth):
    auth.sign_in(make_user("admin", panels=()))

    assert client.get("/audit/").status_code == 200


def test_pages_answers_and_exports_carry_no_text_and_no_number(
    client, runtime, send_sms, run_jobs, make_user, auth, api_token
):
    with time_machine.travel(datetime(2026, 3, 2, 6, tzinfo=UTC), tick=False) as clock:
        send_sms(REPORT)
        run_jobs()
        clock.move_to(datetime(2026, 3, 2, 6, tzinfo=UTC) + timedelta(days=3))
        sweep_sla()
        run_jobs()
    account = make_user("auditor", panels=())
    auth.sign_in(account)
    bearer = {"Authorization": f"Bearer {api_token(account)}"}
    pages = [f"/audit/?group_by={g}" for g in GROUPS] + ["/audit/trust", "/audit/chain"]
    bodies = []
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        bodies += [page] + [client.get(link).get_data(as_text=True) for link in csv_links(page)]
    bodies += [
        client.get(f"/api/v1/metrics/response-times?group_by={g}", headers=bearer).get_data(as_text=True)
        for g in GROUPS
    ]
    bodies.append(client.get("/api/v1/audit/verify", headers=bearer).get_data(as_text=True))

    everything = "\n".join(bodies)
    assert "Kamukunji" not in everything.replace("Kamukunji sub-county", "")
    for word in ("hongo", "sokoni", "Gikomba", "namba"):
        assert word not in everything
    for number in NUMBERS:
        assert number not in everything


@pytest.mark.parametrize("path", ["/audit/", "/audit/trust", "/audit/export/monthly.csv"])
def test_a_window_that_ends_before_it_starts_is_refused_with_the_reason(client, auditor, path):
    response = client.get(f"{path}?since=2026-12&until=2026-11")

    assert response.status_code == 400
    assert "since (2026-12) is after until (2026-11)" in response.get_data(as_text=True)


def test_a_one_month_window_is_accepted(client, auditor):
    assert client.get("/audit/?since=2026-11&until=2026-11").status_code == 200
