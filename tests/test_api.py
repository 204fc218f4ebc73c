"""The JSON API: bearer tokens, the web view's role rules, and an honest OpenAPI document."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from app.api.openapi import SCHEMAS, document
from storage import Report, User
from storage.casework.queries import ERASED
from storage.models import AuditEvent


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_api_refuses_a_request_without_a_token(client):
    response = client.get("/api/v1/cases")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401
    assert "bearer token" in response.json["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_api_refuses_a_wrong_token(client):
    assert client.get("/api/v1/cases", headers=bearer("made-up")).status_code == 401


def test_a_member_lists_only_their_panels_cases(reported_case, make_user, api_token, client):
    mine = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    other = reported_case("They are beating him right now at Pumwani, he is bleeding")
    token = api_token(make_user("panel_member", ("police-accountability",)))

    refs = [c["ref"] for c in client.get("/api/v1/cases", headers=bearer(token)).json["cases"]]

    assert refs == [mine]
    assert other not in refs


def test_a_case_read_through_the_api_has_its_text_redacted(reported_case, make_user, api_token, client):
    ref = reported_case("Askari wanaitisha hongo kila siku Gikomba, nipigie 0722000111")
    token = api_token(make_user())

    case = client.get(f"/api/v1/cases/{ref}", headers=bearer(token)).json

    assert "hongo" in case["text"]
    assert "0722000111" not in case["text"]
    assert case["status"] == "open"
    assert case["panel"] == "police-accountability"


def test_the_case_list_gives_members_the_redacted_text_and_audits_each_view(
    reported_case, make_user, api_token, client, runtime
):
    ref = reported_case("Askari wanaitisha hongo kila siku Gikomba, nipigie 0722000111")
    token = api_token(make_user())

    [case] = client.get("/api/v1/cases", headers=bearer(token)).json["cases"]

    assert case["ref"] == ref
    assert "hongo" in case["text"]
    assert "0722000111" not in case["text"]
    with runtime.store.transaction() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all()
    assert [v.details.get("text_shown") for v in views] == [True]


def test_a_member_of_another_panel_gets_404_from_the_api(reported_case, make_user, api_token, client):
    ref = reported_case()
    token = api_token(make_user("panel_member", ("peace-committee",)))

    assert client.get(f"/api/v1/cases/{ref}", headers=bearer(token)).status_code == 404
    response = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "acknowledge"}, headers=bearer(token)
    )
    assert response.status_code == 404


def test_the_case_list_shows_a_dash_for_a_report_whose_key_is_gone(
    reported_case, make_user, api_token, client, runtime
):
    ref = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    with runtime.store.transaction() as session:
        session.scalars(select(Report).where(Report.ref == ref)).one().wrapped_key = None
    token = api_token(make_user())

    response = client.get("/api/v1/cases", headers=bearer(token))

    assert response.status_code == 200
    assert [(c["ref"], c["text"]) for c in response.json["cases"]] == [(ref, ERASED)]


def test_an_auditor_gets_case_metadata_and_no_text(reported_case, make_user, api_token, client):
    ref = reported_case("Askari wanaitisha hongo kila siku Gikomba")
    token = api_token(make_user("auditor", ()))

    listed = client.get("/api/v1/cases", headers=bearer(token)).get_data(as_text=True)
    case = client.get(f"/api/v1/cases/{ref}", headers=bearer(token))

    assert ref in listed
    assert "hongo" not in listed
    assert case.status_code == 200
    assert "text" not in case.json
    assert "hongo" not in case.get_data(as_text=True)


@pytest.mark.parametrize("words", ["hongo", "zzzzqqq"], ids=["in-the-text", "not-in-the-text"])
def test_an_auditor_may_not_search_the_text_of_cases(reported_case, make_user, api_token, client, words):
    reported_case("Askari wanaitisha hongo kila siku Gikomba")
    token = api_token(make_user("auditor", ()))

    response = client.get(f"/api/v1/cases?q={words}", headers=bearer(token))

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "may search it" in response.json["detail"]


@pytest.mark.parametrize(
    "path", ["/api/v1/cases", "/api/v1/cases/{ref}", "/api/v1/cases/K7F-3QX"], ids=["list", "case", "error"]
)
def test_api_answers_tell_caches_not_to_keep_them(reported_case, make_user, api_token, client, path):
    ref = reported_case()
    token = api_token(make_user("panel_lead"))

    response = client.get(path.format(ref=ref), headers=bearer(token))

    assert response.headers["Cache-Control"] == "no-store"


def test_an_auditor_cannot_act_on_a_case(reported_case, make_user, api_token, client):
    ref = reported_case()
    token = api_token(make_user("auditor", ()))

    response = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "acknowledge"}, headers=bearer(token)
    )

    assert response.status_code == 403


def test_reading_a_case_through_the_api_is_audited(reported_case, make_user, api_token, client, runtime):
    ref = reported_case()
    account = make_user()

    client.get(f"/api/v1/cases/{ref}", headers=bearer(api_token(account)))

    with runtime.store.transaction() as session:
        viewed = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).one()
    assert viewed.actor == f"user:{account.id}"
    assert viewed.details["ref"] == ref


def test_acknowledge_and_reply_through_the_api(reported_case, make_user, api_token, client):
    ref = reported_case()
    headers = bearer(api_token(make_user()))

    acknowledged = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "acknowledge"}, headers=headers
    )
    replied = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "reply", "text": "We are on it"}, headers=headers
    )

    assert acknowledged.json["status"] == "acknowledged"
    assert replied.json["status"] == "responded"
    assert replied.json["first_response_at"]


def test_an_action_the_case_cannot_take_is_a_400_that_says_why(reported_case, make_user, api_token, client):
    ref = reported_case()
    headers = bearer(api_token(make_user()))
    client.post(f"/api/v1/cases/{ref}/actions", json={"action": "acknowledge"}, headers=headers)

    response = client.post(f"/api/v1/cases/{ref}/actions", json={"action": "acknowledge"}, headers=headers)

    assert response.status_code == 400
    assert "open" in response.json["detail"]


def test_cases_filter_by_urgency_and_since(reported_case, make_user, api_token, client):
    routine = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")
    critical = reported_case("They are beating him right now at Pumwani, he is bleeding")
    headers = bearer(api_token(make_user("panel_member", ("police-accountability", "emergency-desk"))))

    urgent = client.get("/api/v1/cases?urgency=critical", headers=headers).json["cases"]
    future = client.get("/api/v1/cases?since=2099-01-01T00:00:00Z", headers=headers).json["cases"]

    assert [c["ref"] for c in urgent] == [critical]
    assert routine not in str(urgent)
    assert future == []


def test_a_bad_filter_is_a_400(make_user, api_token, client):
    headers = bearer(api_token(make_user()))

    assert client.get("/api/v1/cases?since=yesterday", headers=headers).status_code == 400
    assert client.get("/api/v1/cases?urgency=extreme", headers=headers).status_code == 400


def test_the_openapi_document_describes_every_api_route(app, client):
    described = set(client.get("/api/v1/openapi.json").json["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(rule))
        for rule in app.url_map.iter_rules()
        if str(rule).startswith("/api/v1/") and not str(rule).endswith("openapi.json")
    }

    assert routes <= described


def test_the_documented_actions_are_exactly_the_ones_the_route_accepts(
    reported_case, make_user, api_token, client
):
    ref = reported_case()
    headers = bearer(api_token(make_user()))
    documented = [
        SCHEMAS[choice["$ref"].split("/")[-1]]["properties"]["action"]["const"]
        for choice in SCHEMAS["Action"]["oneOf"]
    ]

    unknown = client.post(f"/api/v1/cases/{ref}/actions", json={"action": "shred"}, headers=headers)

    assert unknown.status_code == 400
    assert unknown.json["detail"] == f"action must be one of {', '.join(documented)}"


def test_case_answers_carry_exactly_the_documented_fields(reported_case, make_user, api_token, client):
    ref = reported_case()
    headers = bearer(api_token(make_user()))
    documented = set(SCHEMAS["Case"]["properties"])
    detail_extra = {name for part in SCHEMAS["CaseDetail"]["allOf"][1:] for name in part["properties"]}

    listed = client.get("/api/v1/cases", headers=headers).json["cases"][0]
    detail = client.get(f"/api/v1/cases/{ref}", headers=headers).json

    assert set(listed) == documented
    assert set(detail) == documented | detail_extra
    assert document()["openapi"].startswith("3.1")


def test_users_token_prints_a_token_once_and_keeps_only_its_digest(app, make_user, runtime, client):
    account = make_user()

    result = app.test_cli_runner().invoke(args=["users", "token", account.email])

    token = result.output.strip()
    with runtime.store.transaction() as session:
        stored = session.get_one(User, account.id).api_token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 200


def test_users_create_makes_an_account_on_a_panel_and_prints_its_password(app, runtime):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Lead@Sauti.test", "--role", "panel_lead", "--panel", "emergency-desk"]
    )

    assert result.exit_code == 0, result.output
    assert "Password (shown once):" in result.output
    with runtime.store.transaction() as session:
        user = session.scalars(select(User).where(User.email == "lead@sauti.test")).one()
        assert user.role == "panel_lead"
        assert [p.key for p in user.panels] == ["emergency-desk"]


def test_users_create_names_the_panels_when_one_is_unknown(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x@sauti.test", "--role", "panel_member", "--panel", "nope"]
    )

    assert result.exit_code != 0
    assert "police-accountability" in result.output


@pytest.mark.parametrize("email", ["@", "x@y", "no at sign"])
def test_users_create_refuses_an_address_no_account_can_have(app, email):
    result = app.test_cli_runner().invoke(args=["users", "create", email, "--role", "panel_member"])

    assert result.exit_code == 2
    assert "Invalid value for EMAIL" in result.output
    assert "Traceback" not in result.output


def test_the_api_searches_the_redacted_text_and_says_the_total(reported_case, make_user, api_token, client):
    extortion = reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba, nipigie 0722000111")
    reported_case("Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia")
    headers = bearer(api_token(make_user("panel_member", ("police-accountability", "emergency-desk"))))

    found = client.get("/api/v1/cases?q=hongo", headers=headers).json
    redacted = client.get("/api/v1/cases?q=0722000111", headers=headers).json

    assert [c["ref"] for c in found["cases"]] == [extortion]
    assert found["total"] == 1
    assert redacted["cases"] == []
    assert redacted["total"] == 0


def test_the_api_pages_through_the_cases(reported_case, make_user, api_token, client):
    refs = {reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba") for _ in range(3)}
    headers = bearer(api_token(make_user()))

    first = client.get("/api/v1/cases?per_page=2&sort=received", headers=headers).json
    second = client.get("/api/v1/cases?per_page=2&page=2&sort=received", headers=headers).json

    assert (first["total"], first["pages"], len(first["cases"]), len(second["cases"])) == (3, 2, 2, 1)
    assert {c["ref"] for c in first["cases"] + second["cases"]} == refs


def test_the_api_looks_a_case_up_by_a_loosely_typed_reference(reported_case, make_user, api_token, client):
    ref = reported_case()
    reported_case("Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia")
    headers = bearer(api_token(make_user("panel_member", ("police-accountability", "emergency-desk"))))

    found = client.get(f"/api/v1/cases?ref={ref.replace('-', '').lower()}", headers=headers).json

    assert [c["ref"] for c in found["cases"]] == [ref]
    assert client.get("/api/v1/cases?ref=nonsense!", headers=headers).status_code == 400


def test_a_case_carries_its_assignee_and_the_assignee_filter_finds_it(
    reported_case, make_user, api_token, client
):
    mine, other = reported_case(), reported_case()
    lead = make_user("panel_lead")
    headers = bearer(api_token(lead))
    answer = client.post(
        f"/api/v1/cases/{mine}/actions", json={"action": "assign", "assignee": lead.email}, headers=headers
    )

    assigned = client.get("/api/v1/cases?assignee=me", headers=headers).json["cases"]
    unassigned = client.get("/api/v1/cases?assignee=none", headers=headers).json["cases"]

    assert answer.json["assignee"] == lead.email
    assert [(c["ref"], c["assignee"]) for c in assigned] == [(mine, lead.email)]
    assert [(c["ref"], c["assignee"]) for c in unassigned] == [(other, None)]
    assert client.get(f"/api/v1/cases/{mine}", headers=headers).json["assignee"] == lead.email


def test_a_case_says_whether_its_reporter_can_be_reached(
    reported_case, send_sms, make_user, api_token, client
):
    ref = reported_case()
    headers = bearer(api_token(make_user()))
    reachable = client.get(f"/api/v1/cases/{ref}", headers=headers).json["reporter_reachable"]

    send_sms("STOP")

    assert reachable is True
    assert client.get(f"/api/v1/cases/{ref}", headers=headers).json["reporter_reachable"] is False


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/cases/K7F-3QX", 404),
        ("get", "/api/v1/no-such-thing", 404),
        ("delete", "/api/v1/cases", 405),
        ("get", "/api/v1/cases?urgency=extreme", 400),
        ("get", "/api/v1/metrics/response-times", 403),
    ],
)
def test_every_api_error_is_a_problem_document(make_user, api_token, client, method, path, status):
    headers = bearer(api_token(make_user()))

    response = getattr(client, method)(path, headers=headers)

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status
    assert response.json["title"]
    assert response.json["detail"]
