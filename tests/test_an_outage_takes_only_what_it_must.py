"""When Redis or the database is down, /metrics keeps every count it can still read and says
which service it could not (`sauti_redis_up`, `sauti_database_up`), so the alerts that matter
during the outage still fire; pages that need the database answer a 503 to come back after."""

from __future__ import annotations

import pytest

from app import create_app
from tests.fixtures.stand_ins import free_port
from tests.helpers import sample


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_with_redis_down_metrics_still_count_the_reports_waiting_for_triage(
    make_app, own_redis, send_sms_to, make_user, api_token
):
    redis_url, servers, _ = own_redis
    app = make_app(REDIS_URL=redis_url)
    client = app.test_client()
    token = api_token(make_user("auditor", ()))
    servers[0].terminate()
    servers[0].wait()
    assert send_sms_to(client, "Polisi wamemchukua kijana sasa hivi Pumwani").status_code == 200

    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    exposition = response.get_data(as_text=True)
    assert sample(exposition, "sauti_redis_up") == 0
    assert sample(exposition, "sauti_database_up") == 1
    assert sample(exposition, "sauti_reports", status="received") == 1
    assert sample(exposition, "sauti_oldest_waiting_report_seconds") >= 0
    assert "sauti_queue_jobs" not in exposition


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_with_every_service_up_metrics_say_so(client, make_user, api_token):
    token = api_token(make_user("admin", ()))

    exposition = client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)

    assert sample(exposition, "sauti_redis_up") == 1
    assert sample(exposition, "sauti_database_up") == 1


@pytest.fixture
def app_without_its_database(app_config):
    closed = f"postgresql+psycopg://sauti@127.0.0.1:{free_port()}/none"
    return create_app(app_config | {"DATABASE_URL": closed}, start_worker=False)


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_with_the_database_down_a_scrape_is_a_503_problem_not_a_500(app_without_its_database):
    response = app_without_its_database.test_client().get(
        "/metrics", headers={"Authorization": "Bearer some-token"}
    )

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_with_the_database_down_the_transparency_page_says_to_come_back_later(app_without_its_database):
    response = app_without_its_database.test_client().get("/transparency")

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"]
    assert "The database cannot be reached just now" in response.get_data(as_text=True)


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_the_page_saying_so_is_in_kiswahili_for_a_kiswahili_reader(app_without_its_database):
    response = app_without_its_database.test_client().get("/transparency", headers={"Accept-Language": "sw"})

    assert response.status_code == 503
    assert "Hifadhidata haipatikani kwa sasa" in response.get_data(as_text=True)
