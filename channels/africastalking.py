"""Africa's Talking: the USSD menu, inbound SMS and delivery reports. All are checked against
a shared secret (in the callback URL or a header) and, if configured, the gateway's IP
addresses."""

from __future__ import annotations

import hmac
import logging
import uuid

from flask import Response, abort, request
from sqlalchemy.orm import Session

from channels.answers import in_transaction
from channels.conversation import answer_sms
from channels.keywords import reference_typed
from channels.long_bodies import BODY_FIELD, cut_to_keep
from channels.questions import echoed
from channels.ussd import Screen, confirm_values, cut_to_screen, render, walk
from channels.web import (
    MAX_BODY_CHARS,
    NUMBER_CHARS,
    Field,
    brings_a_report,
    channels,
    delivery_outcome,
    gateway_form,
    record_delivery_report,
)
from storage import Message, OutboundMessage
from storage.crypto import pseudonym
from storage.inputs import column_chars
from storage.intake import (
    InboundMessage,
    find_or_create_reporter,
    find_reporter,
    remember_language,
    store_report,
)
from storage.intake.answers import Lookup, Unanswered, look_up
from storage.intake.identity import normalise_number
from storage.outbox import queue_answer
from storage.reporter_texts import status_text, ussd_text
from storage.ussd_inputs import earlier_input_ends
from workers.runtime import current

log = logging.getLogger(__name__)
GATEWAY_ID_CHARS = column_chars(Message.external_id)
USSD_FIELDS = {
    "sessionId": Field(GATEWAY_ID_CHARS, required=True),
    "phoneNumber": Field(NUMBER_CHARS, required=True),
    "text": Field(MAX_BODY_CHARS, free_text=True),
}
SMS_FIELDS = {
    "id": Field(GATEWAY_ID_CHARS, required=True),
    "from": Field(NUMBER_CHARS, required=True),
    "text": BODY_FIELD,
}
DELIVERY_FIELDS = {
    "id": Field(column_chars(OutboundMessage.provider_id), required=True),
    # As long as the reason it may be kept as, when it is a status not listed below.
    "status": Field(column_chars(OutboundMessage.error), required=True),
    "failureReason": Field(column_chars(OutboundMessage.error)),
}
# Africa's Talking's delivery statuses as the outbox records them (Twilio's words): those it
# documents, and those its gateway is seen to send besides.
DELIVERY_STATUSES: dict[str, str | None] = {
    "Sent": "sent",
    "Submitted": "sent",
    "Buffered": "sent",
    "Success": "delivered",
    "Rejected": "failed",
    "Failed": "undelivered",
    "Expired": "undelivered",
    "AbsentSubscriber": "undelivered",
}


@channels.post("/ussd")
@brings_a_report
def ussd() -> Response:
    verify_africastalking()
    form = gateway_form(USSD_FIELDS)
    # Read first: it refuses a phoneNumber that is no number before anything is written.
    language = _saved_language(form["phoneNumber"])
    ends = in_transaction(lambda s: earlier_input_ends(s, form["sessionId"], form["text"]))
    screen = walk(form["text"], language, ends)
    body = _carry_out(screen, form["sessionId"], form["phoneNumber"])
    return Response(body, mimetype="text/plain")


@channels.post("/africastalking/sms")
@brings_a_report
def africastalking_sms() -> Response:
    verify_africastalking()
    form = gateway_form(SMS_FIELDS)
    normalise_number(form["from"])  # a sender that is no number is refused whatever the message asks
    body = cut_to_keep(form["text"])
    message = InboundMessage(channel="at_sms", external_id=form["id"], sender=form["from"], body=body)
    answer = answer_sms(message)
    if answer.text:
        _reply_by_sms(message, answer.text, answer.report.report_id if answer.report else None)
    return Response(status=200)


@channels.post("/africastalking/status")
def africastalking_delivery_status() -> Response:
    """A delivery report: what became of a message we gave Africa's Talking to send."""
    verify_africastalking()
    form = gateway_form(DELIVERY_FIELDS)
    status, error = delivery_outcome(form["status"], form["failureReason"], DELIVERY_STATUSES)
    record_delivery_report(form["id"], status, error)
    return Response(status=200)


def verify_africastalking() -> None:
    settings = current().settings.africastalking
    if not settings.webhook_secret:
        abort(
            403,
            description="AT_WEBHOOK_SECRET is not set here, so no Africa's Talking request can be checked",
        )
    given = request.args.get("secret") or request.headers.get("X-Sauti-Secret", "")
    if not hmac.compare_digest(given.encode(), settings.webhook_secret.encode()):
        abort(403, description="missing or wrong webhook secret")
    if settings.allowed_ips and request.remote_addr not in settings.allowed_ips:
        abort(403, description="request from an address not in AT_ALLOWED_IPS")


def _carry_out(screen: Screen, session_id: str, phone: str) -> str:
    runtime = current()
    if screen.chosen_language:
        in_transaction(
            lambda s: remember_language(s, runtime.store.pepper, phone, screen.chosen_language or "en")
        )
    if screen.send:
        topic, text = screen.send
        message = InboundMessage("ussd", session_id, phone, text, topic_hint=topic)
        stored = store_report(runtime.store, message)
        log.info(
            "report.stored", extra={"channel": "ussd", "report": str(stored.report_id), "new": stored.created}
        )
        if stored.created:
            runtime.dispatcher.enqueue_triage(stored.report_id)
        return render(screen, ref=stored.ref)
    if screen.lookup is not None:
        return _lookup(screen, phone)
    if screen.name == "confirm":
        return render(screen, **confirm_values(screen))
    return render(screen)


def _lookup(screen: Screen, phone: str) -> str:
    """The "check a report" screen: as STATUS by SMS, the panel's last answer only to the
    number that made the report, and no more than the hourly look-ups."""
    typed = screen.lookup or ""
    ref = reference_typed(typed)
    runtime = current()
    store, per_hour = runtime.store, runtime.settings.lookups_per_hour
    found = in_transaction(lambda s: look_up(s, store.keys, store.pepper, phone, ref, per_hour))
    if found is Unanswered.TOO_MANY:
        return render(Screen("lookups_limited", screen.language, end=True))
    if not isinstance(found, Lookup):
        return render(Screen("unknown_ref", screen.language, end=True), ref=ref or echoed(typed))
    status = status_text(found.status, screen.language)
    if found.answer is None:
        return render(screen, ref=found.ref, status=status)
    text = ussd_text("status_answer", screen.language, ref=found.ref, status=status, text=found.answer)
    return "END " + cut_to_screen(text)


def _saved_language(phone: str) -> str:
    pepper = current().store.pepper

    def language(session: Session) -> str:
        reporter = find_reporter(session, pepper, phone)
        return reporter.language if reporter else "en"

    return in_transaction(language)


def _reply_by_sms(message: InboundMessage, text: str, report_id: uuid.UUID | None) -> None:
    """Africa's Talking does not carry a reply in the webhook answer: it goes out by SMS, to
    the number in the request, which is kept afterwards only if a report needs it. One answer
    a message, however many of the gateway's retries race to send it."""
    runtime = current()
    keys, pepper = runtime.store.keys, runtime.store.pepper

    def queue(session: Session) -> OutboundMessage | None:
        number = normalise_number(message.sender)
        reporter = find_or_create_reporter(session, pseudonym(pepper, number))
        return queue_answer(session, keys, reporter, number, message.delivery, text, report_id)

    outbound = in_transaction(queue)
    if outbound is not None:
        runtime.dispatcher.enqueue_notify(outbound.id)
