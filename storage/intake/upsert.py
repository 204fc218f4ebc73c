"""The one rule for a reporter's row when reports arrive, whichever way they are written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert

from storage.models import Reporter


def with_reporter_upsert(
    statement: postgresql.Insert | sqlite.Insert,
) -> ReturningInsert[int, str, int, datetime | None, int]:
    """Insert the reporter, or on their next message note when they were last seen. A reporter
    who said STOP and writes again becomes reachable again, under a fresh key.

    The row offered counts the reports arriving now in `minute_reports`, for the minute that
    started at `minute_started_at`: added to the count kept if that is the same minute, else
    starting it again; and in `story_parts`, added to the number's story if the number is seen
    again before `story_until`, else beginning one, which the next message may continue until
    the `story_until` offered. Returns both counts with them, and until when a message is
    taken as a reply to a panel's answer."""
    stored, offered = Reporter, statement.excluded
    erased = stored.contact.is_(None)
    same_minute = stored.minute_started_at == offered.minute_started_at
    same_story = stored.story_until > offered.last_seen_at
    return statement.on_conflict_do_update(
        index_elements=["pseudonym"],
        set_={
            "last_seen_at": offered.last_seen_at,
            "contact": func.coalesce(stored.contact, offered.contact),
            "key_id": case((erased, offered.key_id), else_=stored.key_id),
            "wrapped_key": case((erased, offered.wrapped_key), else_=stored.wrapped_key),
            "stopped_at": case((erased, None), else_=stored.stopped_at),
            "minute_started_at": offered.minute_started_at,
            "minute_reports": case(
                (same_minute, stored.minute_reports + offered.minute_reports),
                else_=offered.minute_reports,
            ),
            "story_until": offered.story_until,
            "story_parts": case(
                (same_story, stored.story_parts + offered.story_parts), else_=offered.story_parts
            ),
        },
    ).returning(stored.id, stored.pseudonym, stored.minute_reports, stored.replies_until, stored.story_parts)
