"""SLA clocks that act: a case past a deadline is marked overdue and escalated, first to its
panel's lead, then to the fallback panel. Each step is written to the audit log once.

A case escalates to its panel lead the moment it misses a deadline (acknowledge or resolve),
and moves to the fallback panel when it has been late for as long again as it was given:
a critical case not acknowledged within 15 minutes reaches the lead at 15 minutes and the
fallback panel at 30."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, joinedload

from storage import audit
from storage.casework.notices import admins, notify_staff, panel_leads
from storage.models import Case, Panel, Report, StaffNotice

LEAD, FALLBACK = 1, 2
SWEEP_BATCH = 500


@dataclass
class SweepResult:
    """What one batch of a sweep changed: cases newly overdue (their reporters are to be told)
    and the escalation steps taken, as (case id, level); and the case id the next batch starts
    after, None when no late case is left."""

    overdue: list[Case] = field(default_factory=list)
    escalations: list[tuple[int, int]] = field(default_factory=list)
    notices: list[StaffNotice] = field(default_factory=list)
    next_after: int | None = None


def missed_deadline(case: Case, now: datetime) -> tuple[str, datetime] | None:
    """The deadline a still-open case is late for right now, if any."""
    if case.resolved_at is not None:
        return None
    if case.acknowledged_at is None and case.acknowledge_due_at <= now:
        return "acknowledge", case.acknowledge_due_at
    if case.resolve_due_at <= now:
        return "resolve", case.resolve_due_at
    return None


def _step_missed(case: Case, step: str) -> bool:
    """Whether a deadline of this step ("acknowledge" or "resolve") has already been missed."""
    return case.acknowledge_missed if step == "acknowledge" else case.resolve_missed


def move_deadlines(case: Case, due: tuple[datetime, datetime], start: datetime, now: datetime) -> None:
    """Give the steps not yet done new deadlines, `due` (acknowledge, resolve) as counted from
    `start`. A deadline that already passed stays missed: moving it never makes its step on
    time."""
    if (case.acknowledged_at or now) > case.acknowledge_due_at:
        _mark_missed(case, "acknowledge")
    if (case.resolved_at or now) > case.resolve_due_at:
        _mark_missed(case, "resolve")
    if case.acknowledged_at is None:
        case.acknowledge_due_at = due[0]
    if case.resolved_at is None:
        case.resolve_due_at = due[1]
    case.resolve_within = int((due[1] - start).total_seconds())


def bring_deadlines_forward(
    case: Case, due: tuple[datetime, datetime], start: datetime, now: datetime
) -> None:
    """`move_deadlines` for a case made more urgent (escalated, raised): each step not yet done
    keeps its own deadline or takes the one in `due`, whichever comes first. More urgency never
    means more time, so raising a case again and again cannot keep it from going overdue."""
    sooner = (min(case.acknowledge_due_at, due[0]), min(case.resolve_due_at, due[1]))
    move_deadlines(case, sooner, start, now)


def escalation_due(case: Case, now: datetime) -> int:
    """The escalation level a case should have reached at ``now``."""
    missed = missed_deadline(case, now)
    if missed is None:
        return 0
    _, deadline = missed
    allowed = deadline - case.opened_at
    return FALLBACK if now >= deadline + allowed else LEAD


def sweep_overdue(session: Session, fallback_panel: str, now: datetime, after: int = 0) -> SweepResult:
    """Mark late cases overdue and take every escalation step they are due, once each: one
    batch of the late cases with an id above `after`. Most late cases wait for a later step, so
    a sweep goes on from `result.next_after` until it is None, or newer cases are never reached."""
    result = SweepResult()
    late = _late_cases(session, now, after)
    if len(late) == SWEEP_BATCH:
        result.next_after = late[-1].id
    for case in late:
        missed = missed_deadline(case, now)
        if missed is None:
            continue
        if not _step_missed(case, missed[0]):
            _mark_overdue(session, case, missed[0])
            result.overdue.append(case)
        for level in range(case.escalation_level + 1, escalation_due(case, now) + 1):
            result.notices += _escalate(session, case, level, fallback_panel)
            result.escalations.append((case.id, level))
    return result


def unmarked_late_cases(session: Session, before: datetime) -> tuple[int, datetime | None]:
    """How many open cases missed a deadline before `before` and are not marked overdue for it,
    and the earliest such deadline: the sweep is not running, or not reaching them."""
    acknowledge = _unmarked_acknowledge(before)
    deadline = sql_case((acknowledge, Case.acknowledge_due_at), else_=Case.resolve_due_at)
    count, oldest = session.execute(
        select(func.count(), func.min(deadline)).where(
            Case.resolved_at.is_(None), acknowledge | _unmarked_resolve(before)
        )
    ).one()
    return count, oldest


def _unmarked_acknowledge(before: datetime) -> ColumnElement[bool]:
    return (
        Case.acknowledged_at.is_(None)
        & (Case.acknowledge_due_at <= before)
        & Case.acknowledge_missed.is_(False)
    )


def _unmarked_resolve(before: datetime) -> ColumnElement[bool]:
    """Late to resolve, not marked: a case not yet acknowledged is late to acknowledge first."""
    return (
        Case.acknowledged_at.is_not(None) & (Case.resolve_due_at <= before) & Case.resolve_missed.is_(False)
    )


def _late_cases(session: Session, now: datetime, after: int) -> list[Case]:
    statement = (
        select(Case)
        .where(
            Case.id > after,
            Case.resolved_at.is_(None),
            or_(
                Case.acknowledged_at.is_(None)
                & (Case.acknowledge_due_at <= now)
                & ((Case.escalation_level < FALLBACK) | Case.acknowledge_missed.is_(False)),
                (Case.resolve_due_at <= now)
                & ((Case.escalation_level < FALLBACK) | Case.resolve_missed.is_(False)),
            ),
        )
        .options(joinedload(Case.report), joinedload(Case.panel))
        .order_by(Case.id)
        .limit(SWEEP_BATCH)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=Case)
    return list(session.scalars(statement).unique())


def _mark_missed(case: Case, step: str) -> None:
    case.overdue = True
    case.late_panel_id = case.late_panel_id or case.panel_id
    if step == "acknowledge":
        case.acknowledge_missed = True
    else:
        case.resolve_missed = True


def _mark_overdue(session: Session, case: Case, deadline: str) -> None:
    _mark_missed(case, deadline)
    audit.record(
        session,
        "case.overdue",
        subject=_subject(case.report),
        details={"case": case.id, "panel": case.panel.key, "deadline": deadline},
    )


def _escalate(session: Session, case: Case, level: int, fallback_key: str) -> list[StaffNotice]:
    case.escalation_level = level
    details: dict[str, object] = {"case": case.id, "level": level, "from_panel": case.panel.key}
    if level == LEAD:
        people, details["to"] = panel_leads(session, case.panel), "panel_lead"
    else:
        fallback = session.scalars(select(Panel).where(Panel.key == fallback_key)).one()
        if fallback.id == case.panel_id:
            people, details["to"] = admins(session), "admin"
        else:
            # Nobody on the fallback panel holds it yet: the old assignee was on the late panel.
            case.panel, case.assignee = fallback, None
            people, details["to"] = panel_leads(session, fallback), "fallback_panel"
        details["panel"] = fallback.key
    audit.record(session, "case.escalated", subject=_subject(case.report), details=details)
    subject = f"Case {case.report.ref} is overdue and escalated to you (level {level})"
    return notify_staff(session, people, "case.escalated", subject, case.id)


def _subject(report: Report) -> str:
    return f"report:{report.id}"
