"""The records the worker keeps while it fetches media from the gateway: what is left to do
for an attachment, how a fetch ended, the gateway's copy deleted, the reporter told.

An attachment is fetched (a few attempts, further apart each time), then settles as stored,
not accepted or failed. Each attempt is counted, and its successor made due, before the fetch
starts, so an attempt cut short by a killed or crashed worker is counted all the same. After
that the gateway's copy is deleted (again a few attempts).
When every attachment of a message has settled, the reporter gets one SMS saying so."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.crypto import DecryptionError, KeyRing
from storage.crypto.sealing import open_attachment, report_key
from storage.media import vault
from storage.media.kinds import family_of
from storage.media.stripping import Cleaned
from storage.models import Attachment, utcnow
from storage.outbox import queue_to_reporter
from storage.reporter_texts import reporter_language, reporter_text

log = logging.getLogger(__name__)
ATTEMPTS = 5
# How long after each failed attempt the next one is due.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
# Why a file was not kept: the SMS that tells the reporter so. Reasons not listed get the
# general one.
REFUSAL_TEXTS = {
    "too_large": "media_refused_too_large",
    "type_not_accepted": "media_refused_type",
    "unreadable": "media_refused_type",
    "fetch_failed": "media_not_fetched",
}
ARRIVAL_TEXTS = {
    "image": "media_arrived_photo",
    "audio": "media_arrived_voice_note",
    "video": "media_arrived_video",
}


@dataclass(frozen=True)
class GatewayTask:
    """What is left to do at the gateway for one attachment: fetch it while `pending` (unless
    no attempt is left), and delete the gateway's copy at `url` in any case."""

    pending: bool
    url: str
    declared_type: str
    message_external_id: str | None
    attempt_left: bool = True


# How a fetch ended: the file, cleaned, to keep; a reason it is not accepted; or a reason
# the gateway did not give it this time.
@dataclass(frozen=True)
class Kept:
    cleaned: Cleaned


@dataclass(frozen=True)
class NotAccepted:
    reason: str


@dataclass(frozen=True)
class Unavailable:
    reason: str


Outcome = Kept | NotAccepted | Unavailable


def gateway_task(session: Session, keys: KeyRing, attachment_id: uuid.UUID) -> GatewayTask | None:
    """What is left to do at the gateway; None when nothing is. A pending attachment's next
    attempt is counted here, for the caller to commit before it fetches. When the report's key
    was destroyed meanwhile, nothing can be: the attachment is given up, for the sweeper to
    forget."""
    attachment = session.get(Attachment, attachment_id, with_for_update=True)
    if attachment is None or attachment.gateway_url is None:
        return None
    try:
        data_key = report_key(keys, attachment.report)
    except DecryptionError:
        if attachment.state == "pending":
            _settle(attachment, "failed", "erased", utcnow())
        attachment.gateway_url, attachment.next_attempt_at = None, None
        return None
    url = open_attachment(data_key, attachment.id, "gateway_url", attachment.gateway_url).decode()
    pending = attachment.state == "pending"
    return GatewayTask(
        pending,
        url,
        attachment.declared_type,
        attachment.message.external_id,
        attempt_left=_begin_attempt(attachment, utcnow()) if pending else False,
    )


def record_outcome(
    session: Session, keys: KeyRing, media_path: Path | None, attachment_id: uuid.UUID, outcome: Outcome
) -> list[uuid.UUID]:
    """Keep what a fetch gave, or why it gave nothing; once every attachment of the message
    has settled, write the reporter's SMS. The ids of outbox messages to send after commit."""
    siblings = _lock_siblings(session, attachment_id)
    attachment = next((a for a in siblings if a.id == attachment_id), None)
    if attachment is None or attachment.state != "pending":
        return []
    now = utcnow()
    if isinstance(outcome, Unavailable):
        if not _was_last_attempt(attachment, outcome.reason):
            return []
        _settle(attachment, "failed", "fetch_failed", now)
    elif isinstance(outcome, NotAccepted):
        log.warning("media.not_accepted", extra={"attachment": str(attachment.id), "reason": outcome.reason})
        _settle(attachment, "not_accepted", outcome.reason, now)
    else:
        vault.keep(attachment, report_key(keys, attachment.report), outcome.cleaned, media_path)
        attachment.content_type, attachment.size = outcome.cleaned.content_type, len(outcome.cleaned.content)
        attachment.metadata_removed = outcome.cleaned.metadata_removed
        _settle(attachment, "stored", None, now)
    audit.record(
        session,
        "attachment.settled",
        subject=f"report:{attachment.report_id}",
        details={"attachment": str(attachment.id), "state": attachment.state, "reason": attachment.reason},
    )
    return _tell_reporter_when_settled(session, keys, siblings)


