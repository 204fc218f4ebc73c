"""Inbound messages become encrypted reports, idempotently; follow-ups, ratings and STOP."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import audit
from storage.casework.escalation import reopen_for_reporter
from storage.crypto import KeyRing
from storage.crypto import pseudonym as keyed_pseudonym
from storage.crypto.sealing import report_key, seal_contact, seal_message
from storage.database import Store
from storage.intake.batch import reports_of_deliveries
from storage.intake.committer import committer_for
from storage.intake.identity import normalise_number
from storage.intake.media import add_pending, is_media_only_text
from storage.intake.sealed import Held, InboundMessage, StoredReport, seal_report
from storage.models import Message, Report, Reporter, utcnow
from storage.models.reports import Delivery
from storage.outbox import forget_number

__all__ = ["Held", "InboundMessage", "StoredReport"]


def store_report(store: Store, message: InboundMessage) -> StoredReport:
    """Store a new report, or return the one this gateway message already made. Sealed here,
    written with the reports that arrive at the same moment in one commit, and returned only
    once that commit is done."""
    stored = committer_for(store).store(seal_report(store.keys, store.pepper, message))
    if isinstance(stored, Held):
        raise RuntimeError("a report with no limit was held back")
    return stored


def store_unless_held(store: Store, message: InboundMessage, per_minute: int) -> StoredReport | Held:
    """As `store_report`, unless the number has sent more than `per_minute` reports this
    minute, this one included: then nothing is written."""
    return committer_for(store).store(seal_report(store.keys, store.pepper, message, per_minute))


def opened_a_report(session: Session, delivery: Delivery) -> bool:
    """Whether this gateway message made its report, rather than being added to a thread."""
    made = select(Message.report_id, Message.created_at).where(
        Message.channel == delivery[0], Message.external_id == delivery[1]
    )
    message = session.execute(made).first()
    if message is None:
        return False
    earlier = (Message.report_id == message.report_id) & (Message.created_at < message.created_at)
    return session.scalar(select(Message.id).where(earlier).limit(1)) is None


def add_follow_up(
    session: Session, keys: KeyRing, pepper: bytes, message: InboundMessage, ref: str, text: str
) -> StoredReport | None:
    """Add a reporter's follow-up to their own report; None when the reference is not theirs."""
    existing = reports_of_deliveries(session.connection(), [message.delivery]).get(message.delivery)
    if existing:
        return existing
    report = reporters_report(session, pepper, message.sender, ref)
    if report is None or report.wrapped_key is None:
        # Its thread was erased under the retention policy: nothing can be added to it.
        return None
    if report.reporter.contact is None:
        # As with a new report: a reporter who said STOP and writes again is reachable again.
        reachable_again(keys, report.reporter, message.sender)
    followup = InboundMessage(message.channel, message.external_id, message.sender, text, message.received_at)
    data_key = report_key(keys, report)
    entry = _append_message(session, data_key, report, followup)
    entry.awaiting_triage = not is_media_only_text(text)
    attachment_ids = add_pending(session, data_key, report, entry, message.media)
    audit.record(
        session, "report.followup", subject=f"report:{report.id}", details={"message": str(entry.id)}
    )
    if report.case is not None and report.case.status == "resolved":
        reopen_for_reporter(session, report.case)
    return StoredReport(report.id, report.ref, True, report.language, tuple(attachment_ids))


def find_or_create_reporter(session: Session, pseudonym: str) -> Reporter:
    """The reporter behind a pseudonym, created (with no number) if new.

    Creation is one INSERT ... ON CONFLICT DO NOTHING: two first messages from one number may
    arrive at once, and a savepoint would cost three round trips on every new reporter."""
    reporter = session.scalar(select(Reporter).where(Reporter.pseudonym == pseudonym))
    if reporter:
        reporter.last_seen_at = utcnow()
        return reporter
    inserting = _dialect_insert(session)(Reporter).values(pseudonym=pseudonym)
    unless_present = inserting.on_conflict_do_nothing(index_elements=["pseudonym"])
    created = session.scalar(unless_present.returning(Reporter))
    return created or session.scalars(select(Reporter).where(Reporter.pseudonym == pseudonym)).one()


def _dialect_insert(session: Session) -> Callable[..., postgresql.Insert | sqlite.Insert]:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def find_reporter(session: Session, pepper: bytes, sender: str) -> Reporter | None:
    return reporter_by_pseudonym(session, keyed_pseudonym(pepper, normalise_number(sender)))


def reporter_by_pseudonym(session: Session, pseudonym: str) -> Reporter | None:
    return session.scalar(select(Reporter).where(Reporter.pseudonym == pseudonym))


def stop_contact(session: Session, pepper: bytes, sender: str) -> bool:
    """Erase a reporter's stored number; no message goes to them again."""
    reporter = find_reporter(session, pepper, sender)
    if reporter is None:
        return False
    forget_number(session, reporter)
    reporter.stopped_at = utcnow()
    reporter.replies_until = None
    reporter.end_story()
    return True


def rate_report(session: Session, report: Report, score: int) -> None:
    report.rating = score
    audit.record(session, "report.rated", subject=f"report:{report.id}", details={"score": score})


def remember_language(session: Session, pepper: bytes, sender: str, language: str) -> None:
    number = normalise_number(sender)
    find_or_create_reporter(session, keyed_pseudonym(pepper, number)).language = language


def reachable_again(keys: KeyRing, reporter: Reporter, sender: str) -> None:
    """Keep the number of a reporter who said STOP, under a fresh key: news of their reports
    reaches them again."""
    seal_contact(keys, reporter, normalise_number(sender))
    reporter.stopped_at = None


def language_of_reporter(session: Session, pepper: bytes, sender: str) -> str | None:
    """The language a number's latest triaged report was written in, else the one it chose on
    USSD; None for a number never seen."""
    reporter = find_reporter(session, pepper, sender)
    if reporter is None:
        return None
    latest = session.scalar(
        select(Report.language)
        .where(Report.reporter_id == reporter.id, Report.language.is_not(None))
        .order_by(Report.received_at.desc())
        .limit(1)
    )
    return latest or reporter.language


def language_before(report: Report) -> str | None:
    """The language of the latest other report of the same number that has one."""
    earlier = [r for r in report.reporter.reports if r.id != report.id and r.language]
    return max(earlier, key=lambda r: r.received_at).language if earlier else None


def report_by_ref(session: Session, ref: str) -> Report | None:
    return session.scalar(select(Report).where(Report.ref == ref))


def public_status(report: Report) -> str:
    """received → open → acknowledged → responded → resolved; never anything about content."""
    return report.case.status if report.case else "received"


def reporters_report(session: Session, pepper: bytes, sender: str, ref: str) -> Report | None:
    """The report with this reference, if this number made it."""
    reporter = find_reporter(session, pepper, sender)
    report = report_by_ref(session, ref)
    if reporter is None or report is None or report.reporter_id != reporter.id:
        return None
    return report


def _append_message(session: Session, data_key: bytes, report: Report, message: InboundMessage) -> Message:
    entry = Message(
        id=uuid.uuid4(),
        report=report,
        channel=message.channel,
        external_id=message.external_id,
        author="reporter",
        created_at=message.received_at,
    )
    seal_message(data_key, entry, message.body)
    session.add(entry)
    return entry
