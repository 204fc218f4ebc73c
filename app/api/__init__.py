"""The JSON API under /api/v1: bearer tokens (checked for every route by `app.access`), a
limit on requests per token, the same role rules as the web pages, errors as problem
details (`app.api.problems`, RFC 9457), and an OpenAPI document describing exactly what the
routes accept and return."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Blueprint, abort, g
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import TooManyRequests

from app.api.problems import database_unreachable
from app.context import transaction
from storage.accounts import named_role
from storage.request_limits import count_request
from workers.runtime import current

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])

api = Blueprint("api", __name__, url_prefix="/api/v1")
api.register_error_handler(OperationalError, database_unreachable)
api.register_error_handler(InterfaceError, database_unreachable)


def api_roles(*roles: str) -> Callable[[F], F]:
    """Let through only callers with one of `roles` (`g.api_user`, set from the bearer token)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: object, **kwargs: object) -> ResponseReturnValue:
            if g.api_user.role not in roles:
                abort(403, description=f"{named_role(g.api_user.role)} may not use this part of the API")
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


from app.api import attachments, cases, openapi, oversight  # noqa: E402,F401  (routes register on `api`)
