"""Twilio SMS and WhatsApp: signed webhooks in, TwiML out, delivery callbacks."""

from __future__ import annotations

import logging

from flask import Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels.conversation import answer_sms, in_transaction
from channels.web import MAX_BODY_CHARS, NUMBER_CHARS, Field, channels, gateway_form
from storage import Message, OutboundMessage
from storage.inputs import column_chars
from storage.intake import InboundMessage
from storage.outbox import record_delivery
from workers.runtime import current

log = logging.getLogger(__name__)
DELIVERY_STATUSES = {"queued", "sending", "sent", "delivered", "undelivered", "failed", "read"}
INBOUND_FIELDS = {
    "MessageSid": Field(column_chars(Message.external_id), required=True),
    "From": Field(NUMBER_CHARS, required=True),
    "Body": Field(MAX_BODY_CHARS, free_text=True),
}
STATUS_FIELDS = {
    "MessageSid": Field(column_chars(OutboundMessage.provider_id), required=True),
    "MessageStatus": Field(column_chars(OutboundMessage.status), required=True),
    "ErrorCode": Field(column_chars(OutboundMessage.error)),
}


@channels.post("/twilio/sms")
def twilio_inbound() -> Response:
    verify_twilio_signature()
    message = inbound_from_twilio()
    answer = answer_sms(message)
    reply = MessagingResponse()
    reply.message(answer.text)
    return Response(str(reply), mimetype="application/xml")


@channels.post("/twilio/status")
def twilio_delivery_status() -> Response:
    verify_twilio_signature()
    form = gateway_form(STATUS_FIELDS)
    status = form["MessageStatus"].lower()
    if status not in DELIVERY_STATUSES:
        abort(400, description=f"unknown MessageStatus {status!r}")
    known = in_transaction(
        lambda s: record_delivery(s, form["MessageSid"], status, form["ErrorCode"] or None)
    )
    log.info("delivery.status", extra={"status": status, "known": known})
    return Response(status=204)


def inbound_from_twilio() -> InboundMessage:
    form = gateway_form(INBOUND_FIELDS)
    sender = form["From"]
    channel = "twilio_whatsapp" if sender.startswith("whatsapp:") else "twilio_sms"
    return InboundMessage(channel=channel, external_id=form["MessageSid"], sender=sender, body=form["Body"])


def verify_twilio_signature() -> None:
    """Refuse (403) anything not signed with our auth token for the URL Twilio called."""
    token = current().settings.twilio.auth_token
    if not token:
        abort(403, description="TWILIO_AUTH_TOKEN is not set here, so no Twilio request can be checked")
    signature = request.headers.get("X-Twilio-Signature", "")
    validator = RequestValidator(token)
    if not signature or not validator.validate(public_url(), request.form, signature):
        abort(403, description="missing or invalid X-Twilio-Signature")


def public_url() -> str:
    base = current().settings.public_base_url
    if not base:
        return request.url
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")
