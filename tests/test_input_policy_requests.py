"""A request that cannot be read at all is a 400 that says so, on any path, and stores
nothing: JSON nested too deeply, a Host header no link can name (a broken IDNA label too), a
query string that is not UTF-8; and JSON posted to a page is refused with 415."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder

from storage import Report
from tests.fixtures.staff import csrf_token_of
from tests.helpers import rows


@pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/no-such-page"])
def test_json_nested_too_deeply_is_a_400_on_any_path(client, path):
    response = client.post(path, data=b"[" * 5000 + b"]" * 5000, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["a..b", "a" * 64 + ".org"], ids=["empty-label", "long-label"])
@pytest.mark.parametrize("path", ["/sign-in", "/healthz"])
def test_a_host_header_no_link_can_name_is_a_400_that_says_so(client, path, host):
    response = client.get(path, headers={"Host": host})

    assert response.status_code == 400
    assert "the Host header is not a host name this site answers to" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sign-in", "/healthz"])
def test_a_query_string_that_is_not_utf8_is_a_400_that_says_so(app, path):
    # Raw bytes no browser sends (gunicorn refuses them before the app; other servers may not).
    response = app.test_client().get(path, environ_overrides={"QUERY_STRING": "q=\xff"})

    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["xn--zz", "xn--", "a.xn--zz"])
@pytest.mark.parametrize("path", ["/panel/", "/sign-in"])
def test_a_host_header_with_a_broken_idna_label_is_a_400_that_says_so(app, path, host):
    status, body = straight_to_wsgi(app, "GET", path, host)

    assert status == 400
    assert "the Host header is not a host name this site answers to" in body


def test_a_signed_looking_sms_to_a_broken_idna_host_is_a_400_and_stores_nothing(app, runtime):
    form = {"MessageSid": "SMidna", "From": "+254712345678", "Body": "Polisi"}

    status, _ = straight_to_wsgi(app, "POST", "/channels/twilio/sms", "xn--zz", form)

    assert status == 400
    assert rows(runtime, Report) == {"Report": 0}


def straight_to_wsgi(
    app, method: str, path: str, host: str, form: dict[str, str] | None = None
) -> tuple[int, str]:
    """One request to the app itself: Werkzeug's test client reads the request's URL after the
    app answers, and cannot read such a host."""
    environ = EnvironBuilder(
        path=path, method=method, headers={"Host": host, "X-Twilio-Signature": "x"}, data=form
    ).get_environ()
    answered: list[int] = []
    body = b"".join(
        app(environ, lambda status, headers, exc_info=None: answered.append(int(status.split()[0])))
    )
    return answered[0], body.decode()


@pytest.mark.parametrize("body", ["[1]", "5", '"x"', '{"email": 5, "password": {"a": 1}}'])
def test_json_posted_to_a_page_is_refused_with_415(client, body):
    token = csrf_token_of(client.get("/sign-in").get_data(as_text=True))

    response = client.post(
        "/sign-in", data=body, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert response.status_code == 415
    assert "pages take form posts" in response.get_data(as_text=True)
