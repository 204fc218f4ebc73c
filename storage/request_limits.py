"""Requests counted per caller in fixed windows of a minute, in the database: every web worker
and every host counts into the same row, so a limit means what it says however many
processes serve. One atomic upsert per request; rows of past windows are swept as new
windows open."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import RequestWindow, utcnow

WINDOW = timedelta(minutes=1)
KEPT = timedelta(hours=1)


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    # Seconds until the window ends and the count starts again.
    retry_after: int


def count_request(
    session: Session,
    caller: str,
    limit: int,
    now: datetime | None = None,
    window: timedelta = WINDOW,
) -> Allowance:
    """Count one request of `caller` and say whether it is within `limit` for this window (a
    minute, or an hour: the rows of an hour's window outlive no sweep)."""
    now = now or utcnow()
    start = _window_start(now, window)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(RequestWindow).values(caller=caller, window_start=start, requests=1)
    upsert = upsert.on_conflict_do_update(
        index_elements=[RequestWindow.caller, RequestWindow.window_start],
        set_={"requests": RequestWindow.requests + 1},
    ).returning(RequestWindow.requests)
    counted = int(session.execute(upsert).scalar_one())
    if counted == 1:
        sweep_windows(session, now)
    retry_after = max(1, math.ceil((start + window - now).total_seconds()))
    return Allowance(counted <= limit, retry_after)


def sweep_windows(session: Session, now: datetime | None = None) -> None:
    """Delete the counts of windows long past."""
    start = _window_start(now or utcnow(), WINDOW)
    session.execute(delete(RequestWindow).where(RequestWindow.window_start < start - KEPT))


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = window.total_seconds()
    return datetime.fromtimestamp(math.floor(now.timestamp() / seconds) * seconds, UTC)
