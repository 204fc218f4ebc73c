"""Cases that likely report the same incident: finding recent candidates, recording the link,
and reading it back as the viewer may see it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.casework.queries import find_case
from storage.crypto import DecryptionError, KeyRing
from storage.crypto.sealing import open_message, report_key
from storage.models import Case, Message, Report, User

CANDIDATE_LIMIT = 5


@dataclass(frozen=True)
class Candidate:
    """A recent case in the same ward and category, with its first message decrypted."""

    case_id: int
    text: str
    category: str
    ward: str
    received_at: datetime


def _candidates_statement(of_one_report: bool) -> Select[int, Report, Message]:
    """Built once with bound parameters: triage runs this for every report, or for every ward
    and category among a batch of reports.

    Limited before the joins, so a busy ward costs one short walk along the index. Only a
    triaged report has a category, and every triaged report has a case."""
    conditions = [
        Report.ward == bindparam("ward"),
        Report.category == bindparam("category"),
        Report.received_at.between(bindparam("since"), bindparam("until")),
    ]
    if of_one_report:
        conditions += [Report.id != bindparam("report_id"), Report.reporter_id != bindparam("reporter_id")]
    recent = (
        select(Report.id).where(*conditions).order_by(Report.received_at).limit(bindparam("limit")).subquery()
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


_CANDIDATES = _candidates_statement(of_one_report=True)
_CANDIDATES_IN_WARD = _candidates_statement(of_one_report=False)


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
        found.append(Candidate(case_id, text, report.category, report.ward, other.received_at))
    return found


def duplicate_candidates_of_many(
    session: Session,
    keys: KeyRing,
    reports: Sequence[Report],
    window: timedelta,
    limit: int = CANDIDATE_LIMIT,
) -> dict[uuid.UUID, list[Candidate]]:
    """`duplicate_candidates` for each of several reports, with one query for each ward and
    category among them and each candidate decrypted once.

    The rows of a ward and category come oldest first, so a report that finds `limit`
    candidates among them has found its first `limit`; one that finds fewer while rows were
    left out asks on its own."""
    groups: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in reports:
        if report.ward is not None and report.category is not None:
            groups[report.ward, report.category].append(report)
    texts = _Texts(keys)
    found: dict[uuid.UUID, list[Candidate]] = {report.id: [] for report in reports}
    for (ward, category), members in groups.items():
        cap = limit * GROUP_ROWS_PER_LIMIT
        rows = session.execute(
            _CANDIDATES_IN_WARD,
            {
                "ward": ward,
                "category": category,
                "since": min(member.received_at for member in members) - window,
                "until": max(member.received_at for member in members) + window,
                "limit": cap,
            },
        ).all()
        for report in members:
            mine = [row for row in rows if _may_duplicate(report, row.Report, window)][:limit]
            if len(mine) < limit and len(rows) == cap:
                found[report.id] = duplicate_candidates(session, keys, report, window, limit)
                continue
            found[report.id] = [
                Candidate(case_id, text, category, ward, other.received_at)
                for case_id, other, message in mine
                if (text := texts.first(other, message)) is not None
            ]
    return found


# How many rows a ward and category is read for, per candidate a report may keep.
GROUP_ROWS_PER_LIMIT = 3


def _may_duplicate(report: Report, other: Report, window: timedelta) -> bool:
    return (
        other.id != report.id
        and other.reporter_id != report.reporter_id
        and report.received_at - window <= other.received_at <= report.received_at + window
    )


class _Texts:
    """First messages decrypted once each; None for a thread whose key is gone."""

    def __init__(self, keys: KeyRing) -> None:
        self.keys = keys
        self.opened: dict[uuid.UUID, str | None] = {}

    def first(self, report: Report, message: Message) -> str | None:
        if report.id not in self.opened:
            try:
                self.opened[report.id] = open_message(report_key(self.keys, report), message)
            except DecryptionError:
                self.opened[report.id] = None
        return self.opened[report.id]


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


def later_duplicate_refs(session: Session, user_id: int, ref: str) -> list[str]:
    """The references of later cases that likely report the same incident as this one, oldest
    first, as far as this user may open them."""
    user = session.get_one(User, user_id)
    item = find_case(session, user, ref)
    if item is None:
        return []
    later = session.scalars(
        select(Report.ref)
        .join(Report.case)
        .where(Case.duplicate_of_id == item.id)
        .order_by(Report.received_at)
    )
    return [other for other in later if find_case(session, user, other) is not None]
