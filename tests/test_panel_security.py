"""What the panel pages must never do: run a reporter's markup, accept a forged form, show
another panel's case, show text to auditors, or leak the reporter's number."""

from __future__ import annotations

import logging

from sqlalchemy import select

from storage.models import AuditEvent
from tests.fixtures.webhooks import TEST_NUMBER

NUMBER_FORMS = (TEST_NUMBER, TEST_NUMBER.lstrip("+"), "0" + TEST_NUMBER[4:], TEST_NUMBER[4:])


EVERY_DESK = ("police-accountability", "emergency-desk", "feedback-desk", "translation-desk")


def test_a_script_in_a_report_renders_as_text(reported_case, make_user, auth, client):
    ref = reported_case("<script>alert('x')</script> askari wanaitisha hongo Gikomba")
    auth.sign_in(make_user("panel_member", EVERY_DESK))

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_an_image_with_onerror_in_a_report_renders_as_text(reported_case, make_user, auth, client):
    ref = reported_case('<img src=x onerror="alert(1)"> askari wanaitisha hongo Gikomba')
    auth.sign_in(make_user("panel_member", EVERY_DESK))

    response = client.get(f"/panel/cases/{ref}")

    assert "<img src=x" not in response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_form_posted_without_its_csrf_token_is_refused(reported_case, make_user, auth, client, runtime):
    ref = reported_case()
    auth.sign_in(make_user())

    response = client.post(f"/panel/cases/{ref}/acknowledge", data={})

    assert response.status_code == 400
    with runtime.store.transaction() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "case.acknowledged")) is None


def test_a_member_of_another_panel_gets_404_for_the_case(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_member", ("peace-committee",)))

    assert client.get(f"/panel/cases/{ref}").status_code == 404


def test_a_member_of_another_panel_cannot_act_on_the_case(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_member", ("peace-committee",)))

    response = auth.post(f"/panel/cases/{ref}/acknowledge", {}, page="/panel/")

    assert response.status_code == 404


def test_an_auditor_cannot_open_the_panel_pages(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("auditor", ()))

    assert client.get("/panel/").status_code == 403
    assert client.get(f"/panel/cases/{ref}").status_code == 403


def test_every_case_view_and_action_is_in_the_audit_log(reported_case, make_user, auth, client, runtime):
    ref = reported_case()
    lead = make_user("panel_lead")
    auth.sign_in(lead)
    case_page = f"/panel/cases/{ref}"

    client.get(case_page)
    auth.post(f"{case_page}/acknowledge", {}, page=case_page)
    auth.post(f"{case_page}/note", {"text": "called"}, page=case_page)
    auth.post(f"{case_page}/reply", {"text": "We are on it"}, page=case_page)
    auth.post(f"{case_page}/reclassify", {"urgency": "high"}, page=case_page)
    auth.post(f"{case_page}/reveal", {"reason": "verify"}, page=case_page)
    auth.post(f"{case_page}/assign", {"assignee": lead.email}, page=case_page)
    auth.post(f"{case_page}/resolve", {"outcome": "answered"}, page=case_page)

    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.actor == f"user:{lead.id}")).all()
    actions = [e.action for e in events]
    for expected in (
        "case.acknowledged",
        "case.note_added",
        "case.replied",
        "case.reclassified",
        "case.text_revealed",
        "case.assigned",
        "case.resolved",
    ):
        assert expected in actions
    assert actions.count("case.viewed") >= 8


def test_the_reporters_number_appears_in_no_page_api_answer_or_log(
    reported_case, make_user, auth, client, api_token, run_jobs, caplog, runtime
):
    caplog.set_level(logging.DEBUG)
    ref = reported_case("Askari wanaitisha hongo kila siku Gikomba")
    lead = make_user("panel_lead")
    auth.sign_in(lead)
    case_page = f"/panel/cases/{ref}"
    bodies = [client.get("/panel/").get_data(as_text=True), client.get(case_page).get_data(as_text=True)]
    auth.post(f"{case_page}/acknowledge", {}, page=case_page)
    auth.post(f"{case_page}/reply", {"text": "Tunafuatilia"}, page=case_page)
    bodies.append(
        auth.post(f"{case_page}/reveal", {"reason": "check"}, page=case_page).get_data(as_text=True)
    )
    run_jobs()
    headers = {"Authorization": f"Bearer {api_token(lead)}"}
    bodies.append(client.get("/api/v1/cases", headers=headers).get_data(as_text=True))
    bodies.append(client.get(f"/api/v1/cases/{ref}", headers=headers).get_data(as_text=True))

    logged = "\n".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    with runtime.store.transaction() as session:
        logged += "\n".join(f"{e.actor} {e.subject} {e.details}" for e in session.scalars(select(AuditEvent)))
    for number in NUMBER_FORMS:
        assert all(number not in body for body in bodies)
        assert number not in logged
