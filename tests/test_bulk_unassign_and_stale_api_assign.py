"""Taking cases from whoever had them in bulk says so ("unassigned"), and the API refuses an
assignment made from an out-of-date view of the case with a 409, as it does a reply to a
reporter who said STOP."""

from __future__ import annotations

from tests.fixtures.staff import csrf_token_of


def test_bulk_assigning_to_no_one_says_the_cases_were_unassigned(reported_case, make_user, auth, client):
    ref = reported_case()
    lead, member = make_user("panel_lead"), make_user("panel_member")
    auth.sign_in(lead)
    auth.post("/panel/bulk", {"action": "assign", "assignee": member.email, "refs": ref}, page="/panel/")
    token = csrf_token_of(client.get("/panel/").get_data(as_text=True))

    done = client.post(
        "/panel/bulk",
        data={"csrf_token": token, "action": "assign", "assignee": "", "refs": ref},
        follow_redirects=True,
    )

    assert "1 case unassigned." in done.get_data(as_text=True)


def test_the_api_refuses_an_assignment_from_an_out_of_date_view_with_a_409(
    reported_case, make_user, api_token, client
):
    ref = reported_case()
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}
    first, second = make_user("panel_member"), make_user("panel_member")
    client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "assign", "assignee": first.email}, headers=headers
    )

    answer = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "assign", "assignee": second.email, "from_assignee": "nobody"},
        headers=headers,
    )

    assert answer.status_code == 409
    assert first.email in answer.json["detail"]
