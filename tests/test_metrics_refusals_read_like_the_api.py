"""Prometheus's /metrics takes an API token, and refuses like the API does: a 401 that asks for
a bearer token, a 403 that names the caller's role, both as problem details; never a page."""

from __future__ import annotations

import pytest


def test_metrics_without_a_token_is_a_401_that_asks_for_a_bearer_token(client):
    answer = client.get("/metrics")

    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert "bearer token" in answer.json["detail"]


def test_metrics_for_a_panel_member_is_a_403_naming_the_role(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_member'))}"}

    answer = client.get("/metrics", headers=headers)

    assert answer.status_code == 403
    assert answer.mimetype == "application/problem+json"
    assert answer.json["detail"] == "a panel member may not use this part of the API"


@pytest.mark.parametrize(
    ("role", "named"), [("panel_member", "a panel member"), ("panel_lead", "a panel lead")]
)
def test_the_api_names_a_refused_role_with_its_article(make_user, api_token, client, role, named):
    headers = {"Authorization": f"Bearer {api_token(make_user(role))}"}

    answer = client.get("/api/v1/metrics/response-times", headers=headers)

    assert answer.status_code == 403
    assert answer.json["detail"] == f"{named} may not use this part of the API"
