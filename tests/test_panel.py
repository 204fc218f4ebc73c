"""Panel members work cases in the browser: the queue, a case, and each action on it."""

from __future__ import annotations

from sqlalchemy import select

from storage import Case, CaseNote, Correction, Report, StaffNotice, Transfer
from storage.models import AuditEvent
from tests.fixtures.webhooks import TEST_NUMBER
from tests.helpers import outbound, report_by_ref


def case_of(runtime, ref: str) -> Case:
    with runtime.store.transaction() as session:
        found = session.scalars(select(Case).join(Case.report).where(Report.ref == ref)).one()
        found.panel  # noqa: B018
        return found


def test_a_new_report_appears_in_its_panels_queue(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_member", ("police-accountability",)))

    page = client.get("/panel/").get_data(as_text=True)

    assert ref in page


def test_a_case_on_another_panel_is_not_in_the_queue(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_member", ("peace-committee",)))

    page = client.get("/panel/").get_data(as_text=True)

    assert ref not in page


def test_the_queue_lists_critical_cases_before_others(reported_case, make_user, auth, client):
    routine = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    critical = reported_case("They are beating him right now at Pumwani, he is bleeding")
    auth.sign_in(make_user("panel_member", ("police-accountability", "emergency-desk")))

    page = client.get("/panel/").get_data(as_text=True)

    assert page.index(critical) < page.index(routine)


def test_the_queue_filters_by_urgency(reported_case, make_user, auth, client):
    routine = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    critical = reported_case("They are beating him right now at Pumwani, he is bleeding")
    auth.sign_in(make_user("panel_member", ("police-accountability", "emergency-desk")))

    page = client.get("/panel/?urgency=critical").get_data(as_text=True)

    assert critical in page
    assert routine not in page


def test_the_case_page_shows_the_redacted_text_and_its_classification(reported_case, make_user, auth, client):
    ref = reported_case(
        "Jina langu ni Amina Hassan, askari wanaitisha hongo kila siku Gikomba, nipigie 0722000111"
    )
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "hongo" in page
    assert "confidence" in page
    assert "Amina" not in page
    assert "0722000111" not in page


def test_acknowledging_changes_the_status_and_tells_the_reporter(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user())

    auth.post(f"/panel/cases/{ref}/acknowledge", {}, page=f"/panel/cases/{ref}")

    case = case_of(runtime, ref)
    assert case.status == "acknowledged"
    assert case.acknowledged_at is not None
    assert [m.kind for m in outbound(runtime)] == ["acknowledgement_panel"]


def test_the_first_reply_reaches_the_reporter_by_sms_and_starts_the_response_time(
    reported_case, make_user, auth, runtime, run_jobs, twilio_api
):
    ref = reported_case()
    auth.sign_in(make_user())

    auth.post(
        f"/panel/cases/{ref}/reply", {"text": "We have written to the OCS."}, page=f"/panel/cases/{ref}"
    )
    run_jobs()

    case = case_of(runtime, ref)
    assert case.status == "responded"
    assert case.first_response_at is not None
    last = twilio_api.requests[-1]["form"]
    assert last["To"] == [TEST_NUMBER]
    assert "We have written to the OCS." in last["Body"][0]


def test_a_reply_is_written_to_the_reporter_in_their_language(
    reported_case, make_user, auth, run_jobs, twilio_api
):
    ref = reported_case("Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia")
    auth.sign_in(make_user("panel_member", ("police-accountability", "emergency-desk")))

    auth.post(f"/panel/cases/{ref}/reply", {"text": "Tumewasiliana na kituo."}, page=f"/panel/cases/{ref}")
    run_jobs()

    assert twilio_api.requests[-1]["form"]["Body"][0] == f"Sauti {ref}: Tumewasiliana na kituo."


def test_the_reply_shows_in_the_thread_after_the_reporters_message(reported_case, make_user, auth, client):
    ref = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    auth.sign_in(make_user())

    auth.post(f"/panel/cases/{ref}/reply", {"text": "Tunafuatilia."}, page=f"/panel/cases/{ref}")

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)
    assert page.index("hongo") < page.index("Tunafuatilia.")


def test_a_reporters_follow_up_lands_in_the_thread(reported_case, send_sms, make_user, auth, client):
    ref = reported_case()
    send_sms(f"{ref} walikuja tena leo asubuhi")
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "walikuja tena leo asubuhi" in page


def test_a_lead_resolves_a_case_and_the_reporter_is_asked_to_rate(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    auth.post(
        f"/panel/cases/{ref}/resolve", {"outcome": "referred", "confirm": "1"}, page=f"/panel/cases/{ref}"
    )

    case = case_of(runtime, ref)
    assert case.status == "resolved"
    assert case.outcome == "referred"
    assert outbound(runtime)[-1].kind == "resolution"


def test_a_member_may_not_resolve_a_case(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user("panel_member"))

    response = auth.post(
        f"/panel/cases/{ref}/resolve", {"outcome": "referred", "confirm": "1"}, page=f"/panel/cases/{ref}"
    )

    assert response.status_code == 403
    assert case_of(runtime, ref).status == "open"


def test_a_note_is_kept_encrypted_and_shown_to_the_panel(reported_case, make_user, auth, client, runtime):
    ref = reported_case()
    auth.sign_in(make_user())

    auth.post(f"/panel/cases/{ref}/note", {"text": "Called the ward officer"}, page=f"/panel/cases/{ref}")

    with runtime.store.transaction() as session:
        [note] = session.scalars(select(CaseNote)).all()
        assert b"ward officer" not in note.body
    assert "Called the ward officer" in client.get(f"/panel/cases/{ref}").get_data(as_text=True)


def test_reclassifying_keeps_a_correction_without_the_text(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user())

    auth.post(
        f"/panel/cases/{ref}/reclassify",
        {"category": "violence_abuse", "urgency": "high"},
        page=f"/panel/cases/{ref}",
    )

    report = report_by_ref(runtime, ref)
    with runtime.store.transaction() as session:
        corrections = {c.field: (c.old_value, c.new_value) for c in session.scalars(select(Correction))}
    assert report.category == "violence_abuse"
    assert report.urgency == "high"
    assert corrections["category"][1] == "violence_abuse"
    assert corrections["urgency"][1] == "high"
    assert {c.name for c in Correction.__table__.columns}.isdisjoint({"text", "body"})


def test_transferring_moves_the_case_with_its_reason_sealed(reported_case, make_user, auth, runtime, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    response = auth.post(
        f"/panel/cases/{ref}/transfer",
        {"panel": "emergency-desk", "reason": "Threats against the family"},
        page=f"/panel/cases/{ref}",
    )

    case = case_of(runtime, ref)
    assert response.status_code == 303
    assert response.location.endswith("/panel/")
    assert case.panel.key == "emergency-desk"
    with runtime.store.transaction() as session:
        transfer = session.scalars(select(Transfer)).one()
        note = session.get_one(CaseNote, transfer.reason_note_id)
        assert not transfer.escalation
        assert b"Threats" not in note.body
    assert client.get(f"/panel/cases/{ref}").status_code == 404


def test_a_member_escalates_one_step_up_restarting_the_clock_and_the_leads_are_told(
    reported_case, make_user, auth, runtime
):
    ref = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    lead = make_user("panel_lead")
    auth.sign_in(make_user("panel_member"))
    before = case_of(runtime, ref)

    auth.post(f"/panel/cases/{ref}/escalate", {"reason": "They came back armed"}, page=f"/panel/cases/{ref}")

    case = case_of(runtime, ref)
    report = report_by_ref(runtime, ref)
    assert report.urgency == "high"
    assert case.panel.key == "police-accountability"
    assert case.escalation_level == 1
    assert not case.overdue
    assert case.acknowledge_due_at < before.acknowledge_due_at
    with runtime.store.transaction() as session:
        notices = session.scalars(select(StaffNotice)).all()
        assert [(n.user_id, n.kind) for n in notices] == [(lead.id, "case.escalated")]
        assert "Gikomba" not in notices[0].subject
        assert ref in notices[0].subject


def test_escalating_goes_to_the_fallback_panel_only_when_chosen(reported_case, make_user, auth, runtime):
    ref = reported_case("Vijana wanaajiriwa na kundi hatari mtaani Pumwani, tunaogopa")
    auth.sign_in(make_user("panel_lead", ("peace-committee",)))

    auth.post(
        f"/panel/cases/{ref}/escalate",
        {"reason": "Beyond what we can do", "fallback": "1"},
        page=f"/panel/cases/{ref}",
    )

    case = case_of(runtime, ref)
    assert case.panel.key == runtime.routing.fallback
    with runtime.store.transaction() as session:
        assert session.scalars(select(Transfer)).one().escalation


def test_assigning_to_someone_outside_the_panel_is_refused(reported_case, make_user, auth, runtime):
    ref = reported_case()
    outsider = make_user("panel_member", ("peace-committee",))
    auth.sign_in(make_user("panel_lead"))

    auth.post(f"/panel/cases/{ref}/assign", {"assignee": outsider.email}, page=f"/panel/cases/{ref}")

    assert case_of(runtime, ref).assigned_user_id is None


def test_a_lead_assigns_a_case_to_a_member_of_its_panel(reported_case, make_user, auth, runtime):
    ref = reported_case()
    member = make_user("panel_member")
    auth.sign_in(make_user("panel_lead"))

    auth.post(f"/panel/cases/{ref}/assign", {"assignee": member.email}, page=f"/panel/cases/{ref}")

    assert case_of(runtime, ref).assigned_user_id == member.id


def test_revealing_the_unredacted_text_is_logged_with_a_sealed_reason(
    reported_case, make_user, auth, runtime, client
):
    ref = reported_case("Jina langu ni Amina Hassan, askari wanaitisha hongo kila siku Gikomba")
    auth.sign_in(make_user())

    answer = auth.post(
        f"/panel/cases/{ref}/reveal", {"reason": "Need the name to call back"}, page=f"/panel/cases/{ref}"
    )
    page = client.get(answer.location)

    assert answer.status_code == 303
    assert "Amina Hassan" in page.get_data(as_text=True)
    with runtime.store.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.text_revealed")).one()
        assert "call back" not in str(event.details)


def test_the_queue_shows_the_time_left_on_each_sla_clock(reported_case, make_user, auth, client):
    reported_case()
    auth.sign_in(make_user())

    page = client.get("/panel/").get_data(as_text=True)

    assert " left" in page or "overdue by" in page


def test_pages_and_their_stylesheet_stay_under_100_kb(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    sizes = [len(client.get(path).data) for path in ("/panel/", f"/panel/cases/{ref}")]
    stylesheet = len(client.get("/static/sauti.css").data)

    assert all(size + stylesheet < 100 * 1024 for size in sizes)


def test_a_reply_that_would_need_two_sms_is_refused_with_the_reason(
    reported_case, make_user, api_token, client
):
    ref = reported_case()
    token = api_token(make_user())
    # Well under the field's length, but one character outside GSM-7 makes one SMS hold 70.
    too_long = ("Tumewasiliana na mkuu wa kituo cha polisi. " * 2)[:80] + "ŋ"

    answer = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "reply", "text": too_long},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert answer.status_code == 400
    assert "must fit one SMS" in answer.json["detail"]
    assert "limit is 70" in answer.json["detail"]


def test_the_reply_box_counts_the_sms_it_becomes(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert 'data-sms-counter="reply-text-count"' in page
    assert 'id="reply-text-count"' in page
    assert "reply-counter.js" in page
