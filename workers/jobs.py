"""RQ jobs: plain functions that take an id, load by it, do one thing and commit.

Every job is idempotent: running it twice, or after a worker died half-way, changes nothing
the first complete run did not."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

import triage
from storage import Case, OutboundMessage, Panel, Report
from storage.cases import (
    Triage,
    commit_without_waiting_for_disk,
    first_text,
    lock_report,
    open_case,
    queue_to_reporter,
)
from storage.casework_queries import aware
from storage.crypto import KeyRing
from storage.duplicates import duplicate_candidates, link_duplicate
from storage.models import utcnow
from storage.sealing import open_contact, open_outbound
from triage.duplicates import DEFAULT_WINDOW
from workers.gateways import GatewayError
from workers.runtime import Runtime, current

log = logging.getLogger(__name__)
SWEEP_BATCH = 1000


def triage_report(report_id: str) -> str:
    """Classify a received report, open its case on the right panel and queue the
    acknowledgement. Does nothing for a report already triaged."""
    runtime = current()
    with runtime.store.transaction() as session:
        report = lock_report(session, uuid.UUID(report_id))
        if report is None or report.status != "received":
            return "skipped"
        commit_without_waiting_for_disk(session)
        text = first_text(session, runtime.store.keys, report)
        classification = _with_topic_hint(triage.classify(text), report.topic_hint)
        route = triage.route(classification, runtime.routing)
        panel = _panel(session, route.panel, runtime.routing.fallback)
        due = triage.due_at(classification.urgency, report.received_at, runtime.sla)
        case = open_case(session, report, _as_triage(classification), panel, route.rule, due)
        _link_likely_duplicate(session, runtime.store.keys, case, text)
        outbound = queue_to_reporter(
            session, runtime.store.keys, report, "acknowledgement", acknowledgement(report, panel)
        )
    log.info("report.triaged", extra={"report": report_id, "panel": panel.key})
    if outbound is not None:
        runtime.dispatcher.enqueue_notify(outbound.id)
    return "triaged"


def send_outbound(outbound_id: str) -> str:
    """Send one outbox message through its gateway; retried by RQ if the gateway fails."""
    runtime = current()
    with runtime.store.transaction() as session:
        outbound = session.get(OutboundMessage, uuid.UUID(outbound_id), with_for_update=True)
        if outbound is None or outbound.status != "pending":
            return "skipped"
        number = open_contact(runtime.store.keys, outbound.reporter)
        if number is None:
            outbound.status = "undeliverable"
            return "undeliverable"
        text = open_outbound(runtime.store.keys, outbound.reporter, outbound)
    try:
        sent = runtime.gateways.for_channel(outbound.channel).send(number, text)
    except GatewayError as error:
        _record_attempt(runtime, outbound.id, "pending", None, str(error))
        raise
    _record_attempt(runtime, outbound.id, sent.status, sent.provider_id, None)
    return sent.status


def sweep_received() -> int:
    """Re-enqueue reports still waiting for triage after the grace period (Redis was down,
    a worker died). Safe to run anywhere, any number of times."""
    runtime = current()
    requeued = _requeue_waiting(Report.id, Report.status == "received", Report.received_at)
    for report_id in requeued:
        runtime.dispatcher.enqueue_triage(report_id)
    if requeued:
        log.info("sweep.received", extra={"requeued": len(requeued)})
    return len(requeued)


def sweep_outbox() -> int:
    """Re-enqueue outbound messages still pending after the grace period."""
    runtime = current()
    pending = OutboundMessage.status == "pending"
    requeued = _requeue_waiting(OutboundMessage.id, pending, OutboundMessage.created_at)
    for outbound_id in requeued:
        runtime.dispatcher.enqueue_notify(outbound_id)
    return len(requeued)


def _requeue_waiting(
    record_id: InstrumentedAttribute[uuid.UUID],
    waiting: ColumnElement[bool],
    since: InstrumentedAttribute[datetime],
) -> Sequence[uuid.UUID]:
    """Ids of the oldest records still waiting once the grace period has passed."""
    runtime = current()
    cutoff = utcnow() - timedelta(seconds=runtime.settings.sweep_grace_seconds)
    with runtime.store.transaction() as session:
        query = select(record_id).where(waiting, since <= cutoff).order_by(since).limit(SWEEP_BATCH)
        return session.scalars(query).all()


def acknowledgement(report: Report, panel: Panel) -> str:
    language = report.language if report.language in ("en", "sw") else report.reporter.language
    language = language if language in ("en", "sw") else "en"
    kind = "acknowledgement_critical" if report.urgency == "critical" else "acknowledgement"
    panel_name = panel.name_sw if language == "sw" and panel.name_sw else panel.name
    return _messages()[kind][language].format(ref=report.ref, panel=panel_name)


def _record_attempt(
    runtime: Runtime, outbound_id: uuid.UUID, status: str, provider_id: str | None, error: str | None
) -> None:
    with runtime.store.transaction() as session:
        outbound = session.get_one(OutboundMessage, outbound_id)
        outbound.status, outbound.attempts = status, outbound.attempts + 1
        outbound.provider_id, outbound.error = provider_id, error
        if status in ("sent", "outbox"):
            outbound.sent_at = utcnow()


def _panel(session: Session, key: str, fallback: str) -> Panel:
    panel = session.scalar(select(Panel).where(Panel.key == key, Panel.active.is_(True)))
    return panel or session.scalars(select(Panel).where(Panel.key == fallback)).one()


def _link_likely_duplicate(session: Session, keys: KeyRing, case: Case, text: str) -> None:
    """Link the case to the earliest recent case that reads like the same incident."""
    report = case.report
    if report.ward is None or report.category is None:
        return
    this = triage.Sighting(text, report.category, report.ward, aware(report.received_at))
    for candidate in duplicate_candidates(session, keys, report, DEFAULT_WINDOW):
        other = triage.Sighting(candidate.text, candidate.category, candidate.ward, candidate.received_at)
        if triage.likely_duplicate(this, other):
            link_duplicate(session, case, candidate.case_id)
            return


def _with_topic_hint(c: triage.Classification, topic_hint: str | None) -> triage.Classification:
    """A USSD reporter's chosen topic settles a classification the model was unsure of."""
    if topic_hint and c.category == "other" and not c.needs_translation:
        return replace(c, category=topic_hint)
    return c


def _as_triage(c: triage.Classification) -> Triage:
    return Triage(**{name.name: getattr(c, name.name) for name in fields(Triage)})


@cache
def _messages() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = yaml.safe_load((Path(__file__).parent / "messages.yaml").read_text())
    return loaded
