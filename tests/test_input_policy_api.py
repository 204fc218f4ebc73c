"""Bad input to the API is a 400 problem document that says why, and nothing is done: filters
(numbers in other digits, times beyond UTC), case references, and actions with broken text
or JSON nested too deeply."""

from __future__ import annotations

import pytest

from storage.models import AuditEvent
from tests.helpers import BEYOND_UTC, OTHER_DIGITS, count


@pytest.fixture
def api(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    def call(method: str, path: str, **kwargs):
        return client.open(path, method=method, headers=headers, **kwargs)

    return call


@pytest.mark.parametrize(
    "query",
    [
        "ward=%00",
        "panel=" + "p" * 65,
        "overdue=maybe",
        "since=2026-13-01",
        "status=open%00",
        "%00=x",
        *OTHER_DIGITS,
        *BEYOND_UTC,
    ],
)
def test_a_broken_api_filter_is_a_400_problem(api, query):
    response = api("GET", f"/api/v1/cases?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"]


def test_an_api_action_nested_too_deeply_is_a_400(reported_case, api):
    ref = reported_case()
    body = b'{"action": "note", "text": "x", "d": ' + b"[" * 5000 + b"]" * 5000 + b"}"

    response = api("POST", f"/api/v1/cases/{ref}/actions", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in response.json["detail"]


@pytest.mark.parametrize("ref", ["K7F%00-3QX", "K" * 40])
def test_a_broken_api_case_reference_is_a_400(api, ref):
    assert api("GET", f"/api/v1/cases/{ref}").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"action": "note", "text": "called\x00"},
        {"action": "note", "text": "half a pair \ud800"},
        {"action": "transfer", "panel": "emergency-desk", "reason": "see\x1bthis"},
        {"action\x00": "note"},
    ],
)
def test_a_broken_api_action_is_a_400_and_nothing_is_done(reported_case, api, runtime, body):
    ref = reported_case()
    audited = count(runtime, AuditEvent)

    response = api("POST", f"/api/v1/cases/{ref}/actions", json=body)

    assert response.status_code == 400
    assert count(runtime, AuditEvent) == audited
