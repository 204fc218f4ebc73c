"""The JSON API under /api/v1: bearer tokens (checked for every route by `app.access`), a
limit on requests per token, the same role rules as the web pages, errors as problem
details (RFC 9457), and an OpenAPI document describing exactly what the routes accept and
return."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Blueprint, Response, abort, g, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, TooManyRequests

from app.context import transaction
from storage.request_limits import count_request
from workers.runtime import current

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])
PROBLEM = "application/problem+json"

api = Blueprint("api", __name__, url_prefix="/api/v1")


def api_roles(*roles: str) -> Callable[[F], F]:
    """Let through only callers with one of `roles` (`g.api_user`, set from the bearer token)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: object, **kwargs: object) -> ResponseReturnValue:
            if g.api_user.role not in roles:
                abort(403, description="your role may not use this")
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


@api.before_request
def limit_requests_per_token() -> None:
    """Counted in the database, so the limit holds across web workers and hosts alike."""
    caller = g.get("api_user")
    if caller is None:
        return
    limit = current().settings.api_requests_per_minute
    with transaction() as session:
        allowance = count_request(session, f"api:user:{caller.id}", limit)
    if not allowance.allowed:
        raise TooManyRequests(
            f"at most {limit} requests a minute per token; try again in {allowance.retry_after} s",
            retry_after=allowance.retry_after,
        )


@api.errorhandler(HTTPException)
def problem(error: HTTPException) -> Response:
    """Every API error as problem details: status, title and what to do in detail."""
    status = error.code or 500
    response = jsonify(type="about:blank", status=status, title=error.name, detail=error.description)
    response.status_code = status
    response.mimetype = PROBLEM
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="sauti"'
    return response


from app.api import cases, openapi, oversight  # noqa: E402,F401  (routes register on `api`)
