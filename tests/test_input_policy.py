"""Bad input is a 400 that names the field, everywhere, and nothing is stored: NUL and other
control characters, half surrogate pairs, over-long values, unknown choices, malformed
query values (numbers in other digits, times beyond UTC), in sign-in, staff forms, panel and
API filters, case references, the API's actions and the gateways' signed webhooks; and a
request that cannot be read at all (JSON nested too deeply, a Host header no link can name, a
query string that is not UTF-8)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from storage import Message, OutboundMessage, Panel, Report, Reporter, User
from storage.inputs import InputError, checked_text
from storage.models import AuditEvent, ReplyTemplate, SignInFailure
from storage.typed_values import whole_number
from tests.conftest import AT_SECRET, AuthActions, csrf_token_of, twilio_form, twilio_signature
from tests.helpers import count, outbound


def rows(runtime, *models) -> dict[str, int]:
    return {model.__name__: count(runtime, model) for model in models}


GATEWAY_ROWS = (Report, Message, Reporter, OutboundMessage)


# The policy itself


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a\x00b", "NUL"),
        ("a\x1bb", "U+001B"),
        ("a\x85b", "U+0085"),
        ("a\ud800b", "surrogate"),
        ("line\nbreak", "U+000A"),
        ("x" * 65, "longer than 64"),
    ],
)
def test_the_policy_refuses_control_characters_broken_text_and_long_values(value, reason):
    with pytest.raises(InputError, match=re.escape(reason)):
        checked_text(value, "field", 64)


def test_free_text_may_hold_line_breaks_and_tabs_but_no_nul():
    assert checked_text("two\r\nlines\tand a tab", "Body", 64, multiline=True)
    with pytest.raises(InputError, match="Body contains a NUL"):
        checked_text("two\nlines\x00", "Body", 64, multiline=True)


def test_any_script_is_accepted():
    assert checked_text("Askari · 警察 · شرطة · Боли 👮", "Body", 64)


@pytest.mark.parametrize(
    "typed", ["\u00b2", "\uff15", "\u0663", "-1", " 1", "1 ", "1\n", "0", "201", "9" * 5000, ""]
)
def test_a_number_is_ascii_digits_within_its_bound(typed):
    with pytest.raises(InputError, match="page must be a whole number from 1 to 200"):
        whole_number(typed, "page", 200)


def test_a_number_may_have_leading_zeros():
    assert whole_number("0" * 5000 + "7", "page", 200) == 7


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


# Digits `str.isdigit()` takes and `int()` does not (superscript two), or reads as another
# number (full-width five, Arabic-Indic one); times that exist nowhere in UTC.
OTHER_DIGITS = ["page=%C2%B2", "per_page=%EF%BC%95", "page=%D9%A1"]
BEYOND_UTC = ["since=9999-12-31T23:59:59-14:00", "since=0001-01-01T00:00:00%2B14:00"]


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


# The API


@pytest.fixture
def api(make_user, api_token, client):
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    def call(method: str, path: str, **kwargs):
        return client.open(path, method=method, headers=headers, **kwargs)

    return call


@pytest.mark.parametrize(
    "query",
    [
        "ward=%00",
        "panel=" + "p" * 65,
        "overdue=maybe",
        "since=2026-13-01",
        "status=open%00",
        "%00=x",
        *OTHER_DIGITS,
        *BEYOND_UTC,
    ],
)
def test_a_broken_api_filter_is_a_400_problem(api, query):
    response = api("GET", f"/api/v1/cases?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"]


def test_an_api_action_nested_too_deeply_is_a_400(reported_case, api):
    ref = reported_case()
    body = b'{"action": "note", "text": "x", "d": ' + b"[" * 5000 + b"]" * 5000 + b"}"

    response = api("POST", f"/api/v1/cases/{ref}/actions", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in response.json["detail"]


@pytest.mark.parametrize("ref", ["K7F%00-3QX", "K" * 40])
def test_a_broken_api_case_reference_is_a_400(api, ref):
    assert api("GET", f"/api/v1/cases/{ref}").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"action": "note", "text": "called\x00"},
        {"action": "note", "text": "half a pair \ud800"},
        {"action": "transfer", "panel": "emergency-desk", "reason": "see\x1bthis"},
        {"action\x00": "note"},
    ],
)
def test_a_broken_api_action_is_a_400_and_nothing_is_done(reported_case, api, runtime, body):
    ref = reported_case()
    audited = count(runtime, AuditEvent)

    response = api("POST", f"/api/v1/cases/{ref}/actions", json=body)

    assert response.status_code == 400
    assert count(runtime, AuditEvent) == audited


# The request itself


@pytest.mark.parametrize("path", ["/sign-in", "/healthz", "/no-such-page"])
def test_json_nested_too_deeply_is_a_400_on_any_path(client, path):
    response = client.post(path, data=b"[" * 5000 + b"]" * 5000, content_type="application/json")

    assert response.status_code == 400
    assert "nested too deeply" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["a..b", "a" * 64 + ".org"], ids=["empty-label", "long-label"])
@pytest.mark.parametrize("path", ["/sign-in", "/healthz"])
def test_a_host_header_no_link_can_name_is_a_400_that_says_so(client, path, host):
    response = client.get(path, headers={"Host": host})

    assert response.status_code == 400
    assert "the Host header is not a host name this site answers to" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/sign-in", "/healthz"])
def test_a_query_string_that_is_not_utf8_is_a_400_that_says_so(app, path):
    # Raw bytes no browser sends (gunicorn refuses them before the app; other servers may not).
    response = app.test_client().get(path, environ_overrides={"QUERY_STRING": "q=\xff"})

    assert response.status_code == 400
    assert "not UTF-8" in response.get_data(as_text=True)


# Signed webhooks


def post_twilio(client, form, path="/channels/twilio/sms"):
    return client.post(path, data=form, headers={"X-Twilio-Signature": twilio_signature(form, path=path)})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"MessageSid": "SM" + "a" * 63}, "MessageSid is longer than 64"),
        ({"Body": "Polisi\x00wamemkamata"}, "Body contains a NUL"),
        ({"From": "+254712345678\x00"}, "From contains a NUL"),
        ({"From": "+2547" + "1" * 70}, "From is longer than"),
        ({"ToCity": "Nai\x00robi"}, "ToCity contains a NUL"),
    ],
)
def test_a_signed_twilio_sms_with_bad_fields_is_a_400_that_stores_nothing(client, runtime, change, reason):
    before = rows(runtime, *GATEWAY_ROWS)

    response = post_twilio(client, twilio_form("Polisi wamemkamata kijana") | change)

    assert response.status_code == 400
    assert reason in response.text
    assert rows(runtime, *GATEWAY_ROWS) == before


def test_a_signed_twilio_sms_naming_its_sid_twice_is_a_400(client, runtime):
    form = MultiDict([*twilio_form("Polisi wamemkamata").items(), ("MessageSid", "SMsecond")])

    response = post_twilio(client, form)

    assert response.status_code == 400
    assert "MessageSid is given more than once" in response.text
    assert count(runtime, Report) == 0


def test_a_twilio_status_callback_with_an_over_long_sid_is_a_400(client, reported_case, runtime):
    reported_case()
    form = {"MessageSid": "SM" + "b" * 80, "MessageStatus": "delivered"}

    response = post_twilio(client, form, path="/channels/twilio/status")

    assert response.status_code == 400
    assert all(m.status != "delivered" for m in outbound(runtime))


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/channels/ussd", {"sessionId": "s" * 65, "phoneNumber": "+254712345678", "text": "1*1*Polisi*1"}),
        (
            "/channels/ussd",
            {"sessionId": "ATUid_1", "phoneNumber": "+254712345678", "text": "1*1*Po\x00lisi*1"},
        ),
        ("/channels/africastalking/sms", {"id": "i" * 65, "from": "+254712345678", "text": "Polisi"}),
        ("/channels/africastalking/sms", {"id": "ATXid_1", "from": "+254712\x00345678", "text": "Polisi"}),
        (
            "/channels/africastalking/status",
            {"id": "ATXid_1", "status": "Success", "failureReason": "x" * 201},
        ),
    ],
)
def test_africastalking_callbacks_with_bad_fields_are_a_400_that_store_nothing(client, runtime, path, form):
    before = rows(runtime, *GATEWAY_ROWS)

    response = client.post(f"{path}?secret={AT_SECRET}", data=form)

    assert response.status_code == 400
    assert rows(runtime, *GATEWAY_ROWS) == before


@pytest.mark.parametrize("host", ["xn--zz", "xn--", "a.xn--zz"])
@pytest.mark.parametrize("path", ["/panel/", "/sign-in"])
def test_a_host_header_with_a_broken_idna_label_is_a_400_that_says_so(app, path, host):
    status, body = straight_to_wsgi(app, "GET", path, host)

    assert status == 400
    assert "the Host header is not a host name this site answers to" in body


def test_a_signed_looking_sms_to_a_broken_idna_host_is_a_400_and_stores_nothing(app, runtime):
    form = {"MessageSid": "SMidna", "From": "+254712345678", "Body": "Polisi"}

    status, _ = straight_to_wsgi(app, "POST", "/channels/twilio/sms", "xn--zz", form)

    assert status == 400
    assert rows(runtime, Report) == {"Report": 0}


def straight_to_wsgi(
    app, method: str, path: str, host: str, form: dict[str, str] | None = None
) -> tuple[int, str]:
    """One request to the app itself: Werkzeug's test client reads the request's URL after the
    app answers, and cannot read such a host."""
    environ = EnvironBuilder(
        path=path, method=method, headers={"Host": host, "X-Twilio-Signature": "x"}, data=form
    ).get_environ()
    answered: list[int] = []
    body = b"".join(
        app(environ, lambda status, headers, exc_info=None: answered.append(int(status.split()[0])))
    )
    return answered[0], body.decode()


@pytest.mark.parametrize("body", ["[1]", "5", '"x"', '{"email": 5, "password": {"a": 1}}'])
def test_json_posted_to_a_page_is_refused_with_415(client, body):
    token = csrf_token_of(client.get("/sign-in").get_data(as_text=True))

    response = client.post(
        "/sign-in", data=body, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert response.status_code == 415
    assert "pages take form posts" in response.get_data(as_text=True)


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
