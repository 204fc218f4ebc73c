"""What a resident may ask of a report by reference: its status (with the panel's last answer
when it is their own), and to rate the answer. Look-ups are counted per reporter, so a number
cannot walk the space of references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.crypto.sealing import open_message, report_key
from storage.intake.identity import reporter_pseudonym
from storage.intake.reports import find_reporter, public_status, rate_report, report_by_ref
from storage.models import Message, Report
from storage.reporter_texts import reporter_language
from storage.request_limits import count_request

LOOKUP_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Lookup:
    """A report's status; `answer` (the panel's last reply) and `language` (the one to write
    to its reporter in) are given only to the reporter who made it."""

    ref: str
    status: str
    answer: str | None = None
    language: str | None = None


class Unanswered(Enum):
    """Why a look-up tells nothing: no report has the reference, or the number has made its
    look-ups for the hour. Neither says whether the reference exists for someone else."""

    NOT_FOUND = "not_found"
    TOO_MANY = "too_many"


class Rating(Enum):
    RATED = "rated"
    NOT_YOURS = "not_yours"
    NOT_ANSWERED = "not_answered"


def look_up(
    session: Session, keys: KeyRing, pepper: bytes, sender: str, ref: str | None, per_hour: int
) -> Lookup | Unanswered:
    """Count one look-up by this number, then give the status of the report with this
    reference, and the panel's last reply if the asker made the report."""
    # The caller column holds 64 characters; 48 of the pseudonym's hex still never collide.
    caller = f"lookup:{reporter_pseudonym(pepper, sender)[:48]}"
    if not count_request(session, caller, per_hour, window=LOOKUP_WINDOW).allowed:
        return Unanswered.TOO_MANY
    report = report_by_ref(session, ref) if ref else None
    if report is None:
        return Unanswered.NOT_FOUND
    reporter = find_reporter(session, pepper, sender)
    if reporter is None or reporter.id != report.reporter_id:
        return Lookup(report.ref, public_status(report))
    answer = last_answer(session, keys, report)
    return Lookup(report.ref, public_status(report), answer, reporter_language(report))


def last_answer(session: Session, keys: KeyRing, report: Report) -> str | None:
    """The panel's last reply on the report, or None if it has none or its text was erased."""
    if report.wrapped_key is None:
        return None
    query = (
        select(Message)
        .where(Message.report_id == report.id, Message.author == "panel")
        .order_by(Message.created_at.desc())
        .limit(1)
    )
    message = session.scalar(query)
    return open_message(report_key(keys, report), message) if message else None


def rate_answer(session: Session, pepper: bytes, sender: str, ref: str, score: int) -> Rating:
    """Keep the reporter's rating of the panel's answer; a report not yet answered (replied to
    or resolved) has nothing to rate, and nothing is kept."""
    report = report_by_ref(session, ref)
    reporter = find_reporter(session, pepper, sender)
    if report is None or reporter is None or report.reporter_id != reporter.id:
        return Rating.NOT_YOURS
    case = report.case
    if case is None or (case.first_response_at is None and case.resolved_at is None):
        return Rating.NOT_ANSWERED
    rate_report(session, pepper, sender, ref, score)
    return Rating.RATED
