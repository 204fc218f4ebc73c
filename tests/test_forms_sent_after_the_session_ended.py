"""A form sent after its session ended (signed out in another tab, or idle too long) is not
kept: the person is told so on the sign-in page, and once signed in comes back to the page the
form was on, not to the address it was sent to."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fixtures.staff import AuthActions, csrf_token_of

NOT_SAVED = "Your session had ended, so what you sent was not saved."


@pytest.fixture
def lead(make_user):
    return make_user("panel_lead")


@pytest.fixture
def case_page(reported_case, lead, auth) -> str:
    ref = reported_case("Askari wanaitisha hongo kila siku sokoni Pumwani")
    auth.sign_in(lead)
    return f"/panel/cases/{ref}"


def _next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


def test_a_note_sent_after_signing_out_elsewhere_leads_back_to_its_case(app, client, case_page, lead):
    token = csrf_token_of(client.get(case_page).get_data(as_text=True))
    other_tab = AuthActions(app.test_client())
    other_tab.sign_in(lead)
    other_tab.post("/sign-out", {}, page="/panel/")

    sent = client.post(f"{case_page}/note", data={"text": "seen the OCS", "csrf_token": token})

    assert sent.status_code == 303
    assert _next_of(sent.headers["Location"]) == case_page
    assert NOT_SAVED in client.get(sent.headers["Location"]).get_data(as_text=True)


def test_a_note_sent_after_the_session_went_idle_leads_back_to_its_case(app, client, case_page):
    token = csrf_token_of(client.get(case_page).get_data(as_text=True))
    with client.session_transaction() as session:
        session["seen"] = 0

    sent = client.post(f"{case_page}/note", data={"text": "seen the OCS", "csrf_token": token})

    assert sent.status_code == 303
    assert _next_of(sent.headers["Location"]) == case_page
    assert NOT_SAVED in client.get(sent.headers["Location"]).get_data(as_text=True)


def test_a_bulk_action_sent_after_signing_out_leads_back_to_the_queue_as_filtered(
    app, client, case_page, lead
):
    token = csrf_token_of(client.get("/panel/?urgency=high").get_data(as_text=True))
    other_tab = AuthActions(app.test_client())
    other_tab.sign_in(lead)
    other_tab.post("/sign-out", {}, page="/panel/")

    sent = client.post(
        "/panel/bulk", data={"action": "acknowledge", "back": "urgency=high", "csrf_token": token}
    )

    assert _next_of(sent.headers["Location"]) == "/panel/?urgency=high"


def test_a_page_asked_for_without_a_session_is_shown_after_signing_in(client, case_page):
    client.post("/sign-out", data={"csrf_token": csrf_token_of(client.get("/panel/").get_data(as_text=True))})

    asked = client.get(f"{case_page}?tab=notes")

    assert _next_of(asked.headers["Location"]) == f"{case_page}?tab=notes"
