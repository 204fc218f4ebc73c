"""Open cases let go by someone who can no longer work them: taken off a panel, they hold none
of its open cases; deactivated, none at all. Each case left is audited and becomes nobody's,
so it shows among the unassigned, where a lead gives it to someone who can open it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage import audit
from storage.casework.registry import OPEN_STATUSES
from storage.models import Case, Panel, User


def let_go_of_open_cases(
    session: Session, actor: str, person: User, because: str, panel: Panel | None = None
) -> int:
    """Unassign `person` from their open cases (on `panel` only, if given); `because` names the
    change that ended their access. Returns how many cases they held."""
    statement = (
        select(Case)
        .options(joinedload(Case.report), joinedload(Case.panel))
        .where(Case.assigned_user_id == person.id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.id)
    )
    if panel is not None:
        statement = statement.where(Case.panel_id == panel.id)
    held = list(session.scalars(statement).unique())
    for case in held:
        case.assignee = None
        audit.record(
            session,
            "case.assigned",
            actor=actor,
            subject=f"case:{case.id}",
            details={
                "ref": case.report.ref,
                "panel": case.panel.key,
                "assignee": None,
                "unassigned": f"user:{person.id}",
                "because": because,
            },
        )
    return len(held)
