"""The one rule for a reporter's row when a report arrives, whichever way the report is written."""

from __future__ import annotations

from sqlalchemy import case, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert

from storage.models import Reporter


def with_reporter_upsert(statement: postgresql.Insert | sqlite.Insert) -> ReturningInsert[int, str]:
    """Insert the reporter, or on their next message note when they were last seen. A reporter
    who said STOP and writes again becomes reachable again, under a fresh key."""
    stored, offered = Reporter, statement.excluded
    erased = stored.contact.is_(None)
    return statement.on_conflict_do_update(
        index_elements=["pseudonym"],
        set_={
            "last_seen_at": offered.last_seen_at,
            "contact": func.coalesce(stored.contact, offered.contact),
            "key_id": case((erased, offered.key_id), else_=stored.key_id),
            "wrapped_key": case((erased, offered.wrapped_key), else_=stored.wrapped_key),
            "stopped_at": case((erased, None), else_=stored.stopped_at),
        },
    ).returning(stored.id, stored.pseudonym)
