"""The outbox: messages to reporters, written in the transaction of the change that causes them
and sent afterwards by the notify job, by the way each reporter came."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from storage.crypto import KeyRing
from storage.crypto.sealing import erase_contact, erase_outbound, seal_outbound
from storage.models import OutboundMessage, Report, Reporter
from storage.models.reports import Delivery

# The kind of outbound message that carries a panel's own words to a reporter.
PANEL_REPLY = "panel_reply"

# How final each delivery status is. Gateways send delivery reports out of order, and none
# undoes a more final one: a late "sent" leaves "delivered", and a failure stands unless the
# message is delivered after all. Before any of these, the latest report is kept: our own "sent"
# (handed to the gateway) may well be followed by the gateway's "queued".
FINALITY = {"undelivered": 1, "failed": 1, "delivered": 2, "read": 3}

# How long a job's claim on a message lasts while it hands it to the gateway: longer than RQ
# lets a job run (180 s), so that a claim found lapsed was left by a worker that died mid-send,
# the one way left for a resident to get the same message twice.
CLAIM = timedelta(minutes=5)
# Once the sweep has queued a message, how long before it may queue it again: the job for it
# may be waiting behind others.
QUEUED_FOR = timedelta(minutes=5)
# After each failed attempt, how long before the sweep queues the message again; the last
# pause repeats.
RETRY_PAUSES = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))

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
    *,
    number: str | None = None,
) -> OutboundMessage | None:
    """Write a message to the outbox, to the reporter's kept number or to the `number` it
    carries; None if there is neither."""
    if reporter.contact is None and number is None:
        return None
    outbound = OutboundMessage(
        id=uuid.uuid4(),
        reporter=reporter,
        report_id=report.id if report else None,
        channel=channel,
        kind=kind,
    )
    seal_outbound(keys, outbound, text, number)
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
    answer already: a gateway's retry is answered once. A number not kept (never, or erased by
    STOP) is sealed in this answer only, and erased with it once it has gone (`settle`): the
    reporter's own number and key stay erased."""
    if has_answer(session, answered):
        return None
    channel, gateway_id = answered
    carried = None if reporter.reachable else number
    outbound = queue_message(session, keys, reporter, channel, "reply", text, number=carried)
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
    """Erase a reporter's number (STOP, retention), the key sealing it and the keys of the
    messages to them. Messages still waiting for that number can then never be read, so are
    never sent: if the number comes back later, it comes with a new key. An answer waiting with
    a number of its own (what they asked once their number was erased) still goes: it was
    asked for since, and is erased once sent."""
    erase_contact(reporter)
    theirs = OutboundMessage.reporter_id == reporter.id
    waiting = OutboundMessage.status == "pending"
    carries_number = OutboundMessage.recipient.is_not(None)
    session.execute(
        update(OutboundMessage).where(theirs, waiting, ~carries_number).values(status="undeliverable")
    )
    session.execute(
        update(OutboundMessage).where(theirs, ~(waiting & carries_number)).values(wrapped_key=None)
    )


def settle(outbound: OutboundMessage) -> bool:
    """Whether the message is done with (sent, refused, given up on); if so, the number it
    carries goes with its text. One kept in the outbox waits there to be read."""
    if outbound.status in ("pending", "outbox"):
        return False
    if outbound.recipient is not None:
        erase_outbound(outbound)
    return True


def waiting_for_number(session: Session, reporter: Reporter) -> bool:
    """Whether a message to the reporter's kept number is still to be sent."""
    waiting = (OutboundMessage.status == "pending") & OutboundMessage.recipient.is_(None)
    mine = OutboundMessage.reporter_id == reporter.id
    return session.scalar(select(OutboundMessage.id).where(mine, waiting).limit(1)) is not None


def claim_to_send(session: Session, outbound_id: uuid.UUID, now: datetime) -> OutboundMessage | None:
    """Claim a pending message for this job to hand to its gateway until `now` + CLAIM, and
    count the attempt (one cut short by a dying worker counts too). None when the message is
    gone, settled already, or claimed by another job; the caller commits before sending, so
    that no other job sends it meanwhile."""
    outbound = session.get(OutboundMessage, outbound_id, with_for_update=True)
    if outbound is None or outbound.status != "pending":
        return None
    if outbound.claimed_until is not None and outbound.claimed_until > now:
        return None
    outbound.claimed_until = outbound.requeue_at = now + CLAIM
    outbound.attempts += 1
    return outbound


def record_sent(
    outbound: OutboundMessage, now: datetime, *, status: str, provider_id: str | None, error: str | None
) -> None:
    """What the gateway made of a claimed message (sent, refused for good, kept in the outbox)."""
    outbound.status, outbound.provider_id, outbound.error = status, provider_id, error
    outbound.claimed_until = outbound.requeue_at = None
    if status in ("sent", "outbox"):
        outbound.sent_at = now


def record_not_sent(outbound: OutboundMessage, now: datetime, *, error: str) -> None:
    """The gateway failed a claimed message: it stays pending, for the sweep to queue again
    after a pause that grows with its attempts."""
    pause = RETRY_PAUSES[min(outbound.attempts, len(RETRY_PAUSES)) - 1]
    outbound.error, outbound.claimed_until, outbound.requeue_at = error, None, now + pause


def due_for_requeue(now: datetime) -> ColumnElement[bool]:
    """Pending messages the sweep may queue: no job for them is waiting or running, and any
    pause after a failed attempt is over."""
    not_held = OutboundMessage.requeue_at.is_(None) | (OutboundMessage.requeue_at <= now)
    return (OutboundMessage.status == "pending") & not_held


def mark_queued(session: Session, outbound_ids: list[uuid.UUID], now: datetime) -> None:
    """The sweep has queued these: it leaves them be for QUEUED_FOR."""
    queued = OutboundMessage.id.in_(outbound_ids) & (OutboundMessage.status == "pending")
    session.execute(update(OutboundMessage).where(queued).values(requeue_at=now + QUEUED_FOR))


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
