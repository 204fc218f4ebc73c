"""RQ jobs: plain functions that take ids, load by them, do one thing and commit.

Every job is idempotent: running it twice, or after a worker died half-way, changes nothing
the first complete run did not."""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, fields, replace
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, select, tuple_
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import InstrumentedAttribute, Session

import triage
from storage import Case, OutboundMessage, Panel, Report
from storage.casework.duplicates import duplicate_candidates_of_many, link_duplicate
from storage.casework.opening import (
    Opening,
    Triage,
    commit_without_waiting_for_disk,
    lock_received,
    open_cases,
    read_by_triage,
    reporters_words,
)
from storage.crypto import KeyRing, MissingMasterKeyError
from storage.crypto.sealing import open_contact, open_outbound, open_recipient
from storage.intake.media import is_location_only_text, is_media_only_text
from storage.intake.reports import language_before
from storage.media.reading import reports_with_attachments
from storage.models import Message, utcnow
from storage.outbox import (
    claim_to_send,
    due_for_requeue,
    mark_queued,
    queue_to_reporter,
    record_not_sent,
    record_sent,
    settle,
)
from storage.reporter_texts import emergency_acknowledgement, known_language
from storage.request_limits import sweep_windows
from storage.retention import release_number
from triage.duplicates import DEFAULT_WINDOW
from workers.followups import triage_followups
from workers.gateways import Gateway, GatewayError
from workers.runtime import Runtime, current

log = logging.getLogger(__name__)
SWEEP_BATCH = 1000
# A notify job hands no message to a gateway after this many seconds (RQ stops a job after
# 180): the rest go back on the queue, so that a slow gateway holds no message for long.
NOTIFY_JOB_SECONDS = 45
# How long a notify job keeps trying to record what a gateway did while the database is away.
RECORD_SECONDS, RECORD_PAUSE_SECONDS = 90, 2.0


def triage_reports(report_ids: list[str]) -> dict[str, int]:
    """Triage the received reports among these, then the follow-ups to cases already open."""
    return {**_triage_received(report_ids), **triage_followups(report_ids)}


def _triage_received(report_ids: list[str]) -> dict[str, int]:
    """Classify received reports, open each one's case on the right panel and queue the
    acknowledgements, all in one transaction. A report already triaged is skipped.

    Should that fail, each report is tried on its own, so that one bad report holds up no
    other, and the job fails afterwards for RQ to retry. A report that has failed
    TRIAGE_ATTEMPTS times goes to the fallback panel unclassified, for a person to read; one
    wrapped by a master key this process lacks is not at fault, and keeps waiting in
    `received` for a process that holds the key."""
    if len(report_ids) > 1:
        try:
            return _triage_together(report_ids)
        except Exception:
            log.exception("triage.batch_failed; trying its reports one at a time")
    counts: Counter[str] = Counter()
    failure: Exception | None = None
    for report_id in report_ids:
        try:
            counts.update(_triage_together([report_id]))
        except MissingMasterKeyError as error:
            # This process lacks a key (it started before a rotation): no fault of the
            # report's, so no attempt counts; it waits for a process that holds the key.
            log.error("triage.key_missing", extra={"report": report_id, "key": error.key_id})
            failure = failure or error
        except Exception as error:
            log.exception("triage.failed", extra={"report": report_id})
            if _set_aside_after_failures(uuid.UUID(report_id)):
                counts["set_aside"] += 1
            else:
                failure = failure or error
    if failure is not None:
        raise failure
    return dict(counts)


TRIAGE_ATTEMPTS = 3
UNCLASSIFIED = Triage(
    category="other",
    urgency="high",
    language="other",
    ward=None,
    confidence=0.0,
    model_version="none",
    needs_translation=False,
    needs_human_review=True,
)


