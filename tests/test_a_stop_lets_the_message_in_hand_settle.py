"""A routine stop of `flask worker` (SIGTERM, as systemd sends it) while its notify worker waits
on a hanging SMS gateway lets that job finish, within the gateway's timeout: the message is
settled (here: failed, to be sent again) with no claim left on it, so the next worker sends it
at once rather than minutes later, when the claim would lapse."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import OutboundMessage
from tests.processes import wait_until

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


@pytest.fixture
def hanging_gateway() -> Iterator[str]:
    """A server that takes connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def claims(app) -> list[object]:
    with runtime_of(app).store.transaction() as session:
        return list(session.scalars(select(OutboundMessage.claimed_until)))


def test_sigterm_lets_the_message_in_hand_settle_without_a_claim_left(
    make_app, app_config, hanging_gateway, send_sms_to, processes
):
    config = app_config | {"TWILIO_API_BASE_URL": hanging_gateway}
    app = make_app(**config)
    worker = processes.worker(config, "worker")
    send_sms_to(app.test_client(), "They are beating him right now at Pumwani, he is bleeding")
    wait_until(lambda: any(claims(app)), 90, "no acknowledgement was handed to the gateway")

    worker.terminate()

    assert worker.wait(timeout=45) == 0
    assert claims(app) == [None]
