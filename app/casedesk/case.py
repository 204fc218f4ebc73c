"""One case as the desk shows it and works it: its page (thread, notes, timeline, the actions
this person may take), one action on it, and the unredacted thread after a reveal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

import triage
from app.casedesk.inputs import check_input
from app.casedesk.summary import TAXONOMY, CaseSummary, load_case, sla_due_at, summarise
from app.context import transaction
from app.signin import StaffMember
from storage.casework import registry
from storage.casework.actions import record_view, unredacted_thread
from storage.casework.queries import NoteEntry, ThreadEntry, actor_names, notes, thread, timeline
from storage.casework.queue import may_read_text
from storage.casework.registry import ActionContext, PanelAction
from storage.casework.templates import panel_templates, template_text
from storage.models import AuditEvent, Case, Panel, User
from storage.reporter_texts import reporter_language, reporter_text
from workers.runtime import current

VIEWED = "case.viewed"


@dataclass(frozen=True)
class TimelineEntry:
    """One thing done to the case; `assignee` names whom an assignment gave it to (None: no one)."""

    at: datetime
    action: str
    actor: str
    details: dict[str, object]
    assignee: str | None = None


@dataclass(frozen=True)
class Views:
    """Every time the case was read, summed up: how often, by how many people, and each."""

    entries: list[TimelineEntry]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def people(self) -> int:
        return len({entry.actor for entry in self.entries})


@dataclass(frozen=True)
class Template:
    id: int
    title: str
    text: str


@dataclass
class CaseDetail:
    summary: CaseSummary
    text: str | None
    thread: list[ThreadEntry] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    views: Views = field(default_factory=lambda: Views([]))
    listings: int = 0
    reclassified_by: str | None = None
    authors: dict[int, str] = field(default_factory=dict)
    actions: list[PanelAction] = field(default_factory=list)
    panels: list[tuple[str, str, str | None]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    reply_prefix: str = ""
    unredacted: list[str] | None = None


def case_detail(member: StaffMember, ref: str, *, unredacted: bool = False) -> CaseDetail:
    """Everything about a case this person may see; the view itself is audited. With
    `unredacted`, the original thread too, if this person revealed it a moment ago."""
    with transaction() as session:
        user, item = load_case(session, member, ref)
        with_text = may_read_text(user)
        record_view(session, user, item, with_text=with_text)
        detail = CaseDetail(summarise(item), None)
        _add_history(session, item, detail)
        if not with_text:
            return detail
        keys = current().store.keys
        detail.thread = thread(keys, item.report, triage.redact)
        detail.text = detail.thread[0].text if detail.thread else None
        detail.notes = notes(session, keys, item)
        detail.authors = {u.id: u.email for u in _people(session, [n.author_id for n in detail.notes])}
        detail.actions = registry.available(user, item)
        detail.panels = [(p.key, p.name, p.name_sw) for p in _panels(session) if p.id != item.panel_id]
        detail.members = [(u.email, u.email) for u in _panel_members(session, item.panel_id)]
        language = reporter_language(item.report)
        detail.reply_prefix = reporter_text("reply", language, ref=item.report.ref, text="").strip()
        detail.templates = [
            Template(t.id, t.title, template_text(t, language))
            for t in panel_templates(session, item.panel_id)
        ]
        if unredacted:
            detail.unredacted = unredacted_thread(session, keys, user, item)
        return detail


def act(member: StaffMember, ref: str, action: str, fields: Mapping[str, object]) -> CaseSummary:
    """Do one action on a case; raises CaseNotFoundError, NotPermittedError or CaseworkError:
    UnknownActionError or MalformedInputError for what no form of the desk sends."""
    with transaction() as session:
        user, item = load_case(session, member, ref)
        check_input(session, user, action, fields, TAXONOMY)
        runtime = current()
        context = ActionContext(
            session, runtime.store.keys, user, item, TAXONOMY, sla_due_at, runtime.routing.fallback
        )
        done = registry.perform(context, action, fields)
        summary = summarise(item)
    for outbound_id in done.outbound_ids:
        current().dispatcher.enqueue_notify(outbound_id)
    return summary


def _add_history(session: Session, item: Case, detail: CaseDetail) -> None:
    """The timeline of what was done, the views summed up apart from it."""
    events: list[AuditEvent] = timeline(session, item)
    names = actor_names(session, events)
    entries = [
        TimelineEntry(e.at, e.action, names.get(e.actor, e.actor), dict(e.details), _assignee(names, e))
        for e in events
    ]
    detail.timeline = [e for e in entries if e.action != VIEWED]
    views = [e for e in entries if e.action == VIEWED]
    detail.views = Views([e for e in views if not e.details.get("listed")])
    detail.listings = len(views) - detail.views.count
    reclassified = [e for e in detail.timeline if e.action == "case.reclassified"]
    detail.reclassified_by = reclassified[-1].actor if reclassified else None


def _assignee(names: Mapping[str, str], event: AuditEvent) -> str | None:
    return names.get(str(event.details.get("assignee")))


def _panels(session: Session) -> list[Panel]:
    return list(session.scalars(select(Panel).where(Panel.active.is_(True)).order_by(Panel.name)))


def _panel_members(session: Session, panel_id: int) -> list[User]:
    statement = select(User).where(
        User.active.is_(True),
        User.role.in_(("panel_member", "panel_lead")),
        User.panels.any(Panel.id == panel_id),
    )
    return list(session.scalars(statement.order_by(User.email)))


def _people(session: Session, ids: list[int | None]) -> list[User]:
    wanted = {i for i in ids if i is not None}
    return list(session.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []
