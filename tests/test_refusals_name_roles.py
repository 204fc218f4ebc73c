"""A refusal names a role as people say it, article and all ("an auditor", "a panel member"),
never by its key or with the wrong article: from the API, and on a page."""

from __future__ import annotations

from html import unescape

import pytest

from tests.fixtures.staff import AuthActions


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def act(client, token: str, ref: str, body: dict[str, str]):
    return client.post(
        f"/api/v1/cases/{ref}/actions", json=body, headers={"Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize(
    ("role", "body", "refusal"),
    [
        ("auditor", {"action": "note", "text": "Seen."}, "an auditor may not note a case"),
        ("panel_member", {"action": "assign", "assignee": "none"}, "a panel member may not assign a case"),
    ],
    ids=["auditor", "panel-member"],
)
def test_the_api_names_the_role_it_refuses_with_its_article(
    reported_case, make_user, api_token, client, role, body, refusal
):
    ref = reported_case()
    token = api_token(make_user(role, () if role == "auditor" else ("police-accountability",)))

    response = act(client, token, ref, body)

    assert response.status_code == 403
    assert response.json["detail"] == refusal


def put_on_a_panel(admin: AuthActions, client, email: str) -> str:
    answer = admin.post("/admin/panels/feedback-desk/members", {"email": email}, page="/admin/panels")
    return unescape(client.get(answer.location).get_data(as_text=True))


def test_an_admin_put_on_a_panel_is_refused_as_an_admin(admin, make_user, client):
    page = put_on_a_panel(admin, client, make_user("admin", ()).email)

    assert "an admin cannot be on a panel: only panel members and leads can" in page
