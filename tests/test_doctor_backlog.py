"""`flask doctor` notices work left undone: reports left in `received` and replies left
pending past the sweep's grace period. It says how many and how old, never what they say."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.context import runtime_of
from app.doctor import PROBLEM, diagnose
from storage import Report
from tests.fixtures.stand_ins import free_port
from tests.fixtures.webhooks import send_sms_with
from tests.helpers import outbound
from workers import jobs
from workers.gateways import GatewayError
from workers.runtime import bound

EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


def findings(app, area: str, level: str = PROBLEM) -> list[str]:
    with bound(runtime_of(app)) as runtime:
        found = diagnose(runtime)
    return [f"{f.message} -> {f.advice}" for f in found if f.level == level and f.area == area]


def test_reports_left_in_received_past_the_grace_period_are_counted_without_content(make_app):
    app = make_app(SAUTI_SWEEP_GRACE_SECONDS="0")
    send_sms_with(app.test_client(), "Polisi wamemchukua Baraka sasa hivi")
    send_sms_with(app.test_client(), "Askari wanaitisha hongo sokoni", sender="+254711000009")

    [problem] = findings(app, "backlog")

    assert problem.startswith("2 report(s) waiting in `received`, the oldest for ")
    assert "is the worker running?" in problem
    assert "Baraka" not in problem


def test_reports_within_the_grace_period_are_not_a_problem(make_app):
    app = make_app(SAUTI_SWEEP_GRACE_SECONDS="3600")
    send_sms_with(app.test_client(), "Polisi wamemchukua Baraka sasa hivi")

    assert findings(app, "backlog") == []


def test_replies_never_tried_are_a_problem_that_asks_for_the_worker(make_app):
    app = make_app(SAUTI_SWEEP_GRACE_SECONDS="0")
    send_sms_with(app.test_client(), EMERGENCY)
    with bound(runtime_of(app)) as runtime:
        jobs.triage_reports(received(runtime))

    [problem] = findings(app, "backlog")

    assert problem.startswith("1 message(s) to reporters pending, the oldest for ")
    assert "none was tried: is the worker running?" in problem


def test_replies_a_gateway_failed_say_its_last_error(make_app):
    app = make_app(SAUTI_SWEEP_GRACE_SECONDS="0", TWILIO_API_BASE_URL=f"http://127.0.0.1:{free_port()}")
    send_sms_with(app.test_client(), EMERGENCY)
    with bound(runtime_of(app)) as runtime:
        jobs.triage_reports(received(runtime))
        with pytest.raises(GatewayError):
            jobs.send_outbound_messages([str(message.id) for message in outbound(runtime)])

    [problem] = findings(app, "backlog")

    assert problem.endswith("-> the last attempt failed: Twilio unreachable: ConnectionError")


def received(runtime) -> list[str]:
    with runtime.store.transaction() as session:
        return [str(i) for i in session.scalars(select(Report.id).where(Report.status == "received"))]
