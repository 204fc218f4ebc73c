"""What an outside audit of the running app found, kept fixed: a gateway retry by Africa's
Talking sends no second answer, even when retries race, and carries out nothing twice; a score
after a reference that is not the number's opens no report; every delivery status Africa's
Talking sends is taken (those tests are in test_africastalking_status.py)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete

from storage import Message, OutboundMessage, Report
from storage.intake.committer import committer_for
from storage.reporter_texts import reporter_text
from tests.fixtures.webhooks import AT_SECRET, TEST_NUMBER
from tests.helpers import count, database_held, outbound, reference_in, thread_length, wait_until

SMS_URL = f"/channels/africastalking/sms?secret={AT_SECRET}"
REPORT = "Polisi wanatuzuia kila usiku California"
OTHER_NUMBER = "+254722000111"
# A reference no report has: one drawn at random is never this one in practice.
UNKNOWN_REF = "K7F-3QX"
RETRIES = 8


def at_sms(text: str, message_id: str | None = None, sender: str = TEST_NUMBER) -> dict[str, str]:
    """An inbound SMS as Africa's Talking posts it; the same id again is a gateway retry."""
    return {
        "from": sender,
        "to": "22384",
        "text": text,
        "date": "2026-11-26 10:00:00",
        "id": message_id or "ATXin_" + uuid.uuid4().hex,
        "linkId": "",
    }


def replies(runtime) -> int:
    """How many messages were queued to reporters as answers to what they sent."""
    return sum(message.kind == "reply" for message in outbound(runtime))


# 1. One acknowledgement per report per channel, however often Africa's Talking retries.


def test_an_africastalking_retry_of_a_stored_report_sends_no_second_acknowledgement(
    client, runtime, run_jobs, africastalking_api
):
    form = at_sms(REPORT)

    first = client.post(SMS_URL, data=form)
    again = client.post(SMS_URL, data=form)
    run_jobs()

    assert (first.status_code, again.status_code) == (200, 200)
    assert count(runtime, Report) == 1
    assert replies(runtime) == 1
    assert len(africastalking_api.requests) == 1


def test_a_retry_after_the_receipt_was_lost_sends_it_once(client, runtime, run_jobs, africastalking_api):
    form = at_sms(REPORT)
    client.post(SMS_URL, data=form)
    with runtime.store.transaction() as session:  # the web process died between its commit and the receipt
        session.execute(delete(OutboundMessage))

    again = client.post(SMS_URL, data=form)
    client.post(SMS_URL, data=form)
    run_jobs()

    assert again.status_code == 200
    assert count(runtime, Report) == 1
    assert replies(runtime) == 1
    assert len(africastalking_api.requests) == 1


def test_an_africastalking_retry_of_a_follow_up_sends_no_second_acknowledgement(
    client, runtime, text_africastalking
):
    ref = reference_in(text_africastalking(REPORT))
    follow_up = at_sms(f"{ref} They came back tonight with a lorry")

    assert client.post(SMS_URL, data=follow_up).status_code == 200
    assert client.post(SMS_URL, data=follow_up).status_code == 200

    assert thread_length(runtime, ref) == 2
    assert replies(runtime) == 2


def test_a_new_message_after_a_retry_is_still_acknowledged(client, runtime):
    form = at_sms(REPORT)
    client.post(SMS_URL, data=form)
    client.post(SMS_URL, data=form)

    client.post(SMS_URL, data=at_sms("HELP"))

    assert replies(runtime) == 2


def test_retries_racing_in_one_process_queue_one_acknowledgement(app, runtime):
    form, committer = at_sms(REPORT, "ATXin_raced"), committer_for(runtime.store)
    with ThreadPoolExecutor(max_workers=RETRIES) as pool, database_held(runtime):
        answers = [pool.submit(app.test_client().post, SMS_URL, data=form) for _ in range(RETRIES)]
        wait_until(lambda: committer.unanswered == RETRIES)

    assert [answer.result().status_code for answer in answers] == [200] * RETRIES
    assert count(runtime, Report) == 1
    assert count(runtime, Message) == 1
    assert replies(runtime) == 1


