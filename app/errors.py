"""Error pages, in the reader's language. A refusal of Sauti's own says why in its wording;
Werkzeug's errors and Flask-WTF's CSRF refusals describe themselves in English only, so a page
says instead what their status or reason means. The API answers problem documents instead."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from app.api.problems import RETRY_AFTER_SECONDS, database_unreachable, is_api_request, problem_for
from app.auth import sign_in_first
from app.refusals import RefusedHTTP, shown

log = logging.getLogger(__name__)

STATUS_REASONS = {
    400: _l("The request could not be read. Go back and try again."),
    403: _l("Your account may not open this page."),
    404: _l("There is no page at this address."),
    405: _l("This page cannot be used that way."),
    413: _l("What was sent is too large."),
    429: _l("Too many attempts. Wait a while, then try again."),
}
DATABASE_UNREACHABLE = _l("The database cannot be reached just now. Try again in a few minutes.")
# Flask-WTF's reasons, word for word, as a person reads them.
CSRF_REASONS = {
    "The CSRF token is missing.": _l("The form came without its security token."),
    "The CSRF session token is missing.": _l(
        "Your session has no security token: it may have ended, or the browser may refuse cookies."
    ),
    "The CSRF token has expired.": _l("The form was open too long."),
    "The CSRF token is invalid.": _l("The form's security token is not valid."),
    "The CSRF tokens do not match.": _l("The form's security token belongs to another session."),
    "The referrer header is missing.": _l("The browser did not say which page sent the form."),
    "The referrer does not match the host.": _l("The form was sent from another site."),
}
SEND_AGAIN = _l("Reload the page and send the form again.")
SIGNED_IN_PAGES = ("panel", "admin", "audit")


def install_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_refused)
    for status in STATUS_REASONS:
        app.register_error_handler(status, _error_page)
    for unreachable in (OperationalError, InterfaceError):
        app.register_error_handler(unreachable, _database_unreachable)


def _csrf_refused(error: CSRFError) -> ResponseReturnValue:
    if request.blueprint in SIGNED_IN_PAGES and not current_user.is_authenticated:
        # The session, and the form's token with it, ended before the form was sent.
        return sign_in_first()
    reason = CSRF_REASONS.get(str(error.description), STATUS_REASONS[400])
    return render_template("error.html", status=400, reason=f"{reason} {SEND_AGAIN}"), 400


def _error_page(error: HTTPException) -> ResponseReturnValue:
    if is_api_request():
        return problem_for(error)
    status = error.code or 400
    reason = shown(error.wording) if isinstance(error, RefusedHTTP) else str(STATUS_REASONS[status])
    return render_template("error.html", status=status, reason=reason), status


def _database_unreachable(error: Exception) -> ResponseReturnValue:
    """A 503 to come back after, as the API and the webhooks answer, not a fault of ours."""
    if is_api_request():
        return database_unreachable(error)
    log.error("page.database_unreachable", extra={"path": request.path, "error": type(error).__name__})
    page = render_template("error.html", status=503, reason=DATABASE_UNREACHABLE)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
