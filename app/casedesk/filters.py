"""The queue's query string, as the web queue and the API both take it: filters, search,
sort and page. Anything it cannot use is a QueryError that says why (a 400): a ward or a panel
the filters cannot name included, rather than a list that is empty for no reason shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from werkzeug.datastructures import MultiDict

from storage.casework.queue import (
    ASSIGNEES,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORTS,
    STATUSES,
    UNKNOWN_WARD,
    CaseFilters,
)
from storage.casework.search import search_terms
from storage.inputs import InputError
from storage.intake.identity import canonical_reference
from storage.typed_values import utc_moment, whole_number, yes_or_no
from storage.wording import N_, RefusalError, Words, word
from triage.taxonomy import CATEGORIES, URGENCIES

MAX_SEARCH_CHARS = 200
MAX_PAGE = 1_000_000
# With no status asked for, the web queue shows the work still to do (not resolved); the API,
# a collection that integrations and auditors' tools count, lists every case.
API_DEFAULT_STATUS = "all"


class QueryError(RefusalError, ValueError):
    """A query argument the queue cannot use; the message says which and why."""


@dataclass(frozen=True)
class FilterChoices:
    """What the ward and panel filters may name: the gazetteer's wards, and the panels whose
    cases the reader may see, each as (key, name, name in Kiswahili)."""

    wards: tuple[str, ...]
    panels: tuple[tuple[str, str, str], ...]

    @property
    def panel_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.panels)


@dataclass(frozen=True)
class QueueQuery:
    filters: CaseFilters
    page: int
    per_page: int


def queue_query(
    args: MultiDict[str, str], choices: FilterChoices, *, default_status: str | None
) -> QueueQuery:
    """`default_status` applies when none is given: None (not resolved) or "all"."""
    text, ref = _search(args.get("q")), _reference(args.get("ref"))
    typed_ref = canonical_reference(text) if text else None
    if typed_ref:
        text, ref = None, typed_ref
    filters = CaseFilters(
        status=_one_of(args, "status", (*STATUSES, "all", "received")) or default_status,
        category=_one_of(args, "category", CATEGORIES),
        urgency=_one_of(args, "urgency", URGENCIES),
        ward=_ward(args, choices.wards),
        panel=_one_of(args, "panel", choices.panel_keys),
        overdue=_yes(args, "overdue"),
        since=_since(args.get("since")),
        assignee=_one_of(args, "assignee", ASSIGNEES),
        possible_emergency=_yes(args, "possible_emergency"),
        ref=ref,
        text=text,
        sort=_one_of(args, "sort", SORTS) or "urgency",
    )
    page = _number(args, "page", 1, MAX_PAGE)
    return QueueQuery(filters, page, _number(args, "per_page", PAGE_SIZE, MAX_PAGE_SIZE))


def _one_of(args: MultiDict[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    value = args.get(name) or None
    if value is not None and value not in allowed:
        raise QueryError(
            N_("%(field)s must be one of %(choices)s"),
            field=word("field", name),
            choices=Words("value", allowed),
        )
    return value


def _ward(args: MultiDict[str, str], wards: tuple[str, ...]) -> str | None:
    """A ward as the gazetteer spells it, typed in any case; "unknown" for cases with none."""
    value = (args.get("ward") or "").strip()
    if not value:
        return None
    named = {ward.casefold(): ward for ward in (*wards, UNKNOWN_WARD)}
    if value.casefold() not in named:
        raise QueryError(
            N_("%(field)s must be one of %(choices)s"),
            field=word("field", "ward"),
            choices=Words("value", tuple(named.values())),
        )
    return named[value.casefold()]


def _search(value: str | None) -> str | None:
    """The search as typed; None when it asks for nothing (blank, or quotes alone)."""
    text = (value or "").strip()
    if "\x00" in text or len(text) > MAX_SEARCH_CHARS:
        raise _too_long("q", MAX_SEARCH_CHARS)
    return text if search_terms(text) else None


def _reference(value: str | None) -> str | None:
    if not value:
        return None
    ref = canonical_reference(value)
    if ref is None:
        raise QueryError(N_("%(field)s must be a case reference like K7F-3QX"), field=word("field", "ref"))
    return ref


def _yes(args: MultiDict[str, str], name: str) -> bool:
    value = args.get(name)
    if not value:
        return False
    try:
        return yes_or_no(value, name)
    except InputError as error:
        raise QueryError(error.wording) from None


def _number(args: MultiDict[str, str], name: str, default: int, largest: int) -> int:
    value = args.get(name)
    if not value:
        return default
    try:
        return whole_number(value, name, largest)
    except InputError as error:
        raise QueryError(error.wording) from None


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return utc_moment(value, "since")
    except InputError as error:
        raise QueryError(error.wording) from None


def _too_long(name: str, limit: int) -> QueryError:
    return QueryError(
        N_("%(field)s must be at most %(limit)d plain characters"), field=word("field", name), limit=limit
    )
