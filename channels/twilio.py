"""Twilio SMS and WhatsApp: signed webhooks in, TwiML out, delivery callbacks."""

from __future__ import annotations

import hmac
import logging
import math
import re
from functools import cache
from xml.sax.saxutils import escape

from flask import Response, abort, request
from twilio.request_validator import RequestValidator

from channels.conversation import answer_sms
from channels.long_bodies import BODY_FIELD, cut_to_keep
from channels.web import (
    NUMBER_CHARS,
    Field,
    brings_a_report,
    channels,
    delivery_outcome,
    gateway_form,
    record_delivery_report,
)
from storage import Message, OutboundMessage
from storage.inputs import column_chars
from storage.intake import InboundMessage
from storage.intake.identity import normalise_number
from storage.intake.media import MAX_MEDIA_PER_MESSAGE, MediaItem, location_text
from workers.runtime import current

log = logging.getLogger(__name__)
# Twilio's message statuses as the outbox records them; a status of a message coming in says
# nothing of one we sent. Any other (canceled, partially_delivered) is kept as not delivered.
DELIVERY_STATUSES: dict[str, str | None] = {
    "accepted": "queued",
    "scheduled": "queued",
    "queued": "queued",
    "sending": "sending",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "undelivered",
    "failed": "failed",
    "receiving": None,
    "received": None,
}
MAX_MEDIA_URL_CHARS = 1000
MAX_CONTENT_TYPE_CHARS = 100
MAX_COORDINATE_CHARS = 32
MAX_PLACE_CHARS = 200
INBOUND_FIELDS = {
    "MessageSid": Field(column_chars(Message.external_id), required=True),
    "From": Field(NUMBER_CHARS, required=True),
    "Body": BODY_FIELD,
    "NumMedia": Field(2),
    **{f"MediaUrl{n}": Field(MAX_MEDIA_URL_CHARS) for n in range(MAX_MEDIA_PER_MESSAGE)},
    **{f"MediaContentType{n}": Field(MAX_CONTENT_TYPE_CHARS) for n in range(MAX_MEDIA_PER_MESSAGE)},
    # A location pin shared on WhatsApp: where it was dropped, and the place's name if one was picked.
    "Latitude": Field(MAX_COORDINATE_CHARS),
    "Longitude": Field(MAX_COORDINATE_CHARS),
    "Address": Field(MAX_PLACE_CHARS, free_text=True),
    "Label": Field(MAX_PLACE_CHARS, free_text=True),
}
STATUS_FIELDS = {
    "MessageSid": Field(column_chars(OutboundMessage.provider_id), required=True),
    # As long as the reason it may be kept as, when it is a status not listed.
    "MessageStatus": Field(column_chars(OutboundMessage.error), required=True),
    "ErrorCode": Field(column_chars(OutboundMessage.error)),
}


@channels.post("/twilio/sms")
@brings_a_report
def twilio_inbound() -> Response:
    verify_twilio_signature()
    message = inbound_from_twilio()
    answer = answer_sms(message)
    return Response(twiml_message(answer.text), mimetype="application/xml")


@channels.post("/twilio/status")
def twilio_delivery_status() -> Response:
    verify_twilio_signature()
    form = gateway_form(STATUS_FIELDS)
    status, error = delivery_outcome(form["MessageStatus"].lower(), form["ErrorCode"], DELIVERY_STATUSES)
    record_delivery_report(form["MessageSid"], status, error)
    return Response(status=204)


def inbound_from_twilio() -> InboundMessage:
    form = gateway_form(INBOUND_FIELDS)
    sender = form["From"]
    normalise_number(sender)  # a sender that is no number is refused whatever the message asks
    channel = "twilio_whatsapp" if sender.startswith("whatsapp:") else "twilio_sms"
    media = media_from_twilio(form["NumMedia"] or "0", form)
    body = "\n".join(part for part in (cut_to_keep(form["Body"]), location_from_twilio(form)) if part)
    return InboundMessage(
        channel=channel, external_id=form["MessageSid"], sender=sender, body=body, media=media
    )


def media_from_twilio(count: str, fields: dict[str, str]) -> tuple[MediaItem, ...]:
    """The photos, voice notes and videos Twilio says came with the message (`NumMedia`,
    `MediaUrl<n>`, `MediaContentType<n>`); nothing is fetched here."""
    if not re.fullmatch(r"[0-9]{1,2}", count) or int(count) > MAX_MEDIA_PER_MESSAGE:
        abort(400, description=f"NumMedia must be a whole number from 0 to {MAX_MEDIA_PER_MESSAGE}")
    missing = [f"MediaUrl{n}" for n in range(int(count)) if not fields[f"MediaUrl{n}"]]
    if missing:
        abort(400, description=f"missing field(s): {', '.join(missing)}")
    return tuple(MediaItem(fields[f"MediaUrl{n}"], fields[f"MediaContentType{n}"]) for n in range(int(count)))


def location_from_twilio(fields: dict[str, str]) -> str:
    """A location pin's words for the report (`Latitude`, `Longitude`, with `Label` and
    `Address` when the resident picked a named place); empty when none came."""
    if not fields["Latitude"] and not fields["Longitude"]:
        return ""
    latitude, longitude = coordinate(fields["Latitude"], 90), coordinate(fields["Longitude"], 180)
    if latitude is None or longitude is None:
        abort(400, description="Latitude and Longitude must be numbers within -90..90 and -180..180")
    place = " ".join(
        dict.fromkeys(part.strip() for part in (fields["Label"], fields["Address"]) if part.strip())
    )
    return location_text(latitude, longitude, place)


def coordinate(value: str, limit: int) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def verify_twilio_signature() -> None:
    """Refuse (403) anything not signed with our auth token for the URL Twilio called."""
    token = current().settings.twilio.auth_token
    if not token:
        abort(403, description="TWILIO_AUTH_TOKEN is not set here, so no Twilio request can be checked")
    signature = request.headers.get("X-Twilio-Signature", "")
    # As bytes: compare_digest refuses a str with other than ASCII in it, and a header may have it.
    if not signature or not hmac.compare_digest(expected_signature(token).encode(), signature.encode()):
        abort(403, description="missing or invalid X-Twilio-Signature")


def expected_signature(token: str) -> str:
    """Twilio's signature of this request, computed once, for the URL Twilio was given (the
    twilio library's own check computes it twice, with and without a port)."""
    return str(_validator(token).compute_signature(public_url(), request.form))


@cache
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def twiml_message(text: str) -> str:
    """The TwiML answer carrying one SMS (or none, when there is nothing to say), as Twilio's
    library writes it, without building a document for it."""
    if not text:
        return _TWIML_EMPTY
    return f"{_TWIML_OPEN}{escape(text)}{_TWIML_CLOSE}"


_TWIML_OPEN = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>'
_TWIML_CLOSE = "</Message></Response>"
_TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response />'


def public_url() -> str:
    base = current().settings.public_base_url
    if not base:
        return request.url
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")
