"""Schemathesis drives every operation of /api/v1/openapi.json against the app in-process,
with a real bearer token, on generated and broken input: no answer may be a server error,
and every answer must be the status, content type and shape the document promises."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 60
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_app(make_app):
    """The app with the per-token limit out of the way: the run sends hundreds of requests."""
    return make_app(SAUTI_API_REQUESTS_PER_MINUTE="1000000")


@pytest.fixture
def api_schema(api_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


@pytest.fixture
def tokens(api_app, make_user, api_token, reported_case):
    """Bearer tokens of a panel lead with a case on their desk, and of an auditor."""
    reported_case()
    return {
        "cases": api_token(make_user("panel_lead")),
        "oversight": api_token(make_user("auditor", ())),
    }


def operations(api_schema):
    return [result.ok() for result in api_schema.get_all_operations()]


def exercise(operation, token: str) -> None:
    """Send generated requests, valid and invalid, to one operation and check every answer."""
    generated = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=generated)
    def call(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    call()


def test_the_api_keeps_its_openapi_document_and_never_fails_with_a_server_error(api_schema, tokens):
    for operation in operations(api_schema):
        exercise(operation, tokens["cases" if operation.path.startswith("/api/v1/cases") else "oversight"])


def test_the_run_covers_every_documented_operation(api_schema):
    labels = {f"{operation.method.upper()} {operation.path}" for operation in operations(api_schema)}

    assert labels == {
        "GET /api/v1/cases",
        "GET /api/v1/cases/{ref}",
        "POST /api/v1/cases/{ref}/actions",
        "GET /api/v1/cases/{ref}/attachments/{attachment_id}",
        "GET /api/v1/metrics/response-times",
        "GET /api/v1/audit/verify",
    }
