"""Why casework refused something, in the reader's language: the message translated and every
word in it (a field, an action, a role, a status, a choice) named as the pages name it. The
API answers with `str(error)`, in English, instead."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.labels import label
from storage.casework.wording import OR, RefusalError, Value, Wording, WordKind, Words

FIELD_NAMES: dict[str, LazyString] = {
    "action": _l("action"),
    "text": _l("text"),
    "reason": _l("reason"),
    "assignee": _l("assignee"),
    "panel": _l("panel"),
    "category": _l("category"),
    "urgency": _l("urgency"),
    "outcome": _l("outcome"),
    "fallback": _l("fallback"),
}

ACTION_NAMES: dict[str, LazyString] = {
    "acknowledge": _l("acknowledge"),
    "reply": _l("reply"),
    "note": _l("note"),
    "reclassify": _l("reclassify"),
    "escalate": _l("escalate"),
    "assign": _l("assign"),
    "transfer": _l("transfer"),
    "resolve": _l("resolve"),
    "reopen": _l("reopen"),
    "reveal": _l("reveal"),
}


def shown(refusal: RefusalError | Wording) -> str:
    """The refusal as a person reads it on a page."""
    wording = refusal.wording if isinstance(refusal, RefusalError) else refusal
    values = {name: _named(value) for name, value in wording.values.items()}
    return str(_(wording.message, **values))


def _named(value: Value) -> str | int:
    if not isinstance(value, Words):
        return value
    joiner = _(" or ") if value.joiner == OR else value.joiner
    return joiner.join(_word(value.kind, key) for key in value.keys)


def _word(kind: WordKind, key: str) -> str:
    if kind == "key":
        return label(key)
    if kind == "phrase":
        return str(_(key))
    names = FIELD_NAMES if kind == "field" else ACTION_NAMES
    return str(names.get(key, key))
