"""What Twilio sends besides the text: a WhatsApp location pin is kept as part of the report,
a field Sauti does not read never loses one, and every status Twilio reports of a message we
sent is taken."""

from __future__ import annotations

import pytest

from storage import Report
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import count, decrypted_text, outbound, reference_in

WHATSAPP_SENDER = "whatsapp:+254712345678"
PIN = {"Latitude": "-1.2741", "Longitude": "36.851", "Address": "Eastleigh 1st Avenue"}
STATUS_PATH = "/channels/twilio/status"


def post_signed(client, form: dict[str, str], path: str = "/channels/twilio/sms"):
    return client.post(path, data=form, headers={"X-Twilio-Signature": twilio_signature(form, path=path)})


def whatsapp(body: str, **fields: str) -> dict[str, str]:
    return twilio_form(body, WHATSAPP_SENDER) | fields


# 1. A location pin is part of what the resident reports.


def test_a_location_pin_alone_is_kept_as_a_report_saying_where(client, runtime):
    response = post_signed(client, whatsapp("", **PIN))

    assert response.status_code == 200
    text = decrypted_text(runtime, reference_in(response.text))
    assert text == "[location] -1.27410, 36.85100 Eastleigh 1st Avenue"


def test_a_location_pin_with_words_keeps_both(client, runtime):
    response = post_signed(client, whatsapp("Wanampiga kijana hapa sasa hivi", **PIN))

    text = decrypted_text(runtime, reference_in(response.text))
    assert text == "Wanampiga kijana hapa sasa hivi\n[location] -1.27410, 36.85100 Eastleigh 1st Avenue"


def test_a_location_pin_after_a_reference_is_added_to_that_report(client, runtime, send_sms):
    ref = reference_in(send_sms("They took my brother at the stage", sender=WHATSAPP_SENDER).text)

    post_signed(client, whatsapp(ref, Latitude="-1.28", Longitude="36.84"))

    assert count(runtime, Report) == 1
    assert decrypted_text(runtime, ref).endswith("[location] -1.28000, 36.84000")


@pytest.mark.parametrize(
    "pin",
    [
        {"Latitude": "north", "Longitude": "36.85"},
        {"Latitude": "-91", "Longitude": "36.85"},
        {"Latitude": "-1.27", "Longitude": "nan"},
        {"Latitude": "-1.27", "Longitude": ""},
    ],
)
def test_a_malformed_location_pin_is_a_400_and_stores_nothing(client, runtime, pin):
    response = post_signed(client, whatsapp("", **pin))

    assert response.status_code == 400
    assert "Latitude and Longitude" in response.text
    assert count(runtime, Report) == 0


# 2. A field Sauti does not read never costs a report.


@pytest.mark.parametrize("name", ["Amina\x85", "Ali\x1b[31m", "Juma\x07"])
def test_a_whatsapp_profile_name_with_a_control_character_still_brings_the_report(client, runtime, name):
    response = post_signed(client, whatsapp("Polisi wamemkamata kijana Eastleigh", ProfileName=name))

    assert response.status_code == 200
    assert count(runtime, Report) == 1


def test_a_nul_in_a_field_sauti_does_not_read_is_still_refused(client, runtime):
    response = post_signed(client, whatsapp("Polisi wamemkamata kijana", ProfileName="Amina\x00"))

    assert response.status_code == 400
    assert count(runtime, Report) == 0


# 3. Every status Twilio reports is taken.


@pytest.fixture
def sent_by_twilio(send_sms, run_jobs, runtime):
    """An emergency's acknowledgement, sent through Twilio's API: the message a status is of."""
    send_sms("They are beating him right now at Pumwani, he is bleeding")
    run_jobs()
    [message] = outbound(runtime)
    return message


def status_callback(message_sid: str, status: str, **fields: str) -> dict[str, str]:
    return {"MessageSid": message_sid, "MessageStatus": status, "AccountSid": "AC" + "1" * 32, **fields}


@pytest.mark.parametrize(
    ("reported", "recorded"),
    [
        ("accepted", ("queued", None)),
        ("scheduled", ("queued", None)),
        ("read", ("read", None)),
        ("canceled", ("undelivered", "canceled")),
        ("partially_delivered", ("undelivered", "partially_delivered")),
    ],
)
def test_each_status_twilio_documents_is_recorded(client, runtime, sent_by_twilio, reported, recorded):
    response = post_signed(client, status_callback(sent_by_twilio.provider_id, reported), STATUS_PATH)

    assert response.status_code == 204
    [message] = outbound(runtime)
    assert (message.status, message.error) == recorded


@pytest.mark.parametrize("reported", ["receiving", "received"])
def test_a_status_of_a_message_coming_in_changes_nothing_sent(client, runtime, sent_by_twilio, reported):
    response = post_signed(client, status_callback(sent_by_twilio.provider_id, reported), STATUS_PATH)

    assert response.status_code == 204
    assert outbound(runtime)[0].status == sent_by_twilio.status


def test_an_undelivered_status_keeps_twilios_error_code(client, runtime, sent_by_twilio):
    form = status_callback(sent_by_twilio.provider_id, "undelivered", ErrorCode="30003")

    post_signed(client, form, STATUS_PATH)

    assert (outbound(runtime)[0].status, outbound(runtime)[0].error) == ("undelivered", "30003")


def test_a_status_that_is_no_word_is_a_400(client, runtime, sent_by_twilio):
    response = post_signed(client, status_callback(sent_by_twilio.provider_id, "<b>sent</b>"), STATUS_PATH)

    assert response.status_code == 400
    assert outbound(runtime)[0].status == sent_by_twilio.status
