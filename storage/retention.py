"""Retention: what is kept about a report, and for how long after its case is resolved.

The reporter's number is erased first (they can no longer be reached), then the report's
data key is destroyed, which crypto-shreds its thread and notes, and its attachments are
removed. A number sealed in an answer only, to answer someone whose number is not kept (HELP,
STATUS, STOP), is erased with the answer as soon as it has gone, or after the number's period
if it never goes. Counts, times, categories, the audit chain and the trust index stay: they hold no
text and no number. Each erasure is an audit event naming ids only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.crypto.sealing import erase_outbound
from storage.database import Store
from storage.media.vault import erase_attachments
from storage.models import Attachment, Case, Message, OutboundMessage, Report, Reporter
from storage.outbox import forget_number, waiting_for_number
from storage.settings import RetentionPeriods

# What the case page and the API show where the text of a shredded report was.
ERASED_BY_RETENTION = "erased under the retention policy"
# Erasures per transaction: a large first run commits as it goes.
ERASURE_BATCH = 200


@dataclass(frozen=True)
class Erasures:
    """How many numbers and report texts were (or, in a dry run, would be) erased."""

    numbers: int
    texts: int
    attachments: int = 0


def numbers_due(session: Session, periods: RetentionPeriods, as_of: datetime) -> Sequence[int]:
    """Reporters whose number is still kept although every one of their reports has a case
    that was resolved more than `number_days` before `as_of`, or who have no report to follow
    (none at all, or none since they said STOP) and were last seen before that."""
    cutoff = as_of - timedelta(days=periods.number_days)
    return sorted({*_all_resolved(session, cutoff), *_nothing_to_follow(session, cutoff)})


def release_number(session: Session, reporter_id: int, periods: RetentionPeriods, as_of: datetime) -> bool:
    """Once a message to them has gone: erase the reporter's number unless a report of theirs
    may still be answered or another message to it is still to go. Whether it was erased. The
    row is locked first, so a report being written at the same moment either is seen here or
    finds the number gone and seals it anew."""
    reporter = session.get_one(Reporter, reporter_id, with_for_update=True, populate_existing=True)
    if reporter.wrapped_key is None or session.scalar(_followed(reporter, periods, as_of).limit(1)):
        return False
    if waiting_for_number(session, reporter):
        return False
    forget_number(session, reporter)
    return True


def _followed(reporter: Reporter, periods: RetentionPeriods, as_of: datetime) -> Select[uuid.UUID]:
    """The reporter's reports that may still be answered: made since their last STOP, with a
    case still open or resolved within `number_days`."""
    cutoff = as_of - timedelta(days=periods.number_days)
    statement = (
        select(Report.id)
        .outerjoin(Case, Case.report_id == Report.id)
        .where(Report.reporter_id == reporter.id, or_(Case.resolved_at.is_(None), Case.resolved_at > cutoff))
    )
    if reporter.stopped_at is not None:
        statement = statement.where(Report.received_at > reporter.stopped_at)
    return statement


def _all_resolved(session: Session, cutoff: datetime) -> Sequence[int]:
    statement = (
        select(Reporter.id)
        .join(Report, Report.reporter_id == Reporter.id)
        .outerjoin(Case, Case.report_id == Report.id)
        .where(Reporter.wrapped_key.is_not(None))
        .group_by(Reporter.id)
        .having(
            func.count(Case.resolved_at) == func.count(Report.id),
            func.max(Case.resolved_at) <= cutoff,
        )
    )
    return session.scalars(statement).all()


def _nothing_to_follow(session: Session, cutoff: datetime) -> Sequence[int]:
    since_stop = or_(Reporter.stopped_at.is_(None), Report.received_at > Reporter.stopped_at)
    followed = select(Report.id).where(Report.reporter_id == Reporter.id, since_stop).exists()
    statement = select(Reporter.id).where(
        Reporter.wrapped_key.is_not(None), Reporter.last_seen_at <= cutoff, ~followed
    )
    return session.scalars(statement).all()


def answers_due(session: Session, periods: RetentionPeriods, as_of: datetime) -> Sequence[uuid.UUID]:
    """Answers carrying a number of their own that have not gone `number_days` after they were
    written (the gateway kept failing, or there is none and they wait in the outbox)."""
    cutoff = as_of - timedelta(days=periods.number_days)
    carrying = OutboundMessage.recipient.is_not(None) & OutboundMessage.wrapped_key.is_not(None)
    statement = select(OutboundMessage.id).where(carrying, OutboundMessage.created_at <= cutoff)
    return session.scalars(statement.order_by(OutboundMessage.created_at, OutboundMessage.id)).all()


def texts_due(session: Session, periods: RetentionPeriods, as_of: datetime) -> Sequence[uuid.UUID]:
    """Reports whose data key is still kept although their case was resolved more than
    `text_days` before `as_of`."""
    cutoff = as_of - timedelta(days=periods.text_days)
    statement = (
        select(Report.id)
        .join(Case, Case.report_id == Report.id)
        .where(Report.wrapped_key.is_not(None), Case.resolved_at <= cutoff)
        .order_by(Case.resolved_at, Report.id)
    )
    return session.scalars(statement).all()


def erase_number(session: Session, reporter_id: int) -> None:
    """Erase a reporter's number and the key of the messages to them, audited."""
    reporter = session.get_one(Reporter, reporter_id, with_for_update=True)
    if reporter.wrapped_key is None:
        return
    forget_number(session, reporter)
    forget_gateway_ids(session, None, OutboundMessage.reporter_id == reporter.id)
    audit.record(session, "retention.number_erased", subject=f"reporter:{reporter.id}")


