"""A staff form or list link that gives one field twice is refused with a 400 naming the
field: which value was meant cannot be told, so neither is taken."""

from __future__ import annotations

import pytest

from tests.fixtures.staff import csrf_token_of
from tests.helpers import report_by_ref


@pytest.fixture
def lead(make_user, auth):
    account = make_user("panel_lead")
    auth.sign_in(account)
    return account


def test_a_reclassification_with_two_categories_changes_nothing(reported_case, lead, client, runtime):
    ref = reported_case("Askari wanaitisha hongo kila siku sokoni Pumwani")
    before = report_by_ref(runtime, ref).category
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))

    sent = client.post(
        f"/panel/cases/{ref}/reclassify",
        data={"csrf_token": token, "category": ["killing", "feedback"]},
    )

    assert sent.status_code == 400
    assert "category is given more than once" in sent.get_data(as_text=True)
    assert report_by_ref(runtime, ref).category == before


def test_the_queue_with_a_filter_given_twice_is_refused(lead, client):
    answer = client.get("/panel/?status=open&status=resolved")

    assert answer.status_code == 400
    assert "status is given more than once" in answer.get_data(as_text=True)


def test_the_api_refuses_a_filter_given_twice(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    answer = client.get("/api/v1/cases?status=open&status=resolved", headers=headers)

    assert answer.status_code == 400
    assert "status is given more than once" in answer.json["detail"]


def test_ticking_several_cases_in_the_queue_is_still_one_bulk_action(reported_case, lead, client):
    refs = [
        reported_case(text) for text in ("Askari wanaitisha hongo Pumwani", "Polisi walitupiga Gikomba jana")
    ]
    token = csrf_token_of(client.get("/panel/").get_data(as_text=True))

    sent = client.post("/panel/bulk", data={"csrf_token": token, "action": "acknowledge", "refs": refs})

    assert sent.status_code == 303
