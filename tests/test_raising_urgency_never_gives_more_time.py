"""Escalating a case, or raising its urgency, brings its deadlines forward or leaves them: it
never gives the panel more time, so a case cannot be kept from going overdue by raising it
again and again. Time is frozen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.clocks import SLA_START
from tests.helpers import cases, report_by_ref
from workers.sla import sweep_sla

START = SLA_START
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"
POSSIBLE_EMERGENCY = "people are saying police are beating a boy at the chief's camp right now"


@pytest.fixture
def act(client, make_user, api_token):
    """Post one action as a lead of the emergency desk, through the API; the case after it."""
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead', ('emergency-desk',)))}"}

    def post(ref: str, **action: str) -> dict:
        answer = client.post(f"/api/v1/cases/{ref}/actions", json=action, headers=headers)
        assert answer.status_code == 200, answer.json
        return answer.json

    return post


def test_escalating_a_critical_case_keeps_its_deadline(clock, reported_case, runtime, act):
    ref = reported_case(EMERGENCY)
    [before] = cases(runtime)
    clock.move_to(START + timedelta(minutes=3))

    act(ref, action="escalate", reason="x")

    [after] = cases(runtime)
    assert after.acknowledge_due_at == before.acknowledge_due_at
    assert after.resolve_due_at == before.resolve_due_at


def test_escalating_again_and_again_does_not_keep_a_case_from_going_overdue(
    clock, reported_case, runtime, act
):
    ref = reported_case(EMERGENCY)
    for minutes in (5, 10, 14):
        clock.move_to(START + timedelta(minutes=minutes))
        act(ref, action="escalate", reason="still no one there")
    clock.move_to(START + timedelta(minutes=16))

    sweep_sla()

    [case] = cases(runtime)
    assert case.overdue
    assert case.acknowledge_missed


def test_raising_a_possible_emergency_keeps_its_critical_acknowledgement_deadline(
    clock, reported_case, runtime, act
):
    ref = reported_case(POSSIBLE_EMERGENCY)
    [before] = cases(runtime)
    assert report_by_ref(runtime, ref).urgency == "normal", "the message no longer reads as a normal one"

    act(ref, action="reclassify", urgency="high")

    [after] = cases(runtime)
    assert after.acknowledge_due_at == before.acknowledge_due_at
    assert after.resolve_due_at < before.resolve_due_at


def test_lowering_the_urgency_still_gives_more_time(clock, reported_case, runtime, act):
    ref = reported_case(EMERGENCY)
    [before] = cases(runtime)

    act(ref, action="reclassify", urgency="low")

    [after] = cases(runtime)
    assert after.acknowledge_due_at > before.acknowledge_due_at
