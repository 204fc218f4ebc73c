"""One story sent as several SMS: a phone splits a long text, or a resident sends the rest a
moment later. The parts that follow a number's report within a few minutes join that report,
so the resident gets one reference and the panel reads, and triage classifies, the whole story."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from storage import Message, OutboundMessage, Report
from storage.intake.committer import committer_for
from storage.models.reports import STORY_PARTS_ARRIVE_WITHIN
from storage.reporter_texts import reporter_text
from tests.helpers import cases, count, database_held, decrypted_text, reference_in, thread_length, wait_until

SENDER = "+254711000070"
PARTS = [
    "Jana usiku vijana watatu wenye bunduki walimteka nyara kaka yangu Juma hapa Eastleigh. "
    "Walimtaka awape elfu kumi la sivyo",
    "watamuua. Tangu hapo hatujamwona na simu yake imezimwa.",
    "Tafadhali tusaidieni haraka, tuna hofu sana.",
]


def added(ref: str) -> str:
    return reporter_text("followup_added", "sw", ref=ref)


def test_a_story_sent_as_three_sms_is_one_report_holding_every_part(send_sms, runtime):
    answers = [send_sms(part, sender=SENDER).text for part in PARTS]

    ref = reference_in(answers[0])
    assert count(runtime, Report) == 1
    assert decrypted_text(runtime, ref).splitlines() == PARTS


def test_only_the_first_part_is_acknowledged_and_the_rest_are_said_to_be_added_to_it(send_sms):
    answers = [send_sms(part, sender=SENDER).text for part in PARTS]

    ref = reference_in(answers[0])
    assert reporter_text("received", "sw", ref=ref) in answers[0]
    assert [added(ref) in answer for answer in answers[1:]] == [True, True]


def test_the_panel_gets_one_case_triaged_on_the_whole_story(send_sms, runtime, run_jobs):
    for part in PARTS:
        send_sms(part, sender=SENDER)

    run_jobs()

    assert len(cases(runtime)) == 1
    with runtime.store.transaction() as session:
        assert not session.scalars(select(Message).where(Message.awaiting_triage)).all()
        emergency = select(OutboundMessage).where(OutboundMessage.kind == "acknowledgement_critical")
        assert len(session.scalars(emergency).all()) == 1


def test_a_story_sent_through_africas_talking_gets_one_reference(text_africastalking, runtime):
    answers = [text_africastalking(part, sender=SENDER) for part in PARTS]

    ref = reference_in(answers[0])
    assert answers[1:] == [added(ref), added(ref)]
    assert count(runtime, Report) == 1
    assert decrypted_text(runtime, ref).splitlines() == PARTS


def test_a_story_sent_on_whatsapp_is_one_report(send_sms, runtime):
    answers = [send_sms(part, sender=f"whatsapp:{SENDER}").text for part in PARTS]

    ref = reference_in(answers[0])
    assert count(runtime, Report) == 1
    assert decrypted_text(runtime, ref).splitlines() == PARTS


def test_parts_arriving_in_one_batch_make_one_report(app, send_sms_to, runtime):
    committer = committer_for(runtime.store)
    with ThreadPoolExecutor(max_workers=4) as pool, database_held(runtime):
        # Another number's report holds the lead while the parts gather behind it, in one batch.
        pool.submit(send_sms_to, app.test_client(), "Askari wanaitisha hongo Gikomba", "+254722000111")
        wait_until(lambda: committer.unanswered == 1 and committer.queued == 0)
        answers = [pool.submit(send_sms_to, app.test_client(), part, SENDER) for part in PARTS]
        wait_until(lambda: committer.queued == len(PARTS))
    texts = [answer.result().text for answer in answers]

    refs = {reference_in(text) for text in texts}
    assert len(refs) == 1
    assert count(runtime, Report) == 2
    assert sorted(decrypted_text(runtime, refs.pop()).splitlines()) == sorted(PARTS)


def test_a_part_the_gateway_sends_twice_is_stored_once_and_answered_alike(send_sms, runtime):
    ref = reference_in(send_sms(PARTS[0], sender=SENDER).text)

    first = send_sms(PARTS[1], sender=SENDER, sid="SM" + "7" * 32)
    again = send_sms(PARTS[1], sender=SENDER, sid="SM" + "7" * 32)

    assert again.text == first.text
    assert added(ref) in again.text
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 2


def test_a_message_after_the_window_is_a_report_of_its_own(send_sms, runtime, clock):
    ref = reference_in(send_sms(PARTS[0], sender=SENDER).text)
    clock.shift(timedelta(seconds=5))
    send_sms(PARTS[1], sender=SENDER)
    clock.shift(STORY_PARTS_ARRIVE_WITHIN + timedelta(seconds=1))

    later = send_sms("Leo askari wamevamia soko la Gikomba", sender=SENDER).text

    assert ref not in later
    assert count(runtime, Report) == 2
    assert decrypted_text(runtime, ref).splitlines() == PARTS[:2]


def test_the_window_runs_from_the_report_not_from_its_last_part(send_sms, runtime, clock):
    ref = reference_in(send_sms(PARTS[0], sender=SENDER).text)
    clock.shift(STORY_PARTS_ARRIVE_WITHIN - timedelta(seconds=30))
    send_sms(PARTS[1], sender=SENDER)
    clock.shift(STORY_PARTS_ARRIVE_WITHIN - timedelta(seconds=30))

    later = send_sms("Leo askari wamevamia soko la Gikomba", sender=SENDER).text

    assert ref not in later
    assert count(runtime, Report) == 2
    assert decrypted_text(runtime, ref).splitlines() == PARTS[:2]


def test_after_stop_a_message_is_a_report_of_its_own(send_sms, runtime):
    ref = reference_in(send_sms(PARTS[0], sender=SENDER).text)
    send_sms(PARTS[1], sender=SENDER)
    send_sms("STOP", sender=SENDER)

    later = send_sms(PARTS[2], sender=SENDER).text

    assert ref not in later
    assert count(runtime, Report) == 2
    assert decrypted_text(runtime, ref).splitlines() == PARTS[:2]


def test_a_message_from_another_number_is_never_added(send_sms, runtime):
    ref = reference_in(send_sms(PARTS[0], sender=SENDER).text)

    other = send_sms("Askari wanaitisha hongo Gikomba", sender="+254722000111").text
    send_sms(PARTS[1], sender=SENDER)

    assert ref not in other
    assert count(runtime, Report) == 2
    assert decrypted_text(runtime, ref).splitlines() == PARTS[:2]
