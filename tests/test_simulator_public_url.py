"""`flask sim sms` where PUBLIC_BASE_URL is set: the request goes to --url, signed for the
address the server checks Twilio's signature against (PUBLIC_BASE_URL and the path)."""

from __future__ import annotations

import pytest

from tests.helpers import only_report


@pytest.fixture
def app(make_app):
    return make_app(PUBLIC_BASE_URL="https://sauti.example.org")


def test_sim_sms_to_a_local_url_is_signed_for_the_public_url(app, live_server, runtime):
    result = app.test_cli_runner().invoke(
        args=["sim", "sms", "+254712345678", "Polisi walimchukua kijana wangu", "--url", live_server]
    )

    assert result.exit_code == 0, result.output
    assert only_report(runtime).ref in result.output
