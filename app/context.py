"""The runtime `create_app` built for an app, and one database transaction per unit of work on
the runtime of the app serving this request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy.orm import Session

from workers.runtime import Runtime, current

RUNTIME = "sauti"


def runtime_of(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions[RUNTIME]
    return runtime


@contextmanager
def transaction() -> Iterator[Session]:
    with current().store.transaction() as session:
        yield session
