"""Guessing is slowed per account and per address with growing waits, but nobody can lock
somebody else out: a person signing in from an address that has not been failing gets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from storage.models import AuditEvent, SignInFailure
from storage.sign_in_throttle import (
    FIRST_WAIT_SECONDS,
    GENTLE_WAIT_SECONDS,
    MAX_WAIT_SECONDS,
    record_sign_in_failure,
    sign_in_wait,
)
from tests.fixtures.staff import AuthActions

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)


def browser_at(app, address: str) -> AuthActions:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return AuthActions(client)


def failures(runtime) -> int:
    with runtime.store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(SignInFailure)) or 0)


def fail(runtime, email: str, address: str, times: int = 1) -> None:
    with runtime.store.transaction() as session:
        for _ in range(times):
            record_sign_in_failure(session, email, address)


def wait(runtime, email: str, address: str) -> int:
    with runtime.store.transaction() as session:
        return sign_in_wait(session, email, address)


def test_an_address_guessing_one_account_waits_twice_as_long_after_each_failure(runtime):
    waits = []
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(6):
            fail(runtime, "lead@sauti.test", ATTACKER)
            waits.append(wait(runtime, "lead@sauti.test", ATTACKER))
            clock.shift(timedelta(seconds=waits[-1]))

    assert waits == [
        0,
        0,
        FIRST_WAIT_SECONDS,
        2 * FIRST_WAIT_SECONDS,
        4 * FIRST_WAIT_SECONDS,
        8 * FIRST_WAIT_SECONDS,
    ]


def test_the_wait_never_grows_past_fifteen_minutes(runtime):
    with time_machine.travel(T0, tick=False):
        fail(runtime, "lead@sauti.test", ATTACKER, times=40)

        assert wait(runtime, "lead@sauti.test", ATTACKER) == MAX_WAIT_SECONDS == 15 * 60


def test_once_the_wait_is_over_the_address_may_try_again(runtime):
    with time_machine.travel(T0, tick=False) as clock:
        fail(runtime, "lead@sauti.test", ATTACKER, times=4)
        clock.shift(timedelta(seconds=2 * FIRST_WAIT_SECONDS + 1))

        assert wait(runtime, "lead@sauti.test", ATTACKER) == 0


def test_failures_from_elsewhere_cost_an_address_that_failed_itself_only_a_gentle_wait(runtime):
    with time_machine.travel(T0, tick=False):
        fail(runtime, "lead@sauti.test", ATTACKER, times=30)
        fail(runtime, "lead@sauti.test", OWNER)

        assert 0 < wait(runtime, "lead@sauti.test", OWNER) <= GENTLE_WAIT_SECONDS


def test_an_owner_who_has_not_been_failing_signs_in_while_the_account_is_attacked(make_user, app, runtime):
    account = make_user()
    attacker = browser_at(app, ATTACKER)
    for _ in range(12):
        attacker.password(account.email, "guess")

    response = browser_at(app, OWNER).sign_in(account)

    assert attacker.password(account.email, account.password).status_code == 429
    assert response.status_code == 302


def test_an_attack_from_many_addresses_does_not_lock_the_owner_out(make_user, app):
    account = make_user()
    for n in range(25):
        browser_at(app, f"203.0.113.{n}").password(account.email, "guess")

    response = browser_at(app, OWNER).sign_in(account)

    assert response.status_code == 302


def test_a_throttled_attempt_says_how_long_to_wait(make_user, app):
    account = make_user()
    attacker = browser_at(app, ATTACKER)
    for _ in range(3):
        attacker.password(account.email, "guess")

    response = attacker.password(account.email, "guess")

    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= FIRST_WAIT_SECONDS
    assert "Try again in" in response.get_data(as_text=True)


def test_a_throttled_attempt_is_not_checked_or_counted(make_user, app, runtime):
    account = make_user()
    attacker = browser_at(app, ATTACKER)
    for _ in range(3):
        attacker.password(account.email, "guess")

    attacker.password(account.email, "guess")

    assert failures(runtime) == 3


def test_signing_in_forgets_only_the_failures_of_that_address(make_user, app, runtime):
    account = make_user()
    browser_at(app, ATTACKER).password(account.email, "guess")
    owner = browser_at(app, OWNER)
    owner.password(account.email, "typo")

    owner.sign_in(account)

    with runtime.store.transaction() as session:
        assert list(session.scalars(select(SignInFailure.address))) == [ATTACKER]


@pytest.fixture
def locked_out(make_user, app):
    """An account whose owner failed so often that their address must wait."""
    account = make_user()
    owner = browser_at(app, OWNER)
    for _ in range(5):
        owner.password(account.email, "forgot it")
    assert owner.password(account.email, account.password).status_code == 429
    return account, owner


def test_an_admin_unlocks_an_account_from_the_people_page(locked_out, make_user, app, runtime):
    account, owner = locked_out
    admin = browser_at(app, "192.0.2.1")
    admin.sign_in(make_user("admin", ()))
    page = admin.client.get("/admin/users").get_data(as_text=True)

    admin.post(f"/admin/users/{account.id}/unlock", {}, page="/admin/users")

    assert "3 failed sign-ins in the last hour" in page
    assert owner.sign_in(account).status_code == 302
    with runtime.store.transaction() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "user.unlocked"))


def test_flask_users_unlock_lets_the_owner_in_at_once(locked_out, app):
    account, owner = locked_out

    result = app.test_cli_runner().invoke(args=["users", "unlock", account.email])

    assert result.exit_code == 0, result.output
    assert "3 failed attempts forgotten" in result.output
    assert owner.sign_in(account).status_code == 302


def test_unlocking_an_unknown_account_says_so(app):
    result = app.test_cli_runner().invoke(args=["users", "unlock", "nobody@sauti.test"])

    assert result.exit_code != 0
    assert "No account nobody@sauti.test" in result.output
