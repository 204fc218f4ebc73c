"""Sessions end on the server: signing out, deactivation, a new password or a new
authenticator end every session of the person, copied cookies included; the cookie is
SameSite=Lax, and Secure with HSTS whenever Sauti is served over https."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from storage import User
from storage.accounts import issue_invitation
from storage.models import AuditEvent
from tests.fixtures.staff import AuthActions, csrf_token_of

SIGNED_IN_PAGE = "/panel/"


def signed_in(client) -> bool:
    return client.get(SIGNED_IN_PAGE).status_code == 200


def cookie_copy(app, client):
    """Another browser holding a copy of the session cookie `client` has."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def sign_out(auth) -> None:
    auth.post("/sign-out", {}, page=SIGNED_IN_PAGE)


def test_a_copied_session_cookie_stops_working_when_its_owner_signs_out(make_user, auth, client, app):
    auth.sign_in(make_user())
    thief = cookie_copy(app, client)
    assert signed_in(thief)

    sign_out(auth)

    assert not signed_in(thief)
    assert not signed_in(client)


def test_signing_out_ends_the_persons_sessions_on_other_devices(make_user, auth, app):
    account = make_user()
    auth.sign_in(account)
    laptop = AuthActions(app.test_client())
    laptop.sign_in(account)

    sign_out(auth)

    assert not signed_in(laptop.client)


def test_signing_out_is_in_the_audit_log(make_user, auth, runtime):
    account = make_user()
    auth.sign_in(account)

    sign_out(auth)

    with runtime.store.transaction() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == f"user:{account.id}"))
        assert "user.signed_out" in list(actions)


def test_a_session_from_before_deactivation_stays_ended_after_reactivation(make_user, auth, client, app):
    member = make_user()
    auth.sign_in(member)
    admin = AuthActions(app.test_client())
    admin.sign_in(make_user("admin", ()))

    admin.post(f"/admin/users/{member.id}/deactivate", {"confirmed": "yes"}, page="/admin/users")
    admin.post(f"/admin/users/{member.id}/activate", {}, page="/admin/users")

    assert not signed_in(client)


def test_resetting_the_authenticator_ends_every_session(make_user, auth, client, app):
    member = make_user()
    auth.sign_in(member)
    admin = AuthActions(app.test_client())
    admin.sign_in(make_user("admin", ()))

    admin.post(f"/admin/users/{member.id}/reset-totp", {"confirmed": "yes"}, page="/admin/users")

    assert not signed_in(client)


def test_a_new_password_ends_every_session_signed_in_with_the_old_one(make_user, auth, client, app, runtime):
    member = make_user()
    auth.sign_in(member)
    with runtime.store.transaction() as session:
        token = issue_invitation(session.get_one(User, member.id))
    stranger = AuthActions(app.test_client())

    stranger.post(
        f"/invitation/{token}", {"password": "a-new-long-password", "confirm": "a-new-long-password"}
    )

    assert not signed_in(client)


def test_a_person_signed_in_twice_keeps_both_sessions_until_signing_out(make_user, auth, client, app):
    account = make_user()
    auth.sign_in(account)
    phone = AuthActions(app.test_client())

    phone.sign_in(account)

    assert signed_in(client)
    assert signed_in(phone.client)


@pytest.fixture
def code_pending_in_six_browsers(make_user, app):
    """Six browsers that each gave the right password and now stand at the code step."""
    account = make_user()
    browsers = [AuthActions(app.test_client()) for _ in range(6)]
    for browser in browsers:
        browser.password(account.email, account.password)
    return account, browsers


def test_one_code_sent_by_six_sessions_at_once_signs_in_exactly_one(code_pending_in_six_browsers):
    account, browsers = code_pending_in_six_browsers
    code = account.next_code()
    tokens = [csrf_token_of(b.client.get("/sign-in/code").get_data(as_text=True)) for b in browsers]
    start = threading.Barrier(len(browsers))
    answers: list[int] = []

    def send(browser: AuthActions, token: str) -> None:
        start.wait()
        answers.append(
            browser.client.post("/sign-in/code", data={"code": code, "csrf_token": token}).status_code
        )

    threads = [threading.Thread(target=send, args=pair) for pair in zip(browsers, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert answers.count(302) == 1
    assert set(answers) - {302} <= {401, 429}
    assert sum(signed_in(b.client) for b in browsers) == 1


def test_the_session_cookie_is_samesite_lax(make_user, auth):
    response = auth.sign_in(make_user())

    assert "SameSite=Lax" in response.headers["Set-Cookie"]


def test_over_https_the_cookie_is_secure_and_browsers_are_told_to_stay_on_https(client):
    response = client.get("/sign-in", base_url="https://localhost")

    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_that_forwards_https_the_cookie_is_secure_with_hsts(make_app):
    client = make_app(SAUTI_PROXY_HOPS="1").test_client()

    response = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})

    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_a_forwarded_scheme_is_ignored_without_a_trusted_proxy(client):
    response = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})

    assert "Strict-Transport-Security" not in response.headers


def test_an_https_public_url_sends_hsts_and_secure_cookies(make_app):
    client = make_app(PUBLIC_BASE_URL="https://sauti.example.org").test_client()

    response = client.get("/sign-in")

    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_plain_http_gets_no_hsts(client):
    response = client.get("/sign-in")

    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers
