"""Per-record data keys: each report, each reporter and each outbound message has its own,
wrapped by a master key."""

from __future__ import annotations

import uuid

from storage.crypto import (
    DecryptionError,
    KeyRing,
    associated_data,
    new_data_key,
    open_bytes,
    seal,
    seal_bytes,
    unseal,
)
from storage.models import Message, OutboundMessage, Report, Reporter


def issue_report_key(keys: KeyRing, report: Report) -> bytes:
    data_key, report.key_id, report.wrapped_key = new_report_key(keys, report.id)
    return data_key


def new_report_key(keys: KeyRing, report_id: uuid.UUID) -> tuple[bytes, str, bytes]:
    """A fresh data key for the report with this id, and its key id and wrapped form to store."""
    data_key = new_data_key()
    key_id, wrapped = keys.wrap(data_key, _report_key_aad(report_id))
    return data_key, key_id, wrapped


def report_key(keys: KeyRing, report: Report) -> bytes:
    if report.wrapped_key is None or report.key_id is None:
        raise DecryptionError("this report's data key was destroyed")
    return keys.unwrap(report.key_id, report.wrapped_key, _report_key_aad(report.id))


def seal_message(data_key: bytes, message: Message, text: str) -> None:
    message.body = sealed_body(data_key, message.id, text)


def sealed_body(data_key: bytes, message_id: uuid.UUID, text: str) -> bytes:
    return seal(data_key, text, associated_data("messages", message_id, "body"))


def open_message(data_key: bytes, message: Message) -> str:
    return unseal(data_key, message.body, associated_data("messages", message.id, "body"))


def seal_outbound(keys: KeyRing, outbound: OutboundMessage, text: str, number: str | None = None) -> None:
    """Seal a message's text, and the number it goes to when its reporter keeps none, with a
    fresh data key of the message's own."""
    data_key = new_data_key()
    outbound.key_id, outbound.wrapped_key = keys.wrap(data_key, _outbound_aad(outbound.id, "data_key"))
    outbound.body = seal(data_key, text, _outbound_aad(outbound.id, "body"))
    outbound.recipient = (
        None if number is None else seal(data_key, number, _outbound_aad(outbound.id, "recipient"))
    )


def open_outbound(keys: KeyRing, reporter: Reporter, outbound: OutboundMessage) -> str:
    return unseal(_outbound_key(keys, reporter, outbound), outbound.body, _outbound_aad(outbound.id, "body"))


def open_recipient(keys: KeyRing, outbound: OutboundMessage) -> str | None:
    """The number the message carries; None when it goes to its reporter's kept number."""
    if outbound.recipient is None:
        return None
    key = _outbound_key(keys, outbound.reporter, outbound)
    return unseal(key, outbound.recipient, _outbound_aad(outbound.id, "recipient"))


def erase_outbound(outbound: OutboundMessage) -> None:
    """Erase the message's key, and with it its text and any number it carries. Its key id
    stays, telling an erased message from one sealed before messages had keys."""
    outbound.wrapped_key = None


def rewrap_outbound_key(keys: KeyRing, outbound: OutboundMessage) -> None:
    data_key = _outbound_key(keys, outbound.reporter, outbound)
    outbound.key_id, outbound.wrapped_key = keys.wrap(data_key, _outbound_aad(outbound.id, "data_key"))


def _outbound_key(keys: KeyRing, reporter: Reporter, outbound: OutboundMessage) -> bytes:
    if outbound.key_id is None:
        # Sealed before messages had keys of their own: with its reporter's.
        return reporter_key(keys, reporter)
    if outbound.wrapped_key is None:
        raise DecryptionError("this message was erased")
    return keys.unwrap(outbound.key_id, outbound.wrapped_key, _outbound_aad(outbound.id, "data_key"))


def _outbound_aad(outbound_id: uuid.UUID, field: str) -> bytes:
    return associated_data("outbound_messages", outbound_id, field)


def seal_contact(keys: KeyRing, reporter: Reporter, number: str) -> None:
    reporter.key_id, reporter.wrapped_key, reporter.contact = sealed_contact(keys, reporter.pseudonym, number)


def sealed_contact(keys: KeyRing, pseudonym: str, number: str) -> tuple[str, bytes, bytes]:
    """A fresh data key for the reporter with this pseudonym: its key id, its wrapped form, and
    their number sealed with it."""
    data_key = new_data_key()
    key_id, wrapped = keys.wrap(data_key, _reporter_key_aad(pseudonym))
    return key_id, wrapped, seal(data_key, number, _contact_aad(pseudonym))


def reporter_key(keys: KeyRing, reporter: Reporter) -> bytes:
    if reporter.wrapped_key is None or reporter.key_id is None:
        raise DecryptionError("this reporter's number and messages were erased")
    return keys.unwrap(reporter.key_id, reporter.wrapped_key, _reporter_key_aad(reporter.pseudonym))


def open_contact(keys: KeyRing, reporter: Reporter) -> str | None:
    """The reporter's number, or None when they said STOP or it was erased."""
    if reporter.contact is None or reporter.wrapped_key is None:
        return None
    return unseal(reporter_key(keys, reporter), reporter.contact, _contact_aad(reporter.pseudonym))


def erase_contact(reporter: Reporter) -> None:
    reporter.contact = None
    reporter.wrapped_key = None
    reporter.key_id = None


def rewrap_report_key(keys: KeyRing, report: Report) -> None:
    """Wrap the report's data key with the active master key; its ciphertexts stay as they are."""
    data_key = report_key(keys, report)
    report.key_id, report.wrapped_key = keys.wrap(data_key, _report_key_aad(report.id))


def rewrap_reporter_key(keys: KeyRing, reporter: Reporter) -> None:
    data_key = reporter_key(keys, reporter)
    reporter.key_id, reporter.wrapped_key = keys.wrap(data_key, _reporter_key_aad(reporter.pseudonym))


def _report_key_aad(report_id: uuid.UUID) -> bytes:
    return associated_data("reports", report_id, "data_key")


def _contact_aad(pseudonym: str) -> bytes:
    return associated_data("reporters", pseudonym, "contact")


def _reporter_key_aad(pseudonym: str) -> bytes:
    return associated_data("reporters", pseudonym, "data_key")


def seal_attachment(data_key: bytes, attachment_id: object, part: str, data: bytes) -> bytes:
    """Seal one part of an attachment (`gateway_url`, `content`, `thumbnail`) with its
    report's data key, bound to the attachment and the part."""
    return seal_bytes(data_key, data, associated_data("attachments", attachment_id, part))


def open_attachment(data_key: bytes, attachment_id: object, part: str, blob: bytes) -> bytes:
    try:
        return open_bytes(data_key, blob, associated_data("attachments", attachment_id, part))
    except DecryptionError as error:
        raise DecryptionError("the attachment does not match its report's key or its place") from error
