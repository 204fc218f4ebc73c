"""A path the API does not have is a 404 problem document whatever was sent to it, never advice
about pages: JSON posted to it, a doubled slash or a trailing one included."""

from __future__ import annotations

import pytest

# A doubled slash, a trailing slash after a well-formed reference, a resource the API lacks.
PATHS_THE_API_LACKS = ["/api/v1/cases//actions", "/api/v1/cases/K7F-3QX/actions/", "/api/v1/nonexistent"]


@pytest.mark.parametrize("path", PATHS_THE_API_LACKS)
def test_json_posted_to_a_path_the_api_does_not_have_is_a_404_problem(make_user, api_token, client, path):
    headers = {"Authorization": f"Bearer {api_token(make_user())}"}

    response = client.post(path, json={"action": "acknowledge"}, headers=headers)

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == "no such path in the API: /api/v1/openapi.json lists them all"


def test_a_doubled_slash_is_no_case_whatever_the_method(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user())}"}

    response = client.post("/api/v1/cases//actions", data={"action": "acknowledge"}, headers=headers)

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
