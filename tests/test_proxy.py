"""Behind a reverse proxy, the client's address comes from X-Forwarded-For only when told so."""

from __future__ import annotations

from tests.fixtures.webhooks import AT_SECRET

FORM = {"sessionId": "s", "serviceCode": "*384#", "phoneNumber": "+254712345678", "text": ""}


def test_allowlisted_gateway_behind_one_proxy_is_let_in(make_app):
    client = make_app(AT_ALLOWED_IPS="196.201.214.200", SAUTI_PROXY_HOPS="1").test_client()

    response = client.post(
        f"/channels/ussd?secret={AT_SECRET}", data=FORM, headers={"X-Forwarded-For": "196.201.214.200"}
    )

    assert response.status_code == 200


def test_forwarded_address_is_ignored_without_a_proxy(make_app):
    client = make_app(AT_ALLOWED_IPS="196.201.214.200").test_client()

    response = client.post(
        f"/channels/ussd?secret={AT_SECRET}", data=FORM, headers={"X-Forwarded-For": "196.201.214.200"}
    )

    assert response.status_code == 403
