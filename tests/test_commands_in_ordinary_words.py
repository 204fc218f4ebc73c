"""Commands said in ordinary words: a status asked in a sentence, a follow-up that names its
report after "Re:" or "Kuhusu", a reference typed with `_`, `/`, `.` or `*` for its dash, a
rating with thanks around it, STOP said as people say it. A message that tells of something
besides is kept, on its report or as a report of its own."""

from __future__ import annotations

import pytest

from channels.keywords import FollowUp, NewReport, Rate, Status, Stop, parse_command
from storage import Report
from tests.helpers import count, only_report, reference_in, thread_length

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
REF = "K7F-3QX"
UNKNOWN_REF = "ZZZ-999"
STATUS_QUESTIONS = [
    ("what is the status of {ref}", "en"),
    ("Any update on {ref}?", "en"),
    ("update {ref}", "en"),
    ("check {ref}", "en"),
    ("Hi, any news on my report {ref}?", "en"),
    ("Nataka kujua hali ya {ref}", "sw"),
    ("Niaje, hali ya {ref}?", "sw"),
    ("Sasa, ripoti yangu {ref} imefika wapi?", "sw"),
    ("Xaaladda warbixintayda {ref}", "so"),
]
LEAD_INS = [
    ("Ref {ref} they came back", "they came back"),
    ("Re: {ref} they came back", "they came back"),
    ("This is about {ref}: they came back", "they came back"),
    ("Namba {ref} wamerudi tena", "wamerudi tena"),
    ("Kuhusu {ref}, walirudi tena", "walirudi tena"),
]
SEPARATED = ["STATUS {a}_{b}", "STATUS {a}/{b}", "STATUS {a}.{b}", "STATUS {a}*{b}"]
RATINGS = [
    ("{ref} 5 stars", 5),
    ("{ref} 5/5 thank you so much", 5),
    ("{ref} 4 asante sana", 4),
    ("{ref} poa sana 5", 5),
    ("Rating {ref} 4", 4),
]
STOPS = [
    ("Stop sending me messages", "en"),
    ("Unsubscribe me", "en"),
    ("acha kunitumia", "sw"),
    ("acha kunitumia ujumbe", "sw"),
    ("Jooji fadlan", "so"),
    ("opt out", "en"),
    ("Stp", "en"),
]
PLEAS = ["stop it they are beating me", "Stop beating our children", "Acha! wanampiga"]


@pytest.mark.parametrize(("question", "language"), STATUS_QUESTIONS)
def test_a_status_asked_in_ordinary_words_asks_for_that_report(question, language):
    assert parse_command(question.format(ref=REF)) == Status(REF, REF, language)


@pytest.mark.parametrize(
    "body", [f"{REF} they came back, any update?", "Any news on the 2 boys?", "Any update on Eastleigh?"]
)
def test_a_question_that_tells_something_besides_is_no_status_request(body):
    assert not isinstance(parse_command(body), Status)


@pytest.mark.parametrize(("body", "said"), LEAD_INS)
def test_a_follow_up_naming_its_report_after_a_lead_in_is_added_to_that_report(body, said):
    assert parse_command(body.format(ref=REF)) == FollowUp(REF, said)


@pytest.mark.parametrize("body", SEPARATED)
def test_a_reference_typed_with_another_mark_for_its_dash_is_read(body):
    assert isinstance(command := parse_command(body.format(a="BG5", b="BUG")), Status)
    assert command.ref == "BG5-BUG"


@pytest.mark.parametrize("body", ["STATUS 7EV AW4 X", "STATUS 7EV-AW4 5"])
def test_a_stray_character_after_a_reference_asks_for_that_references_status(body):
    assert parse_command(body).ref == "7EV-AW4"
    assert isinstance(parse_command(body), Status)


@pytest.mark.parametrize(("body", "score"), RATINGS[:-1])
def test_a_score_after_the_reference_with_thanks_around_it_is_a_score(body, score):
    assert parse_command(body.format(ref=REF)).score == score


def test_rating_is_a_rate_keyword():
    assert parse_command(f"Rating {REF} 4") == Rate(REF, 4, "en")


@pytest.mark.parametrize(("body", "language"), STOPS)
def test_stop_said_as_people_say_it_is_stop(body, language):
    assert parse_command(body) == Stop(language)


@pytest.mark.parametrize("body", PLEAS)
def test_a_plea_to_stop_what_is_being_done_is_a_report(body):
    assert parse_command(body) == NewReport(body)


@pytest.mark.parametrize(("question", "language"), STATUS_QUESTIONS)
def test_a_status_asked_in_ordinary_words_tells_the_status_and_opens_nothing(
    send_sms, runtime, question, language
):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(question.format(ref=ref)).text

    assert f"Sauti {ref}: " in answer
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 1


def test_a_status_asked_in_ordinary_words_of_an_unknown_reference_says_so(send_sms, runtime):
    answer = send_sms(f"Any update on {UNKNOWN_REF}?").text

    assert f"no report of yours has the reference {UNKNOWN_REF}" in answer
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(("body", "said"), LEAD_INS)
def test_a_follow_up_after_a_lead_in_is_kept_on_the_report_it_names(send_sms, runtime, body, said):
    ref = reference_in(send_sms(REPORT).text)

    send_sms(body.format(ref=ref))

    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 2


@pytest.mark.parametrize("body", [*SEPARATED, "STATUS {a} {b} X"])
def test_status_with_another_mark_for_the_dash_tells_the_status(send_sms, runtime, body):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(body.format(a=ref[:3], b=ref[4:])).text

    assert f"Sauti {ref}: " in answer
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 1


@pytest.mark.parametrize("body", ["STATUS {a}_{b}_Q"])
def test_status_with_an_unreadable_reference_says_no_report_has_it(send_sms, runtime, body):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(body.format(a=ref[:3], b=ref[4:])).text

    assert "no report of yours has the reference" in answer
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 1


@pytest.mark.parametrize(("body", "score"), RATINGS)
def test_a_rating_with_thanks_around_it_is_recorded(send_sms, runtime, answered_by_panel, body, score):
    ref = reference_in(send_sms("The officers at Pangani helped us find my son, thank you").text)
    answered_by_panel(ref)

    send_sms(body.format(ref=ref))

    assert only_report(runtime).rating == score


@pytest.mark.parametrize(("body", "language"), STOPS)
def test_stop_said_as_people_say_it_erases_the_number(send_sms, runtime, body, language):
    send_sms(REPORT)

    send_sms(body)

    assert count(runtime, Report) == 1
    assert only_report(runtime).reporter.contact is None


@pytest.mark.parametrize("body", PLEAS)
def test_a_plea_to_stop_what_is_being_done_is_kept_and_erases_nothing(send_sms, runtime, body):
    send_sms(body)

    assert only_report(runtime).reporter.contact is not None
