"""Anchors of the audit chain: its head hash at a moment, appended to a file an auditor can keep
outside the system."""

from __future__ import annotations

import logging
from datetime import timedelta

from storage.audit.anchors import anchor_due, write_anchor
from storage.models import utcnow
from workers.runtime import current

log = logging.getLogger(__name__)
ANCHOR_FILE = "audit-anchors.jsonl"
# A little under an hour, so the hourly cron never finds the previous anchor a second too young.
ANCHOR_EVERY = timedelta(minutes=55)


def anchor_audit_chain() -> str | None:
    """Append the chain's head hash and the time to the anchor file in the instance folder,
    at most about once an hour: the hourly cron and the in-process worker's frequent sweep
    both call it."""
    runtime = current()
    path = runtime.settings.instance_path / ANCHOR_FILE
    if not anchor_due(path, utcnow(), ANCHOR_EVERY):
        return None
    with runtime.store.transaction() as session:
        anchor = write_anchor(session, path)
    log.info("audit.anchor", extra={"head_id": anchor.head_id, "head_hash": anchor.head_hash})
    return anchor.head_hash