def _set_aside_after_failures(report_id: uuid.UUID) -> bool:
    """Count a failed attempt; on the last one, open the case unclassified on the fallback
    panel and acknowledge the report. True when the report was set aside so."""
    runtime = current()
    try:
        with runtime.store.transaction() as session:
            waiting = lock_received(session, [report_id])
            if not waiting:
                return False
            report = waiting[0]
            report.triage_attempts += 1
            if report.triage_attempts < TRIAGE_ATTEMPTS:
                return False
            panel = _Panels(session, runtime.routing.fallback).fallback
            due = triage.due_at(UNCLASSIFIED.urgency, report.received_at, runtime.sla)
            opening = Opening(report, UNCLASSIFIED, panel, "triage-failed", due)
            _, acknowledgements = _open_and_acknowledge(session, runtime.store.keys, [opening])
    except Exception:
        log.exception("triage.failure_not_recorded", extra={"report": str(report_id)})
        return False
    log.warning("report.set_aside", extra={"report": str(report_id), "panel": panel.key})
    if acknowledgements:
        runtime.dispatcher.enqueue_notify(*acknowledgements)
    return True


def _triage_together(report_ids: list[str]) -> dict[str, int]:
    runtime = current()
    keys = runtime.store.keys
    with runtime.store.transaction() as session:
        commit_without_waiting_for_disk(session)
        reports = lock_received(session, [uuid.UUID(report_id) for report_id in report_ids])
        written = reporters_words(session, keys, reports)
        texts = {report_id: words.text for report_id, words in written.items()}
        panels = _Panels(session, runtime.routing.fallback)
        with_media = reports_with_attachments(session, [report.id for report in reports])
        openings = [_opening(runtime, report, texts[report.id], panels, with_media) for report in reports]
        cases, acknowledgements = _open_and_acknowledge(session, keys, openings)
        _link_likely_duplicates(session, keys, cases, texts)
        read_by_triage(
            session, (message_id for words in written.values() for message_id in words.message_ids)
        )
    for opening in openings:
        log.info("report.triaged", extra={"report": str(opening.report.id), "panel": opening.panel.key})
    if acknowledgements:
        runtime.dispatcher.enqueue_notify(*acknowledgements)
    return {"triaged": len(reports), "skipped": len(report_ids) - len(reports)}


def _open_and_acknowledge(
    session: Session, keys: KeyRing, openings: list[Opening]
) -> tuple[list[Case], list[uuid.UUID]]:
    """Open the cases and, for each report sent to a panel as an emergency, write the
    reporter's news of it to the outbox; the ids of those written, to enqueue once the
    transaction has committed. Every other report was acknowledged already, in the answer to
    the message that made it: one acknowledgement per report is enough."""
    cases = open_cases(session, openings)
    written = [
        queue_to_reporter(
            session, keys, o.report, "acknowledgement_critical", emergency_acknowledgement(o.report, o.panel)
        )
        for o in openings
        if o.report.urgency == "critical"
    ]
    return cases, [message.id for message in written if message is not None]


def _opening(
    runtime: Runtime, report: Report, text: str, panels: _Panels, with_media: set[uuid.UUID]
) -> Opening:
    if (report.id in with_media and is_media_only_text(text)) or is_location_only_text(text):
        return _media_only_opening(runtime, report, panels)
    classification = _with_topic_hint(triage.classify(text), report.topic_hint)
    route = triage.route(classification, runtime.routing)
    due = triage.due_for(classification, report.received_at, runtime.sla)
    return Opening(report, _as_triage(classification), panels.get(route.panel), route.rule, due)


def _media_only_opening(runtime: Runtime, report: Report, panels: _Panels) -> Opening:
    """A photo, voice note or location pin without words: nothing to classify, so a person
    looks at it on the fallback panel, soon; in the language the number last wrote in."""
    language = known_language(language_before(report) or report.reporter.language)
    decided = replace(UNCLASSIFIED, language=language)
    due = triage.due_at(decided.urgency, report.received_at, runtime.sla)
    return Opening(report, decided, panels.fallback, "media-only", due)


class _Panels:
    """The panels by key, read once per batch; an inactive or unknown panel's reports go to
    the fallback panel."""

    def __init__(self, session: Session, fallback: str) -> None:
        self.by_key = {panel.key: panel for panel in session.scalars(select(Panel))}
        self.fallback = self.by_key[fallback]

    def get(self, key: str) -> Panel:
        panel = self.by_key.get(key)
        return panel if panel is not None and panel.active else self.fallback


