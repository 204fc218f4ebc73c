"""An SMS conversation, whichever gateway carried it: store first, then answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session

import triage
from channels.answers import Answer, in_transaction
from channels.keywords import (
    Command,
    FollowUp,
    Help,
    Rate,
    Start,
    Status,
    Stop,
    Thanks,
    parse_command,
    wordless,
)
from channels.questions import (
    answer_help,
    answer_rate,
    answer_status,
    answer_thanks,
    answer_unknown_reference,
    remembered_language,
)
from storage.crypto import KeyRing
from storage.intake import (
    Held,
    InboundMessage,
    StoredReport,
    add_follow_up,
    stop_contact,
    store_report,
    store_unless_held,
)
from storage.intake.answers import rate_if_answered
from storage.intake.floods import flood_of
from storage.intake.identity import canonical_reference, reporter_pseudonym
from storage.intake.media import is_location_only_text, media_only_text
from storage.intake.replies import add_reply
from storage.intake.reports import opened_a_report
from storage.intake.stories import add_to_story
from storage.reporter_texts import known_language, reporter_text
from storage.reporters import resume_contact
from workers.runtime import current

# Where a message held back from being a report of its own may belong: a report it is added to.
Joining = Callable[[Session, KeyRing, bytes, InboundMessage], StoredReport | None]

log = logging.getLogger(__name__)


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
    if isinstance(command, Start):
        return _start(message, command)
    if isinstance(command, Help):
        return answer_help(command)
    if isinstance(command, Status):
        return answer_status(message, command)
    if isinstance(command, Rate):
        return answer_rate(message, command)
    if isinstance(command, FollowUp):
        return _follow_up(message, command)
    if isinstance(command, Thanks):
        return answer_thanks(message, command) or new_report(message)
    return new_report(message)


def _start(message: InboundMessage, command: Start) -> Answer:
    """START: the number is kept again if STOP erased it, and told so in the language of the
    word, else its own; it opens no report."""
    store = current().store
    resumed = in_transaction(lambda s: resume_contact(s, store.keys, store.pepper, message.sender))
    log.info("reporter.started", extra={"channel": message.channel, "resumed": resumed})
    language = command.language or remembered_language(message.sender)
    return Answer(reporter_text("started", language), language)


def new_report(message: InboundMessage) -> Answer:
    text = message.body.strip()
    if wordless(text) and not message.media:
        language = remembered_language(message.sender)
        return Answer(reporter_text("empty", language), language)
    if triage.greeting_only(text) and not message.media:
        language = reply_language(text, remembered_language(message.sender))
        return Answer(reporter_text("welcome", language), language)
    language = _report_language(message)
    if not text:
        message = replace(message, body=media_only_text(message.media))
    runtime = current()
    stored = store_unless_held(runtime.store, message, runtime.settings.reports_per_minute)
    if isinstance(stored, Held):
        return (
            _joined(message, stored, language, add_reply, "report.reply")
            or _flooded(message, stored, language)
            or _joined(message, stored, language, add_to_story, "report.story_part")
            or _stored(message, store_report(runtime.store, message), language)
        )
    return _stored(message, stored, language)


def _stored(message: InboundMessage, stored: StoredReport, language: str) -> Answer:
    runtime = current()
    log.info(
        "report.stored",
        extra={"channel": message.channel, "report": str(stored.report_id), "new": stored.created},
    )
    if stored.created:
        runtime.dispatcher.enqueue_triage(stored.report_id)
    _fetch_media(stored)
    return Answer(reporter_text("received", language, ref=stored.ref), language, stored)


def _report_language(message: InboundMessage) -> str:
    """The language to acknowledge a report in: its own; when its words name none ("Mmoja
    anaitwa Otieno"), or it has none (a photo, a location pin), the one its number last
    reported in, read only then."""
    named = "" if is_location_only_text(message.body) else triage.reply_language(message.body, otherwise="")
    return known_language(named) if named else remembered_language(message.sender)


def reply_language(text: str, otherwise: str | None = None) -> str:
    """The language a report is acknowledged in: its own, if Sauti speaks it, else
    `otherwise`. A Somali report is answered in Somali; its content still goes to the
    translation desk."""
    return known_language(triage.reply_language(text, known_language(otherwise)))


def _with_media(message: InboundMessage, command: Command) -> Answer:
    """A photo or voice note is never lost to a command that has no room for it: sent with
    a reference alone or with more text, it is added to that report; with a status request
    ("hali K7F-3QX"), added to that report, whose status is then told; otherwise it is a new
    report. With STOP it is kept as a report of its own, and then the number is erased."""
    if isinstance(command, Stop):
        new_report(replace(message, body=""))
        return answer_sms(replace(message, media=()))
    ref = canonical_reference(message.body.strip())
    if ref is not None:
        command = FollowUp(ref, media_only_text(message.media))
    if isinstance(command, Status) and command.ref is not None:
        return _added_then_status(message, command, command.ref)
    if isinstance(command, FollowUp):
        return _follow_up(message, command)
    return new_report(message)


def _added_then_status(message: InboundMessage, command: Status, ref: str) -> Answer:
    """The media added to the report asked about, and its status told; to a reference that is
    not the number's, the media is a report of its own, and its reference told."""
    added = _follow_up(message, FollowUp(ref, media_only_text(message.media)))
    if added.report is None or added.report.ref != ref:
        return added
    return replace(answer_status(replace(message, media=()), command), report=added.report)


def _follow_up(message: InboundMessage, command: FollowUp) -> Answer:
    if command.score is not None and (rated := _rated(message, command.ref, command.score)):
        return rated
    runtime = current()
    keys, pepper = runtime.store.keys, runtime.store.pepper
    stored = in_transaction(lambda s: add_follow_up(s, keys, pepper, message, command.ref, command.text))
    if stored is None and command.score is not None and not message.media:
        # A score tells nothing to report: answered as RATE with that reference would be.
        return answer_unknown_reference(message, command.ref)
    if stored is None:
        # Not a reference of theirs: a typo must never lose a report, so keep it as a new one.
        return new_report(message)
    # "ok", "je?": words that name no language are answered in the report's own.
    language = reply_language(command.text, stored.language)
    log.info("report.followup", extra={"channel": message.channel, "report": str(stored.report_id)})
    # Triage reads it: it may tell of more danger than the report did.
    runtime.dispatcher.enqueue_triage(stored.report_id)
    _fetch_media(stored)
    return Answer(reporter_text("followup_added", language, ref=stored.ref), language, stored)


def _rated(message: InboundMessage, ref: str, score: int) -> Answer | None:
    """The reporter's rating of the panel's answer; None while there is no answer to rate."""
    pepper = current().store.pepper
    language = in_transaction(lambda s: rate_if_answered(s, pepper, message.sender, ref, score))
    if language is None:
        return None
    return Answer(reporter_text("rated", language, ref=ref, score=score), language)


def _joined(message: InboundMessage, held: Held, language: str, join: Joining, event: str) -> Answer | None:
    """Keep the message on the report `join` finds for it: the one a panel answered, while the
    number's reply is awaited, or the one the number sent a moment ago, as the next part of
    its story. None when there is none. Past the number's limit, kept without a word."""
    runtime = current()
    keys, pepper = runtime.store.keys, runtime.store.pepper
    stored = in_transaction(lambda s: join(s, keys, pepper, message))
    if stored is None:
        return None
    if not stored.created and in_transaction(lambda s: opened_a_report(s, message.delivery)):
        return _stored(message, stored, language)
    if stored.created:
        log.info(event, extra={"channel": message.channel, "report": str(stored.report_id)})
        runtime.dispatcher.enqueue_triage(stored.report_id)
        _fetch_media(stored)
    if held.counted > runtime.settings.reports_per_minute + 1:
        return Answer("", language, stored)
    return Answer(reporter_text("followup_added", language, ref=stored.ref), language, stored)


def _flooded(message: InboundMessage, held: Held, language: str) -> Answer | None:
    """Keep the message on the number's latest report. Only the first message over the limit
    is answered, once, politely; the rest are kept without a word. None if it could not be
    added there, so that it is stored as a report of its own."""
    runtime = current()
    keys, pepper = runtime.store.keys, runtime.store.pepper
    pseudonym = reporter_pseudonym(pepper, message.sender)
    flood = flood_of(runtime.store, pseudonym, held.counted, runtime.settings.reports_per_minute)
    if flood is None:
        return None
    stored = in_transaction(lambda s: add_follow_up(s, keys, pepper, message, flood.ref, message.body))
    if stored is None:
        return None
    if not stored.created:
        # A gateway retrying a message stored before, having lost our answer, is answered as
        # the first time: with the reference if it made a report, else without a word.
        if in_transaction(lambda s: opened_a_report(s, message.delivery)):
            return _stored(message, stored, language)
        return Answer("", language, stored)
    log.info("report.flood", extra={"channel": message.channel, "report": str(stored.report_id)})
    runtime.dispatcher.enqueue_triage(stored.report_id)
    _fetch_media(stored)
    text = reporter_text("flooded", language, ref=stored.ref) if flood.first else ""
    return Answer(text, language, stored)


def _fetch_media(stored: StoredReport) -> None:
    if stored.attachment_ids:
        log.info(
            "media.pending", extra={"report": str(stored.report_id), "items": len(stored.attachment_ids)}
        )
        current().dispatcher.enqueue_media(*stored.attachment_ids)
