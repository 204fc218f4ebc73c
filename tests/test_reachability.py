"""A reporter who said STOP cannot be answered: the desk says so instead of pretending, the API
refuses the reply with a 409, nothing counts as answered, and notes and resolving still work."""

from __future__ import annotations

from storage import OutboundMessage
from storage.reporting.exact import response_times
from tests.helpers import count, report_by_ref

EXTORTION = "Askari wanaitisha hongo kila siku sokoni Gikomba"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def act(client, token: str, ref: str, **body: str | bool):
    return client.post(f"/api/v1/cases/{ref}/actions", json=body, headers=bearer(token))


def test_a_reply_to_a_reporter_who_said_stop_is_a_409_that_changes_nothing(
    reported_case, send_sms, make_user, api_token, client, runtime
):
    ref = reported_case(EXTORTION)
    token = api_token(make_user())
    send_sms("ACHA")
    queued = count(runtime, OutboundMessage)

    answer = act(client, token, ref, action="reply", text="We have spoken to the commander.")

    assert answer.status_code == 409
    assert answer.mimetype == "application/problem+json"
    assert "cannot be reached" in answer.json["detail"]
    case = report_by_ref(runtime, ref).case
    assert case.status == "open"
    assert case.first_response_at is None
    assert count(runtime, OutboundMessage) == queued


def test_notes_and_resolving_still_work_when_the_reporter_cannot_be_reached(
    reported_case, send_sms, make_user, api_token, client
):
    ref = reported_case(EXTORTION)
    token = api_token(make_user("panel_lead"))
    send_sms("STOP")

    assert act(client, token, ref, action="note", text="Reporter said STOP.").status_code == 200
    assert act(client, token, ref, action="resolve", outcome="referred", confirm=True).status_code == 200


def test_the_case_page_shows_a_notice_instead_of_the_reply_box(
    reported_case, send_sms, make_user, auth, client
):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user())
    send_sms("STOP")

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert 'id="unreachable"' in page
    assert 'id="action-reply"' not in page
    assert 'id="action-note"' in page


def test_a_reporter_who_writes_again_can_be_answered_again(
    reported_case, send_sms, make_user, api_token, client
):
    ref = reported_case(EXTORTION)
    token = api_token(make_user())
    send_sms("STOP")
    send_sms(f"{ref} Bado wanaitisha hongo leo")

    answer = act(client, token, ref, action="reply", text="We have spoken to the commander.")

    assert answer.status_code == 200
    assert answer.json["status"] == "responded"
    assert answer.json["reporter_reachable"] is True


def test_a_case_whose_reporter_cannot_be_reached_is_counted_apart_in_response_times(
    reported_case, send_sms, runtime
):
    reported_case(EXTORTION)
    with runtime.store.transaction() as session:
        before = response_times(session, "panel")[0]

    send_sms("STOP")

    with runtime.store.transaction() as session:
        after = response_times(session, "panel")[0]
    assert (before.unreachable, after.unreachable) == (0, 1)
    assert after.first_response.count == 0
