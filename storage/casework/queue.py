"""The queue of cases as a person may see it: filtered and sorted in SQL, searched in the
redacted text (storage.casework.search), one page at a time."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, select
from sqlalchemy.orm import Session, joinedload

from storage.casework.actions import PANEL_ROLES, NotPermittedError
from storage.casework.search import Redact, Redaction, matching_cases
from storage.crypto import DecryptionError, KeyRing, associated_data, unseal
from storage.crypto.sealing import report_key
from storage.models import Case, Message, Panel, Report, User, utcnow

STATUSES = ("open", "acknowledged", "responded", "resolved")
SORTS = ("urgency", "due", "received")
ASSIGNEES = ("me", "none")
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
EXCERPT_CHARS = 140
UNKNOWN_WARD = "unknown"
ERASED = "\N{EM DASH}"


@dataclass(frozen=True)
class CaseFilters:
    """`status` None means every case not yet resolved, "all" every case; `ward` "unknown"
    means no ward; `text` is searched in the redacted text; `ref` is a canonical reference."""

    status: str | None = None
    category: str | None = None
    urgency: str | None = None
    ward: str | None = None
    panel: str | None = None
    overdue: bool = False
    since: datetime | None = None
    assignee: str | None = None
    possible_emergency: bool = False
    ref: str | None = None
    text: str | None = None
    sort: str = "urgency"


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, the number of cases on every page together, and each listed
    case's redacted excerpt by case id (none for readers who may not read text)."""

    cases: list[Case]
    total: int
    number: int
    size: int
    excerpts: dict[int, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def queue_page(
    session: Session,
    keys: KeyRing,
    user: User,
    filters: CaseFilters,
    urgency_order: Sequence[str],
    redaction: Redaction,
    number: int = 1,
    size: int = PAGE_SIZE,
    *,
    with_excerpts: bool = True,
) -> QueuePage:
    """The `number`th page of the cases this user may see that match `filters`, with their
    excerpts when the user may read text and `with_excerpts` asks for them. A search of the
    text by someone who may not read it is refused (NotPermittedError): its matches alone
    would tell what the text says."""
    if filters.text and not may_read_text(user):
        raise NotPermittedError("only panel members and leads, who may read the text of cases, may search it")
    conditions = [visible_to(user), *_conditions(user, filters)]
    order = _order(filters.sort, urgency_order)
    offset = (number - 1) * size
    texts: dict[int, list[str]] = {}
    if filters.text:
        candidates = _ids(conditions, order)
        matching, texts = matching_cases(session, keys, candidates, conditions, filters.text, redaction)
        total, ids = len(matching), matching[offset : offset + size]
    else:
        total, ids = _counted_page(session, conditions, order, offset, size)
    cases = _load(session, ids)
    excerpts = {}
    if with_excerpts and may_read_text(user):
        excerpts = _excerpts(session, keys, cases, texts, redaction.redact)
    return QueuePage(cases, total, number, size, excerpts)


def visible_to(user: User) -> ColumnElement[bool]:
    """The cases a person may see: their panels' for panel roles, all for auditors."""
    if not user.active:
        return false()
    if user.role in PANEL_ROLES:
        return Case.panel_id.in_([panel.id for panel in user.panels])
    if user.role == "auditor":
        return Case.id.isnot(None)
    return false()


def visible_panels(session: Session, user: User) -> list[Panel]:
    """The panels whose cases `visible_to` lets a person see, by name."""
    if not user.active:
        return []
    if user.role in PANEL_ROLES:
        return sorted(user.panels, key=lambda panel: panel.name)
    if user.role == "auditor":
        return list(session.scalars(select(Panel).order_by(Panel.name)))
    return []


def may_read_text(user: User) -> bool:
    return user.active and user.role in PANEL_ROLES


def deadline_column() -> ColumnElement[datetime]:
    return case((Case.acknowledged_at.is_(None), Case.acknowledge_due_at), else_=Case.resolve_due_at)


def _conditions(user: User, filters: CaseFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.status is None:
        found.append(Case.status != "resolved")
    elif filters.status != "all":
        found.append(Case.status == filters.status)
    if filters.category:
        found.append(Report.category == filters.category)
    if filters.urgency:
        found.append(Report.urgency == filters.urgency)
    if filters.ward:
        found.append(_ward_is(filters.ward))
    if filters.panel:
        found.append(Case.panel.has(Panel.key == filters.panel))
    if filters.since:
        found.append(Report.received_at >= filters.since)
    if filters.overdue:
        found.append(and_(Case.status != "resolved", deadline_column() < utcnow()))
    if filters.assignee == "me":
        found.append(Case.assigned_user_id == user.id)
    elif filters.assignee == "none":
        found.append(Case.assigned_user_id.is_(None))
    if filters.possible_emergency:
        found.append(Report.possible_emergency.is_(True))
    if filters.ref:
        found.append(Report.ref == filters.ref)
    return found


def _ward_is(ward: str) -> ColumnElement[bool]:
    wanted = ward.strip().casefold()
    if wanted == UNKNOWN_WARD:
        return Report.ward.is_(None)
    return func.lower(Report.ward) == wanted


def _order(sort: str, urgency_order: Sequence[str]) -> list[ColumnElement[Any]]:
    if sort == "received":
        return [Report.received_at.desc(), Case.id.desc()]
    resolved_last = case((Case.status == "resolved", 1), else_=0)
    if sort == "due":
        return [resolved_last, deadline_column(), Case.id.asc()]
    # Critical first, then what may be an emergency (someone must check it now), then the rest.
    ranks = {urgency: 2 * index for index, urgency in enumerate(urgency_order)}
    rank = case(
        (Report.urgency == urgency_order[0], 0),
        (Report.possible_emergency.is_(True), 1),
        else_=case(ranks, value=Report.urgency, else_=2 * len(urgency_order)),
    )
    return [resolved_last, rank, deadline_column(), Case.id.asc()]


def _joined(statement: Select[int], conditions: Iterable[ColumnElement[bool]]) -> Select[int]:
    return statement.select_from(Case).join(Report, Report.id == Case.report_id).where(*conditions)


def _ids(conditions: list[ColumnElement[bool]], order: list[ColumnElement[Any]]) -> Select[int]:
    return _joined(select(Case.id), conditions).order_by(*order)


def _counted_page(
    session: Session,
    conditions: list[ColumnElement[bool]],
    order: list[ColumnElement[Any]],
    offset: int,
    size: int,
) -> tuple[int, list[int]]:
    """The ids on one page and the count of all, in one query; a page past the end counts
    on its own."""
    statement = _ids(conditions, order).add_columns(func.count().over()).offset(offset).limit(size)
    rows = session.execute(statement).all()
    if rows:
        return rows[0][1], [row[0] for row in rows]
    return session.scalar(_joined(select(func.count(Case.id)), conditions)) or 0, []


def _load(session: Session, ids: list[int]) -> list[Case]:
    if not ids:
        return []
    statement = (
        select(Case)
        .where(Case.id.in_(ids))
        .options(
            joinedload(Case.report).joinedload(Report.reporter),
            joinedload(Case.panel),
            joinedload(Case.assignee),
        )
    )
    by_id = {item.id: item for item in session.scalars(statement).unique()}
    return [by_id[i] for i in ids]


def _excerpts(
    session: Session, keys: KeyRing, cases: list[Case], searched: dict[int, list[str]], redact: Redact
) -> dict[int, str]:
    """The first ~140 characters of each case's first message, redacted; a dash when its key
    is gone."""
    excerpts = {}
    unread = [item for item in cases if item.id not in searched]
    firsts = _first_messages(session, [item.report for item in unread])
    for item in cases:
        if item.id in searched:
            text = searched[item.id][0]
        else:
            text = _first_text(keys, item.report, firsts.get(item.report_id), redact)
        excerpts[item.id] = _shortened(text)
    return excerpts


def _first_messages(session: Session, reports: list[Report]) -> dict[uuid.UUID, Message]:
    if not reports:
        return {}
    statement = (
        select(Message)
        .where(Message.report_id.in_([r.id for r in reports]), Message.author == "reporter")
        .order_by(Message.created_at)
    )
    firsts: dict[uuid.UUID, Message] = {}
    for message in session.scalars(statement):
        firsts.setdefault(message.report_id, message)
    return firsts


def _first_text(keys: KeyRing, report: Report, message: Message | None, redact: Redact) -> str:
    if message is None:
        return ""
    try:
        aad = associated_data("messages", message.id, "body")
        return redact(unseal(report_key(keys, report), message.body, aad))
    except DecryptionError:
        return ERASED


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_CHARS:
        return flat
    return flat[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "\N{HORIZONTAL ELLIPSIS}"
