"""Mail to staff: one mail a person a sweep listing their cases; a mail server that cannot be
reached costs one warning line, the sweep still finishes and the notices wait for the next one;
what was mailed stays sent; `flask doctor` names the trouble. Time is frozen."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.doctor import PROBLEM, diagnose
from storage import Panel, StaffNotice
from storage.accounts import create_user
from storage.reporting.figures import response_times
from tests.fixtures.clocks import SLA_START
from tests.fixtures.stand_ins import MailServer, free_port
from workers.sla import sweep_sla

START = SLA_START
EMERGENCIES = [
    ("They are beating him right now at Pumwani, he is bleeding", "+254712000001"),
    ("Police are beating my brother now in Eastleigh, blood everywhere", "+254712000002"),
    ("Right now they are beating a boy at California market, he is bleeding", "+254712000003"),
]


class MailServerThatFailsAfterOne(MailServer):
    """Accepts one message, then answers every other with a temporary failure."""

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        if self.received:
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def failing_mail_server() -> Iterator[MailServer]:
    port = free_port()
    server = MailServerThatFailsAfterOne(url=f"smtp://127.0.0.1:{port}")
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    yield server
    controller.stop()


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


@pytest.fixture
def closed_port(monkeypatch):
    monkeypatch.setenv("SAUTI_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")


def report_emergencies(send_sms, run_jobs, count: int = 3) -> None:
    for text, sender in EMERGENCIES[:count]:
        send_sms(text, sender=sender)
    run_jobs()


def statuses(runtime) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    with runtime.store.transaction() as session:
        for notice in session.scalars(select(StaffNotice)):
            found.setdefault(notice.user.email, set()).add(notice.status)
    return found


def refs(runtime) -> list[str]:
    with runtime.store.transaction() as session:
        return [notice.subject.split()[1] for notice in session.scalars(select(StaffNotice))]


def test_the_cases_escalated_in_one_sweep_reach_each_person_in_one_mail(
    clock, send_sms, run_jobs, runtime, leads, monkeypatch, mail_server
):
    monkeypatch.setenv("SAUTI_SMTP_URL", mail_server.url)
    report_emergencies(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))

    sweep_sla()

    [mail] = mail_server.received
    assert mail["To"] == "lead@emergency.test"
    assert mail["Subject"] == "Sauti: 3 notices about cases that need you"
    body = mail.get_content()
    assert all(f"Case {ref} is overdue and escalated to you (level 1)" in body for ref in refs(runtime))
    assert "beating" not in mail.as_string()
    assert statuses(runtime) == {"lead@emergency.test": {"sent"}}


def test_a_long_list_in_one_mail_ends_with_how_many_more(
    clock, send_sms, run_jobs, runtime, leads, monkeypatch, mail_server
):
    monkeypatch.setenv("SAUTI_SMTP_URL", mail_server.url)
    monkeypatch.setattr("workers.staff_mail.LISTED_IN_ONE_MAIL", 2)
    report_emergencies(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))

    sweep_sla()

    [mail] = mail_server.received
    listed = [line for line in mail.get_content().splitlines() if line.startswith("- ")]
    assert listed[:2] == [
        f"- Case {ref} is overdue and escalated to you (level 1)" for ref in refs(runtime)[:2]
    ]
    assert listed[2:] == ["- and 1 more"]


def test_an_unreachable_mail_server_costs_one_warning_and_the_sweep_finishes(
    clock, send_sms, run_jobs, runtime, leads, closed_port, caplog
):
    report_emergencies(send_sms, run_jobs, count=1)
    clock.move_to(START + timedelta(minutes=15))

    with caplog.at_level(logging.INFO):
        summary = sweep_sla()

    assert summary == {"overdue": 1, "escalations": 1, "notices": 1}
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (warning.name, warning.error, warning.exc_info) == (
        "workers.staff_mail",
        "ConnectionRefusedError",
        None,
    )
    with runtime.store.transaction() as session:
        assert sum(row.escalated for row in response_times(session, "urgency")) == 1
    assert statuses(runtime) == {"lead@emergency.test": {"outbox"}}


def test_notices_left_by_a_mail_outage_go_with_the_next_sweep_once(
    clock, send_sms, run_jobs, runtime, leads, monkeypatch, closed_port, mail_server
):
    report_emergencies(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))
    sweep_sla()
    monkeypatch.setenv("SAUTI_SMTP_URL", mail_server.url)
    clock.move_to(START + timedelta(minutes=16))

    sweep_sla()
    sweep_sla()

    [mail] = mail_server.received
    assert mail["To"] == "lead@emergency.test"
    assert statuses(runtime) == {"lead@emergency.test": {"sent"}}


def test_mail_sent_before_the_server_failed_is_not_sent_again(
    clock, send_sms, run_jobs, runtime, leads, monkeypatch, failing_mail_server, mail_server
):
    monkeypatch.setenv("SAUTI_SMTP_URL", failing_mail_server.url)
    report_emergencies(send_sms, run_jobs, count=1)
    clock.move_to(START + timedelta(hours=2))
    sweep_sla()
    assert statuses(runtime) == {"lead@emergency.test": {"sent"}, "lead@fallback.test": {"outbox"}}
    monkeypatch.setenv("SAUTI_SMTP_URL", mail_server.url)

    sweep_sla()

    assert [m["To"] for m in failing_mail_server.received] == ["lead@emergency.test"]
    assert [m["To"] for m in mail_server.received] == ["lead@fallback.test"]
    assert statuses(runtime) == {"lead@emergency.test": {"sent"}, "lead@fallback.test": {"sent"}}


def test_doctor_names_the_mail_server_that_fails_and_the_notices_waiting(
    clock, send_sms, run_jobs, runtime, leads, closed_port
):
    report_emergencies(send_sms, run_jobs)
    clock.move_to(START + timedelta(minutes=15))
    sweep_sla()
    clock.move_to(START + timedelta(minutes=20))

    problems = [
        f"{f.message} -> {f.advice}" for f in diagnose(runtime) if (f.level, f.area) == (PROBLEM, "mail")
    ]

    assert problems[0].startswith("cannot hand mail to 127.0.0.1:")
    assert ": ConnectionRefusedError -> check SAUTI_SMTP_URL" in problems[0]
    assert problems[1].startswith("3 notice(s) to staff not mailed, the oldest for 5 min")
