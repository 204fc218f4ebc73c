"""The queue's filters name only what exists, the same way in the web queue and the API: a
ward or a panel that is none of those the reader's queue can show is a 400 naming the
parameter and the choices, and every flag takes the same words for yes and no. A bulk action
with no case selected says so."""

from __future__ import annotations

from html import unescape

import pytest

from app.api.openapi import document
from storage.typed_values import NO, YES
from tests.fixtures.staff import csrf_token_of

WARDS = "Airbase, California, Eastleigh North, Eastleigh South, Pumwani, unknown"


@pytest.fixture
def api(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_member'))}"}
    return lambda query: client.get(f"/api/v1/cases?{query}", headers=headers)


@pytest.fixture
def lead(make_user, auth):
    account = make_user("panel_lead", ("police-accountability", "emergency-desk"))
    auth.sign_in(account)
    return account


def listed(answer) -> list[str]:
    assert answer.status_code == 200, answer.json
    return [case["ref"] for case in answer.json["cases"]]


def test_an_unknown_ward_is_a_400_naming_the_parameter_and_the_wards(api):
    answer = api("ward=Nowhere")

    assert answer.status_code == 400
    assert answer.json["detail"] == f"ward must be one of {WARDS}"


@pytest.mark.parametrize("panel", ["nope", "emergency-desk"], ids=["no-such-panel", "not-theirs"])
def test_a_panel_not_in_the_readers_queue_is_a_400_naming_their_panels(api, panel):
    answer = api(f"panel={panel}")

    assert answer.status_code == 400
    assert answer.json["detail"] == "panel must be one of police-accountability"


def test_the_web_queue_refuses_an_unknown_ward_rather_than_showing_none(lead, client):
    answer = client.get("/panel/?ward=Nowhere")

    assert answer.status_code == 400
    assert f"ward must be one of {WARDS}" in unescape(answer.get_data(as_text=True))


def test_the_web_queue_shows_the_panel_it_is_filtered_by(reported_case, lead, client):
    reported_case()

    page = client.get("/panel/?panel=emergency-desk").get_data(as_text=True)

    assert '<option value="emergency-desk" selected>' in page
    assert "0 cases" in page


def test_every_flag_takes_the_same_words_for_yes_and_no(reported_case, api):
    ref = reported_case()  # neither overdue nor a possible emergency
    for flag in ("overdue", "possible_emergency"):
        for word in (*YES, "Yes", "TRUE"):
            assert listed(api(f"{flag}={word}")) == [], (flag, word)
        for word in (*NO, "No", "OFF"):
            assert listed(api(f"{flag}={word}")) == [ref], (flag, word)


def test_a_flag_that_is_neither_yes_nor_no_is_refused_naming_the_parameter(api):
    answer = api("overdue=maybe")

    assert answer.status_code == 400
    assert answer.json["detail"] == "overdue must be true or false"


def test_the_openapi_document_lists_every_word_a_flag_takes(client):
    parameters = document()["paths"]["/api/v1/cases"]["get"]["parameters"]
    flags = [p for p in parameters if p["name"] in ("overdue", "possible_emergency")]

    assert [p["schema"]["enum"] for p in flags] == [[*YES, *NO]] * 2


def test_a_bulk_action_with_no_case_selected_says_to_select_one(reported_case, lead, client):
    reported_case()
    token = csrf_token_of(client.get("/panel/").get_data(as_text=True))

    answer = client.post("/panel/bulk", data={"action": "acknowledge", "csrf_token": token})

    assert answer.status_code == 303
    assert "Select at least one case." in client.get(answer.location).get_data(as_text=True)
