"""The queue as the desk shows it: one page of the cases a person may see, filtered, searched
and sorted, each with its excerpt; the same list as CSV; one action done to many cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.orm import Session

import triage
from app.casedesk.filters import FilterChoices
from app.casedesk.inputs import check_input
from app.casedesk.summary import TAXONOMY, CaseSummary, sla_due_at, summarise
from app.context import transaction
from app.csv_export import csv_text
from app.signin import StaffMember
from storage import audit
from storage.casework.actions import record_view
from storage.casework.queries import colleagues, find_case
from storage.casework.queue import (
    PAGE_SIZE,
    CaseFilters,
    QueuePage,
    queue_page,
    visible_panels,
)
from storage.casework.registry import (
    ActionContext,
    BulkOutcome,
    bulk_actions,
    known_action,
    may_in_bulk,
    not_permitted,
    perform_in_bulk,
)
from storage.casework.search import Redaction
from storage.models import Case, User
from storage.wording import N_, Wording
from triage.places import default_gazetteer
from triage.redaction import EMAIL, ID_NUMBER, NAME, PHONE
from triage.taxonomy import URGENCIES
from workers.runtime import current

MAX_EXPORT = 10_000
MAX_BULK = 200
CSV_COLUMNS = (
    "ref",
    "status",
    "category",
    "urgency",
    "possible_emergency",
    "ward",
    "panel",
    "assignee",
    "received_at",
    "acknowledged_at",
    "first_response_at",
    "resolved_at",
    "due_at",
    "overdue",
    "escalation_level",
    "outcome",
)
REDACTION = Redaction(triage.redact, (PHONE, ID_NUMBER, EMAIL, NAME))


@dataclass(frozen=True)
class QueueRow:
    summary: CaseSummary
    excerpt: str | None


@dataclass(frozen=True)
class BulkChoices:
    """What a person may do to many cases at once, and to whom they may assign them."""

    actions: list[str]
    assignees: list[str]


@dataclass(frozen=True)
class QueueListing:
    rows: list[QueueRow]
    total: int
    page: int
    per_page: int
    pages: int


def queue(
    member: StaffMember, filters: CaseFilters, page: int = 1, per_page: int = PAGE_SIZE
) -> QueueListing:
    """One page of the queue. Each excerpt shown is audited as a view of its case; a search is
    audited once, with how many cases matched (never what was searched for)."""
    with transaction() as session:
        user = session.get_one(User, member.id)
        found = _page(session, user, filters, page, per_page)
        if filters.text:
            audit.record(session, "cases.searched", actor=f"user:{user.id}", details={"matched": found.total})
        rows = []
        for item in found.cases:
            excerpt = found.excerpts.get(item.id)
            if excerpt is not None:
                record_view(session, user, item, with_text=True, listed=True)
            rows.append(QueueRow(summarise(item), excerpt))
        return QueueListing(rows, found.total, found.number, found.size, found.pages)


def queue_csv(member: StaffMember, filters: CaseFilters) -> str:
    """Every case of the filtered queue as CSV: metadata only, never text. Audited."""
    with transaction() as session:
        user = session.get_one(User, member.id)
        found = _page(session, user, filters, 1, MAX_EXPORT, with_excerpts=False)
        audit.record(session, "cases.exported", actor=f"user:{user.id}", details={"cases": len(found.cases)})
        return csv_text(CSV_COLUMNS, [_csv_cells(summarise(item)) for item in found.cases])


def filter_choices(member: StaffMember) -> FilterChoices:
    """The wards and panels this person's queue filters may name."""
    with transaction() as session:
        user = session.get_one(User, member.id)
        panels = tuple((p.key, p.name, p.name_sw) for p in visible_panels(session, user))
    return FilterChoices(tuple(default_gazetteer().wards), panels)


def bulk_choices(member: StaffMember) -> BulkChoices:
    with transaction() as session:
        user = session.get_one(User, member.id)
        actions = [action.name for action in bulk_actions(user)]
        return BulkChoices(actions, [u.email for u in colleagues(session, user)] if actions else [])


def bulk_act(member: StaffMember, refs: list[str], action: str, fields: Mapping[str, object]) -> BulkOutcome:
    """Do one action to each of the cases named; each case checked, done and audited on its own.
    A value no form sends is refused for all of them at once, before any is looked at."""
    known_action(action)
    wanted = list(dict.fromkeys(ref.strip().upper() for ref in refs if ref.strip()))[:MAX_BULK]
    with transaction() as session:
        user = session.get_one(User, member.id)
        if not may_in_bulk(user, action):
            raise not_permitted(user, action, bulk=True)
        check_input(session, user, action, fields, TAXONOMY)
        found: list[Case] = [item for ref in wanted if (item := find_case(session, user, ref)) is not None]
        keys, fallback = current().store.keys, current().routing.fallback
        contexts = [
            ActionContext(session, keys, user, item, TAXONOMY, sla_due_at, fallback) for item in found
        ]
        outcome = perform_in_bulk(contexts, action, fields)
        known = {item.report.ref for item in found}
        outcome.refused += [(ref, Wording(N_("no such case"))) for ref in wanted if ref not in known]
    for outbound_id in outcome.outbound_ids:
        current().dispatcher.enqueue_notify(outbound_id)
    return outcome


def _page(
    session: Session, user: User, filters: CaseFilters, page: int, size: int, *, with_excerpts: bool = True
) -> QueuePage:
    keys = current().store.keys
    return queue_page(
        session, keys, user, filters, URGENCIES, REDACTION, page, size, with_excerpts=with_excerpts
    )


def _csv_cells(summary: CaseSummary) -> list[str]:
    values = asdict(summary)
    return ["" if values[name] is None else _plain(values[name]) for name in CSV_COLUMNS]


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)
