"""Commands as residents type them: a reference wrapped in words or punctuation, a status asked
in a sentence, a score in words, STOP said politely. None of them opens a report; a report
that only begins like a command is kept as one."""

from __future__ import annotations

import pytest

from channels.keywords import Empty, FollowUp, NewReport, Rate, Status, Stop, parse_command
from storage import Message, Report
from storage.segments import fits_one_segment
from tests.helpers import count, only_report, reference_in

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
REF = "K7F-3QX"


@pytest.mark.parametrize(
    "body",
    [
        f"STATUS {REF} please",
        f"STATUS ref {REF}",
        f"STATUS:{REF}",
        "STATUS#K7F3QX",
        "STATUS-K7F3QX",
        "STATUS K7F\u20133QX",
        f"hali ya {REF}",
        f"status of {REF}",
        f"HALII {REF}",
        f"HALY {REF}",
    ],
)
def test_a_status_request_around_its_reference_asks_for_that_report(body):
    assert isinstance(command := parse_command(body), Status)
    assert command.ref == REF


@pytest.mark.parametrize("body", ["STATUS OF MY REPORT", "Hali ya ripoti yangu?", "status pls"])
def test_a_status_request_without_a_reference_asks_how_to_check(body):
    assert parse_command(body) in (Status(None, "", "en"), Status(None, "", "sw"))


@pytest.mark.parametrize(
    "body",
    [f"{REF}.", f"({REF})", "#K7F3QX", f"Ref: {REF}", f"Namba {REF}", f"Code {REF}", "k7f - 3qx", f"{REF}?"],
)
def test_a_reference_wrapped_in_punctuation_or_a_word_is_a_status_request(body):
    assert parse_command(body) == Status(REF, body, None)


@pytest.mark.parametrize("body", [f"{REF} status?", f"{REF} hali", f"{REF}!"])
def test_a_reference_followed_by_a_status_word_or_a_mark_asks_for_the_status(body):
    assert isinstance(command := parse_command(body), Status)
    assert command.ref == REF


@pytest.mark.parametrize(
    ("body", "score"),
    [
        (f"RATE {REF} five", 5),
        ("RATE K7F3QX 5/5", 5),
        (f"Rate {REF} 3/5", 3),
        (f"RATE {REF} 4 thanks", 4),
        (f"RATE {REF} 5 stars", 5),
        (f"rate {REF},5", 5),
        (f"RATE {REF}=5", 5),
        (f"RATE {REF} 5.", 5),
        (f"KADIRIA {REF} tano", 5),
        (f"RATE {REF} 2 out of 5", 2),
        (f"RATE {REF} \u2b50\u2b50\u2b50\u2b50\u2b50", 5),
        (f"RATE {REF} \u2b50\ufe0f\u2b50\ufe0f\u2b50\ufe0f thanks", 3),
        (f"RATE {REF} \u2605\u2605\u2605\u2605\u2606", 4),
    ],
)
def test_a_score_is_read_however_it_is_written(body, score):
    assert parse_command(body) == Rate(REF, score, "sw" if body.startswith("KADIRIA") else "en")


@pytest.mark.parametrize(
    "body", [f"RATE {REF} 9", f"RATE {REF} \u00b2", f"RATE {REF} good", f"RATE {REF} {'9' * 5000}"]
)
def test_a_score_out_of_range_asks_how_to_rate(body):
    assert parse_command(body) == Rate(REF, None, "en")


@pytest.mark.parametrize("body", [f"RATE {REF} 4.5", f"RATE {REF} 3.9/5", f"KADIRIA {REF} 4.0"])
def test_a_decimal_score_asks_how_to_rate_rather_than_being_cut(body):
    assert isinstance(command := parse_command(body), Rate)
    assert command.score is None


def test_a_rating_with_words_and_no_score_is_kept_on_the_report():
    body = f"RATE {REF} nobody has called me back yet"

    assert parse_command(body) == FollowUp(REF, body)


def test_a_status_request_with_more_to_say_is_kept_on_the_report():
    body = f"STATUS {REF} they came back again last night"

    assert parse_command(body) == FollowUp(REF, body)


@pytest.mark.parametrize(
    "body", ["HALI MBAYA", "HALI NI MBAYA", "HALI TETE", "HALI 3 VIJANA", "STATUS YA USALAMA NI MBAYA"]
)
def test_a_report_in_capitals_beginning_with_hali_is_a_report(body):
    assert parse_command(body) == NewReport(body)


@pytest.mark.parametrize(
    ("body", "language"), [("stop please", "en"), ("ACHA TAFADHALI", "sw"), ("STOP STOP", "en")]
)
def test_stop_said_politely_or_twice_is_stop(body, language):
    assert parse_command(body) == Stop(language)


@pytest.mark.parametrize("body", ["Stop beating our children", "help please", "msaada tafadhali"])
def test_a_plea_is_a_report_not_a_command(body):
    assert parse_command(body) == NewReport(body)


@pytest.mark.parametrize("body", ["...", "?", "!!!", "\U0001f621", "\U0001f64f\U0001f64f"])
def test_a_message_without_a_word_is_empty(body):
    assert parse_command(body) == Empty()


def test_a_message_without_a_word_gets_a_prompt_and_opens_nothing(send_sms, runtime):
    answer = send_sms("???").text

    assert "your message was empty" in answer
    assert count(runtime, Report) == 0


def test_a_status_asked_in_a_sentence_tells_the_status_and_opens_nothing(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(f"hali ya {ref} tafadhali").text

    assert f"Sauti {ref}:" in answer
    assert "hakuna ripoti" not in answer
    assert count(runtime, Report) == 1


def test_a_score_in_words_is_recorded(send_sms, runtime, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    send_sms(f"RATE {ref} five, thank you")

    assert only_report(runtime).rating == 5


def test_a_score_in_stars_is_recorded(send_sms, runtime, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    send_sms(f"RATE {ref} \u2b50\u2b50\u2b50\u2b50\u2b50")

    assert only_report(runtime).rating == 5


def test_a_decimal_score_is_refused_with_how_to_rate_and_nothing_is_kept(
    send_sms, runtime, answered_by_panel
):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    answer = send_sms(f"RATE {ref} 4.5").text

    assert "to rate an answer" in answer or "kukadiria jibu, tuma KADIRIA" in answer
    assert only_report(runtime).rating is None


def test_a_report_in_capitals_beginning_with_hali_is_stored(send_sms, runtime):
    send_sms("HALI MBAYA EASTLEIGH")

    assert count(runtime, Report) == 1


def test_stop_said_politely_erases_the_number(send_sms, runtime):
    send_sms(REPORT)

    answer = send_sms("Stop please").text

    assert "erased" in answer
    assert only_report(runtime).reporter.contact is None


def test_a_reference_followed_by_a_question_mark_adds_nothing_to_the_report(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)

    send_sms(f"{ref}?")

    assert count(runtime, Message) == 1


def test_an_unknown_reference_typed_with_any_letter_is_answered_in_one_sms(send_sms):
    answer = send_sms("STATUS K7F-3Q\u017d").text

    assert "no report of yours has the reference" in answer
    assert fits_one_segment(answer.split("<Message>")[1].split("</Message>")[0])
