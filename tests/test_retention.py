"""Retention: a reporter's number is erased some days after their case is resolved, a report's
text (its data key and attachments) later; counts, the audit chain and the case stay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage.accounts import create_user, issue_api_token
from storage.audit import verify_chain
from storage.crypto import DecryptionError
from storage.crypto.sealing import report_key, seal_contact
from storage.intake.identity import reporter_pseudonym
from storage.models import AuditEvent, Case, Message, OutboundMessage, Report, Reporter
from storage.outbox import queue_to_reporter
from storage.reporting.figures import trust_index
from storage.reporting.trust import load_trust_policy
from storage.retention import apply_retention
from tests.fixtures.media import MediaFile
from tests.fixtures.webhooks import TEST_NUMBER
from tests.helpers import attachments, count, reference_in, report_by_ref
from tests.media_samples import jpeg_with_gps
from workers.retention import apply_retention_policy

EXTORTION = "Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba"
NOW = datetime.now(UTC)


def resolve(runtime, ref: str, days_ago: int = 0) -> None:
    with runtime.store.transaction() as session:
        case = session.scalars(select(Case).join(Case.report).where(Case.report.has(ref=ref))).one()
        case.status, case.resolved_at, case.outcome = "resolved", NOW - timedelta(days=days_ago), "referred"


def reachable(runtime, ref: str) -> bool:
    with runtime.store.transaction() as session:
        return session.scalars(select(Report).where(Report.ref == ref)).one().reporter_reachable


def queue_note_to_reporter(runtime, ref: str) -> uuid.UUID:
    with runtime.store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        note = queue_to_reporter(session, runtime.store.keys, report, "reply", "Tunashughulikia ripoti yako")
        assert note is not None
        return note.id


def apply(runtime, days_later: int, *, dry_run: bool = False):
    settings = runtime.settings
    as_of = NOW + timedelta(days=days_later)
    return apply_retention(runtime.store, settings.retention, settings.media_path, as_of, dry_run=dry_run)


def test_the_number_is_kept_until_90_days_after_the_case_is_resolved(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)

    assert apply(runtime, 89).numbers == 0
    assert reachable(runtime, ref)


def test_the_number_is_erased_90_days_after_the_case_is_resolved(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)

    assert apply(runtime, 91).numbers == 1

    assert not reachable(runtime, ref)


def test_a_message_waiting_when_the_number_is_erased_is_never_sent(reported_case, runtime):
    ref = reported_case(EXTORTION)
    waiting = queue_note_to_reporter(runtime, ref)
    resolve(runtime, ref)

    apply(runtime, 91)

    with runtime.store.transaction() as session:
        assert session.get_one(OutboundMessage, waiting).status == "undeliverable"


def test_a_reporter_with_a_case_still_open_keeps_their_number(reported_case, runtime):
    first = reported_case(EXTORTION)
    reported_case("Polisi walimpiga kijana Eastleigh jana usiku")
    resolve(runtime, first, days_ago=400)

    assert apply(runtime, 0).numbers == 0
    assert reachable(runtime, first)


def test_the_text_is_shredded_after_its_period_and_metrics_and_the_audit_chain_stay(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)

    erased = apply(runtime, 731)

    assert (erased.numbers, erased.texts) == (1, 1)
    report = report_by_ref(runtime, ref)
    with pytest.raises(DecryptionError):
        report_key(runtime.store.keys, report)
    assert report.category is not None
    assert count(runtime, Case) == 1
    with runtime.store.transaction() as session:
        assert verify_chain(session).intact


def test_the_text_is_kept_one_day_before_its_period_ends(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)

    assert apply(runtime, 729).texts == 0
    assert report_key(runtime.store.keys, report_by_ref(runtime, ref))


def test_each_erasure_is_audited_without_text_or_number(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)

    apply(runtime, 731)

    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("retention.%"))).all()
        logged = [(e.action, e.subject, str(e.details)) for e in events]
    assert sorted(action for action, _, _ in logged) == ["retention.number_erased", "retention.text_erased"]
    assert "Gikomba" not in str(logged)
    assert TEST_NUMBER[4:] not in str(logged)


def test_a_dry_run_counts_and_erases_nothing(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)

    assert apply(runtime, 731, dry_run=True).texts == 1

    assert report_key(runtime.store.keys, report_by_ref(runtime, ref))
    assert reachable(runtime, ref)


def test_a_dry_run_counts_the_attachments_that_would_go(reported_media, runtime):
    ref = reported_media(MediaFile(jpeg_with_gps(size=(64, 32)), "image/jpeg"), body=EXTORTION)
    resolve(runtime, ref)

    assert apply(runtime, 731, dry_run=True).attachments == 1
    assert len(attachments(runtime)) == 1


def test_the_gateways_ids_of_an_erased_report_go_with_its_text(reported_case, runtime):
    ref = reported_case(EXTORTION)
    queue_note_to_reporter(runtime, ref)
    with runtime.store.transaction() as session:
        session.scalars(select(OutboundMessage)).one().provider_id = "SM0123456789abcdef"
    resolve(runtime, ref)

    apply(runtime, 731)

    with runtime.store.transaction() as session:
        assert session.scalars(select(Message.external_id)).all() == [None]
        assert session.scalars(select(OutboundMessage.provider_id)).all() == [None]


def test_the_attachments_go_with_the_text(reported_media, runtime):
    ref = reported_media(MediaFile(jpeg_with_gps(size=(64, 32)), "image/jpeg"), body=EXTORTION)
    resolve(runtime, ref)

    assert apply(runtime, 731).attachments == 1

    assert attachments(runtime) == []


def test_the_case_page_says_the_text_was_erased_under_the_retention_policy(
    reported_case, runtime, make_user, auth, client
):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)
    apply(runtime, 731)
    auth.sign_in(make_user("panel_member"))

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "Erased under the retention policy" in page
    assert "Gikomba" not in page


def test_the_api_says_the_text_was_erased_under_the_retention_policy(
    reported_case, runtime, make_user, api_token, client
):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)
    apply(runtime, 731)
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_member'))}"}

    case = client.get(f"/api/v1/cases/{ref}", headers=headers).get_json()

    assert case["text_erased"] is True
    assert case["text"] == "erased under the retention policy"


def test_flask_retention_apply_as_of_a_date(reported_case, runtime, app):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref, days_ago=100)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["retention", "apply", "--as-of", NOW.strftime("%Y-%m-%d"), "--dry-run"])
    done = runner.invoke(args=["retention", "apply", "--as-of", NOW.strftime("%Y-%m-%d")])

    assert "Would erase 1 reporters' numbers" in dry.output
    assert "Erased 1 reporters' numbers" in done.output
    assert not reachable(runtime, ref)


def test_the_daily_job_erases_what_is_due_today(reported_case, runtime):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref, days_ago=800)

    assert apply_retention_policy() == {"numbers": 1, "texts": 1, "attachments": 0}


def test_the_retention_periods_come_from_the_environment(make_app):
    app = make_app(SAUTI_RETAIN_NUMBER_DAYS="30", SAUTI_RETAIN_TEXT_DAYS="365")

    periods = runtime_of(app).settings.retention

    assert (periods.number_days, periods.text_days) == (30, 365)


def test_a_follow_up_to_an_erased_report_becomes_a_new_report(reported_case, runtime, send_sms):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)
    apply(runtime, 731)

    response = send_sms(f"{ref} Bado wanaitisha hongo")

    assert response.status_code == 200
    assert reference_in(response.get_data(as_text=True)) != ref
    assert count(runtime, Report) == 2


def test_a_note_on_an_erased_case_is_refused_with_the_reason(
    reported_case, runtime, make_user, api_token, client
):
    ref = reported_case(EXTORTION)
    resolve(runtime, ref)
    apply(runtime, 731)
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    response = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "note", "text": "Tulimpigia simu"}, headers=headers
    )

    assert response.status_code == 400
    assert "erased under the retention policy" in response.get_json()["detail"]


def test_response_times_and_the_trust_index_are_the_same_after_erasure(reported_case, runtime, client):
    for body in (EXTORTION, "Polisi walimpiga kijana Eastleigh jana usiku"):
        resolve(runtime, reported_case(body))
    with runtime.store.transaction() as session:
        auditor = create_user(session, "auditor@sauti.test", "auditor", "correct horse battery")
        headers = {"Authorization": f"Bearer {issue_api_token(auditor)}"}

    def figures() -> tuple[object, object]:
        times = client.get("/api/v1/metrics/response-times?group_by=category", headers=headers).get_json()
        with runtime.store.transaction() as session:
            return times, trust_index(session, load_trust_policy())

    before = figures()
    assert apply(runtime, 731).texts == 2

    assert figures() == before


def kept_for_a_reply(runtime, number: str = "+254733000222") -> None:
    """A number sealed to answer someone who never reported (HELP, STATUS), its answer not
    sent yet."""
    with runtime.store.transaction() as session:
        reporter = Reporter(pseudonym=reporter_pseudonym(runtime.store.pepper, number))
        seal_contact(runtime.store.keys, reporter, number)
        session.add(reporter)


def test_the_number_of_someone_who_never_reported_is_erased_after_the_period(runtime):
    kept_for_a_reply(runtime)

    assert apply(runtime, 89).numbers == 0
    assert apply(runtime, 91).numbers == 1

    with runtime.store.transaction() as session:
        assert session.scalars(select(Reporter)).one().contact is None
