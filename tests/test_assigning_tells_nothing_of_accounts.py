"""Assigning a case to an address tells a lead nothing of whether it is someone's account: an
address of no account and an account outside the panel get the same answer."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("who", ["nobody@example.org", "auditor", "admin"])
def test_an_address_the_case_cannot_go_to_gets_one_answer(reported_case, make_user, api_token, client, who):
    ref = reported_case()
    assignee = who if "@" in who else make_user(who, ()).email
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    answer = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "assign", "assignee": assignee}, headers=headers
    )

    assert answer.status_code == 400
    assert answer.json["detail"] == "the case can only be assigned to an active member of its panel"
