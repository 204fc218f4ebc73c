"""Triage reads what a reporter writes after the first message: a follow-up that tells of more
danger raises the case, one that tells of none changes nothing, and none is lost or read twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage import AuditEvent, Message
from storage.models import StaffNotice, utcnow
from tests.helpers import cases, lose_queued_jobs, outbound, reference_in, report_by_ref
from workers import jobs

DANGER_NOW = "Sasa hivi wamerudi na wanampiga kijana wangu na rungu, tafadhali saidieni"


def events(runtime, action: str) -> list[AuditEvent]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def unread_followups(runtime) -> int:
    with runtime.store.transaction() as session:
        return len(session.scalars(select(Message.id).where(Message.awaiting_triage.is_(True))).all())


def test_a_follow_up_telling_of_danger_now_makes_the_case_critical(
    reported_case, send_sms, runtime, run_jobs
):
    ref = reported_case()
    [before] = cases(runtime)

    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()

    [case] = cases(runtime)
    assert report_by_ref(runtime, ref).urgency == "critical"
    assert case.acknowledge_due_at < before.acknowledge_due_at
    assert case.acknowledge_due_at <= utcnow() + timedelta(minutes=15)


def test_a_case_made_critical_goes_to_the_emergency_desk_unassigned(
    reported_case, send_sms, runtime, run_jobs, make_user, client, api_token
):
    ref = reported_case()
    member = make_user("panel_member", ("police-accountability",))
    lead = {"Authorization": f"Bearer {api_token(make_user('panel_lead', ('police-accountability',)))}"}
    assigned = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "assign", "assignee": member.email}, headers=lead
    )
    assert assigned.status_code == 200, assigned.json

    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()

    [case] = cases(runtime)
    assert case.panel.key == "emergency-desk"
    assert case.assigned_user_id is None
    [raised] = events(runtime, "case.raised_by_reporter")
    assert (raised.details["from_panel"], raised.details["to_panel"]) == (
        "police-accountability",
        "emergency-desk",
    )


def test_the_reporter_hears_their_case_is_now_an_emergency(reported_case, send_sms, runtime, run_jobs):
    ref = reported_case()

    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()

    assert [message.kind for message in outbound(runtime)] == ["acknowledgement_critical"]


def test_the_leads_of_the_panel_that_now_holds_it_are_told(
    reported_case, send_sms, runtime, run_jobs, make_user
):
    ref = reported_case()
    desk_lead = make_user("panel_lead", ("emergency-desk",))

    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()

    with runtime.store.transaction() as session:
        notices = session.scalars(select(StaffNotice).where(StaffNotice.kind == "case.raised")).all()
        assert [notice.user_id for notice in notices] == [desk_lead.id]
        assert ref in notices[0].subject


def test_the_raise_is_audited_without_the_follow_ups_text(reported_case, send_sms, runtime, run_jobs):
    ref = reported_case()

    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()

    [raised] = events(runtime, "case.raised_by_reporter")
    assert (raised.details["from_urgency"], raised.details["to_urgency"]) == ("normal", "critical")
    assert "rungu" not in json.dumps(raised.details)


@pytest.mark.parametrize("calm", ["asante sana kwa msaada", "Thank you, we are fine now"])
def test_a_follow_up_telling_of_no_more_danger_changes_nothing(
    calm, reported_case, send_sms, runtime, run_jobs
):
    ref = reported_case()
    [before] = cases(runtime)

    send_sms(f"{ref} {calm}")
    run_jobs()

    [case] = cases(runtime)
    assert report_by_ref(runtime, ref).urgency == "normal"
    assert (case.panel.key, case.acknowledge_due_at) == (before.panel.key, before.acknowledge_due_at)
    assert events(runtime, "case.raised_by_reporter") == []
    assert unread_followups(runtime) == 0


def test_a_follow_up_never_makes_a_case_less_urgent(reported_case, send_sms, runtime, run_jobs):
    ref = reported_case(DANGER_NOW)

    send_sms(f"{ref} asante, tuko salama sasa")
    run_jobs()

    assert report_by_ref(runtime, ref).urgency == "critical"
    assert cases(runtime)[0].panel.key == "emergency-desk"


def test_a_follow_up_sent_before_triage_is_read_with_the_first_message(send_sms, runtime, run_jobs):
    ref = reference_in(send_sms("Askari wamemshika kijana wetu Eastleigh").text)

    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()

    [opened] = events(runtime, "case.opened")
    assert opened.details["urgency"] == "critical"
    assert events(runtime, "case.raised_by_reporter") == []
    assert unread_followups(runtime) == 0


def test_a_follow_up_whose_job_was_lost_is_found_by_the_sweeper(reported_case, send_sms, runtime, run_jobs):
    ref = reported_case()
    send_sms(f"{ref} {DANGER_NOW}")
    lose_queued_jobs(runtime)

    assert jobs.sweep_received() == 1
    run_jobs()

    assert report_by_ref(runtime, ref).urgency == "critical"
    assert jobs.sweep_received() == 0


def test_a_follow_up_is_read_once_however_often_its_job_runs(reported_case, send_sms, runtime, run_jobs):
    ref = reported_case()
    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()
    report_id = str(report_by_ref(runtime, ref).id)

    assert jobs.triage_reports([report_id]) == {"triaged": 0, "skipped": 1, "followups_read": 0, "raised": 0}
    assert len(events(runtime, "case.raised_by_reporter")) == 1
    assert len(outbound(runtime)) == 1


def test_the_case_page_tells_the_panel_the_reporter_made_it_more_urgent(
    reported_case, send_sms, run_jobs, make_user, auth, client
):
    ref = reported_case()
    send_sms(f"{ref} {DANGER_NOW}")
    run_jobs()
    auth.sign_in(make_user("panel_member", ("emergency-desk",)))

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "made more urgent by the reporter&#39;s new message" in page
