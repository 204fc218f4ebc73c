"""A gateway's signed webhook with a bad field is a 400 that names it, and stores nothing:
Twilio's SMS and status callbacks, and Africa's Talking's SMS, USSD and status callbacks."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from storage import Message, OutboundMessage, Report, Reporter
from tests.fixtures.webhooks import AT_SECRET, twilio_form, twilio_signature
from tests.helpers import count, outbound, rows

GATEWAY_ROWS = (Report, Message, Reporter, OutboundMessage)


def post_twilio(client, form, path="/channels/twilio/sms"):
    return client.post(path, data=form, headers={"X-Twilio-Signature": twilio_signature(form, path=path)})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"MessageSid": "SM" + "a" * 63}, "MessageSid is longer than 64"),
        ({"Body": "Polisi\x00wamemkamata"}, "Body contains a NUL"),
        ({"From": "+254712345678\x00"}, "From contains a NUL"),
        ({"From": "+2547" + "1" * 70}, "From is longer than"),
        ({"ToCity": "Nai\x00robi"}, "ToCity contains a NUL"),
    ],
)
def test_a_signed_twilio_sms_with_bad_fields_is_a_400_that_stores_nothing(client, runtime, change, reason):
    before = rows(runtime, *GATEWAY_ROWS)

    response = post_twilio(client, twilio_form("Polisi wamemkamata kijana") | change)

    assert response.status_code == 400
    assert reason in response.text
    assert rows(runtime, *GATEWAY_ROWS) == before


def test_a_signed_twilio_sms_naming_its_sid_twice_is_a_400(client, runtime):
    form = MultiDict([*twilio_form("Polisi wamemkamata").items(), ("MessageSid", "SMsecond")])

    response = post_twilio(client, form)

    assert response.status_code == 400
    assert "MessageSid is given more than once" in response.text
    assert count(runtime, Report) == 0


def test_a_twilio_status_callback_with_an_over_long_sid_is_a_400(client, reported_case, runtime):
    reported_case()
    form = {"MessageSid": "SM" + "b" * 80, "MessageStatus": "delivered"}

    response = post_twilio(client, form, path="/channels/twilio/status")

    assert response.status_code == 400
    assert all(m.status != "delivered" for m in outbound(runtime))


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/channels/ussd", {"sessionId": "s" * 65, "phoneNumber": "+254712345678", "text": "1*1*Polisi*1"}),
        (
            "/channels/ussd",
            {"sessionId": "ATUid_1", "phoneNumber": "+254712345678", "text": "1*1*Po\x00lisi*1"},
        ),
        ("/channels/africastalking/sms", {"id": "i" * 65, "from": "+254712345678", "text": "Polisi"}),
        ("/channels/africastalking/sms", {"id": "ATXid_1", "from": "+254712\x00345678", "text": "Polisi"}),
        (
            "/channels/africastalking/status",
            {"id": "ATXid_1", "status": "Success", "failureReason": "x" * 201},
        ),
    ],
)
def test_africastalking_callbacks_with_bad_fields_are_a_400_that_store_nothing(client, runtime, path, form):
    before = rows(runtime, *GATEWAY_ROWS)

    response = client.post(f"{path}?secret={AT_SECRET}", data=form)

    assert response.status_code == 400
    assert rows(runtime, *GATEWAY_ROWS) == before
