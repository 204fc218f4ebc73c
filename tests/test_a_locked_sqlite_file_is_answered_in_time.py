"""On SQLite, a webhook whose report cannot get the write lock (another program holds it, or
another process's group commit keeps its turn) is answered 503 with Retry-After before the
gateway gives up, having stored nothing; its retry, once the lock is free, stores the report
once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, closing, contextmanager

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from storage import Message, Report
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import reference_in
from workers.runtime import Runtime

pytestmark = pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
# What Twilio waits for a webhook's answer.
GATEWAY_PATIENCE_SECONDS = 15
# Names its language, so that nothing but its report's write needs the database.
REPORT = "Polisi wamemchukua kijana sasa hivi Pumwani"


@contextmanager
def exclusive_lock_of_another_program(runtime: Runtime) -> Iterator[None]:
    """`BEGIN EXCLUSIVE` on the database file, as the sqlite3 shell or a backup script takes it."""
    database = runtime.store.engine.url.database
    assert database
    with closing(sqlite3.connect(database, isolation_level=None, timeout=0)) as other:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")


def deliver_while(held: AbstractContextManager[None], app: Flask, form: dict[str, str]) -> TestResponse:
    """The answer to a signed Twilio webhook sent while `held` is held, which it is for as long
    as the gateway would wait for that answer, no longer."""
    client = app.test_client()
    headers = {"X-Twilio-Signature": twilio_signature(form)}
    with ThreadPoolExecutor(max_workers=1) as pool:
        with held:
            answer = pool.submit(client.post, "/channels/twilio/sms", data=form, headers=headers)
            wait([answer], timeout=GATEWAY_PATIENCE_SECONDS)
        return answer.result()


def retried(app: Flask, form: dict[str, str]) -> TestResponse:
    headers = {"X-Twilio-Signature": twilio_signature(form)}
    return app.test_client().post("/channels/twilio/sms", data=form, headers=headers)


def stored_refs(runtime: Runtime, sid: str) -> list[str]:
    with runtime.store.transaction() as session:
        query = select(Report.ref).join(Message, Message.report_id == Report.id)
        return list(session.scalars(query.where(Message.external_id == sid)))


def test_a_webhook_is_answered_503_in_time_while_another_program_holds_the_write_lock(app, runtime):
    form = twilio_form(REPORT)

    answered = deliver_while(exclusive_lock_of_another_program(runtime), app, form)

    assert answered.status_code == 503
    assert answered.headers["Retry-After"]
    assert stored_refs(runtime, form["MessageSid"]) == []


def test_a_report_answered_503_under_another_programs_lock_is_stored_once_when_retried(app, runtime):
    form = twilio_form(REPORT)
    assert deliver_while(exclusive_lock_of_another_program(runtime), app, form).status_code == 503

    again = retried(app, form)

    assert again.status_code == 200
    assert stored_refs(runtime, form["MessageSid"]) == [reference_in(again.get_data(as_text=True))]


def test_a_webhook_is_answered_503_in_time_while_another_process_keeps_the_turn_to_write(app, runtime):
    form = twilio_form(REPORT)

    answered = deliver_while(runtime.store.writers_in_turn(), app, form)

    assert answered.status_code == 503
    assert answered.headers["Retry-After"]
    assert stored_refs(runtime, form["MessageSid"]) == []


def test_a_report_answered_503_behind_another_processs_turn_is_stored_once_when_retried(app, runtime):
    form = twilio_form(REPORT)
    assert deliver_while(runtime.store.writers_in_turn(), app, form).status_code == 503

    again = retried(app, form)

    assert again.status_code == 200
    assert stored_refs(runtime, form["MessageSid"]) == [reference_in(again.get_data(as_text=True))]


@pytest.mark.parametrize("body", ["STOP", "Otieno 12"], ids=["keyword", "no-language"])
def test_a_message_that_reads_the_database_first_is_answered_503_in_time_too(app, runtime, body):
    answered = deliver_while(exclusive_lock_of_another_program(runtime), app, twilio_form(body))

    assert answered.status_code == 503
    assert answered.headers["Retry-After"]
