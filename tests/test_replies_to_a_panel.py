"""A resident answers the panel's SMS as they would a person: in plain words, no reference.
For a while after a panel's answer, such a message goes to the report answered, where the
panel reads it; after that, or once the reply is done, a message is a new report again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import Report
from storage.models.reports import ONE_REPLY_TAKES, REPLIES_AWAITED_FOR
from tests.helpers import count, decrypted_text, report_by_ref

OTHER_NUMBER = "+254722000111"


@pytest.fixture
def lead(make_user, api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(make_user('panel_lead', ('police-accountability',)))}"}


@pytest.fixture
def answered_case(reported_case, client, lead, run_jobs):
    """A report the panel has answered with a question, its SMS sent; returns its reference."""

    def answer(question: str = "Which station did they take him to?") -> str:
        ref = reported_case()
        response = client.post(
            f"/api/v1/cases/{ref}/actions", json={"action": "reply", "text": question}, headers=lead
        )
        assert response.status_code == 200, response.json
        run_jobs()
        return ref

    return answer


def test_a_reply_in_plain_words_is_added_to_the_report_the_panel_answered(answered_case, send_sms, runtime):
    ref = answered_case()

    reply = send_sms("Walimpeleka Pangani police station jana usiku")

    assert f"Sauti {ref}: ujumbe wako umeongezwa kwenye ripoti yako." in reply.text
    assert count(runtime, Report) == 1
    assert "Walimpeleka Pangani police station jana usiku" in decrypted_text(runtime, ref)


def test_the_rest_of_a_reply_sent_in_several_messages_follows_it(answered_case, send_sms, runtime, clock):
    ref = answered_case()

    send_sms("Walimpeleka Pangani")
    clock.shift(ONE_REPLY_TAKES - timedelta(minutes=1))
    send_sms("na simu yake pia walichukua")

    assert count(runtime, Report) == 1
    assert "na simu yake pia walichukua" in decrypted_text(runtime, ref)


def test_once_the_reply_is_done_a_message_is_a_new_report(answered_case, send_sms, runtime, clock):
    ref = answered_case()
    send_sms("Walimpeleka Pangani")
    clock.shift(ONE_REPLY_TAKES + timedelta(minutes=1))

    reply = send_sms("Leo askari wamevamia soko la Gikomba wanapiga watu")

    assert "ripoti imepokelewa" in reply.text
    assert ref not in reply.text
    assert count(runtime, Report) == 2


def test_a_message_long_after_the_panels_answer_is_a_new_report(answered_case, send_sms, runtime, clock):
    answered_case()
    clock.shift(REPLIES_AWAITED_FOR + timedelta(minutes=1))

    send_sms("Askari wa Eastleigh wanaitisha hongo kwa matatu")

    assert count(runtime, Report) == 2


def test_another_numbers_message_is_its_own_report(answered_case, send_sms, runtime):
    answered_case()

    send_sms("Walimpeleka Pangani police station", sender=OTHER_NUMBER)

    assert count(runtime, Report) == 2


def test_a_command_in_the_reply_window_is_still_a_command(answered_case, send_sms, runtime):
    ref = answered_case()

    reply = send_sms("HALI")

    assert ref in reply.text
    assert "umeongezwa" not in reply.text
    assert "Walimpeleka" not in decrypted_text(runtime, ref)


def test_after_stop_a_message_is_a_new_report_not_a_reply(answered_case, send_sms, runtime):
    answered_case()
    send_sms("STOP")

    send_sms("Walimpeleka Pangani police station")

    assert count(runtime, Report) == 2


def test_a_reply_that_tells_of_danger_now_raises_the_case(answered_case, send_sms, run_jobs, runtime):
    ref = answered_case()

    send_sms("Wamerudi sasa hivi wanampiga kaka yangu nje ya nyumba")
    run_jobs()

    assert report_by_ref(runtime, ref).urgency == "critical"


def test_a_gateway_retry_of_a_reply_is_answered_alike_and_kept_once(answered_case, send_sms, runtime):
    ref = answered_case()

    first = send_sms("Walimpeleka Pangani", sid="SMreplyretry1")
    again = send_sms("Walimpeleka Pangani", sid="SMreplyretry1")

    assert again.text == first.text
    assert decrypted_text(runtime, ref).count("Walimpeleka Pangani") == 1


def test_a_reply_through_africastalking_joins_the_report_too(answered_case, text_africastalking, runtime):
    ref = answered_case()

    sms = text_africastalking("Ilikuwa saa mbili usiku karibu na stage")

    assert ref in sms
    assert count(runtime, Report) == 1
    assert "Ilikuwa saa mbili usiku" in decrypted_text(runtime, ref)
