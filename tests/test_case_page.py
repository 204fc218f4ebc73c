"""The case page: the assignee shown and preselected, reopening, a timeline of what was done
with the views summed up, no stale confidence after a person reclassified, reveal that
redirects, and reply templates in the reporter's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from storage.casework.templates import save_template
from storage.models import AuditEvent, Panel, Report, User
from tests.helpers import report_by_ref

EXTORTION = "Askari wanaitisha hongo kila siku sokoni Gikomba"


def test_the_assignee_is_shown_and_preselected(reported_case, make_user, auth, client):
    ref = reported_case(EXTORTION)
    member = make_user("panel_member")
    auth.sign_in(make_user("panel_lead"))

    auth.post(f"/panel/cases/{ref}/assign", {"assignee": member.email}, page=f"/panel/cases/{ref}")
    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert re.search(rf'id="assignee">{re.escape(member.email)}<', page)
    assert f'<option value="{member.email}" selected>' in page


def test_a_lead_reopens_a_resolved_case_and_it_is_audited(reported_case, make_user, auth, runtime):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user("panel_lead"))
    auth.post(
        f"/panel/cases/{ref}/resolve", {"outcome": "referred", "confirm": "1"}, page=f"/panel/cases/{ref}"
    )

    auth.post(
        f"/panel/cases/{ref}/reopen", {"reason": "The reporter wrote again"}, page=f"/panel/cases/{ref}"
    )

    case = report_by_ref(runtime, ref).case
    assert case.status == "acknowledged"
    assert case.resolved_at is None
    assert case.outcome is None
    assert case.resolve_due_at > datetime.now(UTC)
    with runtime.store.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.reopened")).one()
    assert event.details["outcome"] == "referred"
    assert "wrote again" not in str(event.details)


def test_a_member_may_not_reopen(reported_case, make_user, api_token, auth, client, runtime):
    ref = reported_case(EXTORTION)
    lead = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}
    client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "resolve", "outcome": "referred", "confirm": True},
        headers=lead,
    )
    auth.sign_in(make_user("panel_member"))

    response = auth.post(f"/panel/cases/{ref}/reopen", {"reason": "x"}, page=f"/panel/cases/{ref}")

    assert response.status_code == 403
    assert report_by_ref(runtime, ref).case.status == "resolved"


def test_views_are_summed_up_while_the_chain_keeps_each(reported_case, make_user, auth, client, runtime):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user("panel_member"))
    for _ in range(2):
        client.get(f"/panel/cases/{ref}")

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    timeline = page.split('id="timeline-h"', 1)[1]
    assert "Viewed 3 times, by 1 person" in timeline
    assert timeline.count("<strong>viewed</strong>") == 0
    assert "case opened" in timeline
    with runtime.store.transaction() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all()
    assert len(views) == 3


def test_after_reclassifying_the_models_confidence_is_not_shown(reported_case, make_user, auth, client):
    ref = reported_case(EXTORTION)
    member = make_user("panel_member")
    auth.sign_in(member)
    before = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    auth.post(f"/panel/cases/{ref}/reclassify", {"category": "violence_abuse"}, page=f"/panel/cases/{ref}")
    after = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "model's confidence" in before
    assert "confidence" not in after
    assert f"set by {member.email}" in after


def test_a_report_waiting_for_translation_says_so_in_the_queue_and_on_its_page(
    reported_case, make_user, auth, client
):
    ref = reported_case("Booliisku waxay iga qaateen lacag suuqa Eastleigh shalay")
    auth.sign_in(make_user("panel_member", ("translation-desk",)))

    queue = client.get("/panel/").get_data(as_text=True)
    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "needs translation" in queue
    assert 'id="needs-translation"' in page


def test_reclassifying_settles_what_triage_was_unsure_of(
    reported_case, make_user, auth, client, api_token, runtime
):
    ref = reported_case(EXTORTION)
    with runtime.store.transaction() as session:
        session.scalars(select(Report).where(Report.ref == ref)).one().needs_human_review = True
    member = make_user("panel_member")
    auth.sign_in(member)
    token = {"Authorization": f"Bearer {api_token(member)}"}
    before = client.get(f"/api/v1/cases/{ref}", headers=token).get_json()

    auth.post(f"/panel/cases/{ref}/reclassify", {"category": "violence_abuse"}, page=f"/panel/cases/{ref}")
    after = client.get(f"/api/v1/cases/{ref}", headers=token).get_json()

    assert before["needs_human_review"] is True
    assert after["needs_human_review"] is False


def test_the_unredacted_text_stays_open_for_minutes_only(reported_case, make_user, auth, client):
    ref = reported_case("Jina langu ni Amina Hassan, askari wanaitisha hongo kila siku Gikomba")
    auth.sign_in(make_user())
    answer = auth.post(f"/panel/cases/{ref}/reveal", {"reason": "To call back"}, page=f"/panel/cases/{ref}")

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=11)):
        later = client.get(answer.location).get_data(as_text=True)

    assert answer.status_code == 303
    assert answer.location.endswith("unredacted=1")
    assert "Amina Hassan" not in later


def test_a_template_fills_the_reply_in_the_reporters_language(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case("Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia")
    admin = make_user("admin", ())
    with runtime.store.transaction() as session:
        template = save_template(
            session,
            admin.id,
            "police-accountability",
            "Written to the OCS",
            "We wrote to the OCS.",
            "Tumemwandikia OCS.",
        )
    auth.sign_in(make_user("panel_member", ("police-accountability", "emergency-desk")))

    offered = client.get(f"/panel/cases/{ref}").get_data(as_text=True)
    filled = client.get(f"/panel/cases/{ref}?template={template.id}").get_data(as_text=True)

    assert "Written to the OCS" in offered
    assert re.search(r'<textarea id="reply-text"[^>]*>Tumemwandikia OCS.</textarea>', filled)


def test_the_case_page_reads_in_kiswahili(reported_case, make_user, auth, client, runtime):
    ref = reported_case(EXTORTION)
    account = make_user("panel_member")
    with runtime.store.transaction() as session:
        session.get_one(User, account.id).language = "sw"
        police = session.scalars(select(Panel).where(Panel.key == "police-accountability")).one()
        name_sw = police.name_sw
    auth.sign_in(account)

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert name_sw in page
    assert "Kiswahili" in page
    assert "kesi imefunguliwa" in page
    assert "Imeonwa mara 1, na mtu 1" in page
