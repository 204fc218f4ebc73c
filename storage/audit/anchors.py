"""Keeping the audit chain honest from outside: anchors (the head hash at a moment, kept in
a file an auditor can copy away) and exports an outside party can check with a short script.

The chain alone cannot show that its newest entries were cut off, or that the whole chain was
rewritten; an anchor kept elsewhere can."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.audit import GENESIS, ChainCheck, canonical_fields, verify_chain
from storage.models import AuditEvent, utcnow


@dataclass(frozen=True)
class Anchor:
    head_id: int
    head_hash: str
    at: str


def current_anchor(session: Session) -> Anchor:
    head = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    moment = utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    return Anchor(head.id, head.hash, moment) if head else Anchor(0, GENESIS, moment)


def write_anchor(session: Session, path: Path) -> Anchor:
    """Append the chain's current head to ``path``, one JSON object a line."""
    anchor = current_anchor(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(json.dumps(asdict(anchor), sort_keys=True) + "\n")
    return anchor


def anchor_due(path: Path, now: datetime, every: timedelta) -> bool:
    """Whether the newest anchor in ``path`` is at least ``every`` old (or there is none)."""
    anchors = read_anchors(path)
    if not anchors:
        return True
    taken = datetime.strptime(anchors[-1].at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return now - taken >= every


def read_anchors(path: Path) -> list[Anchor]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Anchor(**json.loads(line)) for line in lines if line.strip()]


def verify_with_anchors(session: Session, anchors: list[Anchor]) -> ChainCheck:
    """Walk the chain, then check that every anchored head is still in it, unchanged."""
    check = verify_chain(session)
    if not check.intact:
        return check
    for anchor in anchors:
        if anchor.head_id == 0:
            continue
        kept = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.head_id))
        if kept is None:
            reason = f"event anchored at {anchor.at} is gone (the newest entries were cut off)"
            return replace(check, intact=False, broken_at=anchor.head_id, reason=reason)
        if kept != anchor.head_hash:
            reason = f"event differs from the anchor taken at {anchor.at} (the chain was rewritten)"
            return replace(check, intact=False, broken_at=anchor.head_id, reason=reason)
    return check


def export_events(
    session: Session, since: datetime | None = None, batch: int = 5000
) -> Iterator[dict[str, object]]:
    """Every event from ``since`` on, in chain order, as the fields its hash covers plus the hash."""
    statement = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch)
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    for event in session.scalars(statement):
        yield {**canonical_fields(event), "hash": event.hash}
