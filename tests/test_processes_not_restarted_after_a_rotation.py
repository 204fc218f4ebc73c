"""After `keys rotate` with SAUTI_MASTER_KEYS, a web process or worker not yet restarted lacks
the new key. That is the process's fault, not the report's: an emergency waits for a process
that holds the key instead of being set aside, a webhook is answered 503 for the gateway to
retry, and the log names the key it lacks, never any content."""

from __future__ import annotations

import base64
import json
import logging
import os
import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from app.context import runtime_of
from app.logs import JsonFormatter
from storage import Case, Message, Report
from storage.crypto import MissingMasterKeyError
from tests.fixtures.webhooks import send_sms_with, twilio_form, twilio_signature
from tests.helpers import reference_in
from workers import jobs
from workers.jobs import TRIAGE_ATTEMPTS
from workers.runtime import Runtime, bound

EMERGENCY = "Polisi wamemchukua kijana sasa hivi Pumwani"


def new_key(key_id: str) -> str:
    return f"{key_id}:" + base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def rings(make_app) -> tuple[Flask, Flask]:
    """A process started on the ring before the rotation, and one started on the ring after
    it (the new key k3 put first)."""
    old = new_key("k1")
    return make_app(SAUTI_MASTER_KEYS=old), make_app(SAUTI_MASTER_KEYS=f"{new_key('k3')},{old}")


def rotate(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["keys", "rotate", "--yes"])
    assert result.exit_code == 0, result.output
    return result.output


def report_sent_to(app: Flask, text: str = EMERGENCY) -> Report:
    ref = reference_in(send_sms_with(app.test_client(), text).text)
    with runtime_of(app).store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        session.expunge(report)
        return report


def triage_on(runtime: Runtime, *reports: Report) -> None:
    with bound(runtime):
        jobs.triage_reports([str(report.id) for report in reports])


def stored(runtime: Runtime, report_id: uuid.UUID) -> Report:
    with runtime.store.transaction() as session:
        report = session.get_one(Report, report_id)
        session.expunge(report)
        return report


def test_a_worker_lacking_the_new_key_leaves_an_emergency_waiting_for_one_that_holds_it(rings):
    before, after = rings
    report = report_sent_to(before)
    rotate(after)

    for _ in range(TRIAGE_ATTEMPTS + 1):
        with pytest.raises(MissingMasterKeyError):  # the job fails, for RQ and the sweeper to retry
            triage_on(runtime_of(before), report)

    waiting = stored(runtime_of(after), report.id)
    assert (waiting.status, waiting.triage_attempts) == ("received", 0)
    triage_on(runtime_of(after), report)
    with runtime_of(after).store.transaction() as session:
        case = session.scalars(select(Case).where(Case.report_id == report.id)).one()
        assert (case.panel.key, case.report.urgency) == ("emergency-desk", "critical")


def test_a_follow_up_to_a_process_lacking_the_new_key_is_answered_503_and_kept_on_retry(rings):
    before, after = rings
    ref = report_sent_to(before).ref
    rotate(after)
    form = twilio_form(f"{ref} they came back again with guns")
    signed = {"X-Twilio-Signature": twilio_signature(form)}

    refused = before.test_client().post("/channels/twilio/sms", data=form, headers=signed)
    retried = after.test_client().post("/channels/twilio/sms", data=form, headers=signed)

    assert refused.status_code == 503
    assert refused.headers["Retry-After"]
    assert retried.status_code == 200
    with runtime_of(after).store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        assert len(session.scalars(select(Message).where(Message.report_id == report.id)).all()) == 2


def logged(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, object]]:
    """The records of this event as the JSON log lines a deployment writes."""
    formatter = JsonFormatter()
    entries = [json.loads(formatter.format(record)) for record in caplog.records]
    return [entry for entry in entries if str(entry["event"]).startswith(event)]


def test_the_log_names_the_missing_key_and_never_the_report(rings, caplog):
    caplog.set_level(logging.INFO)
    before, after = rings
    reports = [report_sent_to(before), report_sent_to(before, "Askari walimpiga Otieno sasa hivi Gikomba")]
    rotate(after)

    with pytest.raises(MissingMasterKeyError):
        triage_on(runtime_of(before), *reports)

    [batch] = logged(caplog, "triage.batch_failed")
    assert (batch["reason"], batch["key"]) == ("master key 'k3' is not in the key ring", "k3")
    assert [entry["key"] for entry in logged(caplog, "triage.key_missing")] == ["k3", "k3"]
    assert "Pumwani" not in caplog.text
    assert "Otieno" not in caplog.text


def test_a_refused_webhook_logs_the_key_it_lacks(rings, caplog):
    caplog.set_level(logging.INFO)
    before, after = rings
    ref = report_sent_to(before).ref
    rotate(after)

    send_sms_with(before.test_client(), f"{ref} they came back again with guns")

    [refusal] = logged(caplog, "storage.key_missing")
    assert refusal["key"] == "k3"
    assert "guns" not in caplog.text


def test_rotating_to_a_key_put_first_in_the_environment_says_what_it_did(rings):
    before, after = rings
    report_sent_to(before)

    told = rotate(after)

    assert "Re-wrapped 2 data keys with k3" in told
    assert "run this again" not in told
    assert "restart every web process and worker" in told


def test_rotating_with_no_new_key_in_the_environment_says_how_to_add_one(rings):
    before, _ = rings
    report_sent_to(before)

    told = rotate(before)

    assert "Re-wrapped 0 data keys with k1" in told
    assert "put a new id:key first in SAUTI_MASTER_KEYS" in told


def test_a_worker_lacking_the_new_key_leaves_a_follow_up_unread_for_one_that_holds_it(rings):
    before, after = rings
    report = report_sent_to(before, "Askari waliitisha hongo soko la Gikomba")
    triage_on(runtime_of(before), report)
    rotate(after)
    send_sms_with(after.test_client(), f"{report.ref} wamerudi na bunduki sasa hivi wanampiga")

    with pytest.raises(MissingMasterKeyError):
        triage_on(runtime_of(before), report)
    triage_on(runtime_of(after), report)

    assert stored(runtime_of(after), report.id).urgency == "critical"
