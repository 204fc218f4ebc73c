"""Models, sessions, encryption, intake and the audit chain. Knows nothing of HTTP."""

from storage.accounts import SignInFailure, User
from storage.casework_models import CaseNote, Correction, Transfer
from storage.models import (
    AuditEvent,
    Base,
    Case,
    Message,
    OutboundMessage,
    Panel,
    Report,
    Reporter,
)
from storage.notices import StaffNotice
from storage.settings import Settings
from storage.store import Store
from storage.summaries import MetricBucket, MetricCell, MetricRefresh, MetricScratch

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "CaseNote",
    "Correction",
    "Message",
    "MetricBucket",
    "MetricCell",
    "MetricRefresh",
    "MetricScratch",
    "OutboundMessage",
    "Panel",
    "Report",
    "Reporter",
    "Settings",
    "SignInFailure",
    "StaffNotice",
    "Store",
    "Transfer",
    "User",
]
