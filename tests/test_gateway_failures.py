"""A gateway that cannot be reached, refuses our credentials or answers something unreadable:
the message it held back stays pending with the reason and a counted attempt, the job tries
that gateway no more, the rest of the job is still sent, and the job fails for RQ to retry."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import OutboundMessage, Report
from tests.fixtures.stand_ins import QuietHandler, free_port, serve_gateway, serving
from tests.fixtures.webhooks import AT_SECRET, send_sms_with
from tests.helpers import outbound
from workers import jobs
from workers.gateways import GatewayError
from workers.runtime import bound

EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


@contextmanager
def africastalking_answering(status: int, content_type: str, body: bytes) -> Iterator[str]:
    """Africa's Talking answering every request with something other than its JSON."""

    class Handler(QuietHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as url:
        yield url


def nothing_listening() -> str:
    return f"http://127.0.0.1:{free_port()}"


def report_by_twilio(client, sender: str) -> None:
    assert send_sms_with(client, EMERGENCY, sender=sender).status_code == 200


def report_by_africastalking(client) -> None:
    form = {"from": "+254722000003", "to": "22384", "text": EMERGENCY, "id": "ATXin_" + uuid.uuid4().hex}
    response = client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
    assert response.status_code == 200


def triage_all(runtime) -> None:
    with runtime.store.transaction() as session:
        received = [str(i) for i in session.scalars(select(Report.id).where(Report.status == "received"))]
    jobs.triage_reports(received)


def ids_by_channel(runtime, *channels: str) -> list[str]:
    by_channel = {message.channel: str(message.id) for message in outbound(runtime)}
    return [by_channel[channel] for channel in channels]


def test_twilio_unreachable_is_tried_once_a_job_and_the_attempt_recorded_with_its_reason(make_app):
    app = make_app(TWILIO_API_BASE_URL=nothing_listening())
    report_by_twilio(app.test_client(), "+254711000001")
    report_by_twilio(app.test_client(), "+254711000002")
    with bound(runtime_of(app)) as runtime:
        triage_all(runtime)
        messages = [str(message.id) for message in outbound(runtime)]

        with pytest.raises(GatewayError, match="Twilio unreachable: ConnectionError"):
            jobs.send_outbound_messages(messages)

        held: list[OutboundMessage] = outbound(runtime)
    assert sorted((m.status, m.attempts, m.error or "") for m in held) == [
        ("pending", 0, ""),
        ("pending", 1, "Twilio unreachable: ConnectionError"),
    ]


def test_africastalking_unreachable_is_a_gateway_error_the_rest_still_sent(make_app, twilio_api):
    app = make_app(AT_API_BASE_URL=nothing_listening())
    report_by_africastalking(app.test_client())
    report_by_twilio(app.test_client(), "+254711000001")
    with bound(runtime_of(app)) as runtime:
        triage_all(runtime)
        batch = ids_by_channel(runtime, "at_sms", "twilio_sms")

        with pytest.raises(GatewayError, match="Africa's Talking unreachable"):
            jobs.send_outbound_messages(batch)

        statuses = {m.channel: (m.status, m.attempts) for m in outbound(runtime)}
    assert statuses == {"at_sms": ("pending", 1), "twilio_sms": ("sent", 1)}


UNREADABLE_ANSWERS = {
    "a bad API key": (
        401,
        "text/plain",
        b"The supplied authentication is invalid",
        "Africa's Talking answered 401: check AT_USERNAME and AT_API_KEY",
    ),
    "a proxy's error page": (
        200,
        "text/html",
        b"<html><body>Bad gateway</body></html>",
        "Africa's Talking answered 200 in a form not understood (text/html)",
    ),
}


@pytest.mark.parametrize("answer", UNREADABLE_ANSWERS.values(), ids=UNREADABLE_ANSWERS.keys())
def test_africastalking_answering_other_than_json_is_recorded_and_the_rest_sent(make_app, answer, twilio_api):
    status, content_type, body, reason = answer
    with africastalking_answering(status, content_type, body) as url:
        app = make_app(AT_API_BASE_URL=url)
        report_by_africastalking(app.test_client())
        report_by_twilio(app.test_client(), "+254711000001")
        with bound(runtime_of(app)) as runtime:
            triage_all(runtime)
            batch = ids_by_channel(runtime, "at_sms", "twilio_sms")

            with pytest.raises(GatewayError):
                jobs.send_outbound_messages(batch)

            by_channel = {m.channel: m for m in outbound(runtime)}
    refused = by_channel["at_sms"]
    assert (refused.status, refused.attempts, refused.error) == ("pending", 1, reason)
    assert by_channel["twilio_sms"].status == "sent"


TWILIO_REFUSALS = {
    "a message it will never send": (400, 21910, "failed", "Twilio answered 400, error 21910"),
    "our credentials": (
        401,
        20003,
        "pending",
        "Twilio answered 401, error 20003: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
    ),
}


@pytest.mark.parametrize("refusal", TWILIO_REFUSALS.values(), ids=TWILIO_REFUSALS.keys())
def test_a_twilio_refusal_is_recorded_with_its_error_code(make_app, refusal):
    status, code, outcome, reason = refusal

    def answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        return status, {"code": code, "message": "refused", "status": status}

    with contextmanager(serve_gateway)(answer) as twilio:
        app = make_app(TWILIO_API_BASE_URL=twilio.url)
        report_by_twilio(app.test_client(), "+254711000001")
        with bound(runtime_of(app)) as runtime:
            triage_all(runtime)
            with suppress(GatewayError):
                jobs.send_outbound_messages([str(message.id) for message in outbound(runtime)])

            [message] = outbound(runtime)
    assert (message.status, message.attempts, message.error) == (outcome, 1, reason)
