"""What a resident may ask of a report by reference: its status (with the panel's last answer
when it is their own), and to rate the answer. Look-ups are counted per reporter, so a number
cannot walk the space of references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.crypto import KeyRing
from storage.crypto.sealing import open_message, report_key
from storage.intake.identity import reporter_pseudonym
from storage.intake.reports import (
    find_reporter,
    public_status,
    rate_report,
    report_by_ref,
    reporter_by_pseudonym,
    reporters_report,
)
from storage.models import Message, OutboundMessage, Report, Reporter, utcnow
from storage.reporter_texts import reporter_language
from storage.request_limits import count_request

LOOKUP_WINDOW = timedelta(hours=1)
# How long after a report, or the last SMS about it, thanks are taken to be about it.
THANKS_WINDOW = timedelta(days=30)


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


@dataclass(frozen=True)
class Thanked:
    """The report thanks were said of, the language to answer in, and what became of a score
    sent with them (None when there was none)."""

    ref: str
    language: str
    rating: Rating | None


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


def thank(session: Session, pepper: bytes, sender: str, score: int | None) -> Thanked | None:
    """Take thanks, with a score or none, as said of the report the number last heard about or
    made within THANKS_WINDOW; the score rates it once the panel has answered. None when the
    number has no such report: then the words are a report of their own."""
    reporter = find_reporter(session, pepper, sender)
    report = _last_heard_of(session, reporter) if reporter else None
    if report is None:
        return None
    audit.record(session, "report.thanked", subject=f"report:{report.id}")
    rating = None if score is None else _rate(session, report, score)
    return Thanked(report.ref, reporter_language(report), rating)


def _last_heard_of(session: Session, reporter: Reporter) -> Report | None:
    """The reporter's report made most recently or written about to them most recently, within
    THANKS_WINDOW: thanks answer the last SMS they had, or the report they just made."""
    since = utcnow() - THANKS_WINDOW
    made = session.execute(
        select(Report.id, Report.received_at)
        .where(Report.reporter_id == reporter.id, Report.received_at >= since)
        .order_by(Report.received_at.desc())
        .limit(1)
    ).first()
    told = session.execute(
        select(OutboundMessage.report_id, OutboundMessage.created_at)
        .where(
            OutboundMessage.reporter_id == reporter.id,
            OutboundMessage.report_id.is_not(None),
            OutboundMessage.created_at >= since,
        )
        .order_by(OutboundMessage.created_at.desc())
        .limit(1)
    ).first()
    latest = max((row for row in (made, told) if row is not None), key=lambda row: row[1], default=None)
    return session.get(Report, latest[0]) if latest is not None else None