def retried_by_two_processes(app, other, form: dict[str, str]) -> list[int]:
    """The same message sent RETRIES times at once, half to each of two apps on one database,
    each writing with a committer of its own as two gunicorn workers do; their statuses."""
    start = threading.Barrier(RETRIES)

    def retry(n: int) -> int:
        client = (app if n % 2 else other).test_client()
        start.wait()
        return client.post(SMS_URL, data=form).status_code

    with ThreadPoolExecutor(max_workers=RETRIES) as pool:
        return list(pool.map(retry, range(RETRIES)))


def test_retries_racing_in_two_processes_queue_one_acknowledgement(app, make_app, runtime):
    statuses = retried_by_two_processes(app, make_app(), at_sms(REPORT, "ATXin_raced_apart"))

    assert statuses == [200] * RETRIES
    assert count(runtime, Report) == 1
    assert replies(runtime) == 1


def test_a_retry_of_a_follow_up_whose_receipt_was_lost_sends_it_once(
    client, runtime, run_jobs, africastalking_api, text_africastalking
):
    ref = reference_in(text_africastalking(REPORT))
    follow_up = at_sms(f"{ref} They came back tonight with a lorry")
    client.post(SMS_URL, data=follow_up)
    with runtime.store.transaction() as session:  # the web process died between its commit and the receipt
        session.execute(delete(OutboundMessage).where(OutboundMessage.answers == follow_up["id"]))

    client.post(SMS_URL, data=follow_up)
    client.post(SMS_URL, data=follow_up)
    run_jobs()

    assert thread_length(runtime, ref) == 2
    assert replies(runtime) == 2
    sent = [request["form"]["message"][0] for request in africastalking_api.requests]
    assert sent.count(reporter_text("followup_added", "en", ref=ref)) == 1


@pytest.mark.parametrize("question", ["HELP", "STATUS", "RATE", "msaada"])
def test_an_africastalking_retry_of_a_question_is_answered_once(
    client, runtime, run_jobs, africastalking_api, question
):
    form = at_sms(question)

    statuses = [client.post(SMS_URL, data=form).status_code for _ in range(3)]
    run_jobs()

    assert statuses == [200] * 3
    assert replies(runtime) == 1
    assert len(africastalking_api.requests) == 1


def test_an_africastalking_retry_of_thanks_is_answered_once(client, runtime, text_africastalking):
    text_africastalking(REPORT)
    thanks = at_sms("Asante sana")

    client.post(SMS_URL, data=thanks)
    client.post(SMS_URL, data=thanks)

    assert replies(runtime) == 2


def test_question_retries_racing_in_two_processes_queue_one_answer(app, make_app, runtime):
    statuses = retried_by_two_processes(app, make_app(), at_sms("HELP", "ATXin_help_raced"))

    assert statuses == [200] * RETRIES
    assert replies(runtime) == 1


# 2. A score after a reference that is not the number's is no report.


def test_a_score_after_an_unknown_reference_opens_no_report_and_answers_as_rate_does(send_sms, runtime):
    answer = send_sms(f"{UNKNOWN_REF} 5").text

    assert reporter_text("not_found", "en", ref=UNKNOWN_REF) in answer
    assert answer == send_sms(f"RATE {UNKNOWN_REF} 5").text
    assert count(runtime, Report) == 0


def test_a_score_after_someone_elses_reference_opens_no_report(send_sms, runtime):
    ref = reference_in(send_sms("They took my brother at Eastleigh").text)

    answer = send_sms(f"{ref} 5", sender=OTHER_NUMBER).text

    assert reporter_text("not_found", "en", ref=ref) in answer
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 1


def test_a_score_after_an_unknown_reference_is_answered_in_the_numbers_language(
    reported_case, send_sms, runtime
):
    reported_case("Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba")

    answer = send_sms(f"{UNKNOWN_REF} 4").text

    assert reporter_text("not_found", "sw", ref=UNKNOWN_REF) in answer
    assert count(runtime, Report) == 1


def test_a_score_after_an_unknown_reference_by_africastalking_opens_nothing(text_africastalking, runtime):
    answer = text_africastalking(f"{UNKNOWN_REF} 5", sender=OTHER_NUMBER)

    assert answer == reporter_text("not_found", "en", ref=UNKNOWN_REF)
    assert count(runtime, Report) == 0


def test_words_after_an_unknown_reference_are_still_kept_as_a_report(send_sms, runtime):
    answer = send_sms(f"{UNKNOWN_REF} they came back and took my phone").text

    assert "report received" in answer
    assert count(runtime, Report) == 1
