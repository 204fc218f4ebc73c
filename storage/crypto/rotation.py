"""Master key rotation: a new key becomes active, every data key is re-wrapped with it, and a
key no record uses any more can be retired."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.accounts import rewrap_totp_secret
from storage.crypto import KeyFile, KeyRing, new_data_key, new_key_id
from storage.crypto.sealing import rewrap_outbound_key, rewrap_report_key, rewrap_reporter_key
from storage.models import OutboundMessage, Report, Reporter, User

BATCH = 500


@dataclass(frozen=True)
class KeyUsage:
    active: str
    by_key: dict[str, int]


def key_usage(session: Session, ring: KeyRing) -> KeyUsage:
    counts: Counter[str] = Counter({key_id: 0 for key_id in ring.keys})
    for column in (Report.key_id, Reporter.key_id, User.totp_key_id):
        for key_id in session.scalars(select(column).where(column.is_not(None))):
            counts[str(key_id)] += 1
    outbound_keys = select(OutboundMessage.key_id).where(OutboundMessage.wrapped_key.is_not(None))
    for key_id in session.scalars(outbound_keys):
        counts[str(key_id)] += 1
    return KeyUsage(ring.active_id, dict(counts))


def add_active_key(key_file: KeyFile, ring: KeyRing) -> KeyRing:
    key_id = new_key_id()
    rotated = KeyRing(keys={key_id: new_data_key(), **ring.keys}, active_id=key_id)
    key_file.save(rotated)
    return rotated


def rewrap_all(session: Session, ring: KeyRing) -> int:
    """Re-wrap every data key not yet under the active master key; returns how many."""
    done = 0
    stale_reports = select(Report).where(Report.key_id.is_not(None), Report.key_id != ring.active_id)
    for report in session.scalars(stale_reports.execution_options(yield_per=BATCH)):
        rewrap_report_key(ring, report)
        done += 1
    stale_users = select(User).where(User.totp_key_id.is_not(None), User.totp_key_id != ring.active_id)
    for user in session.scalars(stale_users):
        rewrap_totp_secret(ring, user)
        done += 1
    stale_reporters = select(Reporter).where(Reporter.key_id.is_not(None), Reporter.key_id != ring.active_id)
    for reporter in session.scalars(stale_reporters.execution_options(yield_per=BATCH)):
        rewrap_reporter_key(ring, reporter)
        done += 1
    stale_outbound = select(OutboundMessage).where(
        OutboundMessage.wrapped_key.is_not(None), OutboundMessage.key_id != ring.active_id
    )
    for outbound in session.scalars(stale_outbound.execution_options(yield_per=BATCH)):
        rewrap_outbound_key(ring, outbound)
        done += 1
    return done


def retire_key(key_file: KeyFile, ring: KeyRing, usage: KeyUsage, key_id: str) -> KeyRing:
    """Remove `key_id` from the ring and its file; ValueError, with nothing changed, for a key
    the ring lacks, the active key, or a key records still use."""
    check_retirable(ring, usage, key_id)
    remaining = KeyRing({kid: k for kid, k in ring.keys.items() if kid != key_id}, ring.active_id)
    key_file.save(remaining)
    return remaining


def check_retirable(ring: KeyRing, usage: KeyUsage, key_id: str) -> None:
    """ValueError, saying why, unless `key_id` is in the ring, not active, and used by no record."""
    if key_id not in ring.keys:
        raise ValueError(f"there is no key {key_id} in the key ring (it holds {', '.join(ring.keys)})")
    if key_id == ring.active_id:
        raise ValueError("the active key cannot be retired; rotate first")
    if usage.by_key.get(key_id, 0):
        raise ValueError(f"{usage.by_key[key_id]} records still use {key_id}; run `keys rotate`")
