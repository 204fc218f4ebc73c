"""Why Sauti refused something, in the reader's language: the message translated and every
word in it (a field, an action, a role, a status, a choice) named as the pages name it. The
API answers with `str(error)`, in English, instead; `refuse` gives a 400 or 404 that does both.
"""

from __future__ import annotations

from typing import NoReturn

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from app.labels import label
from storage.wording import OR, RefusalError, Value, Wording, WordKind, Words

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
    "email": _l("email"),
    "password": _l("password"),
    "confirm": _l("password again"),
    "code": _l("code"),
    "next": _l("the page to return to"),
    "language": _l("language"),
    "lang": _l("language"),
    "role": _l("role"),
    "panels": _l("panels"),
    "method": _l("how to give the password"),
    "key": _l("key"),
    "name": _l("name"),
    "name_sw": _l("name in Kiswahili"),
    "change": _l("change"),
    "id": _l("template number"),
    "title": _l("title"),
    "text_en": _l("English text"),
    "text_sw": _l("Kiswahili text"),
    "status": _l("status"),
    "ward": _l("ward"),
    "overdue": _l("overdue only"),
    "possible_emergency": _l("possible emergency only"),
    "since": _l("since"),
    "until": _l("until"),
    "ref": _l("reference"),
    "q": _l("search"),
    "sort": _l("sort order"),
    "page": _l("page"),
    "per_page": _l("cases per page"),
    "group_by": _l("group by"),
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


class RefusedHTTP(HTTPException):
    """An HTTP error whose description is the refusal in English, as the API answers it, and
    whose `wording` the error page shows in the reader's language."""

    def __init__(self, refusal: RefusalError | Wording) -> None:
        self.wording = _wording(refusal)
        super().__init__(description=str(self.wording))


class RefusedRequest(RefusedHTTP, BadRequest):
    """A 400 that says why in the reader's language."""


class RefusedNotFound(RefusedHTTP, NotFound):
    """A 404 that says why in the reader's language."""


def refuse(refusal: RefusalError | Wording, *, not_found: bool = False) -> NoReturn:
    """Answer a 400 (or a 404) that says why: in English to the API, in the reader's language
    on a page."""
    raise RefusedNotFound(refusal) if not_found else RefusedRequest(refusal)


def shown(refusal: RefusalError | Wording) -> str:
    """The refusal as a person reads it on a page."""
    wording = _wording(refusal)
    values = {name: _named(value) for name, value in wording.values.items()}
    return str(_(wording.message, **values))


def _wording(refusal: RefusalError | Wording) -> Wording:
    return refusal.wording if isinstance(refusal, RefusalError) else refusal


def _named(value: Value) -> str | int:
    if isinstance(value, Wording):
        return shown(value)
    if not isinstance(value, Words):
        return value
    joiner = _(" or ") if value.joiner == OR else value.joiner
    return joiner.join(_word(value.kind, key) for key in value.keys)


def _word(kind: WordKind, key: str) -> str:
    if kind == "key":
        return label(key)
    if kind == "value":
        return key if label(key) == key else f"{label(key)} ({key})"
    if kind == "phrase":
        return str(_(key))
    names = FIELD_NAMES if kind == "field" else ACTION_NAMES
    return str(names.get(key, key))
