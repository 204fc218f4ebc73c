"""The audit log as a hash chain: each event carries the hash of the one before it and of
its own canonical JSON, so an edit, deletion, insertion or reordering shows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.models import AuditEvent, utcnow

GENESIS = "0" * 64
# Any constant works: it names the one advisory lock that serialises appends on PostgreSQL.
AUDIT_LOCK_ID = 0x5A471
_HEAD = "sauti.audit.head"


def canonical_fields(event: AuditEvent) -> dict[str, object]:
    """Everything an event's hash covers; an export line is this plus the hash."""
    return {
        "id": event.id,
        "at": _timestamp(event.at),
        "actor": event.actor,
        "action": event.action,
        "subject": event.subject,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def canonical_json(event: AuditEvent) -> str:
    return json.dumps(canonical_fields(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_json(event).encode()).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    actor: str = "system",
    subject: str = "",
    details: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    `details` must hold metadata only: ids, keys, statuses, never text or numbers."""
    head_id, head_hash = _chain_head(session)
    event = AuditEvent(
        id=head_id + 1,
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        subject=subject,
        details=details or {},
        prev_hash=head_hash,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.info[_HEAD] = (session.get_transaction(), event.id, event.hash)
    return event


def forget_head(session: Session) -> None:
    """After a savepoint is rolled back: the events appended inside it are gone, so the next
    append reads the head again."""
    session.info.pop(_HEAD, None)


def _chain_head(session: Session) -> tuple[int, str]:
    """The last event's id and hash. The first append in a transaction takes the chain's lock
    and reads the head; later appends in the same transaction continue from what it wrote."""
    remembered = session.info.get(_HEAD)
    if remembered and remembered[0] is session.get_transaction():
        return remembered[1], remembered[2]
    _lock_chain(session)
    head = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (head.id, head.hash) if head else (0, GENESIS)


@dataclass(frozen=True)
class ChainCheck:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    head_hash: str = GENESIS


def verify_chain(session: Session, batch: int = 5000) -> ChainCheck:
    """Walk the chain in order; report the first event whose content or link is wrong."""
    expected_prev, expected_id, checked = GENESIS, 1, 0
    for event in session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    ):
        problem = _problem_with(event, expected_prev, expected_id)
        if problem:
            return ChainCheck(False, checked, event.id, problem, expected_prev)
        expected_prev, expected_id, checked = event.hash, event.id + 1, checked + 1
    return ChainCheck(True, checked, head_hash=expected_prev)


def _problem_with(event: AuditEvent, expected_prev: str, expected_id: int) -> str:
    if event.id != expected_id:
        return f"expected event {expected_id} next, found {event.id} (deleted or inserted)"
    if event.prev_hash != expected_prev:
        return "link to the previous event is broken (deleted, inserted or reordered)"
    if event.hash != event_hash(event):
        return "content does not match its hash (edited)"
    return ""


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
