"""The runtime of the app serving this request, and one database transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.orm import Session

from workers.runtime import Runtime


def runtime() -> Runtime:
    found: Runtime = current_app.extensions["sauti"]
    return found


@contextmanager
def transaction() -> Iterator[Session]:
    with runtime().store.transaction() as session:
        yield session
