"""Reading one case as the people working it are allowed to: a panel member sees their own
panels' cases, an auditor every case's metadata, anyone else none. The queue of many cases is
`storage.casework.queue`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage.casework.actions import PANEL_ROLES, open_note
from storage.casework.queue import ERASED, visible_to
from storage.crypto import DecryptionError, KeyRing
from storage.crypto.sealing import open_message, report_key
from storage.models import AuditEvent, Case, CaseNote, Panel, Report, User, utcnow
from storage.retention import ERASED_BY_RETENTION, is_erased


@dataclass(frozen=True)
class ThreadEntry:
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class NoteEntry:
    kind: str
    author_id: int | None
    at: datetime
    text: str


def find_case(session: Session, user: User, ref: str) -> Case | None:
    """The case behind a reference, or None when it is not this user's to see."""
    statement = (
        select(Case)
        .join(Case.report)
        .options(joinedload(Case.report).joinedload(Report.reporter), joinedload(Case.panel))
        .options(joinedload(Case.assignee))
        .where(visible_to(user), Report.ref == ref.strip().upper())
    )
    return session.scalars(statement).unique().one_or_none()


def next_deadline(item: Case) -> datetime | None:
    """When the case's running SLA clock runs out; None once it is resolved."""
    if item.status == "resolved":
        return None
    return item.acknowledge_due_at if item.acknowledged_at is None else item.resolve_due_at


def is_overdue(item: Case, now: datetime | None = None) -> bool:
    """Whether the step now due (acknowledge, else resolve) is past its deadline."""
    deadline = next_deadline(item)
    return deadline is not None and deadline < (now or utcnow())


def thread(keys: KeyRing, report: Report, redact: Callable[[str], str]) -> list[ThreadEntry]:
    """Every message of the report, oldest first; the reporter's words redacted."""
    if is_erased(report):
        return [ThreadEntry(m.author, m.created_at, ERASED_BY_RETENTION) for m in report.messages]
    try:
        data_key = report_key(keys, report)
    except DecryptionError:
        return [ThreadEntry(m.author, m.created_at, ERASED) for m in report.messages]
    entries = []
    for message in sorted(report.messages, key=lambda m: m.created_at):
        text = open_message(data_key, message)
        entries.append(
            ThreadEntry(
                message.author,
                message.created_at,
                redact(text) if message.author == "reporter" else text,
            )
        )
    return entries


def notes(session: Session, keys: KeyRing, item: Case) -> list[NoteEntry]:
    found = session.scalars(select(CaseNote).where(CaseNote.case_id == item.id).order_by(CaseNote.created_at))
    entries = []
    for note in found:
        try:
            text = open_note(keys, item.report, note)
        except DecryptionError:
            text = ERASED
        entries.append(NoteEntry(note.kind, note.author_id, note.created_at, text))
    return entries


def timeline(session: Session, item: Case) -> list[AuditEvent]:
    """Every audit event about the case and its report, in order."""
    subjects = (f"case:{item.id}", f"report:{item.report_id}")
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.subject.in_(subjects)).order_by(AuditEvent.id))
    )


def actor_names(session: Session, events: Sequence[AuditEvent]) -> dict[str, str]:
    """Email addresses of the people the events name, as actors or as assignees, by their
    `user:<id>` string."""
    named = [e.actor for e in events] + [str(e.details.get("assignee")) for e in events]
    ids = {int(one.split(":", 1)[1]) for one in named if one.startswith("user:")}
    users: Sequence[User] = session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    return {f"user:{u.id}": u.email for u in users}


def colleagues(session: Session, user: User) -> list[User]:
    """Active members and leads of any of this person's panels, themselves included."""
    panel_ids = [panel.id for panel in user.panels]
    statement = select(User).where(
        User.active.is_(True),
        User.role.in_(PANEL_ROLES),
        User.panels.any(Panel.id.in_(panel_ids)),
    )
    return list(session.scalars(statement.order_by(User.email)))
