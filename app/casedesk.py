"""The panel desk as the web pages and the API share it: read the queue and a case, and do
one action on a case, each in its own transaction, then queue any SMS for sending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

import triage
from app.context import transaction
from app.signin import StaffMember
from storage.casework import actions as casework
from storage.casework import registry
from storage.casework.actions import CaseworkError, NotPermittedError
from storage.casework.opening import first_text
from storage.casework.queries import (
    ERASED,
    CaseFilters,
    NoteEntry,
    ThreadEntry,
    actor_names,
    find_case,
    is_overdue,
    list_cases,
    may_read_text,
    next_deadline,
    notes,
    thread,
    timeline,
)
from storage.casework.registry import ActionContext, PanelAction, Taxonomy
from storage.crypto import DecryptionError, KeyRing
from storage.models import AuditEvent, Case, Panel, Report, User
from triage.taxonomy import CATEGORIES, URGENCIES
from workers.runtime import current

TAXONOMY = Taxonomy(CATEGORIES, URGENCIES)

__all__ = [
    "CaseNotFoundError",
    "CaseworkError",
    "NotPermittedError",
    "act",
    "case_detail",
    "queue",
]


class CaseNotFoundError(LookupError):
    """No such case, or not one this person may see: the two look the same from outside."""


@dataclass(frozen=True)
class CaseSummary:
    ref: str
    status: str
    category: str | None
    urgency: str | None
    language: str | None
    ward: str | None
    confidence: float | None
    panel: str
    panel_name: str
    received_at: datetime
    acknowledged_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    due_at: datetime | None
    overdue: bool
    escalation_level: int
    outcome: str | None
    rating: int | None
    assigned_user_id: int | None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    actor: str
    details: dict[str, object]


@dataclass
class CaseDetail:
    summary: CaseSummary
    text: str | None
    thread: list[ThreadEntry] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    authors: dict[int, str] = field(default_factory=dict)
    actions: list[PanelAction] = field(default_factory=list)
    panels: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)


def queue(member: StaffMember, filters: CaseFilters) -> list[CaseSummary]:
    with transaction() as session:
        user = session.get_one(User, member.id)
        return [summarise(item) for item in list_cases(session, user, filters, URGENCIES)]


def queue_with_texts(member: StaffMember, filters: CaseFilters) -> list[tuple[CaseSummary, str | None]]:
    """The queue with each case's redacted first message (None for auditors); every text
    read is audited as a view of its case."""
    with transaction() as session:
        user = session.get_one(User, member.id)
        items = list_cases(session, user, filters, URGENCIES)
        if not may_read_text(user):
            return [(summarise(item), None) for item in items]
        keys = current().store.keys
        listed: list[tuple[CaseSummary, str | None]] = []
        for item in items:
            casework.record_view(session, user, item, with_text=True)
            listed.append((summarise(item), _redacted_first_text(session, keys, item.report)))
        return listed


def _redacted_first_text(session: Session, keys: KeyRing, report: Report) -> str:
    """What the queue shows of a report: its first message redacted, or a dash when the
    report's key is gone (a case can be opened for a report nobody could read)."""
    try:
        return triage.redact(first_text(session, keys, report))
    except DecryptionError:
        return ERASED


def case_detail(member: StaffMember, ref: str) -> CaseDetail:
    """Everything about a case this person may see; the view itself is audited."""
    with transaction() as session:
        user, item = _load(session, member, ref)
        with_text = may_read_text(user)
        casework.record_view(session, user, item, with_text=with_text)
        detail = CaseDetail(summarise(item), None, timeline=_timeline(session, item))
        if not with_text:
            return detail
        keys = current().store.keys
        detail.thread = thread(keys, item.report, triage.redact)
        detail.text = detail.thread[0].text if detail.thread else None
        detail.notes = notes(session, keys, item)
        detail.authors = {u.id: u.email for u in _people(session, [n.author_id for n in detail.notes])}
        detail.actions = registry.available(user, item)
        detail.panels = [(p.key, p.name) for p in _panels(session) if p.id != item.panel_id]
        detail.members = [(u.email, u.email) for u in _panel_members(session, item.panel_id)]
        return detail


def sla_due_at(urgency: str, received_at: datetime) -> tuple[datetime, datetime]:
    """The deadlines of the SLA policy this app runs with."""
    return triage.due_at(urgency, received_at, current().sla)


def act(member: StaffMember, ref: str, action: str, fields: Mapping[str, object]) -> CaseSummary:
    """Do one action on a case; raises CaseNotFoundError, NotPermittedError or CaseworkError."""
    with transaction() as session:
        user, item = _load(session, member, ref)
        context = ActionContext(session, current().store.keys, user, item, TAXONOMY, sla_due_at)
        done = registry.perform(context, action, fields)
        summary = summarise(item)
    for outbound_id in done.outbound_ids:
        current().dispatcher.enqueue_notify(outbound_id)
    return summary


def reveal(member: StaffMember, ref: str, reason: str) -> list[str]:
    with transaction() as session:
        user, item = _load(session, member, ref)
        return casework.reveal_text(session, current().store.keys, user, item, reason)


def summarise(item: Case) -> CaseSummary:
    report = item.report
    return CaseSummary(
        ref=report.ref,
        status=item.status,
        category=report.category,
        urgency=report.urgency,
        language=report.language,
        ward=report.ward,
        confidence=report.confidence,
        panel=item.panel.key,
        panel_name=item.panel.name,
        received_at=report.received_at,
        acknowledged_at=item.acknowledged_at,
        first_response_at=item.first_response_at,
        resolved_at=item.resolved_at,
        due_at=next_deadline(item),
        overdue=is_overdue(item),
        escalation_level=item.escalation_level,
        outcome=item.outcome,
        rating=report.rating,
        assigned_user_id=item.assigned_user_id,
    )


def _load(session: Session, member: StaffMember, ref: str) -> tuple[User, Case]:
    user = session.get_one(User, member.id)
    item = find_case(session, user, ref)
    if item is None:
        raise CaseNotFoundError(ref)
    return user, item


def _panels(session: Session) -> list[Panel]:
    return list(session.scalars(select(Panel).where(Panel.active.is_(True)).order_by(Panel.name)))


def _panel_members(session: Session, panel_id: int) -> list[User]:
    statement = select(User).where(User.active.is_(True), User.panels.any(Panel.id == panel_id))
    return list(session.scalars(statement.order_by(User.email)))


def _people(session: Session, ids: list[int | None]) -> list[User]:
    wanted = {i for i in ids if i is not None}
    return list(session.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []


def _timeline(session: Session, item: Case) -> list[TimelineEntry]:
    events: list[AuditEvent] = timeline(session, item)
    names = actor_names(session, events)
    return [TimelineEntry(e.at, e.action, names.get(e.actor, e.actor), dict(e.details)) for e in events]
