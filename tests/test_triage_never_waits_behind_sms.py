"""`flask worker` sends SMS in a worker of its own: a report that someone's life is at risk is
triaged while an SMS gateway that never answers holds the notify worker. And a notify job tries
a failing gateway once, leaving the rest of its messages for later, not for the same dead end."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import Report
from tests.fixtures.stand_ins import GatewayStandIn, QuietHandler, serve_gateway, serving
from tests.fixtures.webhooks import AT_SECRET, send_sms_with
from tests.helpers import outbound, reference_in, report_by_ref
from tests.processes import wait_until
from workers import jobs
from workers.gateways import GatewayError
from workers.runtime import Runtime, bound

EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"
# Emergencies whose acknowledgements leave together, for a gateway that never answers: each
# send would wait out its timeout, one after another.
WAITING_ACKNOWLEDGEMENTS = 6


class SilentGateway:
    """An SMS gateway that takes every request and never answers it, until released."""

    def __init__(self) -> None:
        self.asked = 0
        self.released = threading.Event()

    def handler(self) -> type[QuietHandler]:
        gateway = self

        class Silent(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802  (http.server names it)
                gateway.asked += 1
                gateway.released.wait(120)

        return Silent


@pytest.fixture
def silent_gateway() -> Iterator[tuple[str, SilentGateway]]:
    gateway = SilentGateway()
    with serving(gateway.handler()) as url:
        yield url, gateway
        gateway.released.set()


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_an_emergency_is_triaged_while_the_sms_gateway_never_answers(
    make_app, app_config, processes, silent_gateway
):
    url, gateway = silent_gateway
    config = app_config | {"TWILIO_API_BASE_URL": url}
    app = make_app(**config)
    for n in range(WAITING_ACKNOWLEDGEMENTS):
        send_sms_with(app.test_client(), EMERGENCY, sender=f"+25471100000{n}")
    triage_together(runtime_of(app))
    processes.worker(config, "worker")
    wait_until(lambda: gateway.asked >= 1, 60, "the notify worker did not ask the gateway")

    ref = reference_in(send_sms_with(app.test_client(), EMERGENCY, sender="+254711000009").text)

    wait_until(
        lambda: report_by_ref(runtime_of(app), ref).status == "triaged", 15, "the report was not triaged"
    )
    assert not gateway.released.is_set()


def triage_together(runtime: Runtime) -> None:
    """Triage every report received in one job, as a busy minute's reports are: their
    acknowledgements leave in one notify job."""
    with runtime.store.transaction() as session:
        reports = [str(report_id) for report_id in session.scalars(select(Report.id))]
    with bound(runtime):
        jobs.triage_reports(reports)


@contextmanager
def twilio_refusing() -> Iterator[GatewayStandIn]:
    """Twilio's API answering every message 503, as an overloaded gateway does."""

    def refuse(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        return 503, {"code": 20503, "message": "Service Unavailable", "status": 503}

    yield from serve_gateway(refuse)


def test_a_job_asks_a_failing_gateway_once_and_still_sends_by_the_others(make_app, africastalking_api):
    with twilio_refusing() as twilio:
        app = make_app(TWILIO_API_BASE_URL=twilio.url)
        for n in range(3):
            send_sms_with(app.test_client(), EMERGENCY, sender=f"+25471100000{n}")
        form = {"from": "+254722000003", "to": "22384", "text": EMERGENCY, "id": "ATXin_1"}
        app.test_client().post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
        triage_together(runtime_of(app))
        with bound(runtime_of(app)) as runtime:
            messages = [str(message.id) for message in outbound(runtime)]

            with pytest.raises(GatewayError):
                jobs.send_outbound_messages(messages)

            by_twilio = [m.attempts for m in outbound(runtime) if m.channel == "twilio_sms"]
            by_africastalking = {m.status for m in outbound(runtime) if m.channel == "at_sms"}
    assert len(twilio.requests) == 1
    assert sorted(by_twilio) == [0, 0, 1]
    assert by_africastalking == {"sent"}
