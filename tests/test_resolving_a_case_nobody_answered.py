"""Resolving tells the reporter their report is closed and asks them to rate it. A case nobody
answered is resolved only when the lead says they mean it (a box to tick, no script needed):
one tap is refused, the page drawn again says why, and nothing is sent. The outcome is chosen,
never preselected."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from storage import Case, Report
from tests.helpers import outbound

CASE_PAGE = "/panel/cases/{ref}"


def status_of(runtime, ref: str) -> str:
    with runtime.store.transaction() as session:
        return session.scalars(select(Case.status).join(Case.report).where(Report.ref == ref)).one()


def resolve(auth, ref: str, fields: dict[str, str]):
    page = CASE_PAGE.format(ref=ref)
    return auth.post(f"{page}/resolve", fields, page=page)


def test_resolving_a_case_nobody_answered_without_confirming_is_refused_and_sends_nothing(
    reported_case, make_user, auth, runtime
):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))
    sent = len(outbound(runtime))

    answer = resolve(auth, ref, {"outcome": "referred"})

    assert answer.status_code == 400
    page = unescape(answer.get_data(as_text=True))
    assert "the reporter was never answered" in page
    assert 'name="confirm"' in page
    assert status_of(runtime, ref) == "open"
    assert len(outbound(runtime)) == sent


def test_resolving_a_case_nobody_answered_once_confirmed_closes_it_and_asks_for_a_rating(
    reported_case, make_user, auth, runtime
):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    answer = resolve(auth, ref, {"outcome": "referred", "confirm": "1"})

    assert answer.status_code == 303
    assert status_of(runtime, ref) == "resolved"
    assert outbound(runtime)[-1].kind == "resolution"


def test_an_answered_case_resolves_without_a_box_to_tick(
    reported_case, answered_by_panel, make_user, auth, client, runtime
):
    ref = reported_case()
    answered_by_panel(ref)
    auth.sign_in(make_user("panel_lead"))
    assert 'name="confirm"' not in client.get(CASE_PAGE.format(ref=ref)).get_data(as_text=True)

    answer = resolve(auth, ref, {"outcome": "answered"})

    assert answer.status_code == 303
    assert status_of(runtime, ref) == "resolved"


def test_the_outcome_is_not_preselected(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    page = client.get(CASE_PAGE.format(ref=ref)).get_data(as_text=True)

    outcome = re.search(r'<select id="resolve-outcome" name="outcome" required>(.*?)</select>', page, re.S)
    assert outcome, "the outcome is not a choice that must be made"
    assert re.findall(r"<option [^>]*selected", outcome.group(1)) == ['<option value="" selected']


def test_resolving_with_no_outcome_chosen_is_refused(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    answer = resolve(auth, ref, {"outcome": "", "confirm": "1"})

    assert answer.status_code == 400
    assert status_of(runtime, ref) == "open"


def test_the_api_resolves_a_case_nobody_answered_only_with_confirm(
    reported_case, make_user, api_token, client, runtime
):
    ref = reported_case()
    lead = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}
    url = f"/api/v1/cases/{ref}/actions"

    resolve = {"action": "resolve", "outcome": "referred"}

    refused = client.post(url, json=resolve, headers=lead)
    confirmed = client.post(url, json={**resolve, "confirm": True}, headers=lead)

    assert refused.status_code == 400
    assert "never answered" in refused.json["detail"]
    assert confirmed.status_code == 200
    assert status_of(runtime, ref) == "resolved"


def test_resolving_in_bulk_leaves_a_case_nobody_answered_open_unless_confirmed(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    answer = auth.post(
        "/panel/bulk", {"action": "resolve", "outcome": "referred", "refs": ref}, page="/panel/"
    )

    assert answer.status_code == 303
    assert f"{ref}: the reporter was never answered" in unescape(client.get("/panel/").get_data(as_text=True))
    assert status_of(runtime, ref) == "open"


def test_resolving_in_bulk_with_confirm_resolves_a_case_nobody_answered(
    reported_case, make_user, auth, runtime
):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    auth.post(
        "/panel/bulk",
        {"action": "resolve", "outcome": "referred", "confirm": "1", "refs": ref},
        page="/panel/",
    )

    assert status_of(runtime, ref) == "resolved"
