"""A password easy to guess is refused wherever one is set, saying why: fewer than 12 characters
once spaces at either end are left out (spaces alone are none), one character over and over,
or one of the most common passwords, whatever its case. The invitation link says so in the
visitor's language and keeps the invitation open; the account keeps no such password."""

from __future__ import annotations

from html import unescape

import pytest

from storage import User
from storage.accounts import create_user, issue_invitation, set_password
from storage.passwords import PasswordError
from tests.fixtures.staff import AuthActions, csrf_token_of

INVITED = "invited@sauti.test"


@pytest.fixture
def invitation(runtime) -> str:
    with runtime.store.transaction() as session:
        token = issue_invitation(create_user(session, INVITED, "panel_member", "unknown-to-them"))
    return f"/invitation/{token}"


def choose(auth: AuthActions, invitation: str, password: str, **headers: str):
    token = csrf_token_of(auth.client.get(invitation, headers=headers).get_data(as_text=True))
    form = {"password": password, "confirm": password, "csrf_token": token}
    return auth.client.post(invitation, data=form, headers=headers)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        (" " * 12, "a password needs at least 12 characters, not counting spaces at either end"),
        ("   eleven-char   ", "a password needs at least 12 characters, not counting spaces at either end"),
        ("x" * 16, "a password cannot be one character repeated"),
        ("Password1234", "that is one of the most common passwords"),
        (" qwerty123456 ", "that is one of the most common passwords"),
    ],
    ids=["spaces-only", "short-between-spaces", "one-character", "common-any-case", "common-in-spaces"],
)
def test_a_password_easy_to_guess_is_refused_at_the_invitation_link_saying_why(
    auth, invitation, password, reason
):
    response = choose(auth, invitation, password)

    assert response.status_code == 400
    assert reason in unescape(response.get_data(as_text=True))


def test_a_password_of_spaces_refused_at_the_link_does_not_sign_in_and_the_link_stays_open(
    auth, invitation, client
):
    choose(auth, invitation, " " * 12)

    assert auth.password(INVITED, " " * 12).status_code == 401
    assert client.get(invitation).status_code == 200


def test_a_password_easy_to_guess_is_refused_in_kiswahili(auth, invitation):
    response = choose(auth, invitation, " " * 12, **{"Accept-Language": "sw"})

    page = unescape(response.get_data(as_text=True))
    assert "nenosiri linahitaji angalau herufi 12, bila kuhesabu nafasi tupu mwanzoni na mwishoni" in page
    assert "Nenosiri jipya (herufi 12 au zaidi)" in page


@pytest.mark.parametrize("password", [" " * 12, "7" * 12, "qwertyuiop123"])
def test_setting_a_password_easy_to_guess_any_other_way_is_refused_and_keeps_the_old_one(
    runtime, make_user, auth, password
):
    account = make_user()

    with runtime.store.transaction() as session, pytest.raises(PasswordError):
        set_password(session.get_one(User, account.id), password)

    assert auth.password(account.email, account.password).status_code == 302