def send_outbound_messages(outbound_ids: list[str]) -> dict[str, int]:
    """Send outbox messages through their gateways. Once a gateway fails the job tries it no more;
    the rest are still sent, then the job fails for RQ to retry (skipping what was sent). What
    is not begun within NOTIFY_JOB_SECONDS goes back on the queue."""
    runtime = current()
    deadline = time.monotonic() + NOTIFY_JOB_SECONDS
    gateways = _gateways_of(runtime, outbound_ids)
    failed: set[Gateway] = set()
    counts: Counter[str] = Counter()
    failure: GatewayError | None = None
    for position, outbound_id in enumerate(outbound_ids):
        if time.monotonic() > deadline:
            runtime.dispatcher.enqueue_notify(*(uuid.UUID(later) for later in outbound_ids[position:]))
            counts["requeued"] += len(outbound_ids) - position
            break
        if gateways.get(outbound_id) in failed:
            counts["held_back"] += 1
            continue
        try:
            counts[send_outbound(outbound_id)] += 1
        except GatewayError as error:
            failed.add(gateways[outbound_id])
            failure = failure or error
    if failure is not None:
        raise failure
    return dict(counts)


def _gateways_of(runtime: Runtime, outbound_ids: list[str]) -> dict[str, Gateway]:
    """The gateway each message goes by."""
    ids = OutboundMessage.id.in_([uuid.UUID(outbound_id) for outbound_id in outbound_ids])
    with runtime.store.transaction() as session:
        channels = session.execute(select(OutboundMessage.id, OutboundMessage.channel).where(ids)).all()
    return {str(message_id): runtime.gateways.for_channel(channel) for message_id, channel in channels}


def send_outbound(outbound_id: str) -> str:
    """Send one outbox message through its gateway, claimed (and the claim committed) first: no
    other job, a sweep's, a retry's or another worker's, sends it while this one does."""
    runtime = current()
    message_id = uuid.UUID(outbound_id)
    with runtime.store.transaction() as session:
        outbound = claim_to_send(session, message_id, utcnow())
        if outbound is None:
            return "skipped"
        number = open_recipient(runtime.store.keys, outbound) or open_contact(
            runtime.store.keys, outbound.reporter
        )
        if number is None:
            record_sent(outbound, utcnow(), status="undeliverable", provider_id=None, error=None)
            return "undeliverable"
        text = open_outbound(runtime.store.keys, outbound.reporter, outbound)
        gateway = runtime.gateways.for_channel(outbound.channel)
    try:
        sent = gateway.send(number, text)
    except GatewayError as error:
        _record(runtime, message_id, partial(record_not_sent, error=str(error)))
        raise
    _record(runtime, message_id, partial(record_sent, **asdict(sent)))
    return sent.status


def sweep_received() -> int:
    """Re-enqueue every report still waiting for triage after the grace period (Redis was
    down, a worker died), and every report with a follow-up triage has not read, a batch at
    a time until none is left. Safe to run anywhere, any number of times."""
    enqueue = current().dispatcher.enqueue_triage
    waiting = _waiting_batches(Report.id, Report.status == "received", Report.received_at)
    unread = _waiting_batches(Message.report_id, Message.awaiting_triage.is_(True), Message.created_at)
    requeued = _requeue(waiting, enqueue) + _requeue(unread, enqueue)
    if requeued:
        log.info("sweep.received", extra={"requeued": requeued})
    return requeued


def sweep_request_windows() -> None:
    """Delete request counts of windows long past (reports counted per number leave theirs)."""
    with current().store.transaction() as session:
        sweep_windows(session)


