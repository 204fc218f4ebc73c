"""Models, sessions, encryption, intake and the audit chain. Knows nothing of HTTP."""

from storage.accounts import User
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
from storage.settings import Settings
from storage.store import Store

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "Message",
    "OutboundMessage",
    "Panel",
    "Report",
    "Reporter",
    "Settings",
    "Store",
    "User",
]
