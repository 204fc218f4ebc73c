"""The panel desk as the web pages and the API share it: the queue, a case, and actions on
cases, each in its own transaction, then any SMS queued for sending."""

from app.casedesk.case import CaseDetail, TimelineEntry, act, case_detail
from app.casedesk.inputs import MalformedInputError, UnknownActionError
from app.casedesk.listing import (
    BulkChoices,
    QueueListing,
    QueueRow,
    bulk_act,
    bulk_choices,
    filter_choices,
    queue,
    queue_csv,
)
from app.casedesk.summary import TAXONOMY, CaseNotFoundError, CaseSummary, sla_due_at, summarise
from storage.casework.actions import (
    CaseworkError,
    ChangedMeanwhileError,
    NotPermittedError,
    ReporterUnreachableError,
)

__all__ = [
    "TAXONOMY",
    "BulkChoices",
    "CaseDetail",
    "CaseNotFoundError",
    "CaseSummary",
    "CaseworkError",
    "ChangedMeanwhileError",
    "MalformedInputError",
    "NotPermittedError",
    "QueueListing",
    "QueueRow",
    "ReporterUnreachableError",
    "TimelineEntry",
    "UnknownActionError",
    "act",
    "bulk_act",
    "bulk_choices",
    "case_detail",
    "filter_choices",
    "queue",
    "queue_csv",
    "sla_due_at",
    "summarise",
]
