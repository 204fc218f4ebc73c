"""The SLA sweep reaches every late case however many already-escalated ones wait before it for
their next step, and `flask doctor` says when late cases are left unmarked. Time is frozen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.doctor import OK, PROBLEM, diagnose
from storage import Case, Panel, StaffNotice
from storage.accounts import create_user
from tests.fixtures.clocks import SLA_START
from tests.helpers import outbound
from workers.sla import sweep_sla

START = SLA_START
EMERGENCIES = [
    ("They are beating him right now at Pumwani, he is bleeding", "+254712000001"),
    ("Police are beating my brother now in Eastleigh, blood everywhere", "+254712000002"),
    ("Right now they are beating a boy at California market, he is bleeding", "+254712000003"),
    ("They are beating a woman now at Airbase, she is bleeding badly", "+254712000004"),
]


@pytest.fixture
def lead(runtime):
    with runtime.store.transaction() as session:
        panel = session.scalars(select(Panel).where(Panel.key == "emergency-desk")).one()
        create_user(session, "lead@emergency.test", "panel_lead", "correct horse battery", [panel])


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of three, so that a few cases fill one as hundreds do in production."""
    monkeypatch.setattr("storage.casework.sla.SWEEP_BATCH", 3)


def report_emergencies(send_sms, run_jobs, reports) -> None:
    for text, sender in reports:
        send_sms(text, sender=sender)
    run_jobs()


def escalation_levels(runtime) -> list[tuple[bool, int]]:
    with runtime.store.transaction() as session:
        return [(c.overdue, c.escalation_level) for c in session.scalars(select(Case).order_by(Case.id))]


def test_a_late_case_behind_a_full_batch_of_escalated_cases_is_marked_and_escalated(
    clock, send_sms, run_jobs, runtime, lead, small_batches
):
    report_emergencies(send_sms, run_jobs, EMERGENCIES[:3])
    clock.move_to(START + timedelta(minutes=1))
    report_emergencies(send_sms, run_jobs, EMERGENCIES[3:])
    clock.move_to(START + timedelta(minutes=15))
    sweep_sla()
    clock.move_to(START + timedelta(minutes=16))

    summary = sweep_sla()
    run_jobs()

    assert summary == {"overdue": 1, "escalations": 1, "notices": 1}
    assert escalation_levels(runtime) == [(True, 1)] * 4
    assert len([m for m in outbound(runtime) if m.kind == "still_open"]) == 4
    with runtime.store.transaction() as session:
        assert len(session.scalars(select(StaffNotice)).all()) == 4


def test_one_sweep_takes_every_late_case_however_many_batches_they_fill(
    clock, send_sms, run_jobs, runtime, lead, small_batches
):
    report_emergencies(send_sms, run_jobs, EMERGENCIES)
    clock.move_to(START + timedelta(hours=2))

    summary = sweep_sla()

    assert summary == {"overdue": 4, "escalations": 8, "notices": 4}
    assert escalation_levels(runtime) == [(True, 2)] * 4


def test_doctor_names_late_cases_no_sweep_marked_overdue(clock, send_sms, run_jobs, runtime, lead):
    report_emergencies(send_sms, run_jobs, EMERGENCIES[:2])
    clock.move_to(START + timedelta(minutes=20))

    [problem] = findings(runtime, "sla", PROBLEM)

    assert problem.startswith(
        "2 open case(s) past a deadline are not marked overdue, the oldest late for 5 min"
    )
    assert "worker" in problem


def test_doctor_is_content_once_the_sweep_marked_the_late_cases(clock, send_sms, run_jobs, runtime, lead):
    report_emergencies(send_sms, run_jobs, EMERGENCIES[:2])
    clock.move_to(START + timedelta(minutes=20))

    sweep_sla()

    assert findings(runtime, "sla", PROBLEM) == []
    assert findings(runtime, "sla", OK) == ["every late case is marked overdue and escalated -> "]


def findings(runtime, area: str, level: str) -> list[str]:
    return [f"{f.message} -> {f.advice}" for f in diagnose(runtime) if f.level == level and f.area == area]
