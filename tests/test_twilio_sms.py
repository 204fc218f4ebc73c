"""A resident texts Sauti through Twilio (SMS or WhatsApp)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text
from twilio.request_validator import RequestValidator

from storage import Message, Report, Reporter
from tests.fixtures.webhooks import TWILIO_TOKEN, twilio_form, twilio_signature
from tests.helpers import count, decrypted_text, end_stories, reference_in


def test_signed_sms_is_stored_and_answered_with_a_reference(send_sms, runtime):
    response = send_sms("Police beat a boy at Eastleigh 1st Avenue last night")

    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    ref = reference_in(response.text)
    assert "anonymous" in response.text
    assert decrypted_text(runtime, ref) == "Police beat a boy at Eastleigh 1st Avenue last night"


@pytest.mark.parametrize("control", ["\x0c", "\x1b", "\x85", "\x0b"])
def test_a_control_character_a_phone_may_send_is_kept_as_a_space(send_sms, runtime, control):
    response = send_sms(f"Polisi{control}walinipiga Eastleigh")

    assert response.status_code == 200
    assert decrypted_text(runtime, reference_in(response.text)) == "Polisi walinipiga Eastleigh"


def test_a_nul_in_the_text_is_refused_and_stores_nothing(send_sms, runtime):
    response = send_sms("Polisi\x00walinipiga")

    assert response.status_code == 400
    assert count(runtime, Report) == 0


def test_kiswahili_sms_is_answered_in_kiswahili(send_sms):
    response = send_sms("Polisi wamemkamata kijana wangu jana usiku hapa Majengo hawajamwachilia")

    assert "ripoti imepokelewa" in response.text
    assert "HALI" in response.text


def test_unsigned_sms_is_refused_and_stores_nothing(client, runtime):
    response = client.post("/channels/twilio/sms", data=twilio_form("Polisi wanapiga watu"))

    assert response.status_code == 403
    assert "X-Twilio-Signature" in response.text
    assert count(runtime, Report) == 0


def test_a_refusal_tells_the_gateway_why_in_plain_text(client):
    response = client.post("/channels/twilio/sms", data=twilio_form("Polisi wanapiga watu"))

    assert response.mimetype == "text/plain"
    assert response.text == "missing or invalid X-Twilio-Signature\n"


def test_sms_signed_with_another_token_is_refused_and_stores_nothing(send_sms, runtime):
    response = send_sms("Polisi wanapiga watu", token="not-our-token")

    assert response.status_code == 403
    assert count(runtime, Report) == 0


def test_a_signature_with_other_than_ascii_in_it_is_refused_and_stores_nothing(client, runtime):
    form = twilio_form("Polisi wanapiga watu")
    signature = "\u00e9" + twilio_signature(form)[1:]

    response = client.post("/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})

    assert response.status_code == 403
    assert count(runtime, Report) == 0


def test_sms_altered_after_signing_is_refused(client, runtime):
    form = twilio_form("They took my brother")
    signature = twilio_signature(form)
    form["Body"] = "Something else entirely"

    response = client.post("/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})

    assert response.status_code == 403
    assert count(runtime, Report) == 0


def test_same_message_sid_twice_makes_one_report_with_the_same_reference(send_sms, runtime):
    first = send_sms("Askari walichukua simu yangu", sid="SM" + "a" * 32)
    retry = send_sms("Askari walichukua simu yangu", sid="SM" + "a" * 32)

    assert reference_in(first.text) == reference_in(retry.text)
    assert count(runtime, Report) == 1
    assert count(runtime, Message) == 1


def test_the_same_message_delivered_twice_at_once_makes_one_report(app, send_sms_to, runtime):
    sid = "SM" + "b" * 32
    start = threading.Barrier(2)

    def deliver() -> str:
        start.wait()
        return reference_in(send_sms_to(app.test_client(), "Askari walichukua simu yangu", sid=sid).text)

    with ThreadPoolExecutor(max_workers=2) as pool:
        refs = set(pool.map(lambda _: deliver(), range(2)))

    assert len(refs) == 1
    assert count(runtime, Report) == 1
    assert count(runtime, Message) == 1


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_a_report_arriving_on_a_dead_database_connection_is_stored_on_a_new_one(send_sms, runtime):
    send_sms("Polisi walimpiga kijana Gikomba")
    end_stories(runtime)
    with runtime.store.engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )

    response = send_sms("Askari walichukua simu yangu Eastleigh")

    assert response.status_code == 200
    assert decrypted_text(runtime, reference_in(response.text)) == "Askari walichukua simu yangu Eastleigh"


def test_signed_request_without_a_sender_is_refused_with_a_clear_message(client, runtime):
    form = twilio_form("hello")
    del form["From"]

    response = client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )

    assert response.status_code == 400
    assert "From" in response.text
    assert count(runtime, Report) == 0


def test_sender_that_is_not_a_number_is_refused(send_sms, runtime):
    response = send_sms("hello", sender="not-a-number")

    assert response.status_code == 400
    assert "phone number" in response.text
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(
    "sender",
    [
        "+\uff12\uff15\uff14\uff17\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
        "+254 7ABCDEFGH",
        "tel:+254712345678",
        "+254712345678 ext. 99",
        "whatsapp:whatsapp:+254712345678",
    ],
    ids=["fullwidth-digits", "letters", "tel-prefix", "extension", "prefix-twice"],
)
def test_a_sender_not_written_in_ascii_digits_is_refused_and_stores_nothing(sender, send_sms, runtime):
    response = send_sms("Polisi walimpiga mama sokoni", sender=sender)

    assert response.status_code == 400
    assert "phone number" in response.text
    assert count(runtime, Reporter) == 0


@pytest.mark.parametrize("body", ["HELP", "", "..."])
def test_a_sender_that_is_no_number_is_refused_whatever_the_message_asks(body, send_sms):
    response = send_sms(body, sender="hello")

    assert response.status_code == 400
    assert "phone number" in response.text


def test_oversized_request_is_refused(client, runtime):
    form = twilio_form("y" * 70_000)

    response = client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )

    assert response.status_code == 413
    assert count(runtime, Report) == 0


def test_empty_sms_gets_guidance_and_stores_nothing(send_sms, runtime):
    response = send_sms("   ")

    assert response.status_code == 200
    assert "empty" in response.text
    assert count(runtime, Report) == 0


def test_whatsapp_and_sms_from_one_number_are_one_reporter(send_sms, runtime):
    send_sms("Polisi walinipiga", sender="0712345678")
    end_stories(runtime)
    whatsapp = send_sms("They came again", sender="whatsapp:+254712345678")
    end_stories(runtime)
    send_sms("Tena leo", sender="254712345678")

    assert whatsapp.status_code == 200
    with runtime.store.transaction() as session:
        reporters = session.scalars(select(Reporter)).all()
        channels = sorted(session.scalars(select(Report.channel)))
    assert len(reporters) == 1
    assert channels == ["twilio_sms", "twilio_sms", "twilio_whatsapp"]


def test_signature_is_checked_against_the_public_url_behind_a_proxy(make_app):
    client = make_app(PUBLIC_BASE_URL="https://sauti.example.org").test_client()
    form = twilio_form("Polisi wamemkamata")
    public = RequestValidator(TWILIO_TOKEN).compute_signature(
        "https://sauti.example.org/channels/twilio/sms", form
    )

    as_seen_inside = client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )
    as_twilio_signs = client.post("/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": public})

    assert as_seen_inside.status_code == 403
    assert as_twilio_signs.status_code == 200
