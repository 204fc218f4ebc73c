"""Reading cases as the people working them are allowed to: a panel member sees their own
panels' cases, an auditor every case's metadata, anyone else none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, false, or_, select
from sqlalchemy.orm import Session, joinedload

from storage.casework.actions import PANEL_ROLES, open_note
from storage.crypto import DecryptionError, KeyRing
from storage.crypto.sealing import open_message, report_key
from storage.models import AuditEvent, Case, CaseNote, Panel, Report, User, utcnow

STATUSES = ("open", "acknowledged", "responded", "resolved")
QUEUE_LIMIT = 200
ERASED = "\N{EM DASH}"


@dataclass(frozen=True)
class CaseFilters:
    """`status` None means every case not yet resolved; "all" means every case."""

    status: str | None = None
    category: str | None = None
    urgency: str | None = None
    ward: str | None = None
    panel: str | None = None
    overdue: bool = False
    since: datetime | None = None


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


def list_cases(
    session: Session, user: User, filters: CaseFilters, urgency_order: Sequence[str], limit: int = QUEUE_LIMIT
) -> list[Case]:
    """The cases this user may see, most urgent first, then the soonest or longest overdue."""
    rank = case(
        {urgency: index for index, urgency in enumerate(urgency_order)},
        value=Report.urgency,
        else_=len(urgency_order),
    )
    statement = _filtered(_visible(user), filters).order_by(rank, _deadline_column(), Case.id).limit(limit)
    return list(session.scalars(statement).unique())


def find_case(session: Session, user: User, ref: str) -> Case | None:
    """The case behind a reference, or None when it is not this user's to see."""
    return session.scalars(_visible(user).where(Report.ref == ref.strip().upper())).unique().one_or_none()


def may_read_text(user: User) -> bool:
    return user.active and user.role in PANEL_ROLES


def next_deadline(item: Case) -> datetime | None:
    """When the case's running SLA clock runs out; None once it is resolved."""
    if item.status == "resolved":
        return None
    return item.acknowledge_due_at if item.acknowledged_at is None else item.resolve_due_at


def is_overdue(item: Case, now: datetime | None = None) -> bool:
    deadline = next_deadline(item)
    return item.overdue or (deadline is not None and deadline < (now or utcnow()))


def thread(keys: KeyRing, report: Report, redact: Callable[[str], str]) -> list[ThreadEntry]:
    """Every message of the report, oldest first; the reporter's words redacted."""
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
    """Email addresses of the people named as actors, by actor string."""
    ids = {int(e.actor.split(":", 1)[1]) for e in events if e.actor.startswith("user:")}
    users: Sequence[User] = session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    return {f"user:{u.id}": u.email for u in users}


def _visible(user: User) -> Select[Case]:
    statement = select(Case).join(Case.report).options(joinedload(Case.report), joinedload(Case.panel))
    if not user.active:
        return statement.where(false())
    if user.role in PANEL_ROLES:
        return statement.where(Case.panel_id.in_([panel.id for panel in user.panels]))
    if user.role == "auditor":
        return statement
    return statement.where(false())


def _filtered(statement: Select[Case], filters: CaseFilters) -> Select[Case]:
    if filters.status is None:
        statement = statement.where(Case.status != "resolved")
    elif filters.status != "all":
        statement = statement.where(Case.status == filters.status)
    for column, value in (
        (Report.category, filters.category),
        (Report.urgency, filters.urgency),
        (Report.ward, filters.ward),
    ):
        if value:
            statement = statement.where(column == value)
    if filters.panel:
        statement = statement.where(Case.panel.has(Panel.key == filters.panel))
    if filters.since:
        statement = statement.where(Report.received_at >= filters.since)
    if filters.overdue:
        statement = statement.where(
            Case.status != "resolved", or_(Case.overdue.is_(True), _deadline_column() < utcnow())
        )
    return statement


def _deadline_column() -> ColumnElement[datetime]:
    return case((Case.acknowledged_at.is_(None), Case.acknowledge_due_at), else_=Case.resolve_due_at)
