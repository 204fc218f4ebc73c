"""STATUS tells the panel's answer to the one who asked, and only to them; a rating is kept
only once there is an answer to rate."""

from __future__ import annotations

from sqlalchemy import select

from storage import AuditEvent
from storage.segments import fits_one_segment
from tests.helpers import only_report, reference_in

OTHER_NUMBER = "+254722000111"
REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
ANSWER = "We spoke to the station commander. He will be released today."


def message_of(twiml: str) -> str:
    return twiml.split("<Message>")[1].split("</Message>")[0]


def test_status_from_the_reporters_number_tells_the_panels_answer(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)

    answer = send_sms(f"STATUS {ref}").text

    assert f"Sauti {ref}: the panel has answered. Answer: We spoke" in answer
    assert "released today" in answer


def test_status_from_another_number_tells_the_status_only(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)

    answer = send_sms(f"STATUS {ref}", sender=OTHER_NUMBER).text

    assert f"Sauti {ref}: the panel has answered." in answer
    assert "released" not in answer


def test_a_long_answer_is_cut_to_one_sms(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ("We have spoken to the officer in charge at Pangani. " * 3)[:140])

    answer = message_of(send_sms(f"HALI {ref}").text)

    assert answer.endswith("...")
    assert fits_one_segment(answer)


def test_checking_by_ussd_tells_the_reporter_the_answer(send_sms, answered_by_panel, dial):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)

    screen = dial(["2", ref], session_id="ATUid_own").text

    assert screen.startswith(f"END Report {ref}: the panel has answered.\nAnswer: We spoke")


def test_checking_by_ussd_from_another_number_tells_the_status_only(send_sms, answered_by_panel, dial):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)

    screen = dial(["2", ref], session_id="ATUid_other", number=OTHER_NUMBER).text

    assert screen == f"END Report {ref}: the panel has answered."


def test_status_by_africastalking_tells_the_reporter_the_answer(text_africastalking, answered_by_panel):
    ref = reference_in(text_africastalking(REPORT))
    answered_by_panel(ref, ANSWER)

    assert "released today" in text_africastalking(f"status {ref}")


def test_a_rating_before_any_answer_is_refused_and_nothing_is_kept(send_sms, run_jobs, runtime):
    ref = reference_in(send_sms(REPORT).text)
    run_jobs()

    answer = send_sms(f"RATE {ref} 1").text

    assert "has not answered yet" in answer
    assert only_report(runtime).rating is None
    with runtime.store.transaction() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "report.rated")).all() == []


def test_kadiria_after_the_answer_is_kept_and_thanked_in_kiswahili(send_sms, answered_by_panel, runtime):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)

    answer = send_sms(f"KADIRIA {ref} 5").text

    assert "asante kwa kukadiria" in answer
    assert only_report(runtime).rating == 5


def test_a_rating_by_africastalking_before_the_answer_is_refused(text_africastalking, run_jobs, runtime):
    ref = reference_in(text_africastalking(REPORT))

    assert "haijajibu" in text_africastalking(f"KADIRIA {ref} 4")
    assert only_report(runtime).rating is None


def test_a_curly_apostrophe_in_the_answer_does_not_cut_it_to_seventy_characters(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, "We\u2019ve spoken to the OCS \u2013 he\u2019ll be out today.")

    answer = message_of(send_sms(f"STATUS {ref}").text)

    assert answer.endswith("We've spoken to the OCS - he'll be out today.")
    assert fits_one_segment(answer)


def test_the_answer_on_a_ussd_screen_is_cut_at_the_screen_not_at_an_sms(send_sms, dial, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, "We\u2019ve spoken to the OCS \u2013 he\u2019ll be out today.")

    screen = dial(["2", ref], session_id="ATUid_answer").text

    assert screen.endswith("We've spoken to the OCS - he'll be out today.")
    assert len(screen) - len("END ") <= 182


def test_a_reply_typed_with_curly_quotes_is_held_to_the_plain_sms_limit(send_sms, answered_by_panel, runtime):
    ref = reference_in(send_sms(REPORT).text)

    answered_by_panel(
        ref, "We\u2019ve spoken to the officer in charge at Pangani; he\u2019ll be released today."
    )

    answer = message_of(send_sms(f"STATUS {ref}").text)
    assert "We've spoken to the officer in charge at Pangani; he'll be released today." in answer


def test_status_after_the_reporter_wrote_again_does_not_repeat_the_older_answer(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)
    send_sms(f"{ref} they came back again tonight")

    answer = message_of(send_sms(f"STATUS {ref}").text)

    assert answer == f"Sauti {ref}: your newest message is with the panel."


def test_status_tells_the_answer_again_once_the_panel_answers_the_newer_message(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, ANSWER)
    send_sms(f"{ref} they came back again tonight")
    answered_by_panel(ref, "We are calling the station now.")

    answer = message_of(send_sms(f"STATUS {ref}").text)

    assert answer.endswith("Answer: We are calling the station now.")
