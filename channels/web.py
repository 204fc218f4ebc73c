"""What every channel route shares: reading a gateway's form under the input policy,
refusing bad requests clearly, and answering 503 when the report cannot be stored, so the
gateway retries instead of losing it."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, default_exceptions

import triage
from channels.answers import in_transaction
from storage.crypto import MissingMasterKeyError
from storage.database import write_lock_waits_end_by
from storage.inputs import (
    FORM_BODY,
    InputError,
    check_percent_escapes,
    checked_text,
    controls_as_spaces,
    refusal,
)
from storage.intake.committer import WAIT_SECONDS, CommitTimeoutError, committer_for
from storage.intake.identity import InvalidNumberError, normalise_number
from storage.outbox import record_delivery
from storage.reporter_texts import catalogue
from storage.wording import N_, word
from workers.runtime import current

log = logging.getLogger(__name__)
MAX_BODY_CHARS = 4096
FIELD_NAME = word("phrase", N_("a form field name"))
# A phone number as gateways write it, "whatsapp:" and all, with room to spare.
NUMBER_CHARS = 64

# A delivery status not in a gateway's list: only a status that says so means the message arrived.
UNLISTED_STATUS = "undelivered"
STATUS_WORD = re.compile(r"[A-Za-z][A-Za-z0-9 _-]*")

channels = Blueprint("channels", __name__, url_prefix="/channels")


@channels.before_request
def refuse_a_form_that_is_not_utf8() -> None:
    """Before the signature or anything else reads the form: Werkzeug would read a
    percent-escape that is no UTF-8 as the text "%FF", and a report would open with it."""
    if request.mimetype == FORM_BODY:
        try:
            check_percent_escapes(request.get_data(cache=True, parse_form_data=False), FIELD_NAME)
        except InputError as error:
            abort(400, description=str(error))


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


@channels.errorhandler(MissingMasterKeyError)
def key_not_held(error: MissingMasterKeyError) -> Response:
    """This process started before a rotation added the key the record needs: the gateway
    retries, and a process that holds the key (this one, restarted) stores the message."""
    log.error("storage.key_missing", extra={"key": error.key_id})
    return Response(
        "A master key this server lacks is needed; retry later.\n",
        status=503,
        mimetype="text/plain",
        headers={"Retry-After": "30"},
    )


@channels.errorhandler(CommitTimeoutError)
def storage_too_slow(error: CommitTimeoutError) -> Response:
    """The database did not answer in time. The report may yet be written: the gateway's retry
    then finds it by its gateway id and is answered with its reference."""
    log.error("storage.too_slow", extra={"error": type(error).__name__})
    return Response(
        "Storage did not answer in time. Retry: a report stored meanwhile is not stored twice.\n",
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
    written together. Whatever else it writes waits for SQLite's write lock no longer than the
    report would: a gateway gives up after 15 s, and a 503 in time brings its retry."""

    @wraps(view)
    def expecting() -> Response:
        committer = committer_for(current().store)
        committer.expect()
        try:
            with write_lock_waits_end_by(time.monotonic() + WAIT_SECONDS):
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
    400 naming the field, before anything is stored. In the text a resident typed, and in the
    fields the route does not read (a WhatsApp profile name is whatever the resident chose), a
    control character is a space: refusing it would lose a report. NUL and half a surrogate
    pair are no text, anywhere."""
    values = dict.fromkeys(fields, "")
    for name, given in request.form.lists():
        field = fields.get(name)
        if field is not None and len(given) > 1:
            abort(400, description=f"{_shown(name)} is given more than once")
        problem = refusal(name)
        if problem:
            abort(400, description=f"a field name {problem}")
        if field is None or field.free_text:
            given = [controls_as_spaces(value) for value in given]
        for value in given:
            _check(name, value, field)
        if field is not None:
            values[name] = given[0]
    missing = [name for name, field in fields.items() if field.required and not values[name]]
    if missing:
        abort(400, description=f"missing field(s): {', '.join(missing)}")
    return values


def delivery_outcome(
    reported: str, reason: str, statuses: Mapping[str, str | None]
) -> tuple[str | None, str | None]:
    """The outbox status and error for a gateway's delivery report, by the gateway's words for
    its statuses (None: a status that says nothing of a message we sent). A status not listed is
    one the gateway may send too: it is kept as not delivered, with the status as the reason
    when none is given, not refused, which would lose what became of the message."""
    if reported in statuses:
        return statuses[reported], reason or None
    if not STATUS_WORD.fullmatch(reported):
        abort(400, description="status must be a word, such as delivered or failed")
    return UNLISTED_STATUS, reason or reported


def record_delivery_report(provider_id: str, status: str | None, error: str | None) -> None:
    """Keep what a delivery report says became of a message we gave the gateway to send."""
    known = status is not None and in_transaction(lambda s: record_delivery(s, provider_id, status, error))
    log.info("delivery.status", extra={"status": status, "known": known})


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
