"""Africa's Talking delivery reports update the outbox as Twilio's status callbacks do. Every
status Africa's Talking sends is taken, listed or not: only a malformed report is refused."""

from __future__ import annotations

import logging

import pytest

from tests.fixtures.webhooks import AT_SECRET
from tests.helpers import outbound

REPORTER = "+254733000222"
STATUS_URL = f"/channels/africastalking/status?secret={AT_SECRET}"


@pytest.fixture
def sent_by_africastalking(client, runtime, run_jobs, africastalking_api):
    """A report by Africa's Talking SMS, whose acknowledgement (the answer to the message,
    sent by SMS) Africa's Talking accepted."""
    form = {
        "from": REPORTER,
        "to": "22384",
        "text": "Polisi wanatuzuia kila usiku California",
        "id": "ATXid_in",
    }
    client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
    run_jobs()
    acknowledgement = next(m for m in outbound(runtime) if m.kind == "reply")
    assert acknowledgement.provider_id.startswith("ATXid_")
    return acknowledgement


def delivery_report(message_id: str, status: str, **extra: str) -> dict[str, str]:
    return {"id": message_id, "status": status, "phoneNumber": REPORTER, "networkCode": "63902", **extra}


def status_of(runtime, message_id):
    return next(m for m in outbound(runtime) if m.id == message_id)


def test_a_delivered_report_marks_the_message_delivered(client, runtime, sent_by_africastalking):
    response = client.post(STATUS_URL, data=delivery_report(sent_by_africastalking.provider_id, "Success"))

    assert response.status_code == 200
    assert status_of(runtime, sent_by_africastalking.id).status == "delivered"


def test_a_failed_delivery_keeps_the_reason_africastalking_gives(client, runtime, sent_by_africastalking):
    report = delivery_report(sent_by_africastalking.provider_id, "Failed", failureReason="UserIsInactive")

    client.post(STATUS_URL, data=report)

    message = status_of(runtime, sent_by_africastalking.id)
    assert (message.status, message.error) == ("undelivered", "UserIsInactive")


@pytest.mark.parametrize(
    ("reported", "recorded"),
    [
        ("Sent", "sent"),
        ("Submitted", "sent"),
        ("Buffered", "sent"),
        ("Rejected", "failed"),
        ("Expired", "undelivered"),
        ("AbsentSubscriber", "undelivered"),
    ],
)
def test_every_africastalking_status_has_its_place_in_the_outbox(
    client, runtime, sent_by_africastalking, reported, recorded
):
    client.post(STATUS_URL, data=delivery_report(sent_by_africastalking.provider_id, reported))

    assert status_of(runtime, sent_by_africastalking.id).status == recorded


def test_a_report_without_the_shared_secret_is_refused_and_changes_nothing(
    client, runtime, sent_by_africastalking
):
    response = client.post(
        "/channels/africastalking/status", data=delivery_report(sent_by_africastalking.provider_id, "Failed")
    )

    assert response.status_code == 403
    assert status_of(runtime, sent_by_africastalking.id).status == "sent"


@pytest.mark.parametrize(
    "reason",
    [
        "InsufficientCredit",
        "InvalidLinkId",
        "UserIsInactive",
        "UserInBlackList",
        "UserAccountSuspended",
        "NotNetworkSubscriber",
        "UserNotSubscribedToProduct",
        "UserDoesNotExist",
        "DeliveryFailure",
    ],
)
def test_every_failure_reason_africastalking_documents_is_kept(
    client, runtime, sent_by_africastalking, reason
):
    report = delivery_report(sent_by_africastalking.provider_id, "Rejected", failureReason=reason)

    assert client.post(STATUS_URL, data=report).status_code == 200

    message = status_of(runtime, sent_by_africastalking.id)
    assert (message.status, message.error) == ("failed", reason)


def test_an_unlisted_status_is_kept_as_undelivered_with_the_status_as_its_reason(
    client, runtime, sent_by_africastalking
):
    report = delivery_report(sent_by_africastalking.provider_id, "DeliveryImpossible")

    assert client.post(STATUS_URL, data=report).status_code == 200

    message = status_of(runtime, sent_by_africastalking.id)
    assert (message.status, message.error) == ("undelivered", "DeliveryImpossible")


def test_an_unlisted_status_keeps_the_failure_reason_given_with_it(client, runtime, sent_by_africastalking):
    report = delivery_report(
        sent_by_africastalking.provider_id, "Blacklisted", failureReason="UserInBlackList"
    )

    client.post(STATUS_URL, data=report)

    message = status_of(runtime, sent_by_africastalking.id)
    assert (message.status, message.error) == ("undelivered", "UserInBlackList")


@pytest.mark.parametrize("status", ["<Success>", "Success; DROP TABLE", "5uccess", "!"])
def test_a_status_that_is_no_word_is_a_400_that_changes_nothing(
    client, runtime, sent_by_africastalking, status
):
    response = client.post(STATUS_URL, data=delivery_report(sent_by_africastalking.provider_id, status))

    assert response.status_code == 400
    assert "status must be a word" in response.text
    assert status_of(runtime, sent_by_africastalking.id).status == "sent"


def test_a_delivery_report_without_a_status_is_a_400(client, runtime, sent_by_africastalking):
    response = client.post(STATUS_URL, data=delivery_report(sent_by_africastalking.provider_id, ""))

    assert response.status_code == 400
    assert "missing field(s): status" in response.text
    assert status_of(runtime, sent_by_africastalking.id).status == "sent"


def test_a_report_for_a_message_that_is_not_ours_is_taken_and_ignored(
    client, runtime, sent_by_africastalking
):
    response = client.post(STATUS_URL, data=delivery_report("ATXid_someone_elses", "Success"))

    assert response.status_code == 200
    assert status_of(runtime, sent_by_africastalking.id).status == "sent"


def test_the_number_in_a_delivery_report_is_never_logged(client, sent_by_africastalking, caplog):
    caplog.set_level(logging.DEBUG)

    client.post(STATUS_URL, data=delivery_report(sent_by_africastalking.provider_id, "Success"))

    logged = "\n".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    assert "delivery.status" in logged
    assert REPORTER not in logged
    assert REPORTER[1:] not in logged
