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
from storage.intake.reports import (
    public_status,
    rate_report,
    report_by_ref,
    reporter_by_pseudonym,
    reporters_report,
)
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
    pseudonym = reporter_pseudonym(pepper, sender)
    # The caller column holds 64 characters; 48 of the pseudonym's hex still never collide.
    caller = f"lookup:{pseudonym[:48]}"
    if not count_request(session, caller, per_hour, window=LOOKUP_WINDOW).allowed:
        return Unanswered.TOO_MANY
    report = report_by_ref(session, ref) if ref else None
    if report is None:
        return Unanswered.NOT_FOUND
    reporter = reporter_by_pseudonym(session, pseudonym)
    if reporter is None or reporter.id != report.reporter_id:
        return Lookup(report.ref, public_status(report))
    answer = last_answer(session, keys, report)
    if answer is not None and _written_since_answer(session, report):
        # The answer is to what came before: the panel has the newer message to read.
        return Lookup(report.ref, "followed_up", None, reporter_language(report))
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


def _written_since_answer(session: Session, report: Report) -> bool:
    """Whether the reporter wrote after the panel's last answer, on a case still open."""
    if report.case is None or report.case.resolved_at is not None:
        return False
    latest = session.scalar(
        select(Message.author)
        .where(Message.report_id == report.id)
        .order_by(Message.created_at.desc())
        .limit(1)
    )
    return latest == "reporter"


def rate_answer(session: Session, pepper: bytes, sender: str, ref: str, score: int) -> Rating:
    """Keep the reporter's rating of the panel's answer; a report not yet answered (replied to
    or resolved) has nothing to rate, and nothing is kept."""
    return _rate(session, reporters_report(session, pepper, sender, ref), score)


def rate_if_answered(session: Session, pepper: bytes, sender: str, ref: str, score: int) -> str | None:
    """As `rate_answer`, for a score sent after a reference with no keyword: kept only when the
    panel has answered. The language to thank the reporter in, or None when nothing was kept."""
    report = reporters_report(session, pepper, sender, ref)
    if report is None or _rate(session, report, score) is not Rating.RATED:
        return None
    return reporter_language(report)


def _rate(session: Session, report: Report | None, score: int) -> Rating:
    if report is None:
        return Rating.NOT_YOURS
    case = report.case
    if case is None or (case.first_response_at is None and case.resolved_at is None):
        return Rating.NOT_ANSWERED
    rate_report(session, report, score)
    return Rating.RATED
