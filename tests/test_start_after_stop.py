"""START (or UNSTOP, ANZA, ENDELEA) after STOP: the number is kept again, so the panel's
answers reach the reporter, and they are told so in their language. It opens no report, and
from a number never stopped it only says the same."""

from __future__ import annotations

import pytest

from storage import Report, Reporter
from tests.helpers import count, only_report, texts_sent

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
ANSWER = "We spoke to the station commander. He will be released today."
STARTED_IN_ENGLISH = "Sauti: you will get our messages again"
STARTED_IN_KISWAHILI = "Sauti: utapokea ujumbe wetu tena"


@pytest.mark.parametrize("start", ["START", "Unstop", "start again please", "opt in", "Anza", "ENDELEA"])
def test_start_after_stop_keeps_the_number_again_and_opens_nothing(send_sms, runtime, start):
    send_sms(REPORT)
    send_sms("STOP")

    send_sms(start)

    reporter = only_report(runtime).reporter
    assert reporter.contact is not None
    assert reporter.stopped_at is None
    assert count(runtime, Report) == 1


def test_the_panels_answer_after_start_reaches_the_reporter(
    reported_case, send_sms, answered_by_panel, twilio_api
):
    ref = reported_case(REPORT)
    send_sms("ACHA")
    send_sms("START")

    answered_by_panel(ref, ANSWER)

    assert any(ANSWER in text for text in texts_sent(twilio_api))


@pytest.mark.parametrize(
    ("start", "confirmation"), [("START", STARTED_IN_ENGLISH), ("Anza", STARTED_IN_KISWAHILI)]
)
def test_start_is_confirmed_in_the_language_of_its_word(send_sms, start, confirmation):
    send_sms("Police beat my brother at Gikomba market")
    send_sms("STOP")

    assert confirmation in send_sms(start).text


def test_start_in_no_language_is_confirmed_in_the_numbers(reported_case, send_sms):
    reported_case(REPORT)
    send_sms("ACHA")

    assert STARTED_IN_KISWAHILI in send_sms("START").text


def test_start_from_a_number_never_stopped_is_confirmed_and_opens_nothing(send_sms, runtime):
    send_sms("Police beat my brother at Gikomba market")

    answer = send_sms("START").text

    assert STARTED_IN_ENGLISH in answer
    assert count(runtime, Report) == 1


def test_start_from_a_number_never_seen_keeps_no_number(send_sms, runtime):
    answer = send_sms("START").text

    assert STARTED_IN_ENGLISH in answer
    assert count(runtime, Reporter) == 0
