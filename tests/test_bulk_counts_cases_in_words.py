"""What a bulk action says it did counts the cases as the language counts them: one case, two
cases."""

from __future__ import annotations

from html import unescape

EXTORTION = "Askari wanaitisha hongo kila siku sokoni Gikomba"
ARREST = "My brother was arrested on Tuesday and is held at Pangani without charge"


def acknowledged_in_bulk(auth, client, refs: list[str]) -> str:
    auth.post("/panel/bulk", {"action": "acknowledge", "refs": refs}, page="/panel/")
    return unescape(client.get("/panel/").get_data(as_text=True))


def test_one_case_acknowledged_in_bulk_is_one_case(reported_case, make_user, auth, client):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user("panel_lead"))

    page = acknowledged_in_bulk(auth, client, [ref])

    assert "1 case acknowledged." in page


def test_two_cases_acknowledged_in_bulk_are_two_cases(reported_case, make_user, auth, client):
    refs = [reported_case(EXTORTION), reported_case(ARREST)]
    auth.sign_in(make_user("panel_lead"))

    page = acknowledged_in_bulk(auth, client, refs)

    assert "2 cases acknowledged." in page


def test_in_kiswahili_the_count_is_said_in_kiswahili(reported_case, lead_in_kiswahili, auth, client):
    ref = reported_case(EXTORTION)

    page = acknowledged_in_bulk(auth, client, [ref])

    assert "Kesi 1: imethibitishwa." in page
