"""Gateways send delivery reports out of order; a late one never moves a message back: once
delivered it stays delivered, and a failure stays unless the message is delivered after all."""

from __future__ import annotations

import pytest

from tests.fixtures.webhooks import AT_SECRET, twilio_signature
from tests.helpers import outbound

AT_STATUS_URL = f"/channels/africastalking/status?secret={AT_SECRET}"
TWILIO_STATUS_PATH = "/channels/twilio/status"
AT_REPORTER = "+254733000222"


@pytest.fixture
def sent_by_twilio(send_sms, runtime, run_jobs):
    """The gateway id of an emergency's acknowledgement, which Twilio accepted."""
    send_sms("They are beating him right now at Pumwani, he is bleeding")
    run_jobs()
    [message] = outbound(runtime)
    return message.provider_id


@pytest.fixture
def sent_by_africastalking(client, runtime, run_jobs, africastalking_api):
    """The gateway id of a report's acknowledgement, which Africa's Talking accepted."""
    form = {"from": AT_REPORTER, "to": "22384", "text": "Polisi wanatuzuia kila usiku", "id": "ATXid_in"}
    client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
    run_jobs()
    return next(message for message in outbound(runtime) if message.kind == "reply").provider_id


def twilio_reports(client, sid: str, *statuses: str) -> None:
    for status in statuses:
        form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "1" * 32}
        signature = twilio_signature(form, path=TWILIO_STATUS_PATH)
        response = client.post(TWILIO_STATUS_PATH, data=form, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 204


def africastalking_reports(client, message_id: str, *statuses: tuple[str, str]) -> None:
    for status, reason in statuses:
        form = {"id": message_id, "status": status, "failureReason": reason, "phoneNumber": AT_REPORTER}
        assert client.post(AT_STATUS_URL, data=form).status_code == 200


def status_of(runtime, provider_id: str) -> tuple[str, str | None]:
    [message] = [message for message in outbound(runtime) if message.provider_id == provider_id]
    return message.status, message.error


@pytest.mark.parametrize("late", ["sent", "queued", "accepted", "sending"])
def test_a_late_twilio_report_leaves_a_delivered_message_delivered(late, client, runtime, sent_by_twilio):
    twilio_reports(client, sent_by_twilio, "delivered", late)

    assert status_of(runtime, sent_by_twilio) == ("delivered", None)


def test_a_late_sent_leaves_a_failed_message_failed(client, runtime, sent_by_twilio):
    twilio_reports(client, sent_by_twilio, "failed", "sent")

    assert status_of(runtime, sent_by_twilio)[0] == "failed"


def test_africastalking_success_after_a_failure_wins_and_a_late_sent_changes_nothing(
    client, runtime, sent_by_africastalking
):
    africastalking_reports(
        client,
        sent_by_africastalking,
        ("Success", ""),
        ("Failed", "AbsentSubscriber"),
        ("Success", ""),
        ("Sent", ""),
    )

    assert status_of(runtime, sent_by_africastalking) == ("delivered", None)


def test_a_failure_after_a_late_sent_keeps_its_reason(client, runtime, sent_by_africastalking):
    africastalking_reports(client, sent_by_africastalking, ("Failed", "AbsentSubscriber"), ("Sent", ""))

    assert status_of(runtime, sent_by_africastalking) == ("undelivered", "AbsentSubscriber")
