"""The deployment in deploy/ run as processes: two web instances with instance folders of their
own and one shared set of secrets, two workers, one PostgreSQL and one Redis. Reports sent to
either instance through either gateway are triaged once and read the same from both."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from storage.models import Message, OutboundMessage, Report, Reporter
from tests.processes import (
    Answer,
    get_json,
    post_africastalking_sms,
    post_twilio_sms,
    shared_secrets,
    wait_until,
)

pytestmark = [
    pytest.mark.services,
    pytest.mark.topology,
    pytest.mark.parametrize("stack", ["postgresql"], indirect=True),
]
REPORTS_PER_GATEWAY = 40
NUMBERS = [f"+2547{n:08d}" for n in range(2 * REPORTS_PER_GATEWAY)]
PLACES = ("Gikomba", "Eastleigh", "Pumwani", "Majengo", "California")


def body(n: int) -> str:
    return f"Askari waliitisha hongo soko la {PLACES[n % len(PLACES)]} kundi {chr(65 + n % 26)}{n}"


def send_one(n: int, web: list[str]) -> tuple[Answer, str, str]:
    """Report n goes to instance n % 2, by Twilio or Africa's Talking in turns of two: the
    answer, the gateway's message id and the text."""
    text, sender, base = body(n), NUMBERS[n % len(NUMBERS)], web[n % 2]
    if (n // 2) % 2 == 0:
        message_id = f"SM{n:032d}"
        return post_twilio_sms(base, text, sender, message_id), message_id, text
    message_id = f"ATXid_{n:08d}"
    return post_africastalking_sms(base, text, sender, message_id), message_id, text


def refs_by_message_id(runtime) -> dict[str, str]:
    with runtime.store.transaction() as session:
        rows = session.execute(select(Message.external_id, Report.ref).join(Message.report)).all()
    return {message_id: ref for message_id, ref in rows}


def status_counts(runtime) -> dict[str, int]:
    with runtime.store.transaction() as session:
        rows = session.execute(select(Report.status, func.count()).group_by(Report.status)).all()
    return {status: number for status, number in rows}


def test_two_web_instances_and_two_workers_triage_every_report_readable_from_both(
    app, app_config, runtime, processes, make_user, api_token
):
    config = {k: v for k, v in app_config.items() if k != "SAUTI_MASTER_KEYS_FILE"} | shared_secrets()
    config["SAUTI_API_REQUESTS_PER_MINUTE"] = "1000"  # the test reads every case from both instances
    web = [processes.web(config, "web-a"), processes.web(config, "web-b")]
    processes.worker(config, "worker-a")
    processes.worker(config, "worker-b", "--no-cron")
    total = 2 * REPORTS_PER_GATEWAY

    with ThreadPoolExecutor(max_workers=8) as pool:
        sent = list(pool.map(lambda n: send_one(n, web), range(total)))

    assert [answer.status for answer, _, _ in sent] == [200] * total
    wait_until(lambda: status_counts(runtime) == {"triaged": total}, 120, f"{total} reports triaged")
    refs = refs_by_message_id(runtime)
    by_twilio = {message_id: answer.ref for answer, message_id, _ in sent if message_id.startswith("SM")}
    with runtime.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Reporter)) == len(NUMBERS)
        # Africa's Talking's acknowledgement is one SMS; triage writes again only to emergencies.
        by_sms = select(func.count()).where(OutboundMessage.channel == "at_sms")
        again = select(func.count()).where(OutboundMessage.kind.startswith("acknowledgement"))
        assert session.scalar(by_sms) == total - len(by_twilio)
        assert session.scalar(again) == 0
    assert by_twilio == {message_id: refs[message_id] for message_id in by_twilio}
    token = api_token(make_user(panels=tuple(panel.key for panel in runtime.routing.panels)))
    for _, message_id, text in sent:
        ref = refs[message_id]
        read = [get_json(f"{base}/api/v1/cases/{ref}", token) for base in web]
        assert [(status, case.get("text")) for status, case in read] == [(200, text), (200, text)]