def record_gateway_copy_deleted(session: Session, attachment_id: uuid.UUID) -> None:
    attachment = session.get_one(Attachment, attachment_id, with_for_update=True)
    attachment.gateway_url, attachment.next_attempt_at = None, None


def record_gateway_copy_kept(session: Session, attachment_id: uuid.UUID, reason: str) -> None:
    """Deleting the gateway's copy failed: try again later, or give up after the last attempt."""
    attachment = session.get_one(Attachment, attachment_id, with_for_update=True)
    attachment.attempts += 1
    if attachment.attempts < ATTEMPTS:
        attachment.next_attempt_at = utcnow() + BACKOFF[attachment.attempts - 1]
        return
    log.error("media.gateway_copy_kept", extra={"attachment": str(attachment.id), "reason": reason})
    attachment.gateway_url, attachment.next_attempt_at = None, None


def due_attachments(session: Session, now: datetime, limit: int) -> Sequence[uuid.UUID]:
    """Attachments whose next attempt at the gateway is due, oldest first."""
    query = (
        select(Attachment.id)
        .where(Attachment.next_attempt_at <= now)
        .order_by(Attachment.next_attempt_at)
        .limit(limit)
    )
    return session.scalars(query).all()


def _lock_siblings(session: Session, attachment_id: uuid.UUID) -> list[Attachment]:
    """Every attachment of the same message, locked in one order, so that two workers settling
    two of them at once neither deadlock nor both miss that the message is complete."""
    message_id = select(Attachment.message_id).where(Attachment.id == attachment_id).scalar_subquery()
    query = (
        select(Attachment)
        .where(Attachment.message_id == message_id)
        .order_by(Attachment.position)
        .with_for_update()
    )
    return list(session.scalars(query))


def _begin_attempt(attachment: Attachment, now: datetime) -> bool:
    """Count the attempt about to be made, and make the next one due after its pause (after
    the last, the sweeper comes back to give up one cut short); False when none is left."""
    if attachment.attempts >= ATTEMPTS:
        return False
    attachment.attempts += 1
    attachment.next_attempt_at = now + BACKOFF[min(attachment.attempts, len(BACKOFF)) - 1]
    return True


def _was_last_attempt(attachment: Attachment, reason: str) -> bool:
    """Whether the failed attempt, counted when it began, was the last."""
    extra = {"attachment": str(attachment.id), "reason": reason, "attempts": attachment.attempts}
    if attachment.attempts >= ATTEMPTS:
        log.error("media.fetch_given_up", extra=extra)
        return True
    log.warning("media.fetch_failed", extra=extra)
    return False


def _settle(attachment: Attachment, state: str, reason: str | None, now: datetime) -> None:
    """The fetch is over; what is left is to delete the gateway's copy, due now."""
    attachment.state, attachment.reason, attachment.settled_at = state, reason, now
    attachment.attempts, attachment.next_attempt_at = 0, now


def _tell_reporter_when_settled(
    session: Session, keys: KeyRing, siblings: list[Attachment]
) -> list[uuid.UUID]:
    if any(a.state == "pending" or a.reporter_told for a in siblings):
        return []
    for attachment in siblings:
        attachment.reporter_told = True
    report = siblings[0].report
    language = reporter_language(report)
    text = reporter_text(_news(siblings), language, ref=report.ref, count=len(siblings))
    outbound = queue_to_reporter(session, keys, report, "media_receipt", text)
    return [outbound.id] if outbound is not None else []


def _news(attachments: list[Attachment]) -> str:
    """The one SMS for a message's media: why a file was not kept, else what arrived."""
    refused = [a for a in attachments if a.state != "stored"]
    if refused:
        return REFUSAL_TEXTS.get(refused[0].reason or "", "media_refused")
    if len(attachments) > 1:
        return "media_arrived_several"
    return ARRIVAL_TEXTS[family_of(attachments[0].content_type or "")]
