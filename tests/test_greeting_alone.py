"""A greeting and nothing more ("Sasa", "Hello") opens no report: Sauti says what it is for and
how to report, in the greeting's language. A greeting before a report leaves the report whole."""

from __future__ import annotations

import pytest

from storage import Report
from storage.reporter_texts import reporter_text
from tests.helpers import count, reference_in


@pytest.mark.parametrize(("greeting", "language"), [("Sasa", "sw"), ("niaje msee", "sw"), ("Hello", "en")])
def test_a_greeting_alone_is_answered_with_how_to_report_and_opens_nothing(
    send_sms, runtime, greeting, language
):
    answer = send_sms(greeting).text

    assert reporter_text("welcome", language) in answer
    assert count(runtime, Report) == 0


def test_a_greeting_alone_by_africastalking_is_answered_by_sms(text_africastalking, runtime):
    answer = text_africastalking("Mambo vipi")

    assert answer == reporter_text("welcome", "sw")
    assert count(runtime, Report) == 0


def test_a_greeting_before_a_report_keeps_the_report(send_sms, runtime):
    answer = send_sms("Sasa, polisi wamemshika kaka yangu stage ya Eastleigh").text

    assert reference_in(answer)
    assert count(runtime, Report) == 1
