"""Liveness and readiness."""

from __future__ import annotations

import pytest

from tests.fixtures.webhooks import TEST_NUMBER
from tests.helpers import sample


def test_healthz_says_the_process_is_alive(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_queue(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"ready": True, "checks": {"database": True, "queue": True}}


def scrape(client, token: str):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def test_metrics_count_the_reports_waiting_for_triage_and_the_open_cases(
    client, send_sms, run_jobs, make_user, api_token
):
    send_sms("Askari wanaitisha hongo kila siku sokoni Gikomba")
    run_jobs()
    send_sms("They are beating him right now at Pumwani, he is bleeding", sender="+254712345699")

    exposition = scrape(client, api_token(make_user("auditor", ()))).get_data(as_text=True)

    assert sample(exposition, "sauti_reports", status="received") == 1
    assert sample(exposition, "sauti_reports", status="triaged") == 1
    assert sample(exposition, "sauti_open_cases", panel="police-accountability", urgency="normal") == 1
    assert sample(exposition, "sauti_oldest_waiting_report_seconds") >= 0


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_metrics_count_the_jobs_waiting_on_each_queue(client, send_sms, make_user, api_token):
    send_sms("Askari wanaitisha hongo kila siku sokoni Gikomba")

    exposition = scrape(client, api_token(make_user("auditor", ()))).get_data(as_text=True)

    assert sample(exposition, "sauti_queue_jobs", queue="triage") == 1
    assert sample(exposition, "sauti_workers") == 0


def test_metrics_carry_no_text_and_no_number(client, send_sms, make_user, api_token):
    send_sms("Askari wanaitisha hongo kila siku sokoni Gikomba")

    exposition = scrape(client, api_token(make_user("admin", ()))).get_data(as_text=True)

    assert "Gikomba" not in exposition
    assert TEST_NUMBER.lstrip("+") not in exposition


def test_metrics_need_an_auditors_or_admins_token(client, make_user, api_token):
    assert client.get("/metrics").status_code == 401
    assert scrape(client, "not-a-token").status_code == 401
    assert scrape(client, api_token(make_user("panel_member"))).status_code == 403
