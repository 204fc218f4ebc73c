"""How keys read on a page, in the person's language: the taxonomy, statuses, outcomes, roles,
languages, timeline events, redaction tags and sort orders. A key without a label reads as
itself, underscores as spaces."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

LABELS: dict[str, LazyString] = {
    "killing": _l("killing or death in custody"),
    "disappearance": _l("disappearance"),
    "arrest_detention": _l("arrest or detention"),
    "violence_abuse": _l("violence or abuse by officers"),
    "extortion_harassment": _l("extortion or harassment"),
    "recruitment_concern": _l("recruitment concern"),
    "returnee_support": _l("returnee support"),
    "community_tension": _l("community tension"),
    "feedback": _l("feedback"),
    "other": _l("other"),
    "critical": _l("critical"),
    "high": _l("high"),
    "normal": _l("normal"),
    "low": _l("low"),
    "open": _l("open"),
    "acknowledged": _l("acknowledged"),
    "responded": _l("responded"),
    "resolved": _l("resolved"),
    "action_taken": _l("action taken"),
    "referred": _l("referred"),
    "answered": _l("answered"),
    "no_action_possible": _l("no action possible"),
    "duplicate": _l("duplicate"),
    "panel_member": _l("panel member"),
    "panel_lead": _l("panel lead"),
    "auditor": _l("auditor"),
    "admin": _l("admin"),
    "transfer_reason": _l("reason for transfer"),
    "reveal_reason": _l("reason to reveal"),
    "escalation_reason": _l("reason for escalation"),
    "reopen_reason": _l("reason to reopen"),
    "sort_urgency": _l("urgency, then deadline"),
    "sort_due": _l("deadline, soonest first"),
    "sort_received": _l("received, newest first"),
    "unknown": _l("unknown"),
    "all": _l("all"),
    "me": _l("me"),
    "none": _l("no one"),
    "received": _l("received"),
    "due": _l("deadline"),
    "pending": _l("waiting to be sent"),
    "queued": _l("queued at the gateway"),
    "sending": _l("being sent"),
    "sent": _l("sent"),
    "delivered": _l("delivered"),
    "read": _l("read"),
    "undelivered": _l("not delivered"),
    "failed": _l("failed"),
    "undeliverable": _l("no number to send to"),
    "outbox": _l("kept in the outbox"),
    "acknowledgement": _l("acknowledgement"),
    "acknowledgement_critical": _l("urgent acknowledgement"),
    "acknowledgement_panel": _l("the panel has read it"),
    "panel_reply": _l("the panel's reply"),
    "reply": _l("answer to an SMS command"),
    "resolution": _l("resolution"),
    "still_open": _l("still open"),
    "panel": _l("panel"),
    "category": _l("category"),
    "ward": _l("ward"),
    "urgency": _l("urgency"),
    "month": _l("month"),
}

LANGUAGE_NAMES = {
    "en": _l("English"),
    "sw": _l("Kiswahili"),
    "so": _l("Somali"),
    "ar": _l("Arabic"),
    "other": _l("another language"),
}

EVENTS = {
    "report.received": _l("report received"),
    "report.stored": _l("report stored"),
    "report.triaged": _l("report triaged"),
    "report.set_aside": _l("set aside for a person to classify"),
    "report.followup": _l("the reporter added to the report"),
    "report.rated": _l("the reporter rated the answer"),
    "report.thanked": _l("the reporter said thank you"),
    "case.opened": _l("case opened"),
    "case.duplicate_linked": _l("linked to a likely duplicate"),
    "case.acknowledged": _l("acknowledged"),
    "case.note_added": _l("note added"),
    "case.replied": _l("reply sent"),
    "case.reclassified": _l("reclassified"),
    "case.assigned": _l("assigned"),
    "case.transferred": _l("transferred"),
    "case.escalated": _l("escalated"),
    "case.overdue": _l("became overdue"),
    "case.resolved": _l("resolved"),
    "case.reopened": _l("reopened"),
    "case.raised_by_reporter": _l("made more urgent by the reporter's new message"),
    "case.text_revealed": _l("unredacted text revealed"),
    "case.viewed": _l("viewed"),
}

REDACTION_TAGS = {
    "[phone]": _l("[phone]"),
    "[id]": _l("[id]"),
    "[email]": _l("[email]"),
    "[name]": _l("[name]"),
}

ACTORS = {"system": _l("Sauti (automatic)"), "cli": _l("command line")}


def label(key: str | None) -> str:
    if not key:
        return "?"
    return str(LABELS.get(key, key.replace("_", " ")))


def language_name(code: str | None) -> str:
    return str(LANGUAGE_NAMES.get(code or "", code or "?"))


def event_label(action: str) -> str:
    return str(EVENTS.get(action, action))


def actor_name(actor: str) -> str:
    """People are named by email; Sauti's own steps by what took them."""
    return str(ACTORS.get(actor, actor))


def redaction_tags(text: str) -> str:
    """Redacted text with its tags ([phone], [name]...) in the reader's language."""
    for tag, translated in REDACTION_TAGS.items():
        text = text.replace(tag, str(translated))
    return text


def localised(english: str, kiswahili: str | None) -> str:
    """A name kept in both languages (a panel's), as the reader reads: Kiswahili when the page
    is in Kiswahili and there is one."""
    return kiswahili if kiswahili and str(get_locale()) == "sw" else english


def dimension_label(key: str, dimension: str, panel_names: dict[str, tuple[str, str]]) -> str:
    """A figure table's row key as people name it: a panel by its name, a category or urgency
    by its label; wards and months are already names."""
    if dimension == "panel" and key in panel_names:
        return localised(*panel_names[key])
    if dimension in ("category", "urgency") or key == "unknown":
        return label(key)
    return key
