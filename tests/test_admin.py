"""Admins: accounts, panels and members, the development outbox, keys and routing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import OutboundMessage, Panel, User
from storage.accounts import password_matches
from storage.models import AuditEvent
from tests.fixtures.staff import AuthActions

# Triage writes to the reporter only when it has news: a report sent to the emergency desk.
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def test_only_admins_reach_the_admin_pages(make_user, auth, client):
    auth.sign_in(make_user("panel_lead"))

    assert client.get("/admin/users").status_code == 403


def test_an_admin_invites_with_a_one_time_link(admin, client):
    page = admin.post(
        "/admin/users",
        {"email": "new@sauti.test", "role": "panel_member", "panels": "feedback-desk", "method": "link"},
    ).get_data(as_text=True)
    link = re.search(r"http://localhost(/invitation/[\w-]+)", page).group(1)

    assert client.get(link).status_code == 200


def test_an_admin_invites_with_a_password_shown_once(admin, runtime):
    page = admin.post(
        "/admin/users", {"email": "pw@sauti.test", "role": "auditor", "method": "password"}
    ).get_data(as_text=True)

    password = re.search(r'class="secret">([^<]+)<', page).group(1)
    with runtime.store.transaction() as session:
        from storage.accounts import password_matches

        user = session.scalars(select(User).where(User.email == "pw@sauti.test")).one()
        assert user.role == "auditor"
        assert password_matches(user, password)


def test_an_admin_deactivates_an_account_and_its_token_stops_working(
    admin, make_user, api_token, client, runtime
):
    member = make_user()
    token = api_token(member)

    admin.post(f"/admin/users/{member.id}/deactivate", {"confirmed": "yes"}, page="/admin/users")

    with runtime.store.transaction() as session:
        assert not session.get_one(User, member.id).active
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_resetting_an_authenticator_makes_the_person_enrol_again(admin, make_user, app):
    member = make_user()
    admin.post(f"/admin/users/{member.id}/reset-totp", {"confirmed": "yes"}, page="/admin/users")
    again = AuthActions(app.test_client())

    response = again.password(member.email, member.password)

    assert response.headers["Location"] == "/sign-in/enrol"


def test_resetting_an_authenticator_revokes_the_api_token(admin, make_user, api_token, client):
    member = make_user("panel_lead")
    token = api_token(member)

    admin.post(f"/admin/users/{member.id}/reset-totp", {"confirmed": "yes"}, page="/admin/users")

    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/999/deactivate",
        "/admin/users/999/activate",
        "/admin/users/999/reset-totp",
        "/admin/users/999/unlock",
        f"/admin/users/{2**31}/activate",
        "/admin/users/99999999999999999999/activate",
        "/admin/templates/99999999999999999999/delete",
    ],
)
def test_changing_what_does_not_exist_is_a_404(admin, path):
    response = admin.post(path, {"confirmed": "yes"}, page="/admin/users")

    assert response.status_code == 404


def test_a_member_of_a_panel_that_does_not_exist_is_a_404_that_says_so(admin, make_user):
    member = make_user("panel_member", ())

    response = admin.post(
        "/admin/panels/nope/members", {"email": member.email, "change": "add"}, page="/admin/panels"
    )

    assert response.status_code == 404
    assert "no such panel" in response.get_data(as_text=True)


def test_an_admin_adds_a_member_to_a_panel(admin, make_user, runtime):
    member = make_user("panel_member", ())

    admin.post("/admin/panels/feedback-desk/members", {"email": member.email}, page="/admin/panels")

    with runtime.store.transaction() as session:
        assert [p.key for p in session.get_one(User, member.id).panels] == ["feedback-desk"]


def test_an_admin_creates_a_panel(admin, runtime):
    admin.post("/admin/panels", {"key": "youth-desk", "name": "Youth Desk", "name_sw": "Dawati la Vijana"})

    with runtime.store.transaction() as session:
        assert (
            session.scalars(select(Panel).where(Panel.key == "youth-desk")).one().name_sw
            == "Dawati la Vijana"
        )


def test_with_no_gateway_the_admin_reads_outgoing_sms_in_the_outbox(
    make_app, make_user, send_sms_to, run_jobs
):
    app = make_app(TWILIO_ACCOUNT_SID="", AT_USERNAME="", AT_API_KEY="")
    client = app.test_client()
    send_sms_to(client, EMERGENCY)
    run_jobs(runtime_of(app))
    auth = AuthActions(client)
    auth.sign_in(make_user("admin", ()))

    page = client.get("/admin/outbox").get_data(as_text=True)

    assert "as an emergency" in page


def test_reading_the_outbox_is_audited(admin, client, runtime):
    client.get("/admin/outbox")

    with runtime.store.transaction() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.viewed")) is not None


def test_the_keys_page_shows_the_active_key_and_its_use(admin, client, reported_case, runtime):
    reported_case()

    page = client.get("/admin/keys").get_data(as_text=True)

    assert runtime.store.keys.active_id in page


def test_the_routing_page_shows_the_rules(admin, client):
    page = client.get("/admin/routing").get_data(as_text=True)

    assert "critical-to-emergency-desk" in page


def test_deactivating_asks_first_and_changes_nothing_until_confirmed(admin, make_user, runtime):
    person = make_user("panel_member")

    asked = admin.post(f"/admin/users/{person.id}/deactivate", {}, page="/admin/users")
    with runtime.store.transaction() as session:
        still_active = session.get_one(User, person.id).active
    admin.post(f"/admin/users/{person.id}/deactivate", {"confirmed": "yes"}, page="/admin/users")

    assert asked.status_code == 200
    assert person.email in asked.get_data(as_text=True)
    assert still_active
    with runtime.store.transaction() as session:
        assert not session.get_one(User, person.id).active


def test_resetting_an_authenticator_asks_first(admin, make_user, runtime):
    person = make_user("panel_member")

    asked = admin.post(f"/admin/users/{person.id}/reset-totp", {}, page="/admin/users")
    with runtime.store.transaction() as session:
        kept = session.get_one(User, person.id).totp_enabled_at is not None
    admin.post(f"/admin/users/{person.id}/reset-totp", {"confirmed": "yes"}, page="/admin/users")

    assert "Reset the authenticator" in asked.get_data(as_text=True)
    assert kept
    with runtime.store.transaction() as session:
        assert session.get_one(User, person.id).totp_enabled_at is None


def test_an_auditor_cannot_be_put_on_a_panel(admin, make_user, runtime):
    auditor = make_user("auditor", ())

    admin.post("/admin/panels/feedback-desk/members", {"email": auditor.email}, page="/admin/panels")
    refused = admin.post(
        "/admin/users",
        {"email": "aud@sauti.test", "role": "auditor", "panels": "feedback-desk", "method": "link"},
    )

    with runtime.store.transaction() as session:
        assert session.get_one(User, auditor.id).panels == []
        assert session.scalars(select(User).where(User.email == "aud@sauti.test")).first() is None
    assert refused.status_code == 303


def test_the_outbox_lists_time_status_attempts_and_pages(admin, client, reported_case):
    reported_case(EMERGENCY)

    page = client.get("/admin/outbox").get_data(as_text=True)

    assert 'data-label="Attempts">1<' in page
    assert 'data-label="Status">sent' in page
    assert client.get("/admin/outbox?page=x").status_code == 400


def test_a_failed_message_is_sent_again_from_the_outbox(admin, client, reported_case, runtime, run_jobs):
    reported_case(EMERGENCY)
    with runtime.store.transaction() as session:
        message = session.scalars(select(OutboundMessage)).one()
        message.status, message.error = "failed", "21610"

    admin.post(f"/admin/outbox/{message.id}/retry", {}, page="/admin/outbox")
    run_jobs()

    with runtime.store.transaction() as session:
        again = session.get_one(OutboundMessage, message.id)
        retried = session.scalars(select(AuditEvent).where(AuditEvent.action == "outbox.retried")).one()
    assert again.status == "sent"
    assert again.attempts == 2
    assert retried.actor.startswith("user:")


def test_users_reset_gives_a_new_password_and_a_new_authenticator(app, make_user, runtime):
    person = make_user("panel_member")

    result = app.test_cli_runner().invoke(
        args=["users", "reset", person.email, "--password", "--authenticator", "--yes"]
    )

    assert result.exit_code == 0, result.output
    password = re.search(r"\(shown once\): (\S+)", result.output).group(1)
    with runtime.store.transaction() as session:
        user = session.get_one(User, person.id)
        assert password_matches(user, password)
        assert not password_matches(user, person.password)
        assert user.totp_enabled_at is None


def test_users_reset_of_a_password_revokes_the_api_token(app, make_user, api_token, client):
    person = make_user("panel_lead")
    token = api_token(person)

    app.test_cli_runner().invoke(args=["users", "reset", person.email, "--password", "--yes"])

    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_users_reset_says_what_to_reset(app, make_user):
    result = app.test_cli_runner().invoke(args=["users", "reset", make_user().email, "--yes"])

    assert result.exit_code != 0
    assert "--password" in result.output


def test_an_admin_keeps_reply_templates_for_a_panel(admin, client, runtime):
    admin.post(
        "/admin/templates",
        {"panel": "feedback-desk", "title": "Thanks", "text_en": "Thank you.", "text_sw": "Asante."},
    )

    page = client.get("/admin/templates").get_data(as_text=True)

    assert "Asante." in page
    assert "Thank you." in page
    with runtime.store.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "reply_template.saved")).one()
    assert "Asante" not in str(event.details)


def test_the_site_has_a_favicon(client):
    assert client.get("/favicon.ico").status_code == 301
    assert client.get("/static/favicon.svg").status_code == 200


def test_a_reset_run_by_a_script_without_yes_says_to_add_it(app, make_user):
    result = app.test_cli_runner().invoke(args=["users", "reset", make_user().email, "--password"], input="")

    assert result.exit_code != 0
    assert "add --yes" in result.output
    assert "Aborted" not in result.output
