"""An SMS conversation, whichever gateway carried it: store first, then answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import triage
from channels.keywords import Command, FollowUp, NewReport, Rate, Status, Stop, parse_command
from storage.intake import (
    InboundMessage,
    StoredReport,
    add_follow_up,
    public_status,
    rate_report,
    report_by_ref,
    stop_contact,
    store_report,
)
from storage.intake.identity import canonical_reference
from storage.intake.media import media_only_text
from storage.reporter_texts import reporter_text, status_text
from workers.runtime import current

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    text: str
    language: str
    report: StoredReport | None = None


def answer_sms(message: InboundMessage) -> Answer:
    """Carry out what the SMS asks and say what happened. Nothing is answered before the
    report or change it carries is committed."""
    command = parse_command(message.body)
    if message.media:
        return _with_media(message, command)
    if isinstance(command, Stop):
        in_transaction(lambda s: stop_contact(s, current().store.pepper, message.sender))
        log.info("reporter.stopped", extra={"channel": message.channel})
        return Answer(reporter_text("stopped", command.language), command.language)
    if isinstance(command, Status):
        return _status(command)
    if isinstance(command, Rate):
        return _rate(message, command)
    if isinstance(command, FollowUp):
        return _follow_up(message, command)
    return new_report(message, command)


def new_report(message: InboundMessage, command: NewReport | None = None) -> Answer:
    text = command.text if command else message.body.strip()
    language = reply_language(text)
    if not text and not message.media:
        return Answer(reporter_text("empty", language), language)
    if not message.body.strip():
        message = replace(message, body=media_only_text(message.media))
    runtime = current()
    stored = store_report(runtime.store, message)
    log.info(
        "report.stored",
        extra={"channel": message.channel, "report": str(stored.report_id), "new": stored.created},
    )
    if stored.created:
        runtime.dispatcher.enqueue_triage(stored.report_id)
    _fetch_media(stored)
    return Answer(reporter_text("received", language, ref=stored.ref), language, stored)


def reply_language(text: str) -> str:
    return triage.reply_language(text)


def in_transaction(work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction, once more if a concurrent duplicate got there first."""
    store = current().store
    try:
        with store.transaction() as session:
            return work(session)
    except IntegrityError:
        with store.transaction() as session:
            return work(session)


def _with_media(message: InboundMessage, command: Command) -> Answer:
    """A photo or voice note is never lost to a command that has no room for it: sent with
    a reference alone or with more text, it is added to that report; otherwise it is a new
    report. With STOP it is kept as a report of its own, and then the number is erased."""
    if isinstance(command, Stop):
        new_report(replace(message, body=""))
        return answer_sms(replace(message, media=()))
    ref = canonical_reference(message.body.strip())
    if ref is not None:
        command = FollowUp(ref, media_only_text(message.media))
    if isinstance(command, FollowUp):
        return _follow_up(message, command)
    return new_report(message)


def _status(command: Status) -> Answer:
    def lookup(session: Session) -> str | None:
        report = report_by_ref(session, command.ref) if command.ref else None
        return public_status(report) if report else None

    status = in_transaction(lookup)
    if status is None:
        return Answer(reporter_text("not_found", command.language, ref=command.ref or "?"), command.language)
    text = reporter_text(
        "status", command.language, ref=command.ref, status=status_text(status, command.language)
    )
    return Answer(text, command.language)


def _rate(message: InboundMessage, command: Rate) -> Answer:
    if command.ref is None or command.score is None:
        return Answer(reporter_text("rate_usage", command.language), command.language)
    pepper = current().store.pepper
    ref, score = command.ref, command.score
    rated = in_transaction(lambda s: rate_report(s, pepper, message.sender, ref, score) is not None)
    if not rated:
        return Answer(reporter_text("not_found", command.language, ref=ref), command.language)
    return Answer(reporter_text("rated", command.language, ref=ref, score=score), command.language)


def _follow_up(message: InboundMessage, command: FollowUp) -> Answer:
    runtime = current()
    keys, pepper = runtime.store.keys, runtime.store.pepper
    stored = in_transaction(lambda s: add_follow_up(s, keys, pepper, message, command.ref, command.text))
    if stored is None:
        # Not a reference of theirs: a typo must never lose a report, so keep it as a new one.
        return new_report(message)
    language = reply_language(command.text)
    log.info("report.followup", extra={"channel": message.channel, "report": str(stored.report_id)})
    _fetch_media(stored)
    return Answer(reporter_text("followup_added", language, ref=stored.ref), language, stored)


def _fetch_media(stored: StoredReport) -> None:
    if stored.attachment_ids:
        log.info(
            "media.pending", extra={"report": str(stored.report_id), "items": len(stored.attachment_ids)}
        )
        current().dispatcher.enqueue_media(*stored.attachment_ids)
