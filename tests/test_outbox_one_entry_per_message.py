"""The admin's outbox shows each message as one entry holding its details and its text, with
only the fields the message has: a message kept in the outbox (no gateway) was never sent, so
it has no sent time, and a message that may not be sent again has no retry field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storage import OutboundMessage
from tests.fixtures.staff import AuthActions

# Triage writes to the reporter only when it has news: a report sent to the emergency desk.
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"
ENTRY = re.compile(r'<tbody class="message">(.*?)</tbody>', re.S)


@pytest.fixture
def app_config(app_config: dict[str, str]) -> dict[str, str]:
    """No gateway: messages to reporters are kept in the outbox for the admin to read."""
    return app_config | {"TWILIO_ACCOUNT_SID": "", "AT_USERNAME": "", "AT_API_KEY": ""}


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def outbox_entries(client) -> list[str]:
    return ENTRY.findall(client.get("/admin/outbox").get_data(as_text=True))


def settle_every_message(runtime, status: str) -> None:
    with runtime.store.transaction() as session:
        for message in session.scalars(select(OutboundMessage)):
            message.status = status


def test_a_message_and_its_text_are_one_entry(admin, client, reported_case):
    ref = reported_case(EMERGENCY)

    [entry] = outbox_entries(client)

    assert ref in entry
    assert "as an emergency" in entry


def test_a_message_kept_in_the_outbox_has_no_sent_time(admin, client, reported_case):
    reported_case(EMERGENCY)

    [entry] = outbox_entries(client)

    assert "kept in the outbox" in entry
    assert 'data-label="Sent"' not in entry


def test_a_sent_message_says_when_it_was_sent(admin, client, reported_case, runtime):
    reported_case(EMERGENCY)
    settle_every_message(runtime, "sent")

    [entry] = outbox_entries(client)

    assert re.search(r'data-label="Sent">\d', entry)


def test_a_message_that_may_not_be_sent_again_has_no_retry_field(admin, client, reported_case):
    reported_case(EMERGENCY)

    [entry] = outbox_entries(client)

    assert "Retry" not in entry
    assert "Send again" not in entry


def test_a_failed_message_offers_to_send_it_again(admin, client, reported_case, runtime):
    reported_case(EMERGENCY)
    settle_every_message(runtime, "failed")

    [entry] = outbox_entries(client)

    assert "Send again" in entry
