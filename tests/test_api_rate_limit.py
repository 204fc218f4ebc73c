"""Each API token may make a limited number of requests a minute; the count lives in the
database, so every web worker and host enforces one limit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from storage.models import RequestWindow
from storage.request_limits import count_request
from workers import jobs

LIMIT = 3
T0 = datetime(2026, 11, 3, 9, 0, 10, tzinfo=UTC)


@pytest.fixture
def limited(make_app):
    return make_app(SAUTI_API_REQUESTS_PER_MINUTE=str(LIMIT))


@pytest.fixture
def lead_token(limited, make_user, api_token):
    return api_token(make_user("panel_lead"))


def get_cases(client, token):
    return client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})


def test_a_token_past_its_limit_is_told_to_come_back_with_a_problem_and_retry_after(limited, lead_token):
    client = limited.test_client()
    with time_machine.travel(T0, tick=False):
        answers = [get_cases(client, lead_token) for _ in range(LIMIT + 1)]

    refused = answers[-1]
    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    assert refused.mimetype == "application/problem+json"
    assert refused.json["status"] == 429
    assert "3 requests a minute" in refused.json["detail"]
    assert refused.headers["Retry-After"] == "50"


def test_the_count_starts_again_in_the_next_minute(limited, lead_token):
    client = limited.test_client()
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(LIMIT + 1):
            get_cases(client, lead_token)
        clock.shift(timedelta(seconds=50))

        assert get_cases(client, lead_token).status_code == 200


def test_one_token_at_its_limit_does_not_hold_back_another(limited, lead_token, make_user, api_token):
    client = limited.test_client()
    other = api_token(make_user("panel_member"))
    with time_machine.travel(T0, tick=False):
        for _ in range(LIMIT + 1):
            get_cases(client, lead_token)

        assert get_cases(client, other).status_code == 200


def test_the_limit_holds_across_web_workers_sharing_the_database(limited, make_app, lead_token):
    workers = [limited.test_client(), make_app(SAUTI_API_REQUESTS_PER_MINUTE=str(LIMIT)).test_client()]
    with time_machine.travel(T0, tick=False):
        answers = [get_cases(workers[n % 2], lead_token).status_code for n in range(LIMIT + 1)]

    assert answers == [200] * LIMIT + [429]


def test_requests_without_a_valid_token_and_the_open_document_are_not_counted(limited, lead_token):
    client = limited.test_client()
    with time_machine.travel(T0, tick=False):
        for _ in range(LIMIT + 2):
            get_cases(client, "made-up")
            client.get("/api/v1/openapi.json")

        assert get_cases(client, lead_token).status_code == 200


def test_requests_counted_at_the_same_moment_are_each_counted_once(runtime):
    start = threading.Barrier(12)
    allowed: list[bool] = []

    def one_request() -> None:
        start.wait()
        with runtime.store.transaction() as session:
            allowed.append(count_request(session, "api:user:1", limit=5, now=T0).allowed)

    threads = [threading.Thread(target=one_request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(allowed) == [False] * 7 + [True] * 5


def test_the_scheduled_sweep_deletes_counts_of_windows_long_past(runtime):
    with runtime.store.transaction() as session:
        count_request(session, "lookups:new", limit=5)
        count_request(session, "lookups:old", limit=5, now=T0 - timedelta(hours=2))

    jobs.sweep_request_windows()

    with runtime.store.transaction() as session:
        assert set(session.scalars(select(RequestWindow.caller))) == {"lookups:new"}
