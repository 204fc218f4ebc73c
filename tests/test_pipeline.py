"""After intake: the triage job opens a case on the right panel and the notify job answers
the reporter through the real gateway clients."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import Case, OutboundMessage, Report
from storage.crypto import DecryptionError
from tests.fixtures.stand_ins import GatewayStandIn, serve_gateway, twilio_answer
from tests.fixtures.webhooks import AT_SECRET, TEST_NUMBER, twilio_signature
from tests.helpers import cases, count, lose_queued_jobs, only_report, outbound, reference_in, report_by_ref
from workers import jobs
from workers.gateways import GatewayError
from workers.runtime import bound

# Triage writes to the reporter only when it has news: a report sent to the emergency desk.
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


def test_a_report_is_triaged_into_a_case_with_sla_due_times(send_sms, runtime, run_jobs):
    send_sms("Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia")

    run_jobs()

    report = only_report(runtime)
    [case] = cases(runtime)
    assert report.status == "triaged"
    assert report.category == "arrest_detention"
    assert report.language == "sw"
    assert case.status == "open"
    assert case.acknowledge_due_at > report.received_at
    assert case.resolve_due_at > case.acknowledge_due_at


def test_a_life_in_danger_goes_to_the_emergency_desk(send_sms, runtime, run_jobs):
    send_sms("They are beating him right now at Pumwani, he is bleeding")

    run_jobs()

    [case] = cases(runtime)
    assert case.panel.key == "emergency-desk"
    assert only_report(runtime).urgency == "critical"


def test_the_emergency_acknowledgement_goes_out_through_twilio(send_sms, runtime, run_jobs, twilio_api):
    ref = reference_in(send_sms(EMERGENCY).text)

    run_jobs()

    [request] = twilio_api.requests
    assert request["path"].endswith("/Messages.json")
    assert request["form"]["To"] == [TEST_NUMBER]
    assert ref in request["form"]["Body"][0]
    [message] = outbound(runtime)
    assert message.status == "sent"
    assert message.provider_id
    assert message.provider_id.startswith("SM")


def test_whatsapp_reporters_are_answered_on_whatsapp(send_sms, run_jobs, twilio_api):
    send_sms(EMERGENCY, sender="whatsapp:+254712345678")

    run_jobs()

    assert twilio_api.requests[0]["form"]["To"] == ["whatsapp:+254712345678"]
    assert twilio_api.requests[0]["form"]["From"] == ["whatsapp:+254700000002"]


def test_africastalking_sms_is_stored_and_answered_by_sms(client, runtime, run_jobs, africastalking_api):
    form = {
        "from": "+254733000222",
        "to": "22384",
        "text": "Polisi wanatuzuia kila usiku California",
        "date": "2026-11-26 10:00:00",
        "id": "ATXid_1",
        "linkId": "",
    }

    response = client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
    run_jobs()

    assert response.status_code == 200
    bodies = [r["form"]["message"][0] for r in africastalking_api.requests]
    ref = only_report(runtime).ref
    assert any(ref in body and "imepokelewa" in body for body in bodies)
    assert all(r["form"]["to"] == ["+254733000222"] for r in africastalking_api.requests)
    assert africastalking_api.requests[0]["headers"]["apiKey"] == "test-at-api-key"


def test_africastalking_sms_retry_makes_one_report(client, runtime):
    form = {"from": "+254733000222", "to": "22384", "text": "Polisi wanatuzuia", "id": "ATXid_same"}

    client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
    client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)

    assert only_report(runtime).ref


def test_triage_run_twice_opens_one_case(send_sms, runtime, run_jobs):
    send_sms(EMERGENCY)
    report_id = str(only_report(runtime).id)

    assert jobs.triage_reports([report_id]) == {"triaged": 1, "skipped": 0, "followups_read": 0, "raised": 0}
    assert jobs.triage_reports([report_id]) == {"triaged": 0, "skipped": 1, "followups_read": 0, "raised": 0}
    run_jobs()

    assert count(runtime, Case) == 1
    assert count(runtime, OutboundMessage) == 1


def test_one_job_triages_several_reports_together(send_sms, runtime):
    for sender in ("+254711000001", "+254711000002", "+254711000003"):
        send_sms(EMERGENCY, sender=sender)

    result = jobs.triage_reports(received_report_ids(runtime))

    assert result == {"triaged": 3, "skipped": 0, "followups_read": 0, "raised": 0}
    assert count(runtime, Case) == 3
    assert count(runtime, OutboundMessage) == 3


def test_a_report_that_cannot_be_read_holds_up_no_other_in_its_job(send_sms, runtime):
    unreadable = reference_in(send_sms("Polisi walimpiga mama sokoni Gikomba").text)
    readable = reference_in(send_sms("Askari wanaitisha hongo Eastleigh", sender="+254711000002").text)
    make_unreadable(runtime, unreadable)

    with pytest.raises(DecryptionError):
        jobs.triage_reports(received_report_ids(runtime))

    assert report_by_ref(runtime, readable).status == "triaged"
    assert report_by_ref(runtime, unreadable).status == "received"


def test_a_failed_triage_attempt_is_counted_and_the_report_waits(send_sms, runtime):
    ref = reference_in(send_sms("Polisi walimpiga mama sokoni Gikomba").text)
    make_unreadable(runtime, ref)

    with pytest.raises(DecryptionError):
        jobs.triage_reports(received_report_ids(runtime))

    report = report_by_ref(runtime, ref)
    assert (report.status, report.triage_attempts) == ("received", 1)


def test_a_report_that_keeps_failing_triage_goes_to_a_person_unclassified(send_sms, runtime):
    ref = reference_in(send_sms("Polisi walimpiga mama sokoni Gikomba").text)
    make_unreadable(runtime, ref)
    report_ids = received_report_ids(runtime)
    for _ in range(jobs.TRIAGE_ATTEMPTS - 1):
        with pytest.raises(DecryptionError):
            jobs.triage_reports(report_ids)

    assert jobs.triage_reports(report_ids) == {"set_aside": 1, "followups_read": 0, "raised": 0}

    [case] = cases(runtime)
    assert (case.panel.key, case.route_rule) == (runtime.routing.fallback, "triage-failed")
    assert report_by_ref(runtime, ref).needs_human_review
    assert outbound(runtime) == []


def make_unreadable(runtime, ref: str) -> None:
    with runtime.store.transaction() as session:
        session.scalars(select(Report).where(Report.ref == ref)).one().wrapped_key = None


@pytest.fixture
def flaky_twilio_api() -> Iterator[GatewayStandIn]:
    """Twilio's API, failing its first request with a 500."""
    failures = [True]

    def answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        if failures and failures.pop():
            return 500, {"code": 20500, "message": "Internal Server Error", "status": 500}
        return twilio_answer(path, form)

    yield from serve_gateway(answer)


