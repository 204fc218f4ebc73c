"""A first word and nothing more, of any kind Nairobi's residents send (Salaam, Assalamu alaikum,
Nabad, Iska warran, Good morning, Habari za asubuhi, Hujambo, Sema, Who is this?, Nani huyu?,
Test), is answered with what Sauti is for and how to report, in its language, and opens no
report. A greeting before a report leaves the report whole."""

from __future__ import annotations

import pytest

from storage import Report
from storage.reporter_texts import reporter_text
from tests.helpers import count, reference_in


@pytest.mark.parametrize(
    ("greeting", "language"),
    [
        ("Salaam", "en"),
        ("Asalaam aleikum", "en"),
        ("Assalamu alaikum", "en"),
        ("Salaam alaykum", "en"),
        ("Iska warran", "so"),
        ("Nabad", "so"),
        ("Maalin wanaagsan", "so"),
        ("Hallo", "en"),
        ("Good morning", "en"),
        ("Habari za asubuhi", "sw"),
        ("Hujambo", "sw"),
        ("Shikamoo", "sw"),
        ("Sema", "sw"),
        ("hali gani?", "sw"),
        ("Who is this?", "en"),
        ("Nani huyu?", "sw"),
        ("Hii ni nini", "sw"),
        ("Ati nini?", "sw"),
        ("Test", "en"),
    ],
)
def test_a_first_word_alone_is_answered_with_how_to_report_in_its_language(
    send_sms, runtime, greeting, language
):
    answer = send_sms(greeting).text

    assert reporter_text("welcome", language) in answer
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(
    "report",
    [
        "Salaam, polisi wamemshika kaka yangu Eastleigh",
        "Good morning, the police took my son last night at Majengo",
        "Nabad, booliska ayaa xiray wiilkayga",
        "Who is this? Police beat us at Kamukunji",
    ],
)
def test_a_greeting_before_a_report_keeps_the_report(send_sms, runtime, report):
    answer = send_sms(report).text

    assert reference_in(answer)
    assert count(runtime, Report) == 1
