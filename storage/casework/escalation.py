"""Actions that restart a case's SLA clock: escalating it (one step more urgent, the panel's
leads told, to the fallback panel only when the person asks) and reopening a resolved case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.casework.actions import CaseworkError, Done, audit_case, move, seal_note
from storage.casework.notices import notify_staff, panel_leads
from storage.casework.sla import FALLBACK, LEAD, bring_deadlines_forward, move_deadlines
from storage.crypto import KeyRing
from storage.models import Case, Panel, User, utcnow
from storage.wording import N_

DueTimes = Callable[[str, datetime], tuple[datetime, datetime]]


def escalate(
    session: Session,
    keys: KeyRing,
    user: User,
    case: Case,
    reason: str,
    urgencies: Sequence[str],
    due_at: DueTimes,
    fallback: Panel | None = None,
) -> Done:
    """Raise the urgency one step (`urgencies` most severe first), bring each deadline forward to
    that urgency's counted from now (never later than it was), and tell the leads of the panel
    that then has the case; with `fallback`, move it there too. The reason is kept sealed."""
    note = seal_note(session, keys, user, case, reason, "escalation_reason")
    report = case.report
    before = report.urgency
    report.urgency, now = one_step_up(before, urgencies), utcnow()
    bring_deadlines_forward(case, due_at(report.urgency, now), now, now)
    details: dict[str, object] = {"from_urgency": before, "to_urgency": report.urgency, "note": str(note.id)}
    if fallback is not None:
        details["from_panel"] = move(session, user, case, fallback, note, escalation=True).key
        details["to_panel"] = fallback.key
    case.escalation_level = max(case.escalation_level, FALLBACK if fallback is not None else LEAD)
    details["level"] = case.escalation_level
    audit_case(session, user, case, "case.escalated", **details)
    leads = [lead for lead in panel_leads(session, case.panel) if lead.id != user.id]
    subject = f"Case {report.ref} was escalated to {report.urgency} urgency and needs you"
    notify_staff(session, leads, "case.escalated", subject, case.id)
    return Done()


def reopen(session: Session, keys: KeyRing, user: User, case: Case, reason: str, due_at: DueTimes) -> Done:
    """Take a resolved case up again: back to where it stood before it was resolved, its
    outcome cleared and its resolution clock restarted from now. The reason is kept sealed."""
    note = seal_note(session, keys, user, case, reason, "reopen_reason")
    outcome, now = case.outcome, utcnow()
    _take_up_again(case, due_at(case.report.urgency or "normal", now), now)
    audit_case(session, user, case, "case.reopened", outcome=outcome, status=case.status, note=str(note.id))
    return Done()


def reopen_for_reporter(session: Session, case: Case) -> None:
    """The reporter wrote to their resolved case: it goes back to the panel as `reopen` would
    take it, with as long to resolve as its urgency gives."""
    outcome, now = case.outcome, utcnow()
    resolve_due = now + timedelta(seconds=case.resolve_within)
    _take_up_again(case, (case.acknowledge_due_at, resolve_due), now)
    audit.record(
        session,
        "case.reopened",
        subject=f"case:{case.id}",
        details={"ref": case.report.ref, "panel": case.panel.key, "outcome": outcome, "status": case.status},
    )


def fallback_panel(session: Session, key: str, case: Case) -> Panel:
    """The panel the routing rules send what no rule takes, unless the case is already there."""
    panel = session.scalars(select(Panel).where(Panel.key == key)).one()
    if panel.id == case.panel_id:
        raise CaseworkError(N_("the case is already on the fallback panel"))
    return panel


def one_step_up(urgency: str | None, urgencies: Sequence[str]) -> str:
    """The next more severe urgency; the most severe stays as it is."""
    index = urgencies.index(urgency) if urgency in urgencies else len(urgencies) - 1
    return urgencies[max(index - 1, 0)]


def _take_up_again(case: Case, due: tuple[datetime, datetime], now: datetime) -> None:
    move_deadlines(case, due, now, now)
    case.status = "responded" if case.first_response_at else "acknowledged"
    case.resolved_at, case.outcome, case.resolve_due_at = None, None, due[1]
