"""Twilio SMS and WhatsApp: signed webhooks in, TwiML out, delivery callbacks."""

from __future__ import annotations

import logging

from flask import Response, abort, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels.conversation import answer_sms, in_transaction
from channels.web import channels, check_length, require_fields
from storage import OutboundMessage
from storage.intake import InboundMessage
from workers.runtime import current

log = logging.getLogger(__name__)
DELIVERY_STATUSES = {"queued", "sending", "sent", "delivered", "undelivered", "failed", "read"}


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
    require_fields(request.form, "MessageSid", "MessageStatus")
    sid, status = request.form["MessageSid"], request.form["MessageStatus"].lower()
    if status not in DELIVERY_STATUSES:
        abort(400, description=f"unknown MessageStatus {status!r}")

    def record(session: Session) -> bool:
        outbound = session.scalar(select(OutboundMessage).where(OutboundMessage.provider_id == sid))
        if outbound is not None:
            outbound.status = status
            outbound.error = request.form.get("ErrorCode") or None
        return outbound is not None

    known = in_transaction(record)
    log.info("delivery.status", extra={"status": status, "known": known})
    return Response(status=204)


def inbound_from_twilio() -> InboundMessage:
    form = request.form
    require_fields(form, "MessageSid", "From")
    body = form.get("Body", "")
    check_length(body)
    sender = form["From"]
    channel = "twilio_whatsapp" if sender.startswith("whatsapp:") else "twilio_sms"
    return InboundMessage(channel=channel, external_id=form["MessageSid"], sender=sender, body=body)


def verify_twilio_signature() -> None:
    """Refuse (403) anything not signed with our auth token for the URL Twilio called."""
    signature = request.headers.get("X-Twilio-Signature", "")
    validator = RequestValidator(current().settings.twilio.auth_token)
    if not signature or not validator.validate(public_url(), request.form, signature):
        abort(403, description="missing or invalid X-Twilio-Signature")


def public_url() -> str:
    base = current().settings.public_base_url
    if not base:
        return request.url
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")
