"""Signing in: password then TOTP, throttled, with sessions that end."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from storage import User
from storage.accounts import issue_invitation
from tests.fixtures.staff import AuthActions, csrf_token_of


def test_password_and_totp_code_sign_a_member_in_to_their_queue(make_user, auth):
    response = auth.sign_in(make_user())

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert auth.client.get("/", follow_redirects=True).request.path == "/panel/"


def test_pages_send_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/panel/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_wrong_totp_code_is_refused(make_user, auth, client):
    account = make_user()

    response = auth.sign_in(account, code="000000" if account.next_code() != "000000" else "111111")

    assert response.status_code == 401
    assert client.get("/panel/").status_code == 302


def test_the_right_code_in_full_width_digits_is_a_wrong_code(make_user, auth, client):
    account = make_user()
    full_width = account.next_code().translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})

    response = auth.sign_in(account, code=full_width)

    assert response.status_code == 401
    assert "That code is not right" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_enrolled_person_sent_to_enrolment_goes_on_to_the_code_step(make_user, auth, client, method):
    account = make_user()
    auth.password(account.email, account.password)
    token = csrf_token_of(client.get("/sign-in/code").get_data(as_text=True))

    response = client.open("/sign-in/enrol", method=method, data={"code": "123456", "csrf_token": token})

    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in/code"


def test_a_wrong_password_is_refused(make_user, auth):
    account = make_user()

    response = auth.password(account.email, "not-the-password")

    assert response.status_code == 401


def test_a_used_totp_code_cannot_be_used_again(make_user, auth, app):
    account = make_user()
    auth.sign_in(account)
    code = pyotp.TOTP(account.totp_secret).generate_otp(account.last_step)
    again = AuthActions(app.test_client())

    response = again.sign_in(account, code=code)

    assert response.status_code == 401


def test_repeated_failed_sign_ins_make_that_address_wait_even_with_the_right_password(make_user, auth):
    account = make_user()
    for _ in range(5):
        auth.password(account.email, "guess")

    response = auth.password(account.email, account.password)

    assert response.status_code == 429


def test_repeated_failed_codes_make_that_address_wait(make_user, auth):
    account = make_user()
    auth.password(account.email, account.password)
    for _ in range(5):
        auth.post("/sign-in/code", {"code": "000000"})

    response = auth.sign_in(account)

    assert response.status_code == 429


def test_throttling_holds_across_web_workers_sharing_the_database(make_user, auth, make_app):
    account = make_user()
    for _ in range(5):
        auth.password(account.email, "guess")
    other_worker = AuthActions(make_app().test_client())

    response = other_worker.password(account.email, account.password)

    assert response.status_code == 429


def test_many_failures_from_one_address_throttle_every_account(make_user, auth):
    account = make_user()
    for number in range(20):
        auth.password(f"nobody{number}@sauti.test", "guess")

    response = auth.password(account.email, account.password)

    assert response.status_code == 429


def test_first_sign_in_enrols_an_authenticator_from_a_qr_code_the_app_draws(runtime, auth, client):
    with runtime.store.transaction() as session:
        from storage.accounts import create_user

        create_user(session, "new@sauti.test", "panel_member", "a-long-password")

    response = auth.password("new@sauti.test", "a-long-password")
    page = client.get("/sign-in/enrol").get_data(as_text=True)
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    done = client.post(
        "/sign-in/enrol", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token_of(page)}
    )

    assert response.headers["Location"] == "/sign-in/enrol"
    assert "<svg" in page
    assert "https://" not in page.split("<svg", 1)[1].split("</svg>")[0].replace("http://www.w3.org", "")
    assert done.status_code == 302
    with runtime.store.transaction() as session:
        assert session.scalars(select(User).where(User.email == "new@sauti.test")).one().totp_enabled_at


def test_an_idle_session_ends(make_user, auth, client):
    auth.sign_in(make_user())
    with client.session_transaction() as session:
        session["seen"] = time.time() - 31 * 60

    assert client.get("/panel/").status_code == 302


def test_a_session_lasts_at_most_eight_hours(app):
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600


def test_a_deactivated_account_is_signed_out_at_its_next_request(make_user, auth, client, runtime):
    account = make_user()
    auth.sign_in(account)
    with runtime.store.transaction() as session:
        session.get_one(User, account.id).active = False

    assert client.get("/panel/").status_code == 302


def test_the_interface_speaks_kiswahili_to_a_kiswahili_speaker(make_user, auth, client, runtime):
    account = make_user()
    with runtime.store.transaction() as session:
        session.get_one(User, account.id).language = "sw"
    auth.sign_in(account)

    page = client.get("/panel/").get_data(as_text=True)

    assert 'lang="sw"' in page
    assert "Foleni" in page


def test_an_invitation_link_sets_a_password_once(runtime, client, auth):
    with runtime.store.transaction() as session:
        from storage.accounts import create_user

        token = issue_invitation(
            create_user(session, "invited@sauti.test", "panel_member", "unknown-to-them")
        )
    link = f"/invitation/{token}"

    auth.post(link, {"password": "a-new-long-password", "confirm": "a-new-long-password"})

    assert auth.password("invited@sauti.test", "a-new-long-password").status_code == 302
    assert client.get(link).status_code == 404


def test_a_person_switches_their_interface_to_kiswahili(make_user, auth, client):
    auth.sign_in(make_user())

    auth.post("/language", {"language": "sw", "next": "/panel/"}, page="/panel/")

    assert "Foleni" in client.get("/panel/").get_data(as_text=True)
