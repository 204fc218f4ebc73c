"""Every table of the schema, by the part of Sauti that owns it."""

from storage.models.accounts import ROLES, RequestWindow, SignInFailure, User, panel_members
from storage.models.attachments import ATTACHMENT_STATES, Attachment
from storage.models.audit import AuditEvent
from storage.models.base import MAX_ROW_ID, Base, UTCDateTime, utcnow
from storage.models.cases import NOTE_KINDS, Case, CaseNote, Correction, Panel, ReplyTemplate, Transfer
from storage.models.notices import StaffNotice
from storage.models.reports import Message, OutboundMessage, Report, Reporter
from storage.models.ussd import UssdInput

__all__ = [
    "ATTACHMENT_STATES",
    "MAX_ROW_ID",
    "NOTE_KINDS",
    "ROLES",
    "Attachment",
    "AuditEvent",
    "Base",
    "Case",
    "CaseNote",
    "Correction",
    "Message",
    "OutboundMessage",
    "Panel",
    "ReplyTemplate",
    "Report",
    "Reporter",
    "RequestWindow",
    "SignInFailure",
    "StaffNotice",
    "Transfer",
    "UTCDateTime",
    "User",
    "UssdInput",
    "panel_members",
    "utcnow",
]
