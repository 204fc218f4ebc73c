"""A case as the desk shows it, in the queue, on its page and in the API: plain values read
from the case inside its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

import triage
from app.signin import StaffMember
from storage.casework.fields import Taxonomy
from storage.casework.queries import find_case, is_overdue, next_deadline
from storage.models import Case, User
from storage.retention import is_erased
from triage.taxonomy import CATEGORIES, URGENCIES
from workers.runtime import current

TAXONOMY = Taxonomy(CATEGORIES, URGENCIES)


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
    panel_id: int
    panel_name: str
    panel_name_sw: str
    received_at: datetime
    acknowledged_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    due_at: datetime | None
    overdue: bool
    escalation_level: int
    outcome: str | None
    rating: int | None
    assignee: str | None
    possible_emergency: bool | None
    needs_translation: bool
    needs_human_review: bool
    reporter_reachable: bool
    text_erased: bool


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
        panel_id=item.panel_id,
        panel_name=item.panel.name,
        panel_name_sw=item.panel.name_sw,
        received_at=report.received_at,
        acknowledged_at=item.acknowledged_at,
        first_response_at=item.first_response_at,
        resolved_at=item.resolved_at,
        due_at=next_deadline(item),
        overdue=is_overdue(item),
        escalation_level=item.escalation_level,
        outcome=item.outcome,
        rating=report.rating,
        assignee=item.assignee.email if item.assignee else None,
        possible_emergency=report.possible_emergency,
        needs_translation=report.needs_translation,
        needs_human_review=report.needs_human_review,
        reporter_reachable=report.reporter_reachable,
        text_erased=is_erased(report),
    )


def sla_due_at(urgency: str, received_at: datetime) -> tuple[datetime, datetime]:
    """The deadlines of the SLA policy this app runs with."""
    return triage.due_at(urgency, received_at, current().sla)


def load_case(session: Session, member: StaffMember, ref: str) -> tuple[User, Case]:
    user = session.get_one(User, member.id)
    item = find_case(session, user, ref)
    if item is None:
        raise CaseNotFoundError(ref)
    return user, item
