"""Liveness and readiness for the load balancer and the orchestrator."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from workers.dispatch import RedisDispatcher
from workers.runtime import current

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@health.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks = {"database": _database_ok(), "queue": _queue_ok()}
    ready = all(checks.values())
    return jsonify(ready=ready, checks=checks), 200 if ready else 503


def _database_ok() -> bool:
    try:
        with current().store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def _queue_ok() -> bool:
    dispatcher = current().dispatcher
    if not isinstance(dispatcher, RedisDispatcher):
        return True
    try:
        return bool(dispatcher.connection.ping())
    except Exception:
        return False
