"""One registry of panel actions: the case page's forms, the API's validation, the OpenAPI
document and the permission check all follow it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.api.openapi import SCHEMAS
from app.casedesk import TAXONOMY, sla_due_at
from storage import Case, CaseNote, Report, User
from storage.casework.actions import MAX_REPLY_CHARS, NotPermittedError
from storage.casework.registry import ACTIONS, ActionContext, api_actions, perform
from tests.helpers import outbound


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_member_sees_a_form_for_each_action_a_member_may_take_and_no_other(
    reported_case, make_user, auth, client
):
    ref = reported_case()
    auth.sign_in(make_user("panel_member"))

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    shown = {name for name in ACTIONS if f'id="action-{name}"' in page}
    assert shown == {name for name, action in ACTIONS.items() if "panel_member" in action.roles}


def test_a_lead_sees_every_action_an_open_case_allows(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert all(f'id="action-{name}"' in page for name, a in ACTIONS.items() if "open" in a.statuses)


def test_the_reply_box_cuts_nothing_and_the_api_says_the_length_it_accepts(
    reported_case, make_user, auth, client
):
    ref = reported_case()
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    reply_box = page.split('id="reply-text"', 1)[1].split(">", 1)[0]
    assert "maxlength" not in reply_box
    assert SCHEMAS["Action.reply"]["properties"]["text"]["maxLength"] == MAX_REPLY_CHARS


def test_a_reply_one_character_too_long_is_a_400_that_says_why_and_sends_nothing(
    reported_case, make_user, api_token, client, runtime
):
    ref = reported_case()
    before = len(outbound(runtime))
    headers = bearer(api_token(make_user()))

    response = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "reply", "text": "x" * (MAX_REPLY_CHARS + 1)},
        headers=headers,
    )

    assert response.status_code == 400
    assert f"longer than {MAX_REPLY_CHARS}" in response.json["detail"]
    assert len(outbound(runtime)) == before


@pytest.mark.parametrize("text", ["a\x00b", 42, ["note"]])
def test_a_note_that_is_not_plain_text_is_a_400_and_nothing_is_kept(
    reported_case, make_user, api_token, client, runtime, text
):
    ref = reported_case()
    headers = bearer(api_token(make_user()))

    response = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "note", "text": text}, headers=headers
    )

    assert response.status_code == 400
    assert response.json["detail"].startswith("text ")
    with runtime.store.transaction() as session:
        assert session.scalars(select(CaseNote)).all() == []


def test_the_permission_check_refuses_a_lead_action_to_a_member_called_directly(
    reported_case, make_user, runtime
):
    ref = reported_case()
    member = make_user("panel_member")

    with runtime.store.transaction() as session:
        case = session.scalars(select(Case).join(Report).where(Report.ref == ref)).one()
        user = session.get_one(User, member.id)
        context = ActionContext(
            session, runtime.store.keys, user, case, TAXONOMY, sla_due_at, "police-accountability"
        )
        with pytest.raises(NotPermittedError):
            perform(context, "resolve", {"outcome": "referred"})


def test_every_api_action_is_documented_with_the_roles_that_may_take_it():
    for name in api_actions():
        documented = SCHEMAS[f"Action.{name}"]
        assert documented["properties"]["action"] == {"const": name}
        assert ("panel leads only" in documented["description"]) == (
            "panel_member" not in ACTIONS[name].roles
        )


def test_revealing_the_unredacted_text_is_not_an_api_action(reported_case, make_user, api_token, client):
    ref = reported_case()

    response = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "reveal", "reason": "curious"},
        headers=bearer(api_token(make_user())),
    )

    assert response.status_code == 400
    assert "Action.reveal" not in SCHEMAS
