"""Intake: a gateway's message becomes an encrypted report, or changes one, in one transaction."""

from storage.intake.identity import InvalidNumberError, canonical_reference, new_reference, normalise_number
from storage.intake.reports import (
    Held,
    InboundMessage,
    StoredReport,
    add_follow_up,
    find_or_create_reporter,
    find_reporter,
    public_status,
    rate_report,
    remember_language,
    report_by_ref,
    stop_contact,
    store_report,
    store_unless_held,
)

__all__ = [
    "Held",
    "InboundMessage",
    "InvalidNumberError",
    "StoredReport",
    "add_follow_up",
    "canonical_reference",
    "find_or_create_reporter",
    "find_reporter",
    "new_reference",
    "normalise_number",
    "public_status",
    "rate_report",
    "remember_language",
    "report_by_ref",
    "stop_contact",
    "store_report",
    "store_unless_held",
]
