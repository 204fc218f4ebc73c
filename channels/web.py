"""What every channel route shares: refusing bad requests clearly, and answering 503 when
the report cannot be stored, so the gateway retries instead of losing it."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from storage.intake.identity import InvalidNumberError

log = logging.getLogger(__name__)
MAX_BODY_CHARS = 4096

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


@channels.errorhandler(HTTPException)
def plain_http_error(error: HTTPException) -> Response:
    return refuse(error.code or 400, error.description or "bad request")


def refuse(status: int, reason: str) -> Response:
    log.warning("request.refused", extra={"status": status, "reason": reason})
    return Response(f"{reason}\n", status=status, mimetype="text/plain")


def require_fields(form: MultiDict[str, str], *names: str) -> None:
    missing = [name for name in names if not form.get(name)]
    if missing:
        abort(400, description=f"missing field(s): {', '.join(missing)}")


def check_length(text: str) -> None:
    if len(text) > MAX_BODY_CHARS:
        abort(400, description=f"message longer than {MAX_BODY_CHARS} characters")
