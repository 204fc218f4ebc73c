"""The queue's query string, as the web queue and the API both take it: filters, search,
sort and page. Anything it cannot use is a QueryError that says why (a 400)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from werkzeug.datastructures import MultiDict

from storage.casework.queue import ASSIGNEES, MAX_PAGE_SIZE, PAGE_SIZE, SORTS, STATUSES, CaseFilters
from storage.inputs import InputError
from storage.intake.identity import canonical_reference
from storage.typed_values import utc_moment, whole_number
from storage.wording import N_, RefusalError, Words, word
from triage.taxonomy import CATEGORIES, URGENCIES

MAX_SEARCH_CHARS = 200
MAX_PAGE = 1_000_000
YES = ("1", "true", "on")


class QueryError(RefusalError, ValueError):
    """A query argument the queue cannot use; the message says which and why."""


@dataclass(frozen=True)
class QueueQuery:
    filters: CaseFilters
    page: int
    per_page: int


def queue_query(args: MultiDict[str, str], *, default_status: str | None) -> QueueQuery:
    """`default_status` applies when none is given: None (not resolved) or "all"."""
    text, ref = _search(args.get("q")), _reference(args.get("ref"))
    typed_ref = canonical_reference(text) if text else None
    if typed_ref:
        text, ref = None, typed_ref
    filters = CaseFilters(
        status=_one_of(args, "status", (*STATUSES, "all", "received")) or default_status,
        category=_one_of(args, "category", CATEGORIES),
        urgency=_one_of(args, "urgency", URGENCIES),
        ward=_plain(args, "ward", 64),
        panel=_plain(args, "panel", 64),
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
            choices=Words("key", allowed),
        )
    return value


def _plain(args: MultiDict[str, str], name: str, limit: int) -> str | None:
    value = (args.get(name) or "").strip()
    if "\x00" in value or len(value) > limit:
        raise _too_long(name, limit)
    return value or None


def _search(value: str | None) -> str | None:
    text = (value or "").strip()
    if "\x00" in text or len(text) > MAX_SEARCH_CHARS:
        raise _too_long("q", MAX_SEARCH_CHARS)
    return text or None


def _reference(value: str | None) -> str | None:
    if not value:
        return None
    ref = canonical_reference(value)
    if ref is None:
        raise QueryError(N_("%(field)s must be a case reference like K7F-3QX"), field=word("field", "ref"))
    return ref


def _yes(args: MultiDict[str, str], name: str) -> bool:
    value = args.get(name) or ""
    if value and value not in (*YES, "0", "false"):
        raise QueryError(N_("%(field)s must be 1 or 0"), field=word("field", name))
    return value in YES


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
