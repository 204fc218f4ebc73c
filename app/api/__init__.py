"""The JSON API under /api/v1: bearer tokens, the same role rules as the web pages, errors as
problem details (`app.api.problems`), and an OpenAPI document describing exactly what the
routes accept and return."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Blueprint, abort, g, request
from flask.typing import ResponseReturnValue

from app.context import transaction
from app.signin import StaffMember
from storage.accounts import user_for_token

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])

api = Blueprint("api", __name__, url_prefix="/api/v1")


def api_roles(*roles: str) -> Callable[[F], F]:
    """Require a valid bearer token of a person with one of `roles`; sets `g.api_user`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: object, **kwargs: object) -> ResponseReturnValue:
            member = _bearer()
            if member is None:
                abort(401, description="send a valid bearer token: Authorization: Bearer <token>")
            if member.role not in roles:
                abort(403, description=f"a {member.role} may not use this part of the API")
            g.api_user = member
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def _bearer() -> StaffMember | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with transaction() as session:
        user = user_for_token(session, token.strip())
        return StaffMember.of(user) if user else None


from app.api import cases, openapi, oversight  # noqa: E402,F401  (routes register on `api`)
