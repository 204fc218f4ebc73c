"""Every endpoint refuses an anonymous request unless it is explicitly public: walking the
whole URL map, pages send the visitor to sign in, the API answers 401 with a problem, and
gateway callbacks refuse what their gateway did not sign."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter, Rule, UUIDConverter

from app.access import GATEWAY_ENDPOINTS, PUBLIC_ENDPOINTS, TOKEN_ENDPOINTS

SAMPLE_VALUES = {"ref": "K7F-3QX", "token": "an-invitation", "filename": "sauti.css"}
# A value each kind of path converter accepts, so that the route is reached, not a 404.
SAMPLE_BY_CONVERTER = {IntegerConverter: 1, UUIDConverter: "00000000-0000-4000-8000-000000000000"}
ANONYMOUS_METHODS = ("GET", "POST")


def routes(app) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods or ())
        if method in ANONYMOUS_METHODS
    ]


def url_of(rule: Rule) -> str:
    values = {name: sample_value(rule, name) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def sample_value(rule: Rule, name: str) -> object:
    converter = type(rule._converters[name])
    return SAMPLE_BY_CONVERTER.get(converter, SAMPLE_VALUES.get(name, "sample"))


def test_every_endpoint_that_is_not_listed_as_public_refuses_an_anonymous_request(app, client):
    refused = []
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint in GATEWAY_ENDPOINTS:
            continue
        response = client.open(url_of(rule), method=method)
        if rule.endpoint.startswith("api."):
            refused.append(response.status_code == 401 and response.mimetype == "application/problem+json")
        elif rule.endpoint in TOKEN_ENDPOINTS:
            refused.append(response.status_code == 401)
        else:
            # A page to sign in (302); a form sent, to sign in and then back to its page (303).
            redirect = 302 if method == "GET" else 303
            refused.append(response.status_code == redirect and response.location.startswith("/sign-in"))
        assert refused[-1], f"{method} {rule.rule} answered {response.status_code} to an anonymous request"
    assert len(refused) > 25


def test_every_gateway_callback_refuses_an_unsigned_request(app, client):
    for rule, method in routes(app):
        if rule.endpoint in GATEWAY_ENDPOINTS:
            response = client.open(url_of(rule), method=method, data={"id": "x"})
            assert response.status_code == 403, f"{rule.rule} took an unsigned request"


def test_the_public_endpoints_are_exactly_these(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    assert set(PUBLIC_ENDPOINTS) <= endpoints
    assert set(GATEWAY_ENDPOINTS) == {e for e in endpoints if e.startswith("channels.")}
    assert set(TOKEN_ENDPOINTS) == {"health.metrics"}
    assert set(PUBLIC_ENDPOINTS) == {
        "static",
        "favicon",
        "health.healthz",
        "health.readyz",
        "auth.sign_in",
        "auth.code",
        "auth.enrol",
        "auth.invitation",
        "public.transparency",
        "api.openapi_json",
    }


@pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/transparency", "/api/v1/openapi.json"])
def test_the_public_endpoints_answer_anyone(client, path):
    assert client.get(path).status_code == 200


def test_a_view_added_without_any_guard_is_closed(make_app):
    app = make_app()

    @app.get("/forgotten")
    def forgotten() -> str:
        return "secret"

    response = app.test_client().get("/forgotten")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in")


def test_an_unknown_api_path_answers_with_a_json_problem(client):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
