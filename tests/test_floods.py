"""A number sending reports faster than the limit: every message is kept, on one case, and the
number is answered once, politely."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.context import runtime_of
from storage import Report
from storage.intake.committer import committer_for
from tests.fixtures.stand_ins import free_port
from tests.fixtures.webhooks import AT_SECRET
from tests.helpers import count, database_held, end_stories, reference_in, thread_length, wait_until

pytestmark = pytest.mark.usefixtures("early_in_the_hour")
BURST = [
    "Askari wanaitisha hongo kila siku sokoni Gikomba",
    "Wanataka shilingi mia tano",
    "Kila mfanyabiashara",
]


@pytest.fixture
def limited_client(make_app):
    return make_app(SAUTI_REPORTS_PER_MINUTE="1").test_client()


def test_reports_past_the_limit_land_on_one_case_as_follow_ups(limited_client, send_sms_to, runtime):
    ref = reference_in(send_sms_to(limited_client, BURST[0]).text)

    for body in BURST[1:]:
        send_sms_to(limited_client, body)

    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 3


def test_the_first_message_past_the_limit_is_answered_once_and_politely(limited_client, send_sms_to):
    ref = reference_in(send_sms_to(limited_client, BURST[0]).text)

    first_over = send_sms_to(limited_client, BURST[1]).text
    second_over = send_sms_to(limited_client, BURST[2]).text

    assert f"Sauti {ref}: tumepokea jumbe zako" in first_over
    assert "<Message>" not in second_over


def test_a_flood_by_africastalking_sends_one_polite_sms(make_app, runtime, run_jobs, africastalking_api):
    app = make_app(SAUTI_REPORTS_PER_MINUTE="1")
    client = app.test_client()
    for number, body in enumerate(BURST):
        form = {"from": "+254733000222", "to": "22384", "text": body, "id": f"ATXid_flood_{number}"}
        client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)

    run_jobs(runtime_of(app))

    sent = [request["form"]["message"][0] for request in africastalking_api.requests]
    assert len(sent) == 2
    assert "tumepokea jumbe zako" in sent[1]
    assert count(runtime, Report) == 1


def test_another_number_is_not_held_back_by_a_flood(limited_client, send_sms_to, runtime):
    send_sms_to(limited_client, BURST[0])
    send_sms_to(limited_client, BURST[1])

    answer = send_sms_to(limited_client, BURST[2], sender="+254722000111").text

    assert "ripoti imepokelewa" in answer
    assert count(runtime, Report) == 2


def test_web_processes_sharing_a_database_count_one_number_together(make_app, send_sms_to, runtime):
    first_process = make_app(SAUTI_REPORTS_PER_MINUTE="1").test_client()
    second_process = make_app(SAUTI_REPORTS_PER_MINUTE="1").test_client()

    ref = reference_in(send_sms_to(first_process, BURST[0]).text)
    answer = send_sms_to(second_process, BURST[1]).text

    assert f"Sauti {ref}: tumepokea jumbe zako" in answer
    assert count(runtime, Report) == 1


def test_a_gateway_retrying_a_stored_message_past_the_limit_gets_its_reference_again(
    limited_client, send_sms_to, runtime
):
    first = send_sms_to(limited_client, BURST[0], sid="SM" + "7" * 32).text
    retried = send_sms_to(limited_client, BURST[0], sid="SM" + "7" * 32).text

    assert retried == first
    assert count(runtime, Report) == 1
    assert thread_length(runtime, reference_in(first)) == 1


def test_a_gateway_retrying_a_message_kept_without_a_word_gets_no_word_again(
    limited_client, send_sms_to, runtime
):
    for body in BURST[:2]:
        send_sms_to(limited_client, body)
    kept_quietly = "SM" + "8" * 32

    first = send_sms_to(limited_client, BURST[2], sid=kept_quietly).text
    retried = send_sms_to(limited_client, BURST[2], sid=kept_quietly).text

    assert "<Message>" not in first
    assert retried == first
    assert count(runtime, Report) == 1


def test_the_count_starts_again_the_next_minute(limited_client, send_sms_to, runtime):
    send_sms_to(limited_client, BURST[0])
    end_stories(runtime)
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=1), tick=True):
        answer = send_sms_to(limited_client, BURST[1]).text

    assert "ripoti imepokelewa" in answer
    assert count(runtime, Report) == 2


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_floods_are_held_back_without_redis(make_app, send_sms_to, runtime):
    client = make_app(
        SAUTI_REPORTS_PER_MINUTE="1", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"
    ).test_client()

    responses = [send_sms_to(client, body) for body in BURST]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert count(runtime, Report) == 1


def test_a_burst_committed_together_is_one_report_with_one_polite_answer(make_app, send_sms_to):
    app = make_app(SAUTI_REPORTS_PER_MINUTE="1")
    runtime = runtime_of(app)
    committer = committer_for(runtime.store)
    with ThreadPoolExecutor(max_workers=len(BURST)) as pool, database_held(runtime):
        answers = [pool.submit(send_sms_to, app.test_client(), body) for body in BURST]
        wait_until(lambda: committer.unanswered == len(BURST))
    texts = sorted(answer.result().text for answer in answers)

    assert count(runtime, Report) == 1
    ref = reference_in(texts[-1])
    assert thread_length(runtime, ref) == len(BURST)
    assert [f"Sauti {ref}: tumepokea jumbe zako" in text for text in texts].count(True) == 1
    assert [text.endswith("<Response />") for text in texts].count(True) == 1


def test_an_emergency_told_past_the_limit_raises_the_case_at_once(limited_client, send_sms_to, run_jobs):
    app = limited_client.application
    ref = reference_in(send_sms_to(limited_client, BURST[0]).text)
    run_jobs(runtime_of(app))

    send_sms_to(limited_client, "Sasa hivi wamerudi na wanampiga kijana wangu na rungu, saidieni")
    run_jobs(runtime_of(app))

    with runtime_of(app).store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        assert (report.urgency, report.case.panel.key) == ("critical", "emergency-desk")
