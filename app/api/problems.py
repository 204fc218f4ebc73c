"""Every error under /api/v1 answered as RFC 9457 problem details
(`application/problem+json`: type, title, status, detail), whatever raised it: a view's
abort, an unknown path or method, a request too large, a database that cannot be reached,
or a fault of our own."""

from __future__ import annotations

import logging

from flask import Flask, Response, json, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from app.access import TOKEN_ENDPOINTS

API_PREFIX = "/api/"
PROBLEM = "application/problem+json"
RETRY_AFTER_SECONDS = 30
NO_SUCH_PATH = "no such path in the API: /api/v1/openapi.json lists them all"

log = logging.getLogger(__name__)


def install_problems(app: Flask) -> None:
    """Error pages elsewhere are left to their own handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _fault)


def is_api_request() -> bool:
    """Under /api/, or an endpoint outside it that takes an API token (Prometheus's /metrics):
    either way a program reads the answer, errors included."""
    return request.path.startswith(API_PREFIX) or request.endpoint in TOKEN_ENDPOINTS


def problem(status: int, title: str, detail: str) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="sauti"'
    return response


def problem_for(error: HTTPException) -> Response:
    status = error.code or 500
    response = problem(status, error.name, _detail(error))
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers.setdefault(name, value)
    return response


def _detail(error: HTTPException) -> str:
    if isinstance(error, NotFound) and request.url_rule is None:
        return NO_SUCH_PATH
    return error.description or error.name


def _http_error(error: HTTPException) -> ResponseReturnValue:
    return problem_for(error) if is_api_request() else error


def _fault(error: InternalServerError) -> ResponseReturnValue:
    if not is_api_request():
        return error
    log.error("api.fault", extra={"path": request.path, "error": type(error.original_exception).__name__})
    return problem(500, "Internal Server Error", "something went wrong on our side; try again later")


def database_unreachable(error: Exception) -> Response:
    """A 503 the caller may retry, as the webhooks answer when they cannot store."""
    log.error("api.database_unreachable", extra={"path": request.path, "error": type(error).__name__})
    response = problem(503, "Service Unavailable", "the database is unreachable; try again later")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
