"""The outbox: messages to reporters, written in the transaction of the change that causes them
and sent afterwards by the notify job, by the way each reporter came."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.crypto.sealing import erase_contact, seal_contact, seal_outbound
from storage.models import OutboundMessage, Report, Reporter, utcnow

REPLY_CHANNEL = {
    "twilio_sms": "twilio_sms",
    "twilio_whatsapp": "twilio_whatsapp",
    "at_sms": "at_sms",
    "ussd": "at_sms",
}
# A retry's report stored this long ago with no receipt queued: the request that stored it died
# between its commit and the receipt. Sooner, that request may be queuing it still.
RECEIPT_GRACE = timedelta(seconds=15)


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
    channel: str,
    text: str,
    report_id: uuid.UUID | None = None,
) -> OutboundMessage | None:
    """Write the answer to a resident's message (a receipt, HELP, STATUS, STOP) to the outbox,
    for a gateway that cannot carry it in the webhook's answer; ``report_id`` when it is the
    receipt of that report. A number not kept already is sealed for this answer only: once it
    has gone, the notify job erases it again unless a report needs it
    (`storage.retention.release_number`)."""
    if not reporter.reachable:
        seal_contact(keys, reporter, number)
    outbound = queue_message(session, keys, reporter, channel, "reply", text)
    if outbound is not None:
        outbound.report_id = report_id
    return outbound


def receipt_owed(session: Session, report_id: uuid.UUID, channel: str) -> bool:
    """Whether a gateway retry must queue the receipt of a report stored before: none queued by
    ``channel``, and the report stored longer ago than RECEIPT_GRACE, so the request that stored
    it died before queuing one rather than being about to."""
    stored_at = session.scalar(select(Report.received_at).where(Report.id == report_id))
    if stored_at is None or stored_at > utcnow() - RECEIPT_GRACE:
        return False
    receipt = (
        (OutboundMessage.report_id == report_id)
        & (OutboundMessage.channel == channel)
        & (OutboundMessage.kind == "reply")
    )
    return session.scalar(select(OutboundMessage.id).where(receipt).limit(1)) is None


def forget_number(session: Session, reporter: Reporter) -> None:
    """Erase a reporter's number (STOP, retention) and the key sealing it and the messages to
    them. Messages still waiting can then never be read, so are never sent: if the number
    comes back later, it comes with a new key."""
    erase_contact(reporter)
    waiting = (OutboundMessage.reporter_id == reporter.id) & (OutboundMessage.status == "pending")
    session.execute(update(OutboundMessage).where(waiting).values(status="undeliverable"))


def record_delivery(session: Session, provider_id: str, status: str, error: str | None) -> bool:
    """What a gateway's delivery report says of a message it was given; False when no message
    of ours carries that gateway id."""
    outbound = session.scalar(select(OutboundMessage).where(OutboundMessage.provider_id == provider_id))
    if outbound is None:
        return False
    outbound.status, outbound.error = status, error
    return True
