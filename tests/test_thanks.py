"""Thanks after an answer ("asante sana", "ok", "5") are said of the report the number last
heard about: they open no case, a score with them rates the answer, and a number with no
recent report still has its words kept as a report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from channels.keywords import NewReport, Thanks, parse_command
from storage import AuditEvent, Case, OutboundMessage, Report, Reporter
from storage.intake.answers import THANKS_WINDOW
from storage.models.reports import REPLIES_AWAITED_FOR
from tests.helpers import cases, count, end_stories, only_report, reference_in, report_by_ref

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
OTHER_REPORT = "Polisi walichukua simu yangu jana Eastleigh bila sababu"


@pytest.fixture
def lead(make_user, api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(make_user('panel_lead', ('police-accountability',)))}"}


def thanked_events(runtime) -> list[AuditEvent]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "report.thanked")))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Asante sana", Thanks(None, "sw")),
        ("asante kwa msaada wenu", Thanks(None, "sw")),
        ("Thank you so much!", Thanks(None, "en")),
        ("thx", Thanks(None, "en")),
        ("OK", Thanks(None, None)),
        ("sawa", Thanks(None, "sw")),
        ("Mahadsanid", Thanks(None, "so")),
        ("God bless you", Thanks(None, "en")),
        ("5", Thanks(5, None)),
        ("5 stars", Thanks(5, None)),
        ("poa sana 5", Thanks(5, "sw")),
        ("Thanks for the help, 5/5", Thanks(5, "en")),
        ("tano", Thanks(5, None)),
    ],
)
def test_thanks_and_a_score_alone_are_read_as_thanks(body, expected):
    assert parse_command(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "thank you, but they came back last night",
        "ok help",
        "asante lakini bado wanaitisha hongo",
        "5 people were beaten",
        "ok they are here",
        "sawa wamerudi",
    ],
)
def test_thanks_with_anything_more_said_are_a_report(body):
    assert parse_command(body) == NewReport(body)


def test_thanks_after_the_answer_open_no_case_and_are_answered_on_the_report(
    send_sms, answered_by_panel, runtime, run_jobs
):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    answer = send_sms("Asante sana").text
    run_jobs()

    assert f"Sauti {ref}: asante kwa ujumbe wako" in answer
    assert count(runtime, Report) == 1
    assert len(cases(runtime)) == 1


def test_thanks_are_on_the_case_timeline_without_their_words(send_sms, answered_by_panel, runtime):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    send_sms("Thank you so much")

    [event] = thanked_events(runtime)
    assert event.subject == f"report:{report_by_ref(runtime, ref).id}"
    assert "Thank" not in str(event.details)


def test_thanks_named_in_no_language_are_answered_in_the_reports_own(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    assert f"Sauti {ref}: asante kwa ujumbe wako" in send_sms("ok").text


def test_a_score_alone_after_the_answer_rates_it(send_sms, answered_by_panel, runtime):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    answer = send_sms("5").text

    assert f"Sauti {ref}: asante kwa kukadiria jibu 5 kati ya 5" in answer
    assert only_report(runtime).rating == 5


def test_a_score_before_any_answer_rates_nothing_and_opens_nothing(send_sms, runtime, run_jobs):
    ref = reference_in(send_sms(REPORT).text)
    run_jobs()

    answer = send_sms("4 thanks").text

    assert f"Sauti {ref}: the panel has not answered yet" in answer
    assert only_report(runtime).rating is None


def test_thanks_do_not_reopen_a_resolved_case(reported_case, send_sms, client, runtime, lead):
    ref = reported_case()
    resolved = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "resolve", "outcome": "answered", "confirm": True},
        headers=lead,
    )
    assert resolved.status_code == 200, resolved.json

    send_sms("asante sana kwa msaada")

    [case] = cases(runtime)
    assert (case.status, case.outcome) == ("resolved", "answered")


def test_thanks_go_to_the_report_the_number_last_heard_about(send_sms, answered_by_panel, runtime, run_jobs):
    first = reference_in(send_sms(REPORT).text)
    end_stories(runtime)
    second = reference_in(send_sms(OTHER_REPORT).text)
    run_jobs()
    answered_by_panel(first)

    answer = send_sms("5").text

    assert f"Sauti {first}:" in answer
    assert (report_by_ref(runtime, first).rating, report_by_ref(runtime, second).rating) == (5, None)


def test_thanks_from_a_number_with_no_report_are_kept_as_a_report(send_sms, runtime):
    answer = send_sms("Thank you").text

    assert "report received" in answer
    assert count(runtime, Report) == 1


def test_thanks_long_after_the_last_report_are_kept_as_a_report(send_sms, answered_by_panel, runtime):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)
    long_ago = report_by_ref(runtime, ref).received_at - THANKS_WINDOW - timedelta(days=1)
    with runtime.store.transaction() as session:
        session.execute(update(Report).values(received_at=long_ago))
        session.execute(update(Case).values(opened_at=long_ago))
        session.execute(update(OutboundMessage).values(created_at=long_ago))
        session.execute(update(Reporter).values(replies_until=long_ago + REPLIES_AWAITED_FOR))

    answer = send_sms("asante").text

    assert "ripoti imepokelewa" in answer
    assert count(runtime, Report) == 2


def test_thanks_by_africastalking_are_answered_on_the_report(text_africastalking, answered_by_panel, runtime):
    ref = reference_in(text_africastalking(REPORT))
    answered_by_panel(ref)

    assert f"Sauti {ref}: thank you for your message" in text_africastalking("thank you")
    assert count(runtime, Report) == 1