def test_a_gateway_failure_holds_back_the_rest_of_the_job_through_it_and_fails_it_for_a_retry(
    make_app, send_sms_to, flaky_twilio_api
):
    app = make_app(TWILIO_API_BASE_URL=flaky_twilio_api.url)
    send_sms_to(app.test_client(), EMERGENCY, sender="+254711000001")
    send_sms_to(app.test_client(), EMERGENCY, sender="+254711000002")
    with bound(runtime_of(app)) as runtime:
        jobs.triage_reports(received_report_ids(runtime))
        messages = [str(message.id) for message in outbound(runtime)]

        with pytest.raises(GatewayError):
            jobs.send_outbound_messages(messages)
        assert [message.status for message in outbound(runtime)] == ["pending", "pending"]
        assert len(flaky_twilio_api.requests) == 1

        assert jobs.send_outbound_messages(messages) == {"sent": 2}
    assert [message.status for message in outbound(runtime)] == ["sent", "sent"]
    assert len(flaky_twilio_api.requests) == 3


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_flask_worker_in_burst_triages_and_answers_before_it_exits(send_sms, app_config, runtime, twilio_api):
    send_sms(EMERGENCY)

    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"],
        env=os.environ | app_config,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert only_report(runtime).status == "triaged"
    assert [message.status for message in outbound(runtime)] == ["sent"]
    assert len(twilio_api.requests) == 1


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_plain_rq_runs_the_jobs_with_the_worker_class(send_sms, app_config, runtime, twilio_api):
    send_sms(EMERGENCY)
    rq_worker = [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", app_config["REDIS_URL"]]

    subprocess.run(
        [*rq_worker, "--worker-class", "workers.worker.Worker", "triage", "notify", "maintenance"],
        env=os.environ | app_config,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert only_report(runtime).status == "triaged"
    assert [message.status for message in outbound(runtime)] == ["sent"]


def received_report_ids(runtime) -> list[str]:
    with runtime.store.transaction() as session:
        return [str(i) for i in session.scalars(select(Report.id).where(Report.status == "received"))]


def test_the_sweeper_requeues_reports_whose_job_was_lost(send_sms, runtime, run_jobs):
    send_sms("Polisi walimpiga mama sokoni Gikomba")
    lose_queued_jobs(runtime)

    assert jobs.sweep_received() == 1
    run_jobs()

    assert only_report(runtime).status == "triaged"
    assert count(runtime, Case) == 1


def test_one_sweep_requeues_a_backlog_larger_than_its_batch_each_report_once(
    send_sms, runtime, run_jobs, monkeypatch
):
    monkeypatch.setattr(jobs, "SWEEP_BATCH", 2)
    for n in range(5):
        send_sms(f"Polisi walimpiga mama sokoni Gikomba ({n})", sender=f"+25471234560{n}")
    lose_queued_jobs(runtime)

    assert jobs.sweep_received() == 5
    run_jobs()

    assert count(runtime, Case) == 5
    assert received_report_ids(runtime) == []


def test_the_sweeper_requeues_unsent_messages(send_sms, runtime, run_jobs, twilio_api):
    send_sms(EMERGENCY)
    jobs.triage_reports([str(only_report(runtime).id)])
    lose_queued_jobs(runtime)

    assert jobs.sweep_outbox() == 1
    run_jobs()

    assert [m.status for m in outbound(runtime)] == ["sent"]
    assert len(twilio_api.requests) == 1


def test_delivery_status_callbacks_are_recorded(send_sms, client, runtime, run_jobs):
    send_sms(EMERGENCY)
    run_jobs()
    [message] = outbound(runtime)
    form = {"MessageSid": message.provider_id, "MessageStatus": "delivered", "AccountSid": "AC" + "1" * 32}

    response = client.post(
        "/channels/twilio/status",
        data=form,
        headers={"X-Twilio-Signature": twilio_signature(form, path="/channels/twilio/status")},
    )

    assert response.status_code == 204
    assert outbound(runtime)[0].status == "delivered"


def test_unsigned_delivery_callback_is_refused(client, runtime):
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "MessageStatus": "delivered"}

    assert client.post("/channels/twilio/status", data=form).status_code == 403


def test_an_ordinary_report_is_acknowledged_once_in_the_webhook_answer(send_sms, run_jobs, twilio_api):
    assert "ripoti imepokelewa" in send_sms("Askari wanaitisha hongo kila siku sokoni Gikomba").text

    run_jobs()

    assert twilio_api.requests == []


def test_a_report_by_africastalking_is_acknowledged_by_one_sms(client, run_jobs, africastalking_api):
    form = {"from": "+254733000222", "to": "22384", "text": "Polisi wanatuzuia", "id": "ATXid_once"}
    client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)

    run_jobs()

    assert len(africastalking_api.requests) == 1
