"""Cases that likely report the same incident: finding recent candidates, recording the link,
and reading it back as the viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.accounts import User
from storage.casework_queries import aware, find_case
from storage.crypto import DecryptionError, KeyRing
from storage.models import Case, Message, Report
from storage.sealing import open_message, report_key

CANDIDATE_LIMIT = 5


@dataclass(frozen=True)
class Candidate:
    """A recent case in the same ward and category, with its first message decrypted."""

    case_id: int
    text: str
    category: str
    ward: str
    received_at: datetime


def _candidates_statement() -> Select[int, Report, Message]:
    """Built once with bound parameters: triage runs this for every report.

    Limited before the joins, so a busy ward costs one short walk along the index. Only a
    triaged report has a category, and every triaged report has a case."""
    recent = (
        select(Report.id)
        .where(
            Report.ward == bindparam("ward"),
            Report.category == bindparam("category"),
            Report.received_at.between(bindparam("since"), bindparam("until")),
            Report.id != bindparam("report_id"),
            Report.reporter_id != bindparam("reporter_id"),
        )
        .order_by(Report.received_at)
        .limit(bindparam("limit"))
        .subquery()
    )
    in_thread = aliased(Message)
    first_message = (
        select(in_thread.id)
        .where(in_thread.report_id == Report.id)
        .order_by(in_thread.created_at)
        .limit(1)
        .correlate(Report)
        .scalar_subquery()
    )
    return (
        select(Case.id, Report, Message)
        .join(Case.report)
        .join(recent, recent.c.id == Report.id)
        .join(Message, Message.id == first_message)
        .order_by(Report.received_at, Case.id)
    )


_CANDIDATES = _candidates_statement()


def duplicate_candidates(
    session: Session, keys: KeyRing, report: Report, window: timedelta, limit: int = CANDIDATE_LIMIT
) -> list[Candidate]:
    """Other people's cases in the report's ward and category received within ``window`` of
    it, oldest first, at most ``limit``; empty when the report has no ward or category.

    A repeat from the same reporter is left out: a link tells a panel that someone else
    saw the same thing."""
    if report.ward is None or report.category is None:
        return []
    rows = session.execute(
        _CANDIDATES,
        {
            "ward": report.ward,
            "category": report.category,
            "since": report.received_at - window,
            "until": report.received_at + window,
            "report_id": report.id,
            "reporter_id": report.reporter_id,
            "limit": limit,
        },
    )
    found = []
    for case_id, other, message in rows:
        try:
            text = open_message(report_key(keys, other), message)
        except DecryptionError:
            continue
        found.append(Candidate(case_id, text, report.category, report.ward, aware(other.received_at)))
    return found


def link_duplicate(session: Session, case: Case, duplicate_of_id: int) -> None:
    """Record that ``case`` likely reports the same incident as case ``duplicate_of_id``."""
    case.duplicate_of_id = duplicate_of_id
    audit.record(
        session,
        "case.duplicate_linked",
        subject=f"case:{case.id}",
        details={"case": case.id, "duplicate_of": duplicate_of_id},
    )


def duplicate_of_ref(session: Session, user_id: int, ref: str) -> str | None:
    """The reference of the case this one likely duplicates, if this user may open both."""
    user = session.get_one(User, user_id)
    item = find_case(session, user, ref)
    if item is None or item.duplicate_of_id is None:
        return None
    other_ref = session.scalar(select(Report.ref).join(Report.case).where(Case.id == item.duplicate_of_id))
    if other_ref is None or find_case(session, user, other_ref) is None:
        return None
    return other_ref
