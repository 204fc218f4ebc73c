"""SLA clocks that act: late cases are marked overdue, escalated to the panel lead and then
to the fallback panel, their reporters told the case is still open. Time is frozen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage import AuditEvent, Case, Panel, StaffNotice
from storage.accounts import create_user
from storage.models import utcnow
from tests.fixtures.clocks import SLA_START
from tests.helpers import cases, count, outbound
from workers.sla import sweep_sla

START = SLA_START
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"
SWAHILI_ARREST = "Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia"


@pytest.fixture
def leads(runtime):
    """A lead on the emergency desk and one on the fallback panel."""
    with runtime.store.transaction() as session:
        for email, key in (
            ("lead@emergency.test", "emergency-desk"),
            ("lead@fallback.test", runtime.routing.fallback),
        ):
            panel = session.scalars(select(Panel).where(Panel.key == key)).one()
            create_user(session, email, "panel_lead", "correct horse battery", [panel])


def report_case(send_sms, run_jobs, text: str = EMERGENCY) -> None:
    send_sms(text)
    run_jobs()


def actions(runtime) -> list[tuple[str, dict]]:
    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [
            (e.action, e.details)
            for e in events
            if e.action.startswith("case.") and e.action != "case.opened"
        ]


def notices_to(runtime) -> list[str]:
    with runtime.store.transaction() as session:
        return [n.user.email for n in session.scalars(select(StaffNotice).order_by(StaffNotice.id))]


def test_a_case_within_its_deadline_is_left_alone(clock, send_sms, run_jobs, runtime, leads):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=14))

    assert sweep_sla() == {"overdue": 0, "escalations": 0, "notices": 0}

    [case] = cases(runtime)
    assert not case.overdue
    assert case.escalation_level == 0


def test_a_critical_case_unacknowledged_at_15_minutes_goes_to_the_panel_lead(
    clock, send_sms, run_jobs, runtime, leads
):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))

    sweep_sla()

    [case] = cases(runtime)
    assert case.overdue
    assert case.escalation_level == 1
    assert case.panel.key == "emergency-desk"
    assert [a for a, _ in actions(runtime)] == ["case.overdue", "case.escalated"]
    assert actions(runtime)[1][1]["to"] == "panel_lead"
    assert notices_to(runtime) == ["lead@emergency.test"]


def test_late_for_as_long_again_it_moves_to_the_fallback_panel(clock, send_sms, run_jobs, runtime, leads):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=20))
    sweep_sla()
    clock.move_to(START + timedelta(minutes=30))

    sweep_sla()

    [case] = cases(runtime)
    assert case.escalation_level == 2
    assert case.panel.key == runtime.routing.fallback
    escalations = [d for a, d in actions(runtime) if a == "case.escalated"]
    assert [(d["level"], d["to"]) for d in escalations] == [(1, "panel_lead"), (2, "fallback_panel")]
    assert notices_to(runtime) == ["lead@emergency.test", "lead@fallback.test"]


def test_a_sweep_that_comes_late_takes_every_step_due_once(clock, send_sms, run_jobs, runtime, leads):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(hours=2))

    assert sweep_sla() == {"overdue": 1, "escalations": 2, "notices": 2}


def test_sweeping_again_does_nothing_twice(clock, send_sms, run_jobs, runtime, leads):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=16))
    sweep_sla()
    run_jobs()
    before = (count(runtime, AuditEvent), count(runtime, StaffNotice), len(outbound(runtime)))

    for _ in range(3):
        assert sweep_sla() == {"overdue": 0, "escalations": 0, "notices": 0}
        run_jobs()

    assert (count(runtime, AuditEvent), count(runtime, StaffNotice), len(outbound(runtime))) == before


def test_an_acknowledged_case_is_late_only_once_its_resolve_deadline_passes(
    clock, send_sms, run_jobs, runtime, leads
):
    report_case(send_sms, run_jobs)
    with runtime.store.transaction() as session:
        session.scalars(select(Case)).one().acknowledged_at = utcnow()
    clock.move_to(START + timedelta(hours=23, minutes=59))
    assert sweep_sla()["overdue"] == 0

    clock.move_to(START + timedelta(hours=24))
    sweep_sla()

    assert [d["deadline"] for a, d in actions(runtime) if a == "case.overdue"] == ["resolve"]


def test_the_reporter_is_told_in_their_language_that_the_case_is_still_open(
    clock, send_sms, run_jobs, runtime, leads, twilio_api
):
    report_case(send_sms, run_jobs, SWAHILI_ARREST)
    clock.move_to(START + timedelta(hours=25))

    sweep_sla()
    run_jobs()

    still_open = [m for m in outbound(runtime) if m.kind == "still_open"]
    assert len(still_open) == 1
    assert still_open[0].status == "sent"
    assert "ripoti yako inachelewa" in twilio_api.requests[-1]["form"]["Body"][0]


def test_without_a_lead_the_admins_are_told(clock, send_sms, run_jobs, runtime):
    with runtime.store.transaction() as session:
        create_user(session, "admin@sauti.test", "admin", "correct horse battery")
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))

    sweep_sla()

    assert notices_to(runtime) == ["admin@sauti.test"]


def test_audit_entries_of_the_sweep_carry_no_text_or_number(clock, send_sms, run_jobs, runtime, leads):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(hours=2))

    sweep_sla()

    with runtime.store.transaction() as session:
        dumped = " ".join(str(d) for d in session.scalars(select(AuditEvent.details)))
        assert session.scalar(select(func.count()).select_from(AuditEvent)) > 2
    assert "beating" not in dumped
    assert "712345678" not in dumped


def test_escalation_notices_are_mailed_when_mail_is_configured(
    clock, send_sms, run_jobs, runtime, leads, monkeypatch, mail_server
):
    monkeypatch.setenv("SAUTI_SMTP_URL", mail_server.url)
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))

    sweep_sla()

    [mail] = mail_server.received
    assert mail["To"] == "lead@emergency.test"
    assert "overdue" in mail["Subject"]
    assert "beating" not in mail.as_string()
    assert "712345678" not in mail.as_string()
    with runtime.store.transaction() as session:
        assert [n.status for n in session.scalars(select(StaffNotice))] == ["sent"]


def test_without_mail_the_notices_wait_where_admins_see_them(
    clock, send_sms, run_jobs, runtime, leads, client, make_user, auth
):
    report_case(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))
    sweep_sla()
    clock.move_to(datetime.now(UTC))
    auth.sign_in(make_user("admin", panels=()))

    page = client.get("/audit/notices").get_data(as_text=True)

    assert "lead@emergency.test" in page
    assert "outbox" in page
