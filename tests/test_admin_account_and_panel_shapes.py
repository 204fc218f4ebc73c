"""An account's email and a panel's key are checked as they will be stored: the email after
it is lower-cased ("İ" becomes two characters), with something before the @ and a dotted
domain after it; a panel key in ASCII lowercase letters, digits and dashes. Anything else is
a 400 that says why, and no account or panel is made."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from app.admin.staff import PANEL_KEY
from storage import Panel, User
from tests.fixtures.staff import AuthActions
from tests.helpers import count
from triage.routing import load_routing


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def invite(admin: AuthActions, email: str):
    return admin.post("/admin/users", {"email": email, "role": "panel_member", "method": "link"})


def reason_in(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("\u0130" * 240 + "@sauti.test", "an email address has at most 254 characters"),
        ("@", "give an email address, like name@example.org"),
        ("x@y", "give an email address, like name@example.org"),
        ("@sauti.test", "give an email address, like name@example.org"),
        ("x@sauti.", "give an email address, like name@example.org"),
        ("x@y@sauti.test", "give an email address, like name@example.org"),
        ("no-at-sign", "give an email address, like name@example.org"),
    ],
)
def test_an_email_no_account_can_have_is_a_400_and_makes_no_account(admin, runtime, email, reason):
    accounts = count(runtime, User)

    response = invite(admin, email)

    assert response.status_code == 400
    assert reason in reason_in(response)
    assert count(runtime, User) == accounts


@pytest.mark.parametrize(
    "key",
    [
        "\u00b2",  # superscript two
        "\uff11\uff12",  # fullwidth digits
        "\u0661\u0662\u0663",  # Arabic-Indic digits
        "\ufb01",  # the fi ligature
        "\u00e9",
        "\u212a",  # the Kelvin sign, which lower-cases to an ASCII k
        "youth desk",
        "youth_desk",
        "---",
    ],
)
def test_a_panel_key_beyond_ascii_letters_digits_and_dashes_is_a_400(admin, runtime, key):
    panels = count(runtime, Panel)

    response = admin.post("/admin/panels", {"key": key, "name": "Youth Desk"})

    assert response.status_code == 400
    assert "a panel key is ASCII letters, digits and dashes" in reason_in(response)
    assert count(runtime, Panel) == panels


def test_a_panel_without_a_name_is_a_400(admin, runtime):
    panels = count(runtime, Panel)

    response = admin.post("/admin/panels", {"key": "youth-desk", "name": "  "})

    assert response.status_code == 400
    assert "a panel needs a name" in reason_in(response)
    assert count(runtime, Panel) == panels


def test_keys_like_the_shipped_ones_are_saved_lower_case(admin, runtime):
    assert all(PANEL_KEY.fullmatch(panel.key) for panel in load_routing().panels)

    response = admin.post("/admin/panels", {"key": "Youth-Desk-2", "name": "Youth Desk"})

    assert response.status_code == 303
    with runtime.store.transaction() as session:
        assert session.scalars(select(Panel).where(Panel.key == "youth-desk-2")).one()
