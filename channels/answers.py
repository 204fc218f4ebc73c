"""What a channel answers a resident, and the one way its work reaches the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.intake import StoredReport
from workers.runtime import current

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    text: str
    language: str
    report: StoredReport | None = None


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, once more if a concurrent duplicate got there first."""
    store = current().store
    try:
        with store.transaction() as session:
            return work(session)
    except IntegrityError:
        with store.transaction() as session:
            return work(session)
