"""STATUS / HALI, follow-ups, RATE and STOP / ACHA by SMS."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from channels.keywords import FollowUp, NewReport, Rate, Status, Stop, parse_command
from storage import AuditEvent, Report, Reporter
from tests.helpers import count, only_report, outbound, reference_in, thread_length
from workers import jobs

OTHER_NUMBER = "+254722000111"
# Triage writes to the reporter only when it has news: a report sent to the emergency desk.
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


def test_status_tells_the_status_and_never_the_content(send_sms):
    ref = reference_in(send_sms("Polisi walimpiga kijana Gikomba").text)

    response = send_sms(f"STATUS {ref}")

    assert f"Sauti {ref}: received" in response.text
    assert "Gikomba" not in response.text


def test_hali_answers_in_kiswahili(send_sms):
    ref = reference_in(send_sms("Polisi walimpiga kijana Gikomba").text)

    response = send_sms(f"hali {ref.lower()}")

    assert "imepokelewa" in response.text


def test_status_of_an_unknown_reference_says_so(send_sms):
    assert "no report of yours has the reference" in send_sms("STATUS ZZZ-999").text


def test_reference_followed_by_text_adds_to_the_report(send_sms, runtime):
    ref = reference_in(send_sms("They took my brother at Eastleigh").text)

    response = send_sms(f"{ref} He is at Pangani police station now")

    assert "added to your report" in response.text
    assert thread_length(runtime, ref) == 2
    assert count(runtime, Report) == 1


def test_a_follow_up_to_someone_elses_reference_becomes_a_new_report(send_sms, runtime):
    ref = reference_in(send_sms("They took my brother at Eastleigh").text)

    response = send_sms(f"{ref} I want to add something", sender=OTHER_NUMBER)

    assert "report received" in response.text
    assert thread_length(runtime, ref) == 1
    assert count(runtime, Report) == 2


def test_stop_erases_the_stored_number(send_sms, runtime):
    send_sms("Polisi wanaitisha hongo kila siku Eastleigh")

    response = send_sms("STOP")

    assert "erased" in response.text
    reporter = only_report(runtime).reporter
    assert reporter.contact is None
    assert reporter.wrapped_key is None


def test_a_reporter_who_writes_again_after_stop_is_answered_again(send_sms, run_jobs, runtime, twilio_api):
    send_sms(EMERGENCY)
    run_jobs()
    send_sms("STOP")

    send_sms(EMERGENCY + " again")
    run_jobs()

    with runtime.store.transaction() as session:
        reporter = session.scalars(select(Reporter)).one()
        assert reporter.contact is not None
        assert reporter.stopped_at is None
    assert [m.status for m in outbound(runtime)] == ["sent", "sent"]
    assert len(twilio_api.requests) == 2


def test_nothing_is_sent_after_stop(send_sms, run_jobs, runtime, twilio_api):
    send_sms("Polisi wanaitisha hongo kila siku Eastleigh")
    send_sms("STOP")

    run_jobs()

    assert only_report(runtime).status == "triaged"
    assert outbound(runtime) == []
    assert twilio_api.requests == []


def test_a_message_queued_before_stop_is_never_sent(send_sms, run_jobs, runtime, twilio_api):
    send_sms(EMERGENCY)
    jobs.triage_reports([str(only_report(runtime).id)])
    send_sms("STOP")

    run_jobs()

    assert [m.status for m in outbound(runtime)] == ["undeliverable"]
    assert twilio_api.requests == []


def test_a_message_queued_before_stop_is_not_sent_after_a_new_report(send_sms, run_jobs, runtime, twilio_api):
    send_sms(EMERGENCY)
    jobs.triage_reports([str(only_report(runtime).id)])
    send_sms("STOP")
    send_sms("Polisi wanaitisha hongo kila siku Eastleigh")

    run_jobs()

    assert [m.status for m in outbound(runtime)] == ["undeliverable"]
    assert twilio_api.requests == []


def test_acha_answers_in_kiswahili(send_sms):
    send_sms("Polisi wanaitisha hongo")

    assert "namba yako imefutwa" in send_sms("acha").text


def test_rate_records_the_reporters_rating(send_sms, runtime, answered_by_panel):
    ref = reference_in(send_sms("Askari walinisaidia sana asante").text)
    answered_by_panel(ref)

    response = send_sms(f"RATE {ref} 4")

    assert "4 out of 5" in response.text
    assert only_report(runtime).rating == 4
    with runtime.store.transaction() as session:
        rated = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.rated")).one()
    assert rated.details == {"score": 4}


def test_a_score_after_the_reference_rates_an_answered_report(send_sms, runtime, answered_by_panel):
    ref = reference_in(send_sms("The officers at Pangani helped us find my son, thank you").text)
    answered_by_panel(ref)

    response = send_sms(f"{ref} 5")

    assert "5 out of 5" in response.text
    assert only_report(runtime).rating == 5
    assert thread_length(runtime, ref) == 2


def test_a_score_after_the_reference_thanks_in_the_reporters_language(send_sms, answered_by_panel):
    ref = reference_in(send_sms("Askari walinitishia kunikamata jana Eastleigh").text)
    answered_by_panel(ref)

    assert "kati ya 5" in send_sms(f"{ref.lower()} 4").text


def test_a_score_after_the_reference_is_a_follow_up_until_the_panel_answers(send_sms, runtime):
    ref = reference_in(send_sms("Polisi walimpiga kijana Gikomba").text)

    response = send_sms(f"{ref} 5")

    assert "rating" not in response.text
    assert only_report(runtime).rating is None
    assert thread_length(runtime, ref) == 2


def test_rating_another_persons_report_is_refused(send_sms, runtime, answered_by_panel):
    ref = reference_in(send_sms("Askari walinisaidia").text)
    answered_by_panel(ref)

    send_sms(f"RATE {ref} 1", sender=OTHER_NUMBER)

    assert only_report(runtime).rating is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STATUS K7F-3QX", Status("K7F-3QX", "K7F-3QX", "en")),
        ("status k7f3qx", Status("K7F-3QX", "k7f3qx", "en")),
        ("HALI K7F 3QX", Status("K7F-3QX", "K7F 3QX", "sw")),
        ("RATE K7F-3QX 5", Rate("K7F-3QX", 5, "en")),
        ("RATE K7F-3QX 9", Rate("K7F-3QX", None, "en")),
        ("stop", Stop("en")),
        ("Acha", Stop("sw")),
        ("K7F-3QX they came back", FollowUp("K7F-3QX", "they came back")),
        ("k7f3qx: wamerudi", FollowUp("K7F-3QX", "wamerudi")),
        ("K7F-3QX 5", FollowUp("K7F-3QX", "5", 5)),
        ("K7F-3QX tano asante", FollowUp("K7F-3QX", "tano asante", 5)),
        ("K7F-3QX 5/5", FollowUp("K7F-3QX", "5/5", 5)),
        ("K7F-3QX 5 people were beaten", FollowUp("K7F-3QX", "5 people were beaten")),
        ("Stop beating our children", NewReport("Stop beating our children")),
        ("POLICE took him", NewReport("POLICE took him")),
        ("Status ya usalama ni mbaya", NewReport("Status ya usalama ni mbaya")),
    ],
)
def test_keywords_are_read_in_english_and_kiswahili(body, expected):
    assert parse_command(body) == expected
