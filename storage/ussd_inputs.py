"""Where the inputs of a USSD session end. Africa's Talking sends every input of the session
so far joined by `*`, so a `*` typed inside a report looks like its separator; the length of
each earlier request's `text` says where the gateway put one. Only lengths are kept, never
the text, and only for minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import UssdInput, utcnow

# Longer than any USSD session lasts (Africa's Talking ends one after a few minutes).
KEPT = timedelta(minutes=15)


def earlier_input_ends(session: Session, session_id: str, text: str, now: datetime | None = None) -> set[int]:
    """Note that this request of the session carries inputs up to `len(text)`, and return where
    the inputs of each earlier request of it ended. A session's first request (no input yet)
    sweeps the rows of sessions long over."""
    now = now or utcnow()
    if not text:
        session.execute(delete(UssdInput).where(UssdInput.seen_at < now - KEPT))
        return set()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    noted = dialect.insert(UssdInput).values(session_id=session_id, ends_at=len(text), seen_at=now)
    session.execute(noted.on_conflict_do_nothing(index_elements=[UssdInput.session_id, UssdInput.ends_at]))
    earlier = select(UssdInput.ends_at).where(
        UssdInput.session_id == session_id, UssdInput.ends_at < len(text)
    )
    return set(session.scalars(earlier))
