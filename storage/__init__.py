"""Models, sessions, encryption, intake, case work, reporting and the audit chain. Knows
nothing of HTTP."""

from storage.database import Store
from storage.models import (
    AuditEvent,
    Base,
    Case,
    CaseNote,
    Correction,
    Message,
    OutboundMessage,
    Panel,
    Report,
    Reporter,
    SignInFailure,
    StaffNotice,
    Transfer,
    User,
)
from storage.reporting.tables import MetricBucket, MetricCell, MetricRefresh, MetricScratch
from storage.settings import Settings

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
