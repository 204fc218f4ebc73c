"""How the keys of the taxonomy, statuses, outcomes and roles read on a page, in the
person's language. A key without a label reads as itself, underscores as spaces."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
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
}


def label(key: str | None) -> str:
    if not key:
        return "?"
    return str(LABELS.get(key, key.replace("_", " ")))
