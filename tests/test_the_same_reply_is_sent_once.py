"""The same reply to the same case sent again within ten minutes (a double click, the form sent
again from the back button, two requests at once) is refused with the reason: the reporter,
who may be in danger for every SMS they get, is texted once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from html import unescape

from sqlalchemy import text

from storage import Message, OutboundMessage
from storage.audit.chain import AUDIT_LOCK_ID
from tests.fixtures.staff import csrf_token_of
from tests.helpers import rows

REPLY = "We have spoken to the OCS at Pumwani. Please tell us if it happens again."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_reply_form_sent_twice_texts_the_reporter_once_and_says_why(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    auth.sign_in(make_user())
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))

    first = client.post(f"/panel/cases/{ref}/reply", data={"text": REPLY, "csrf_token": token})
    again = client.post(f"/panel/cases/{ref}/reply", data={"text": REPLY, "csrf_token": token})

    assert first.status_code == 303
    assert again.status_code == 400
    assert "this reply was sent to the reporter less than 10 minutes ago" in unescape(
        again.get_data(as_text=True)
    )
    assert rows(runtime, Message, OutboundMessage) == {"Message": 2, "OutboundMessage": 1}


def test_the_same_reply_through_the_api_again_is_a_400_that_sends_nothing(
    reported_case, make_user, api_token, client, runtime
):
    ref = reported_case()
    headers = bearer(api_token(make_user()))
    reply = {"action": "reply", "text": REPLY}

    assert client.post(f"/api/v1/cases/{ref}/actions", json=reply, headers=headers).status_code == 200
    again = client.post(f"/api/v1/cases/{ref}/actions", json=reply, headers=headers)

    assert again.status_code == 400
    assert "not sent twice" in again.json["detail"]
    assert rows(runtime, OutboundMessage) == {"OutboundMessage": 1}


@contextmanager
def audit_chain_held(runtime) -> Iterator[None]:
    """Keep every action from finishing until the block ends: on PostgreSQL by holding the
    audit chain's lock (each action appends to the chain before it commits), on SQLite by
    holding the one write lock."""
    with runtime.store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})
        yield


def test_two_identical_replies_at_once_text_the_reporter_once(
    reported_case, make_user, api_token, app, runtime
):
    ref = reported_case()
    headers = [bearer(api_token(make_user())) for _ in range(2)]
    start = threading.Barrier(3)
    answers: list[int] = []

    def reply(headers: dict[str, str]) -> None:
        browser = app.test_client()
        start.wait()
        answer = browser.post(
            f"/api/v1/cases/{ref}/actions", json={"action": "reply", "text": REPLY}, headers=headers
        )
        answers.append(answer.status_code)

    threads = [threading.Thread(target=reply, args=(h,)) for h in headers]
    with audit_chain_held(runtime):
        for thread in threads:
            thread.start()
        start.wait()
        threading.Event().wait(0.5)
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers) == [200, 400]
    assert rows(runtime, Message, OutboundMessage) == {"Message": 2, "OutboundMessage": 1}


def test_a_different_reply_is_sent(reported_case, make_user, api_token, client, runtime):
    ref = reported_case()
    headers = bearer(api_token(make_user()))

    for words in (REPLY, "The OCS has promised to call you back."):
        answer = client.post(
            f"/api/v1/cases/{ref}/actions", json={"action": "reply", "text": words}, headers=headers
        )
        assert answer.status_code == 200

    assert rows(runtime, OutboundMessage) == {"OutboundMessage": 2}


def test_the_same_reply_ten_minutes_later_is_sent_again(
    clock, reported_case, make_user, api_token, client, runtime
):
    ref = reported_case()
    headers = bearer(api_token(make_user()))
    reply = {"action": "reply", "text": REPLY}
    client.post(f"/api/v1/cases/{ref}/actions", json=reply, headers=headers)
    clock.shift(timedelta(minutes=10, seconds=1))

    again = client.post(f"/api/v1/cases/{ref}/actions", json=reply, headers=headers)

    assert again.status_code == 200
    assert rows(runtime, OutboundMessage) == {"OutboundMessage": 2}
