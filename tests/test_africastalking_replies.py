"""Africa's Talking SMS carries no reply in the webhook's answer: every answer goes out by SMS.
The number is kept only while a report of the resident's needs it; an answer to HELP, STATUS
or STOP is sent without keeping it."""

from __future__ import annotations

import logging

from sqlalchemy import select

from storage import OutboundMessage, Reporter
from storage.intake.identity import reporter_pseudonym
from storage.reporter_texts import reporter_text
from tests.fixtures.webhooks import TEST_NUMBER
from tests.helpers import only_report, reference_in
from tests.test_anonymity import database_dump

NEW_NUMBER = "+254733000222"
REPORT = "Polisi wanatuzuia kila usiku California"


def number_kept(runtime, number: str = TEST_NUMBER) -> bool:
    """Whether anything that could give the number back is still stored for it."""
    with runtime.store.transaction() as session:
        known_as = reporter_pseudonym(runtime.store.pepper, number)
        reporter = session.scalar(select(Reporter).where(Reporter.pseudonym == known_as))
        return reporter is not None and (reporter.contact is not None or reporter.wrapped_key is not None)


def test_help_from_a_number_that_never_reported_is_answered_and_the_number_is_not_kept(
    text_africastalking, runtime
):
    assert text_africastalking("HELP", sender=NEW_NUMBER) == reporter_text("help", "en")

    assert not number_kept(runtime, NEW_NUMBER)


def test_a_status_request_from_a_number_that_never_reported_keeps_no_number(text_africastalking, runtime):
    answer = text_africastalking("STATUS K7F-3QX", sender=NEW_NUMBER)

    assert "K7F-3QX" in answer
    assert not number_kept(runtime, NEW_NUMBER)


def test_stop_is_confirmed_by_sms_and_then_no_number_is_kept(text_africastalking, runtime):
    text_africastalking(REPORT)

    assert text_africastalking("STOP") == reporter_text("stopped", "en")

    assert not number_kept(runtime)
    assert only_report(runtime).reporter.stopped_at is not None


def test_stop_from_a_number_that_never_reported_is_confirmed_and_keeps_no_number(
    text_africastalking, runtime
):
    assert text_africastalking("ACHA", sender=NEW_NUMBER) == reporter_text("stopped", "sw")

    assert not number_kept(runtime, NEW_NUMBER)


def test_help_and_status_after_stop_are_answered_without_keeping_the_number(text_africastalking, runtime):
    ref = reference_in(text_africastalking(REPORT))
    text_africastalking("STOP")

    assert text_africastalking("HELP") == reporter_text("help", "en")
    assert ref in text_africastalking(f"STATUS {ref}")

    assert not number_kept(runtime)


def test_a_reporter_with_an_open_report_keeps_their_number_after_asking_for_help(
    text_africastalking, runtime
):
    text_africastalking(REPORT)

    text_africastalking("HELP")

    assert only_report(runtime).reporter_reachable


def test_a_new_report_after_stop_keeps_the_number_again(text_africastalking, runtime):
    text_africastalking(REPORT)
    text_africastalking("STOP")

    text_africastalking("Polisi walirudi leo usiku California")

    assert number_kept(runtime)


def test_a_message_waiting_when_the_resident_said_stop_is_never_sent(text_africastalking, runtime, run_jobs):
    text_africastalking(REPORT)
    with runtime.store.transaction() as session:
        waiting = session.scalars(select(OutboundMessage)).one()
        waiting.status = "pending"

    text_africastalking("STOP")

    with runtime.store.transaction() as session:
        assert session.get_one(OutboundMessage, waiting.id).status == "undeliverable"


def test_answers_by_sms_leave_no_number_in_the_database_or_the_logs(text_africastalking, runtime, caplog):
    caplog.set_level(logging.DEBUG)
    text_africastalking("HELP", sender=NEW_NUMBER)
    text_africastalking(REPORT, sender=NEW_NUMBER)
    text_africastalking("STOP", sender=NEW_NUMBER)

    written = database_dump(runtime) + caplog.text
    assert not [form for form in ("254733000222", "0733000222", "733000222") if form in written]
