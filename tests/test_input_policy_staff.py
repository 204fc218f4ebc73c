"""Bad input from staff is a 400 that names the field, and nothing is stored or done: in
signing in (unauthenticated), in the admin's forms, in the panel's filters (numbers in other
digits, times beyond UTC), case references and actions, and in a bulk form's way back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage import Panel, User
from storage.models import AuditEvent, ReplyTemplate, SignInFailure
from tests.fixtures.staff import AuthActions
from tests.helpers import BEYOND_UTC, OTHER_DIGITS, count

# Signing in, unauthenticated


@pytest.mark.parametrize(
    "email",
    ["lead\x00@sauti.test", "x" * 300 + "@sauti.test", "lead@sauti.test\x07"],
)
def test_a_broken_email_at_sign_in_is_a_400_and_counts_no_failure(auth, runtime, email):
    response = auth.password(email, "whatever")

    assert response.status_code == 400
    assert "email" in response.get_data(as_text=True)
    assert count(runtime, SignInFailure) == 0


def test_a_nul_in_the_password_is_a_400(auth, make_user, runtime):
    account = make_user()

    assert auth.password(account.email, account.password + "\x00").status_code == 400
    assert count(runtime, SignInFailure) == 0


def test_a_nul_in_the_code_is_a_400(auth, make_user):
    account = make_user()
    auth.password(account.email, account.password)

    assert auth.post("/sign-in/code", {"code": "12\x003456"}).status_code == 400


def test_a_broken_next_address_is_a_400(client):
    assert client.get("/sign-in?next=/panel/%00").status_code == 400


def test_a_language_that_is_not_offered_is_a_400(auth, make_user):
    auth.sign_in(make_user())

    assert auth.post("/language", {"language": "fr"}, page="/panel/").status_code == 400


def test_an_over_long_invitation_password_is_a_400(runtime, auth):
    from storage.accounts import create_user, issue_invitation

    with runtime.store.transaction() as session:
        token = issue_invitation(create_user(session, "invited@sauti.test", "panel_member", "unknown"))
    password = "p" * 300

    response = auth.post(f"/invitation/{token}", {"password": password, "confirm": password})

    assert response.status_code == 400


# Admin forms


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


@pytest.mark.parametrize(
    "form",
    [
        {"email": "new\x00@sauti.test", "role": "panel_member", "method": "link"},
        {"email": "n" * 250 + "@sauti.test", "role": "panel_member", "method": "link"},
        {"email": "new@sauti.test", "role": "overlord", "method": "link"},
        {"email": "new@sauti.test", "role": "auditor", "method": "carrier-pigeon"},
        {"email": "new@sauti.test", "role": "auditor", "method": "link", "language": "fr"},
        {"email": "new@sauti.test", "role": "auditor", "method": "link", "panels": "p" * 65},
    ],
)
def test_a_bad_invitation_is_a_400_and_makes_no_account(admin, runtime, form):
    response = admin.post("/admin/users", form)

    assert response.status_code == 400
    with runtime.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    "form",
    [
        {"key": "youth-desk", "name": "Y" * 201},
        {"key": "y" * 65, "name": "Youth Desk"},
        {"key": "youth-desk", "name": "Youth\x00Desk"},
        {"key": "youth-desk", "name": "Youth Desk", "name_sw": "Dawati\nla Vijana"},
    ],
)
def test_a_bad_panel_is_a_400_and_makes_no_panel(admin, runtime, form):
    panels = count(runtime, Panel)

    response = admin.post("/admin/panels", form)

    assert response.status_code == 400
    assert count(runtime, Panel) == panels


def test_a_bad_membership_change_is_a_400(admin, make_user, runtime):
    member = make_user("panel_member", ())

    response = admin.post(
        "/admin/panels/feedback-desk/members",
        {"email": member.email, "change": "promote"},
        page="/admin/panels",
    )

    assert response.status_code == 400
    with runtime.store.transaction() as session:
        assert session.get_one(User, member.id).panels == []


def test_an_outbox_page_in_other_digits_is_a_400(admin, client):
    response = client.get("/admin/outbox?page=%C2%B2")

    assert response.status_code == 400
    assert "page must be a whole number" in response.get_data(as_text=True)


def test_a_reply_template_id_in_other_digits_is_a_400_and_saves_nothing(admin, runtime):
    form = {
        "id": "\u00b2",
        "panel": "feedback-desk",
        "title": "Thanks",
        "text_en": "Thank you.",
        "text_sw": "Asante.",
    }

    response = admin.post("/admin/templates", form)

    assert response.status_code == 400
    assert count(runtime, ReplyTemplate) == 0


def test_rules_with_a_nul_are_a_400_and_nothing_is_saved(admin, runtime):
    response = admin.post("/admin/routing/routing", {"text": "fallback: x\x00"}, page="/admin/routing")

    assert response.status_code == 400
    assert not (runtime.settings.instance_path / "routing.yaml").exists()


# Panel pages and case references


@pytest.fixture
def member(make_user, auth) -> AuthActions:
    auth.sign_in(make_user())
    return auth


@pytest.mark.parametrize(
    "query",
    [
        "ward=Eastleigh%00",
        "ward=" + "w" * 65,
        "status=open%01",
        "%00=1",
        "category=" + "c" * 600,
        *OTHER_DIGITS,
        *BEYOND_UTC,
    ],
)
def test_a_broken_queue_filter_is_a_400(member, client, query):
    response = client.get(f"/panel/?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize("query", [*OTHER_DIGITS, *BEYOND_UTC])
def test_a_broken_filter_of_the_queue_as_csv_is_a_400_with_the_reason(member, client, query):
    response = client.get(f"/panel/cases.csv?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.get_data(as_text=True)


@pytest.mark.parametrize("ref", ["K7F%00-3QX", "K" * 17, "K7F%0A3QX"])
def test_a_broken_case_reference_is_a_400(member, client, ref):
    assert client.get(f"/panel/cases/{ref}").status_code == 400


def test_a_nul_in_a_panel_action_is_a_400_and_nothing_is_done(reported_case, member, client, runtime):
    ref = reported_case()
    page = f"/panel/cases/{ref}"

    response = member.post(f"{page}/note", {"text": "called\x00the family"}, page=page)

    assert response.status_code == 400
    with runtime.store.transaction() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "case.note_added")) is None


# The bulk form's way back


def test_a_line_break_in_the_bulk_forms_way_back_stays_in_the_query(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    response = auth.post(
        "/panel/bulk",
        {"action": "acknowledge", "refs": ref, "back": "status=open\r\nX: y"},
        page="/panel/",
    )

    assert response.status_code == 303
    assert "\n" not in response.headers["Location"]
    assert response.headers["Location"].endswith("?status=open%0D%0AX%3A+y")
