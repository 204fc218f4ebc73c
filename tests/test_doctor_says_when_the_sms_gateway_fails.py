"""`flask doctor` on replies left pending: when the gateway refused them or never answered it
says the gateway is failing, with the last error; when one is being handed to a gateway that
has not answered yet it says so; neither asks whether the worker runs, for it does."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from app.context import runtime_of
from app.doctor import PROBLEM, diagnose
from storage.models import utcnow
from storage.outbox import claim_to_send
from tests.fixtures.stand_ins import serve_gateway
from tests.fixtures.webhooks import send_sms_with
from tests.helpers import outbound
from tests.test_triage_never_waits_behind_sms import EMERGENCY, triage_together
from workers import jobs
from workers.gateways import GatewayError
from workers.runtime import bound


def backlog(app) -> str:
    with bound(runtime_of(app)) as runtime:
        found = diagnose(runtime)
    [reply] = [f"{f.message} -> {f.advice}" for f in found if (f.level, f.area) == (PROBLEM, "backlog")]
    return reply


def test_replies_the_gateway_refused_say_the_gateway_is_failing_and_why(make_app):
    def overloaded(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        return 503, {"code": 20503, "message": "Service Unavailable", "status": 503}

    with contextmanager(serve_gateway)(overloaded) as twilio:
        app = make_app(TWILIO_API_BASE_URL=twilio.url)
        send_sms_with(app.test_client(), EMERGENCY)
        triage_together(runtime_of(app))
        with bound(runtime_of(app)) as runtime, pytest.raises(GatewayError):
            jobs.send_outbound_messages([str(message.id) for message in outbound(runtime)])

    reply = backlog(app)

    assert "the gateway is failing (1 of them not taken" in reply
    assert reply.endswith("the last attempt failed: Twilio answered 503, error 20503")
    assert "is the worker running?" not in reply


def test_a_reply_handed_to_a_gateway_that_has_not_answered_says_so(make_app):
    app = make_app()
    send_sms_with(app.test_client(), EMERGENCY)
    triage_together(runtime_of(app))
    runtime = runtime_of(app)
    [message] = outbound(runtime)
    with runtime.store.transaction() as session:
        claim_to_send(session, message.id, utcnow())

    reply = backlog(app)

    assert "1 of them handed to the gateway, which has not answered" in reply
    assert "is the worker running?" not in reply
