"""Answers to what a resident asks or says by SMS without reporting anything: HELP, STATUS,
RATE and thanks. None of them opens a report."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from channels.answers import Answer, in_transaction
from channels.keywords import Help, Rate, Status, Thanks
from storage.intake import InboundMessage
from storage.intake.answers import Lookup, Rating, Unanswered, look_up, rate_answer, thank
from storage.intake.reports import language_of_reporter
from storage.reporter_texts import known_language, reporter_text, status_text
from storage.reporters import latest_reference
from storage.segments import cut_to_one_segment
from workers.runtime import current

log = logging.getLogger(__name__)
# What is echoed of a reference that matched nothing: enough to spot the typo.
ECHOED_CHARS = 12


def answer_help(command: Help) -> Answer:
    return Answer(reporter_text("help", command.language), command.language)


def answer_status(message: InboundMessage, command: Status) -> Answer:
    """The report's status; to the number that made it, the panel's last answer as well. With
    no reference typed, its latest report's, whose reference the answer carries; a number with
    none learns how to check. A reference that matches nothing, or a number over its look-ups,
    learns nothing more."""
    asked = command.language
    found = in_transaction(lambda session: _looked_up(session, message.sender, command))
    if found is None:
        return _unanswered(message, asked, "status_usage")
    log.info("report.lookup", extra={"channel": message.channel, "found": isinstance(found, Lookup)})
    if found is Unanswered.TOO_MANY:
        return _unanswered(message, asked, "lookups_limited")
    if not isinstance(found, Lookup):
        return _unanswered(message, asked, "not_found", ref=command.ref or echoed(command.typed))
    language = known_language(asked or found.language)
    return Answer(status_answer(found, language), language)


def _looked_up(session: Session, sender: str, command: Status) -> Lookup | Unanswered | None:
    """The look-up a status request asks for, counted against the number's hourly limit; None
    when it typed no reference and has no report to tell of."""
    runtime = current()
    store, per_hour = runtime.store, runtime.settings.lookups_per_hour
    ref = command.ref
    if ref is None and not command.typed:
        ref = latest_reference(session, store.pepper, sender)
        if ref is None:
            return None
    return look_up(session, store.keys, store.pepper, sender, ref, per_hour)


def answer_unknown_reference(message: InboundMessage, ref: str) -> Answer:
    """A reference that is not one of the number's reports, sent with a score: it says no
    report of theirs has it, in the number's language, and opens none."""
    return _unanswered(message, None, "not_found", ref=ref)


def _unanswered(message: InboundMessage, asked: str | None, name: str, **values: str) -> Answer:
    """A look-up that found no report of theirs: in the language asked in, else the number's."""
    language = asked or remembered_language(message.sender)
    return Answer(reporter_text(name, language, **values), language)


def remembered_language(sender: str) -> str:
    """The language to answer a number in when its words name none: the one it last reported
    in, or chose on USSD."""
    pepper = current().store.pepper
    return known_language(in_transaction(lambda s: language_of_reporter(s, pepper, sender)))


def echoed(typed: str) -> str:
    """What is repeated of a reference that matched nothing: its letters, digits and dashes as
    any phone shows them, so that the answer stays one SMS whatever was typed."""
    return "".join(char for char in typed if char.isascii() and (char.isalnum() or char in " -"))[
        :ECHOED_CHARS
    ]


def status_answer(found: Lookup, language: str) -> str:
    """One SMS: the status, and the panel's last answer cut to fit when there is one."""
    status = status_text(found.status, language)
    if found.answer is None:
        return reporter_text("status", language, ref=found.ref, status=status)
    text = reporter_text("status_answer", language, ref=found.ref, status=status, text=found.answer)
    return cut_to_one_segment(text)


def answer_rate(message: InboundMessage, command: Rate) -> Answer:
    language = command.language or remembered_language(message.sender)
    if command.ref is None or command.score is None:
        return Answer(reporter_text("rate_usage", language), language)
    pepper = current().store.pepper
    ref, score = command.ref, command.score
    rating = in_transaction(lambda session: rate_answer(session, pepper, message.sender, ref, score))
    if rating is Rating.NOT_YOURS:
        return Answer(reporter_text("not_found", language, ref=ref), language)
    if rating is Rating.NOT_ANSWERED:
        return Answer(reporter_text("rate_too_soon", language, ref=ref), language)
    return Answer(reporter_text("rated", language, ref=ref, score=score), language)


def answer_thanks(message: InboundMessage, command: Thanks) -> Answer | None:
    """Thanks are answered on the report the number last heard about, and a score with them
    rates its answer; None when the number has no recent report they could be about."""
    pepper, score = current().store.pepper, command.score
    thanked = in_transaction(lambda session: thank(session, pepper, message.sender, score))
    if thanked is None:
        return None
    log.info("report.thanked", extra={"channel": message.channel, "scored": score is not None})
    language = known_language(command.language or thanked.language)
    if thanked.rating is Rating.RATED:
        return Answer(reporter_text("rated", language, ref=thanked.ref, score=score), language)
    if thanked.rating is Rating.NOT_ANSWERED:
        return Answer(reporter_text("rate_too_soon", language, ref=thanked.ref), language)
    return Answer(reporter_text("thanked", language, ref=thanked.ref), language)
