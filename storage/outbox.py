"""The outbox: messages to reporters, written in the transaction of the change that causes them
and sent afterwards by the notify job, by the way each reporter came."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.crypto.sealing import erase_contact, seal_contact, seal_outbound
from storage.models import OutboundMessage, Report, Reporter
from storage.models.reports import Delivery

# The kind of outbound message that carries a panel's own words to a reporter.
PANEL_REPLY = "panel_reply"

# How final each delivery status is. Gateways send delivery reports out of order, and none
# undoes a more final one: a late "sent" leaves "delivered", and a failure stands unless the
# message is delivered after all. Before any of these, the latest report is kept: our own "sent"
# (handed to the gateway) may well be followed by the gateway's "queued".
FINALITY = {"undelivered": 1, "failed": 1, "delivered": 2, "read": 3}

REPLY_CHANNEL = {
    "twilio_sms": "twilio_sms",
    "twilio_whatsapp": "twilio_whatsapp",
    "at_sms": "at_sms",
    "ussd": "at_sms",
}


def queue_to_reporter(
    session: Session, keys: KeyRing, report: Report, kind: str, text: str
) -> OutboundMessage | None:
    """Write a message about a report to its reporter's outbox, by the way they came."""
    return queue_message(session, keys, report.reporter, REPLY_CHANNEL[report.channel], kind, text, report)


def queue_message(
    session: Session,
    keys: KeyRing,
    reporter: Reporter,
    channel: str,
    kind: str,
    text: str,
    report: Report | None = None,
) -> OutboundMessage | None:
    """Write a message to the outbox; None if the reporter keeps no number with us."""
    if reporter.contact is None:
        return None
    outbound = OutboundMessage(
        id=uuid.uuid4(),
        reporter=reporter,
        report_id=report.id if report else None,
        channel=channel,
        kind=kind,
    )
    seal_outbound(keys, reporter, outbound, text)
    session.add(outbound)
    return outbound


def queue_answer(
    session: Session,
    keys: KeyRing,
    reporter: Reporter,
    number: str,
    answered: Delivery,
    text: str,
    report_id: uuid.UUID | None = None,
) -> OutboundMessage | None:
    """Write the answer to a resident's message (a receipt, HELP, STATUS, STOP) to the outbox,
    for a gateway that cannot carry it in the webhook's answer, by the channel the message came
    in on; ``report_id`` when it is the receipt of that report. None when that message has its
    answer already: a gateway's retry is answered once. A number not kept already is sealed for
    this answer only: once it has gone, the notify job erases it again unless a report needs it
    (`storage.retention.release_number`)."""
    if has_answer(session, answered):
        return None
    if not reporter.reachable:
        seal_contact(keys, reporter, number)
    channel, gateway_id = answered
    outbound = queue_message(session, keys, reporter, channel, "reply", text)
    if outbound is not None:
        outbound.report_id, outbound.answers = report_id, gateway_id
    return outbound


def has_answer(session: Session, message: Delivery) -> bool:
    """Whether an answer to this gateway message was queued. Two requests racing to answer it
    both may find none; the second to commit breaks `uq_outbound_channel_answers`."""
    channel, gateway_id = message
    answer = (OutboundMessage.channel == channel) & (OutboundMessage.answers == gateway_id)
    return session.scalar(select(OutboundMessage.id).where(answer).limit(1)) is not None


def forget_number(session: Session, reporter: Reporter) -> None:
    """Erase a reporter's number (STOP, retention) and the key sealing it and the messages to
    them. Messages still waiting can then never be read, so are never sent: if the number
    comes back later, it comes with a new key."""
    erase_contact(reporter)
    waiting = (OutboundMessage.reporter_id == reporter.id) & (OutboundMessage.status == "pending")
    session.execute(update(OutboundMessage).where(waiting).values(status="undeliverable"))


def record_delivery(session: Session, provider_id: str, status: str, error: str | None) -> bool:
    """What a gateway's delivery report says of a message it was given, unless an earlier report
    said something more final; False when no message of ours carries that gateway id."""
    outbound = session.scalar(
        select(OutboundMessage).where(OutboundMessage.provider_id == provider_id).with_for_update()
    )
    if outbound is None:
        return False
    if FINALITY.get(status, 0) >= FINALITY.get(outbound.status, 0):
        outbound.status, outbound.error = status, error
    return True
