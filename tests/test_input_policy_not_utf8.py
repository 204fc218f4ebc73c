"""A staff page's form or query holding a percent-escape that is no UTF-8 ("%FF") is a 400
naming the field, and nothing is stored or counted: Werkzeug would otherwise read the escape as
the text "%FF" and the request would go on as if that had been typed."""

from __future__ import annotations

from html import unescape

import pytest

from storage.models import CaseNote, SignInFailure
from tests.fixtures.staff import AuthActions, csrf_token_of
from tests.helpers import count


@pytest.fixture
def member(make_user, auth) -> AuthActions:
    auth.sign_in(make_user())
    return auth


def post_raw(client, path: str, body: str, page: str | None = None):
    """A form posted as its raw body, percent-escapes as given, CSRF token included."""
    token = csrf_token_of(client.get(page or path).get_data(as_text=True))
    return client.post(
        path, data=f"{body}&csrf_token={token}", content_type="application/x-www-form-urlencoded"
    )


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_note_that_is_not_utf8_is_a_400_naming_the_field_and_stores_nothing(
    reported_case, member, client, runtime
):
    page = f"/panel/cases/{reported_case()}"

    response = post_raw(client, f"{page}/note", "text=%FF%FE", page=page)

    assert response.status_code == 400
    assert "text is not valid UTF-8" in text_of(response)
    assert count(runtime, CaseNote) == 0


def test_a_sign_in_email_that_is_not_utf8_is_a_400_and_counts_no_failure(client, runtime):
    response = post_raw(client, "/sign-in", "email=%FF%FE%40x.org&password=whatever")

    assert response.status_code == 400
    assert "email is not valid UTF-8" in text_of(response)
    assert count(runtime, SignInFailure) == 0


@pytest.mark.parametrize(
    ("query", "reason"),
    [("%FF=1", "a query parameter name is not valid UTF-8"), ("ward=Pumwani%C3", "ward is not valid UTF-8")],
    ids=["name", "value"],
)
def test_a_query_that_is_not_utf8_is_a_400_naming_the_field(member, client, query, reason):
    response = client.get(f"/panel/?{query}")

    assert response.status_code == 400
    assert reason in text_of(response)


def test_a_query_that_is_not_utf8_is_refused_in_kiswahili(lead_in_kiswahili, client):
    response = client.get("/panel/?ward=%FF")

    assert response.status_code == 400
    assert "sehemu ya wadi si UTF-8 halali" in text_of(response)
