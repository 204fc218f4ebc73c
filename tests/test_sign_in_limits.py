"""A session ends 8 hours after sign-in however busy it is; a sign-in left half-done ends
when the person's password or authenticator is reset or the account is closed; a wrong first
code leaves the key to type in on the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine

from storage import User
from storage.accounts import create_user, reset_totp, set_password
from tests.fixtures.staff import csrf_token_of

QUEUE = "/panel/"


def test_a_session_in_steady_use_still_ends_eight_hours_after_sign_in(make_user, auth, client):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        auth.sign_in(make_user())
        for _ in range(8 * 3):
            clock.shift(timedelta(minutes=20))
            assert client.get(QUEUE).status_code == 200
        clock.shift(timedelta(minutes=1))

        assert client.get(QUEUE).status_code == 302


def test_a_session_in_use_lasts_its_working_day(make_user, auth, client):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        auth.sign_in(make_user())
        for _ in range(7 * 3):
            clock.shift(timedelta(minutes=20))

            assert client.get(QUEUE).status_code == 200


def _new_password(user: User) -> None:
    set_password(user, "another-long-password")


def _deactivate(user: User) -> None:
    user.active = False


@pytest.mark.parametrize("end", [_new_password, reset_totp, _deactivate])
def test_a_sign_in_half_done_ends_when_the_account_is_reset_or_closed(
    make_user, auth, client, runtime, end: Callable[[User], None]
):
    account = make_user()
    auth.password(account.email, account.password)
    with runtime.store.transaction() as session:
        end(session.get_one(User, account.id))

    response = auth.post("/sign-in/code", {"code": account.next_code()}, page="/sign-in")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert client.get(QUEUE).status_code == 302


def test_after_a_wrong_enrolment_code_the_key_to_type_in_is_shown_again(runtime, auth, client):
    with runtime.store.transaction() as session:
        create_user(session, "new@sauti.test", "panel_member", "a-long-password")
    auth.password("new@sauti.test", "a-long-password")
    page = client.get("/sign-in/enrol").get_data(as_text=True)
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"

    again = client.post("/sign-in/enrol", data={"code": wrong, "csrf_token": csrf_token_of(page)})

    assert again.status_code == 401
    assert f'class="secret">{secret}<' in again.get_data(as_text=True)
