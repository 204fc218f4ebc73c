"""A score sent after the panel's answer, however written ("nyota tano", "⭐⭐⭐⭐⭐", "K7F-3QX
⭐⭐⭐⭐"), rates that answer; one that is no score from 1 to 5 ("4.5", "10/10") is answered
with how to rate, in the reporter's language, and is neither guessed at nor kept as a report."""

from __future__ import annotations

import pytest

from storage import Report
from storage.reporter_texts import reporter_text
from tests.helpers import count, reference_in, thread_length

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"


@pytest.mark.parametrize(
    ("rating", "score"),
    [("nyota tano", 5), ("⭐⭐⭐⭐⭐", 5), ("{ref} ⭐⭐⭐⭐", 4), ("5/5", 5), ("poa sana 5", 5)],
)
def test_a_score_after_the_answer_rates_it(send_sms, answered_by_panel, runtime, rating, score):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)

    answer = send_sms(rating.format(ref=ref)).text

    assert reporter_text("rated", "sw", ref=ref, score=score) in answer
    assert count(runtime, Report) == 1


@pytest.mark.parametrize("rating", ["4.5", "3.5", "10/10", "{ref} 4.5"])
def test_a_score_that_is_none_from_one_to_five_is_answered_with_how_to_rate(
    send_sms, answered_by_panel, runtime, rating
):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)
    thread = thread_length(runtime, ref)

    answer = send_sms(rating.format(ref=ref)).text

    assert reporter_text("rate_usage", "sw") in answer
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == thread


def test_a_score_after_one_that_was_none_still_rates_the_answer(send_sms, answered_by_panel, runtime):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref)
    send_sms("4.5")

    answer = send_sms("5/5").text

    assert reporter_text("rated", "sw", ref=ref, score=5) in answer
    assert count(runtime, Report) == 1
