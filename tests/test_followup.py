"""A reporter's follow-up reaches the panel: it is written to the audit log (no text, no
number), and a follow-up to a resolved case takes the case up again."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage import AuditEvent
from storage.models import utcnow
from tests.helpers import cases


@pytest.fixture
def lead(make_user, api_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(make_user('panel_lead', ('police-accountability',)))}"}


def events(runtime, action: str) -> list[AuditEvent]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_follow_up_is_audited_without_its_text_or_number(reported_case, send_sms, runtime):
    ref = reported_case()

    send_sms(f"{ref} Walirudi tena leo asubuhi")

    [event] = events(runtime, "report.followup")
    [case] = cases(runtime)
    assert event.subject == f"report:{case.report_id}"
    assert "Walirudi" not in json.dumps(event.details)
    assert "712345678" not in json.dumps(event.details)


def test_a_follow_up_to_a_resolved_case_reopens_it(reported_case, send_sms, client, runtime, lead):
    ref = reported_case()
    answer = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "resolve", "outcome": "answered", "confirm": True},
        headers=lead,
    )
    assert answer.status_code == 200, answer.json

    send_sms(f"{ref} Bado wanaitisha hongo")

    [case] = cases(runtime)
    assert case.status in ("acknowledged", "responded")
    assert case.resolved_at is None
    assert case.outcome is None
    assert case.resolve_due_at > utcnow()
    assert [e.details["outcome"] for e in events(runtime, "case.reopened")] == ["answered"]
    assert ref in [c["ref"] for c in client.get("/api/v1/cases", headers=lead).json["cases"]]


@pytest.mark.parametrize("words", ["sawa", "ok"])
def test_a_follow_up_that_names_no_language_is_answered_in_the_reports_own(words, reported_case, send_sms):
    ref = reported_case()

    reply = send_sms(f"{ref} {words}")

    assert f"Sauti {ref}: ujumbe wako umeongezwa kwenye ripoti yako." in reply.text


def test_a_follow_up_in_english_to_a_kiswahili_report_is_answered_in_english(reported_case, send_sms):
    ref = reported_case()

    reply = send_sms(f"{ref} they came back this morning")

    assert "your message was added to your report" in reply.text
