"""A deadline once missed stays missed for the figures, whatever later moves it; overdue means
the step now due is past its deadline; a case the sweep moves to the fallback panel is nobody's
until someone there takes it. Time is frozen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storage import AuditEvent, Case
from storage.reporting.exact import response_times
from tests.fixtures.clocks import SLA_START
from tests.helpers import cases
from workers.sla import sweep_sla

START = SLA_START
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


@pytest.fixture
def act(client, make_user, api_token):
    """Post one action as a lead of the emergency desk, through the API."""
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead', ('emergency-desk',)))}"}

    def post(ref: str, **action: str) -> None:
        answer = client.post(f"/api/v1/cases/{ref}/actions", json=action, headers=headers)
        assert answer.status_code == 200, answer.json

    post.headers = headers  # type: ignore[attr-defined]
    return post


def acknowledged_on_time(runtime) -> float | None:
    with runtime.store.transaction() as session:
        [row] = response_times(session, "panel")
        return row.acknowledged_on_time


def test_escalating_a_late_case_keeps_its_acknowledgement_late(clock, reported_case, runtime, act):
    ref = reported_case(EMERGENCY)
    clock.move_to(START + timedelta(minutes=20))
    sweep_sla()

    act(ref, action="escalate", reason="x")
    act(ref, action="acknowledge")

    assert acknowledged_on_time(runtime) == 0.0


def test_reclassifying_a_late_case_down_keeps_its_acknowledgement_late(clock, reported_case, runtime, act):
    ref = reported_case(EMERGENCY)
    clock.move_to(START + timedelta(minutes=20))

    act(ref, action="reclassify", urgency="low")
    act(ref, action="acknowledge")

    assert acknowledged_on_time(runtime) == 0.0


def test_reclassifying_before_the_deadline_moves_it_fairly(clock, reported_case, runtime, act):
    ref = reported_case(EMERGENCY)
    clock.move_to(START + timedelta(minutes=5))
    act(ref, action="reclassify", urgency="low")
    clock.move_to(START + timedelta(minutes=20))

    act(ref, action="acknowledge")

    assert acknowledged_on_time(runtime) == 1.0


def test_the_sweep_leaves_a_case_moved_to_the_fallback_panel_unassigned(
    clock, reported_case, runtime, make_user
):
    reported_case(EMERGENCY)
    member = make_user("panel_member", ("emergency-desk",))
    with runtime.store.transaction() as session:
        session.scalars(select(Case)).one().assigned_user_id = member.id
    clock.move_to(START + timedelta(minutes=30))

    sweep_sla()

    [case] = cases(runtime)
    assert case.panel.key == runtime.routing.fallback
    assert case.assigned_user_id is None


def listed(client, act, query: str) -> list[str]:
    return [c["ref"] for c in client.get(f"/api/v1/cases?{query}", headers=act.headers).json["cases"]]


def test_an_acknowledged_case_is_no_longer_overdue(clock, reported_case, client, act):
    ref = reported_case(EMERGENCY)
    clock.move_to(START + timedelta(minutes=20))
    sweep_sla()
    assert client.get(f"/api/v1/cases/{ref}", headers=act.headers).json["overdue"] is True

    act(ref, action="acknowledge")

    assert client.get(f"/api/v1/cases/{ref}", headers=act.headers).json["overdue"] is False
    assert listed(client, act, "status=acknowledged&overdue=1") == []


def test_missing_the_resolve_deadline_later_makes_it_overdue_again(
    clock, reported_case, client, runtime, act
):
    ref = reported_case(EMERGENCY)
    clock.move_to(START + timedelta(minutes=20))
    sweep_sla()
    act(ref, action="acknowledge")
    [case] = cases(runtime)
    clock.move_to(case.resolve_due_at + timedelta(minutes=1))

    sweep_sla()

    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.overdue")).all()
        assert [e.details["deadline"] for e in events] == ["acknowledge", "resolve"]
    assert client.get(f"/api/v1/cases/{ref}", headers=act.headers).json["overdue"] is True
    assert listed(client, act, "status=acknowledged&overdue=1") == [ref]


def test_lateness_counts_against_the_panel_that_held_the_case(
    clock, reported_case, runtime, client, make_user, api_token
):
    ref = reported_case(EMERGENCY)
    clock.move_to(START + timedelta(minutes=30))
    sweep_sla()
    token = api_token(make_user("panel_lead", (runtime.routing.fallback,)))
    client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "acknowledge"},
        headers={"Authorization": f"Bearer {token}"},
    )

    with runtime.store.transaction() as session:
        rows = response_times(session, "panel")
    assert [(row.group, row.acknowledged_on_time) for row in rows] == [("emergency-desk", 0.0)]
