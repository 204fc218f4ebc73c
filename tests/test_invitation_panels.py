"""An invitation's panels must be panels there are: an unknown key is a 400 naming the field and
the panels there are, and a panel member or lead must be on at least one. Either way no
account is made."""

from __future__ import annotations

from html import unescape

import pytest

from storage import User
from tests.fixtures.staff import AuthActions
from tests.helpers import count

PANELS = "emergency-desk, feedback-desk, peace-committee, police-accountability, translation-desk"


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def invitation(role: str = "panel_member") -> dict[str, str]:
    return {"email": "new@sauti.test", "role": role, "method": "link"}


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("panels", [["nope"], ["feedback-desk", "nope"]], ids=["unknown", "one-unknown"])
def test_an_unknown_panel_is_a_400_naming_the_field_and_makes_no_account(admin, runtime, panels):
    accounts = count(runtime, User)

    response = admin.post("/admin/users", {**invitation(), "panels": panels})

    assert response.status_code == 400
    assert f"panels must be one of {PANELS}" in text_of(response)
    assert count(runtime, User) == accounts


@pytest.mark.parametrize(
    ("role", "named"), [("panel_member", "a panel member"), ("panel_lead", "a panel lead")]
)
def test_a_panel_member_or_lead_on_no_panel_is_refused_and_makes_no_account(
    admin, client, runtime, role, named
):
    accounts = count(runtime, User)

    answer = admin.post("/admin/users", invitation(role))

    assert answer.status_code == 303
    page = text_of(client.get(answer.location))
    assert f"{named} works on at least one panel: choose theirs" in page
    assert count(runtime, User) == accounts


def test_a_panel_member_on_no_panel_is_refused_in_kiswahili(admin_in_kiswahili, client):
    answer = admin_in_kiswahili.post("/admin/users", invitation())

    assert "mjumbe wa jopo hufanya kazi kwenye angalau jopo moja" in text_of(client.get(answer.location))