def erase_answer(session: Session, outbound_id: uuid.UUID) -> None:
    """Erase an answer that never went, and the number it carries, audited."""
    outbound = session.get_one(OutboundMessage, outbound_id, with_for_update=True)
    if outbound.wrapped_key is None:
        return
    erase_outbound(outbound)
    if outbound.status == "pending":
        outbound.status = "undeliverable"
    audit.record(session, "retention.number_erased", subject=f"outbound:{outbound.id}")


def erase_text(session: Session, media_path: Path | None, report_id: uuid.UUID) -> int:
    """Destroy a report's data key and remove its attachments, audited; how many attachments
    went with it."""
    report = session.get_one(Report, report_id, with_for_update=True)
    if report.wrapped_key is None:
        return 0
    report.key_id, report.wrapped_key = None, None
    forget_gateway_ids(session, Message.report_id == report.id, OutboundMessage.report_id == report.id)
    attachments = erase_attachments(session, media_path, report.id)
    audit.record(
        session,
        "retention.text_erased",
        subject=f"report:{report.id}",
        details={"attachments": attachments},
    )
    return attachments


def forget_gateway_ids(
    session: Session, inbound: ColumnElement[bool] | None, outbound: ColumnElement[bool]
) -> None:
    """Drop the ids the gateways gave these messages: their own logs keep the number and the
    text under that id, so a kept id would lead back to what was erased here."""
    if inbound is not None:
        session.execute(update(Message).where(inbound).values(external_id=None))
    session.execute(update(OutboundMessage).where(outbound).values(provider_id=None))


def _attachments_of(session: Session, report_ids: Sequence[uuid.UUID]) -> int:
    counted = 0
    for start in range(0, len(report_ids), ERASURE_BATCH):
        batch = report_ids[start : start + ERASURE_BATCH]
        counted += session.scalar(select(func.count()).where(Attachment.report_id.in_(batch))) or 0
    return counted


def is_erased(report: Report) -> bool:
    """Whether the report's text was destroyed (its data key is gone)."""
    return report.wrapped_key is None


def apply_retention(
    store: Store,
    periods: RetentionPeriods,
    media_path: Path | None,
    as_of: datetime,
    *,
    dry_run: bool = False,
) -> Erasures:
    """Erase every number and text due on `as_of`, committing every ERASURE_BATCH erasures;
    with `dry_run`, only count them. Running it again erases nothing more."""
    with store.transaction() as session:
        numbers, texts = numbers_due(session, periods, as_of), texts_due(session, periods, as_of)
        answers = answers_due(session, periods, as_of)
        if dry_run:
            return Erasures(len(numbers) + len(answers), len(texts), _attachments_of(session, texts))
    for start in range(0, len(numbers), ERASURE_BATCH):
        with store.transaction() as session:
            for reporter_id in numbers[start : start + ERASURE_BATCH]:
                erase_number(session, reporter_id)
    for start in range(0, len(answers), ERASURE_BATCH):
        with store.transaction() as session:
            for outbound_id in answers[start : start + ERASURE_BATCH]:
                erase_answer(session, outbound_id)
    attachments = 0
    for start in range(0, len(texts), ERASURE_BATCH):
        with store.transaction() as session:
            for report_id in texts[start : start + ERASURE_BATCH]:
                attachments += erase_text(session, media_path, report_id)
    return Erasures(numbers=len(numbers) + len(answers), texts=len(texts), attachments=attachments)
