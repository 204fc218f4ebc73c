"""The hash-chained audit log, and the anchors and exports that let it be checked from outside."""

from storage.audit.chain import (
    AUDIT_LOCK_ID,
    GENESIS,
    ChainCheck,
    canonical_fields,
    canonical_json,
    event_hash,
    forget_head,
    record,
    verify_chain,
)

__all__ = [
    "AUDIT_LOCK_ID",
    "GENESIS",
    "ChainCheck",
    "canonical_fields",
    "canonical_json",
    "event_hash",
    "forget_head",
    "record",
    "verify_chain",
]
