"""What every channel route shares: reading a gateway's form under the input policy,
refusing bad requests clearly, and answering 503 when the report cannot be stored, so the
gateway retries instead of losing it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, default_exceptions

import triage
from storage.inputs import InputError, checked_text, controls_as_spaces, refusal
from storage.intake.committer import committer_for
from storage.intake.identity import InvalidNumberError, normalise_number
from storage.reporter_texts import catalogue
from workers.runtime import current

log = logging.getLogger(__name__)
MAX_BODY_CHARS = 4096
# A phone number as gateways write it, "whatsapp:" and all, with room to spare.
NUMBER_CHARS = 64

channels = Blueprint("channels", __name__, url_prefix="/channels")


@channels.errorhandler(OperationalError)
@channels.errorhandler(InterfaceError)
def storage_unavailable(error: Exception) -> Response:
    log.error("storage.unavailable", extra={"error": type(error).__name__})
    return Response(
        "Storage unavailable; nothing was stored. Retry later.\n",
        status=503,
        mimetype="text/plain",
        headers={"Retry-After": "30"},
    )


@channels.errorhandler(InvalidNumberError)
def invalid_sender(error: InvalidNumberError) -> Response:
    return refuse(400, "the sender is not a phone number")


def plain_http_error(error: HTTPException) -> Response:
    return refuse(error.code or 400, error.description or "bad request")


# By status as well as by class: Flask looks for a handler of the status before one of the
# class, so the app's own error page for a status would otherwise answer a gateway in HTML.
channels.register_error_handler(HTTPException, plain_http_error)
for _status in default_exceptions:
    channels.register_error_handler(_status, plain_http_error)


def refuse(status: int, reason: str) -> Response:
    log.warning("request.refused", extra={"status": status, "reason": reason})
    return Response(f"{reason}\n", status=status, mimetype="text/plain")


def brings_a_report(view: Callable[[], Response]) -> Callable[[], Response]:
    """For a route whose request may bring a report: while it is answered, the group commit
    of this process waits a moment for that report, so that reports arriving together are
    written together."""

    @wraps(view)
    def expecting() -> Response:
        committer = committer_for(current().store)
        committer.expect()
        try:
            return view()
        finally:
            committer.forget()

    return expecting


@dataclass(frozen=True)
class Field:
    """One field a gateway sends that a route reads."""

    max_chars: int
    required: bool = False
    free_text: bool = False


def gateway_form(fields: Mapping[str, Field]) -> dict[str, str]:
    """The fields a route reads, one value each, after the input policy; anything else is a
    400 naming the field, before anything is stored. Fields the route does not read may carry
    line breaks but no other control character."""
    values = dict.fromkeys(fields, "")
    for name, given in request.form.lists():
        field = fields.get(name)
        if field is not None and len(given) > 1:
            abort(400, description=f"{_shown(name)} is given more than once")
        problem = refusal(name)
        if problem:
            abort(400, description=f"a field name {problem}")
        if field is not None and field.free_text:
            given = [controls_as_spaces(value) for value in given]
        for value in given:
            _check(name, value, field)
        if field is not None:
            values[name] = given[0]
    missing = [name for name, field in fields.items() if field.required and not values[name]]
    if missing:
        abort(400, description=f"missing field(s): {', '.join(missing)}")
    return values


def _check(name: str, value: str, field: Field | None) -> None:
    try:
        if field is None:
            checked_text(value, _shown(name), MAX_BODY_CHARS, multiline=True)
        else:
            checked_text(value, name, field.max_chars, multiline=field.free_text)
    except InputError as error:
        abort(400, description=str(error))


def _shown(name: str) -> str:
    """A field name fit to repeat in a refusal."""
    return name[:40] if refusal(name) is None else "a field"


def load_what_webhooks_read() -> None:
    """Load the data files a webhook reads (the lexicon behind the reply language, the texts
    said to residents, phone number metadata) before a process serves its first request.
    Loaded lazily instead, each of its threads would parse its own copy when the first
    requests arrive together, at a few hundred milliseconds of CPU each."""
    triage.reply_language("habari")
    catalogue()
    normalise_number("+254700000000")
