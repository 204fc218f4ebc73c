"""A number sending reports faster than a person writes them: past the limit, each message is
kept as a follow-up to the number's latest report, so one burst fills one case, not a queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.database import Store
from storage.models import Report, Reporter


@dataclass(frozen=True)
class Flood:
    """Where the message goes instead of a new report; `first` when it is the first over the
    limit this minute, the one that is answered."""

    ref: str
    first: bool


def flood_of(store: Store, pseudonym: str, counted: int | None, per_minute: int) -> Flood | None:
    """Where a report goes when `counted` (this number's reports this minute, this one
    included) is past `per_minute`: None while within it, or when no count could be made."""
    if counted is None or counted <= per_minute:
        return None
    with store.engine.connect() as connection:
        latest = connection.scalar(
            select(Report.ref)
            .join(Reporter, Reporter.id == Report.reporter_id)
            .where(Reporter.pseudonym == pseudonym)
            .order_by(Report.received_at.desc())
            .limit(1)
        )
    return Flood(latest, counted == per_minute + 1) if latest else None
