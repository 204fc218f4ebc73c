"""Someone taken off a panel holds none of its open cases any more, and someone deactivated
holds none at all: each case they held becomes nobody's (audited), so it shows among the
unassigned for a lead to give to someone who can open it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import AuditEvent
from tests.fixtures.staff import AuthActions
from tests.helpers import report_by_ref

PEACE = "Vijana wanaajiriwa na kundi hatari mtaani Pumwani, tunaogopa"


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


@pytest.fixture
def lead_api(client, make_user, api_token):
    """A lead of both panels, acting and reading through the API."""
    lead = make_user("panel_lead", ("police-accountability", "peace-committee"))
    headers = {"Authorization": f"Bearer {api_token(lead)}"}

    def call(ref: str | None = None, **action: str | bool) -> dict:
        if ref is None:
            answer = client.get("/api/v1/cases?assignee=none", headers=headers)
        else:
            answer = client.post(f"/api/v1/cases/{ref}/actions", json=action, headers=headers)
        assert answer.status_code == 200, answer.json
        return answer.json

    return call


def unassigned(lead_api) -> list[str]:
    return [case["ref"] for case in lead_api()["cases"]]


def assignee_of(runtime, ref: str) -> int | None:
    return report_by_ref(runtime, ref).case.assigned_user_id


def test_taking_someone_off_a_panel_leaves_its_open_cases_unassigned(
    admin, make_user, reported_case, lead_api, runtime
):
    ref = reported_case()
    member = make_user("panel_member", ("police-accountability",))
    lead_api(ref, action="assign", assignee=member.email)

    admin.post(
        "/admin/panels/police-accountability/members",
        {"email": member.email, "change": "remove"},
        page="/admin/panels",
    )

    assert assignee_of(runtime, ref) is None
    assert ref in unassigned(lead_api)
    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.assigned")).all()
        assert [(e.details["assignee"], e.details.get("unassigned")) for e in events] == [
            (f"user:{member.id}", None),
            (None, f"user:{member.id}"),
        ]


def test_taking_someone_off_one_panel_leaves_their_cases_on_another(
    admin, make_user, reported_case, lead_api, runtime
):
    ref = reported_case(PEACE)
    member = make_user("panel_member", ("police-accountability", "peace-committee"))
    lead_api(ref, action="assign", assignee=member.email)

    admin.post(
        "/admin/panels/police-accountability/members",
        {"email": member.email, "change": "remove"},
        page="/admin/panels",
    )

    assert assignee_of(runtime, ref) == member.id


def test_deactivating_someone_leaves_all_their_open_cases_unassigned(
    admin, make_user, reported_case, lead_api, runtime
):
    refs = [reported_case(), reported_case(PEACE)]
    member = make_user("panel_member", ("police-accountability", "peace-committee"))
    for ref in refs:
        lead_api(ref, action="assign", assignee=member.email)

    admin.post(f"/admin/users/{member.id}/deactivate", {"confirmed": "yes"}, page="/admin/users")

    assert [assignee_of(runtime, ref) for ref in refs] == [None, None]
    assert set(refs) <= set(unassigned(lead_api))


def test_a_resolved_case_keeps_who_held_it(admin, make_user, reported_case, lead_api, runtime):
    ref = reported_case()
    member = make_user("panel_member", ("police-accountability",))
    lead_api(ref, action="assign", assignee=member.email)
    lead_api(ref, action="resolve", outcome="answered", confirm=True)

    admin.post(f"/admin/users/{member.id}/deactivate", {"confirmed": "yes"}, page="/admin/users")

    assert assignee_of(runtime, ref) == member.id