def sweep_outbox() -> int:
    """Re-enqueue every message pending past the grace period, unless a job for it waits or
    runs, or its pause after a failed attempt is not over (`storage.outbox.due_for_requeue`)."""
    runtime = current()
    now = utcnow()

    def enqueue(*outbound_ids: uuid.UUID) -> None:
        with runtime.store.transaction() as session:
            mark_queued(session, list(outbound_ids), now)
        runtime.dispatcher.enqueue_notify(*outbound_ids)

    waiting = _waiting_batches(OutboundMessage.id, due_for_requeue(now), OutboundMessage.created_at)
    return _requeue(waiting, enqueue)


def _requeue(batches: Iterable[Sequence[uuid.UUID]], enqueue: Callable[..., None]) -> int:
    """Enqueue each batch of ids as it comes; how many ids in all."""
    requeued = 0
    for batch in batches:
        enqueue(*batch)
        requeued += len(batch)
    return requeued


def _waiting_batches(
    record_id: InstrumentedAttribute[uuid.UUID],
    waiting: ColumnElement[bool],
    since: InstrumentedAttribute[datetime],
) -> Iterator[Sequence[uuid.UUID]]:
    """Ids of the records still waiting once the grace period has passed, oldest first, in
    batches of SWEEP_BATCH: each batch starts after the last one's last record, so a backlog
    of any size leaves in one sweep, each record once."""
    runtime = current()
    cutoff = utcnow() - timedelta(seconds=runtime.settings.sweep_grace_seconds)
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        query = select(record_id, since).where(waiting, since <= cutoff)
        if after is not None:
            query = query.where(tuple_(since, record_id) > tuple_(*after))
        with runtime.store.transaction() as session:
            rows = session.execute(query.order_by(since, record_id).limit(SWEEP_BATCH)).all()
        if not rows:
            return
        yield [row[0] for row in rows]
        after = (rows[-1][1], rows[-1][0])


def _record(
    runtime: Runtime, outbound_id: uuid.UUID, record: Callable[[OutboundMessage, datetime], None]
) -> None:
    """Record what the gateway did, trying for RECORD_SECONDS while the database is away: the
    claim keeps the message from being sent again only until it lapses."""
    deadline = time.monotonic() + RECORD_SECONDS
    while True:
        try:
            with runtime.store.transaction() as session:
                outbound = session.get_one(OutboundMessage, outbound_id)
                record(outbound, utcnow())
                if settle(outbound):
                    release_number(session, outbound.reporter_id, runtime.settings.retention, utcnow())
            return
        except OperationalError:
            if time.monotonic() + RECORD_PAUSE_SECONDS > deadline:
                raise
            log.warning("outbound.not_recorded; trying again", extra={"outbound": str(outbound_id)})
            time.sleep(RECORD_PAUSE_SECONDS)


def _link_likely_duplicates(
    session: Session, keys: KeyRing, cases: list[Case], texts: dict[uuid.UUID, str]
) -> None:
    """Link each case to the earliest recent case that reads like the same incident. Cases
    opened together are taken in the order their reports arrived; none links to a later one."""
    # The cases are flushed already; what is pending (links, audit events) cannot change
    # what the candidate query finds, and flushing it first would be slow.
    with session.no_autoflush:
        candidates = duplicate_candidates_of_many(
            session, keys, [case.report for case in cases], DEFAULT_WINDOW
        )
    later = {case.id for case in cases}
    for case in cases:
        later.discard(case.id)
        report = case.report
        if report.ward is None or report.category is None:
            continue
        this = triage.Sighting(texts[report.id], report.category, report.ward, report.received_at)
        for candidate in candidates[report.id]:
            other = triage.Sighting(candidate.text, candidate.category, candidate.ward, candidate.received_at)
            if candidate.case_id not in later and triage.likely_duplicate(this, other):
                link_duplicate(session, case, candidate.case_id)
                break


def _with_topic_hint(c: triage.Classification, topic_hint: str | None) -> triage.Classification:
    """A USSD reporter's chosen topic settles a classification the model was unsure of."""
    if topic_hint and c.category == "other" and not c.needs_translation:
        return replace(c, category=topic_hint)
    return c


def _as_triage(c: triage.Classification) -> Triage:
    return Triage(**{name.name: getattr(c, name.name) for name in fields(Triage)})
