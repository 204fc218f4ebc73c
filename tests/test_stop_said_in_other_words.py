"""STOP beside the reporter's reference, or said in words that only ask for no more messages
("Please stop messaging me", "Msinitumie ujumbe tena", "ACHA KABISA"), erases the number as
STOP does and opens no report; a report that merely says "stop" is kept."""

from __future__ import annotations

import pytest

from channels.keywords import NewReport, Stop, parse_command
from storage import Report
from storage.reporter_texts import reporter_text
from tests.helpers import count, only_report, reference_in

REPORT = "Polisi wanaitisha hongo kila siku Eastleigh"


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("STOP {ref}", "en"),
        ("ACHA {ref}", "sw"),
        ("{ref} STOP", "en"),
        ("JOOJI {ref}", "so"),
        ("Please stop messaging me", "en"),
        ("Msinitumie ujumbe tena", "sw"),
        ("ACHA KABISA", "sw"),
    ],
)
def test_stop_said_so_erases_the_number_and_opens_no_report(send_sms, runtime, body, language):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(body.format(ref=ref)).text

    assert reporter_text("stopped", language) in answer
    assert count(runtime, Report) == 1
    assert only_report(runtime).reporter.contact is None


@pytest.mark.parametrize(
    "body",
    ["no more messages please", "don't send me messages", "wacha kunitext", "fariimaha iga jooji"],
)
def test_asking_for_no_more_messages_is_stop(body):
    assert isinstance(parse_command(body), Stop)


@pytest.mark.parametrize(
    "body",
    [
        "police told us to stop the protest",
        "walituambia tuache biashara",
        "stop it they are beating me",
        "please don't stop",
        "Acha wanipige tena",
    ],
)
def test_a_report_that_says_stop_is_kept(body):
    assert parse_command(body) == NewReport(body)


def test_a_follow_up_that_says_stop_of_something_else_is_kept(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(f"{ref} they told us to stop the protest").text

    assert ref in answer
    assert only_report(runtime).reporter.contact is not None
