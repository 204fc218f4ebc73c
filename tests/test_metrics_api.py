"""GET /api/v1/metrics/response-times and /api/v1/audit/verify: bearer tokens, auditors and
admins only, described in the OpenAPI document, no text and no number in any answer."""

from __future__ import annotations

import pytest

from storage import audit
from storage.accounts import create_user, issue_api_token
from storage.reporting.exact import GROUPS


def token_for(runtime, role: str) -> dict[str, str]:
    with runtime.store.transaction() as session:
        user = create_user(session, f"{role}@sauti.test", role, "correct horse battery")
        return {"Authorization": f"Bearer {issue_api_token(user)}"}


@pytest.fixture
def auditor(runtime) -> dict[str, str]:
    return token_for(runtime, "auditor")


@pytest.mark.parametrize("group_by", GROUPS)
def test_an_auditor_gets_response_times_by_each_grouping(client, auditor, casebook, group_by):
    answer = client.get(f"/api/v1/metrics/response-times?group_by={group_by}", headers=auditor)

    assert answer.status_code == 200
    groups = answer.json["groups"]
    assert sum(g["cases"] for g in groups) == len(casebook)
    assert set(groups[0]) >= {"group", "acknowledge", "first_response", "resolution", "acknowledged_on_time"}
    assert set(groups[0]["acknowledge"]) == {"count", "median", "p90"}


def test_since_and_until_narrow_the_cases(client, auditor, casebook):
    answer = client.get(
        "/api/v1/metrics/response-times?group_by=month&since=2026-02-01&until=2026-03-01", headers=auditor
    )

    assert [g["group"] for g in answer.json["groups"]] == ["2026-02"]
    assert answer.json["groups"][0]["cases"] == sum(r.received_at.month == 2 for r in casebook)


@pytest.mark.parametrize(
    "query",
    [
        "group_by=reporter",
        "since=yesterday",
        "until=2026-13-01",
        "since=9999-12-31T23:59:59-14:00",
        "since=0001-01-01T00:00:00%2B14:00",
    ],
    ids=["group", "since", "until", "after-year-9999-in-utc", "before-year-1-in-utc"],
)
def test_a_bad_query_is_refused_with_the_reason(client, auditor, query):
    answer = client.get(f"/api/v1/metrics/response-times?{query}", headers=auditor)

    assert answer.status_code == 400
    assert answer.json["detail"]


@pytest.mark.parametrize("path", ["/api/v1/metrics/response-times", "/api/v1/audit/verify"])
def test_oversight_answers_need_an_auditor_or_admin_token(client, runtime, path):
    member = token_for(runtime, "panel_member")
    admin = token_for(runtime, "admin")

    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.get(path, headers=member).status_code == 403
    assert client.get(path, headers=admin).status_code == 200


def test_audit_verify_says_intact_then_where_the_chain_breaks(client, runtime, auditor):
    with runtime.store.transaction() as session:
        for case in range(3):
            audit.record(session, "case.acknowledged", details={"case": case})
    intact = client.get("/api/v1/audit/verify", headers=auditor).json
    with runtime.store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_events WHERE id = 2")

    broken = client.get("/api/v1/audit/verify", headers=auditor).json

    assert intact["intact"] is True
    assert intact["checked"] >= 3
    assert broken["intact"] is False
    assert broken["broken_at"] == 3


def test_the_openapi_document_describes_both(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    metrics = paths["/api/v1/metrics/response-times"]["get"]
    assert {p["name"] for p in metrics["parameters"]} == {"group_by", "since", "until"}
    assert "/api/v1/audit/verify" in paths


def test_answers_carry_no_text_and_no_number(client, auditor, send_sms, run_jobs):
    send_sms("Askari wa Kamukunji wanaitisha hongo kila siku Eastleigh", sender="+254711222333")
    run_jobs()

    for path in (
        *(f"/api/v1/metrics/response-times?group_by={g}" for g in GROUPS),
        "/api/v1/audit/verify",
    ):
        body = client.get(path, headers=auditor).get_data(as_text=True)
        assert "hongo" not in body
        assert "711222333" not in body
