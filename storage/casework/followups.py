"""A reporter's follow-ups, read by triage once their case is open. When they tell of more
danger than the case was triaged with, the case is raised: its urgency goes up (never down),
its deadlines come closer (never further), and it goes where the routing rules now send it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage import audit
from storage.casework.notices import panel_leads
from storage.casework.sla import bring_deadlines_forward
from storage.crypto import DecryptionError, KeyRing, MissingMasterKeyError
from storage.crypto.sealing import open_message, report_key
from storage.intake.media import is_media_only_text
from storage.models import Case, Message, Panel, Report, User


@dataclass(frozen=True)
class FollowUps:
    """The follow-ups of one open case that triage has yet to read: their words, one to a
    line (empty when they were media alone), and the ids of their messages."""

    case: Case
    text: str
    message_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class Raise:
    """What a case becomes: a more severe urgency or a suspected emergency, deadlines counted
    from now under that reading, and the panel it moves to when the routing rules now send it
    elsewhere."""

    urgency: str
    possible_emergency: bool
    due: tuple[datetime, datetime]
    panel: Panel | None


def lock_followups(session: Session, keys: KeyRing, report_ids: Sequence[uuid.UUID]) -> list[FollowUps]:
    """The unread follow-ups of these reports' cases, each case locked for update. A case
    someone else holds is skipped: the sweeper brings its follow-ups back."""
    waiting = select(Message.report_id).where(
        Message.report_id.in_(report_ids), Message.awaiting_triage.is_(True)
    )
    cases = session.scalars(
        select(Case)
        .options(joinedload(Case.report).joinedload(Report.reporter), joinedload(Case.panel))
        .where(Case.report_id.in_(waiting))
        .order_by(Case.id)
        .with_for_update(of=Case, skip_locked=True)
    ).unique()
    by_report = {case.report_id: case for case in cases}
    messages = session.scalars(
        select(Message)
        .where(Message.report_id.in_(by_report), Message.awaiting_triage.is_(True))
        .order_by(Message.created_at, Message.id)
    )
    unread: dict[uuid.UUID, list[Message]] = {}
    for message in messages:
        unread.setdefault(message.report_id, []).append(message)
    return [_followups(keys, by_report[report_id], found) for report_id, found in unread.items()]


def raise_case(
    session: Session, case: Case, raised: Raise, message_ids: Sequence[uuid.UUID], now: datetime
) -> list[User]:
    """Raise the case as `raised` says, in the caller's transaction; the staff to tell."""
    report = case.report
    details: dict[str, object] = {
        "case": case.id,
        "from_urgency": report.urgency,
        "to_urgency": raised.urgency,
        "possible_emergency": raised.possible_emergency,
        "messages": [str(message_id) for message_id in message_ids],
    }
    report.urgency, report.possible_emergency = raised.urgency, raised.possible_emergency
    bring_deadlines_forward(case, raised.due, now, now)
    if raised.panel is not None:
        details["from_panel"], details["to_panel"] = case.panel.key, raised.panel.key
        # Nobody on the new panel holds it yet.
        case.panel, case.assignee = raised.panel, None
    audit.record(session, "case.raised_by_reporter", subject=f"report:{report.id}", details=details)
    people = panel_leads(session, case.panel)
    if case.assignee is not None and case.assignee not in people:
        people.append(case.assignee)
    return people


def _followups(keys: KeyRing, case: Case, messages: list[Message]) -> FollowUps:
    ids = tuple(message.id for message in messages)
    try:
        data_key = report_key(keys, case.report)
        texts = [open_message(data_key, message) for message in messages]
    except MissingMasterKeyError:
        raise  # not erased: this process lacks a key, and a process that holds it reads them
    except DecryptionError:
        # Erased under the retention policy since it came: nothing left to read.
        return FollowUps(case, "", ids)
    words = "\n".join(text for text in texts if not is_media_only_text(text))
    return FollowUps(case, words, ids)
