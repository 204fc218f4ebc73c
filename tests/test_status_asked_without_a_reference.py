"""A status asked in everyday words without a reference ("Any update?", "mko wapi na kesi
yangu", "ref?") tells the status of the number's latest report, and its reference; it opens
nothing. A message that tells of harm besides is kept, whatever question it asks."""

from __future__ import annotations

import pytest

from storage import Report
from tests.helpers import count, end_stories, reference_in, thread_length

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
NEWER_REPORT = "Polisi walimkamata kijana wetu jana usiku Majengo"
STATUS_QUESTIONS = [
    "Any update?",
    "mko wapi na kesi yangu",
    "Je kuna habari?",
    "Niaje, kuna news?",
    "hali ya kesi yangu",
    "any news on my case",
    "Kesi yangu inaendeleaje?",
    "Sasa, kesi yangu imeenda aje?",
    "Kuna maendeleo yoyote?",
    "has my complaint been resolved?",
]
FORGOTTEN_REFERENCES = [
    "nimesahau namba ya ripoti",
    "what is my ref number",
    "ref?",
    "I lost my reference number",
    "Nimepoteza namba yangu ya kumbukumbu",
]
REPORTS_WITH_A_QUESTION = [
    "Kuna habari polisi wamemshika kijana",
    "any update: they took him again tonight",
    "Any news of my brother? He was taken from our house",
    "Mko wapi? Polisi wamerudi tena kwa nyumba yangu",
]


@pytest.mark.parametrize("question", STATUS_QUESTIONS)
def test_a_status_asked_without_a_reference_tells_the_latest_reports_status(send_sms, runtime, question):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(question).text

    assert f"Sauti {ref}: " in answer
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 1


@pytest.mark.parametrize("question", FORGOTTEN_REFERENCES)
def test_a_forgotten_reference_is_told_and_nothing_is_opened(send_sms, runtime, question):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(question).text

    assert ref in answer
    assert count(runtime, Report) == 1


def test_of_several_reports_the_latest_is_told(send_sms):
    send_sms(REPORT)
    newer = reference_in(send_sms(NEWER_REPORT).text)

    answer = send_sms("Any update?").text

    assert f"Sauti {newer}: " in answer


def test_a_status_question_after_a_burst_of_reports_is_still_answered(send_sms, runtime):
    for number in range(runtime.settings.reports_per_minute + 1):
        send_sms(f"{REPORT} ({number})")

    answer = send_sms("ref?").text

    assert "<Message>Sauti " in answer


def test_a_status_question_from_a_number_without_reports_explains_how_to_check(send_sms, runtime):
    answer = send_sms("Any update?").text

    assert "STATUS and its reference" in answer
    assert count(runtime, Report) == 0


@pytest.mark.usefixtures("early_in_the_hour")
def test_status_questions_without_a_reference_count_against_the_hourly_limit(make_app, send_sms_to):
    client = make_app(SAUTI_LOOKUPS_PER_HOUR="1").test_client()
    ref = reference_in(send_sms_to(client, REPORT).text)
    send_sms_to(client, "Any update?")

    answer = send_sms_to(client, "Je kuna habari?").text

    assert "umefuatilia mara nyingi mno" in answer
    assert ref not in answer


@pytest.mark.parametrize("body", ["STATUS ABC", "status xyz", "STATUS K7F"])
def test_status_with_a_code_that_is_no_reference_says_no_report_has_it(send_sms, runtime, body):
    send_sms(REPORT)

    answer = send_sms(body).text

    assert f"no report of yours has the reference {body.split()[1]}" in answer
    assert count(runtime, Report) == 1


@pytest.mark.parametrize("body", REPORTS_WITH_A_QUESTION)
def test_a_question_that_tells_of_harm_is_kept_as_a_report(send_sms, runtime, body):
    send_sms(REPORT)
    end_stories(runtime)

    answer = send_sms(body).text

    assert "report received" in answer or "ripoti imepokelewa" in answer
    assert count(runtime, Report) == 2
