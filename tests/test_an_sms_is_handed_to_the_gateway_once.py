"""A message to a resident is claimed, and the claim committed, before its gateway is asked: two
jobs sending it at once (a sweep's and a retry's, two workers'), or a sweep while it is in
flight, hand it to the gateway once. Only a claim left by a worker that died lapses, and the
message is then sent again."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.context import runtime_of
from storage import Report
from storage.models import utcnow
from storage.outbox import CLAIM, claim_to_send
from tests.fixtures.stand_ins import GatewayStandIn, serve_gateway, twilio_answer
from tests.fixtures.webhooks import send_sms_with
from tests.helpers import outbound
from workers import jobs
from workers.gateways import GatewayError
from workers.runtime import Runtime, bound

EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"
# Long enough for a second job to reach the gateway while the first still waits for it.
ANSWER_SECONDS = 1.0


@contextmanager
def twilio_answering_after(
    seconds: float, before_answer: Callable[[], None] = lambda: None
) -> Iterator[GatewayStandIn]:
    """Twilio's API, answering each message after `seconds`, having done `before_answer`."""

    def answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        time.sleep(seconds)
        before_answer()
        return twilio_answer(path, form)

    yield from serve_gateway(answer)


def emergency_acknowledged(app) -> tuple[Runtime, str]:
    """An emergency reported and triaged: its acknowledgement waits in the outbox."""
    send_sms_with(app.test_client(), EMERGENCY)
    runtime = runtime_of(app)
    with bound(runtime), runtime.store.transaction() as session:
        received = [str(i) for i in session.scalars(select(Report.id).where(Report.status == "received"))]
    with bound(runtime):
        jobs.triage_reports(received)
        [message] = outbound(runtime)
    return runtime, str(message.id)


def in_flight(runtime: Runtime, outbound_id: str) -> threading.Thread:
    """A job sending the message, on a thread of its own, started."""

    def send() -> None:
        with bound(runtime):
            jobs.send_outbound(outbound_id)

    sending = threading.Thread(target=send)
    sending.start()
    return sending


def test_two_jobs_sending_the_same_message_at_once_hand_it_to_the_gateway_once(make_app):
    with twilio_answering_after(ANSWER_SECONDS) as twilio:
        runtime, message_id = emergency_acknowledged(make_app(TWILIO_API_BASE_URL=twilio.url))
        outcomes: list[str] = []
        start = threading.Barrier(2)

        def send() -> None:
            start.wait()
            with bound(runtime):
                outcomes.append(jobs.send_outbound(message_id))

        racing = [threading.Thread(target=send) for _ in range(2)]
        for job in racing:
            job.start()
        for job in racing:
            job.join()

    assert sorted(outcomes) == ["sent", "skipped"]
    [message] = outbound(runtime)
    assert (message.status, message.attempts, len(twilio.requests)) == ("sent", 1, 1)


def test_the_sweep_leaves_a_message_being_sent_alone(make_app):
    with twilio_answering_after(ANSWER_SECONDS) as twilio:
        runtime, message_id = emergency_acknowledged(make_app(TWILIO_API_BASE_URL=twilio.url))
        sending = in_flight(runtime, message_id)
        while not twilio.requests:
            time.sleep(0.01)

        with bound(runtime):
            assert jobs.sweep_outbox() == 0
        sending.join()

    assert [message.status for message in outbound(runtime)] == ["sent"]


def test_the_sweep_queues_a_message_once_while_its_job_waits(make_app):
    runtime, _ = emergency_acknowledged(make_app())

    with bound(runtime):
        assert (jobs.sweep_outbox(), jobs.sweep_outbox()) == (1, 0)


def test_a_message_whose_sending_failed_waits_before_the_sweep_queues_it_again(make_app):
    def refuse(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        return 503, {"code": 20503, "message": "Service Unavailable", "status": 503}

    with contextmanager(serve_gateway)(refuse) as twilio:
        runtime, message_id = emergency_acknowledged(make_app(TWILIO_API_BASE_URL=twilio.url))
        with bound(runtime), pytest.raises(GatewayError):
            jobs.send_outbound_messages([message_id])

        with bound(runtime):
            assert jobs.sweep_outbox() == 0
    assert len(twilio.requests) == 1


def test_a_claim_left_by_a_worker_that_died_lapses_and_the_message_is_sent(make_app, run_jobs):
    with twilio_answering_after(0) as twilio:
        runtime, message_id = emergency_acknowledged(make_app(TWILIO_API_BASE_URL=twilio.url))
        claimed_then = utcnow() - CLAIM - timedelta(seconds=1)
        with runtime.store.transaction() as session:
            claim_to_send(session, uuid.UUID(message_id), claimed_then)

        with bound(runtime):
            assert jobs.sweep_outbox() == 1
        run_jobs(runtime)

    [message] = outbound(runtime)
    assert (message.status, message.attempts, len(twilio.requests)) == ("sent", 2, 1)


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_a_message_sent_while_the_database_goes_away_is_recorded_once_it_is_back(
    make_app, app_config, database_proxy, run_jobs
):
    def cut_for_a_moment() -> None:
        database_proxy.cut()
        threading.Timer(1.0, database_proxy.restore).start()

    through_proxy = make_url(app_config["DATABASE_URL"]).set(host="127.0.0.1", port=database_proxy.port)
    with twilio_answering_after(0, before_answer=cut_for_a_moment) as twilio:
        database = through_proxy.render_as_string(hide_password=False)
        app = make_app(DATABASE_URL=database, TWILIO_API_BASE_URL=twilio.url)
        runtime, message_id = emergency_acknowledged(app)

        with bound(runtime):
            assert jobs.send_outbound(message_id) == "sent"
            assert jobs.sweep_outbox() == 0
        run_jobs(runtime)

    [message] = outbound(runtime)
    assert (message.status, message.attempts, len(twilio.requests)) == ("sent", 1, 1)
    assert str(message.provider_id).startswith("SM")
