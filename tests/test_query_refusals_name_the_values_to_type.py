"""A query value the queue cannot use is refused naming the values it takes, as they are typed
in the address: the sort by deadline is `due`, whatever the page calls it. The API names the
values alone; a page gives each its label too where the label reads otherwise."""

from __future__ import annotations

from html import unescape


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_the_web_queue_names_the_sort_values_it_takes(make_user, auth, client):
    auth.sign_in(make_user("panel_lead"))

    answer = client.get("/panel/?sort=deadline")

    assert answer.status_code == 400
    assert "sort order must be one of urgency, deadline (due), received" in text_of(answer)


def test_the_api_names_the_sort_values_alone(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    answer = client.get("/api/v1/cases?sort=deadline", headers=headers)

    assert answer.status_code == 400
    assert answer.json["detail"] == "sort must be one of urgency, due, received"


def test_a_page_in_kiswahili_names_the_value_to_type_beside_its_label(lead_in_kiswahili, client):
    answer = client.get("/panel/?assignee=mimi")

    assert answer.status_code == 400
    assert "mimi (me)" in text_of(answer)
