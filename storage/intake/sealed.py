"""A gateway's message as it arrives, the rows it becomes once sealed, and what was stored.

Sealing runs in the request, before the rows reach the committer: plain dictionaries, no
ORM objects, every column without a server default given."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from storage.crypto import KeyRing
from storage.crypto import pseudonym as keyed_pseudonym
from storage.crypto.sealing import new_report_key, sealed_body, sealed_contact
from storage.intake.identity import new_reference, normalise_number
from storage.intake.media import MediaItem, pending_rows
from storage.models import utcnow
from storage.models.reports import Delivery


@dataclass(frozen=True)
class InboundMessage:
    """A message as a gateway delivered it, before anything is stored."""

    channel: str
    external_id: str
    sender: str
    body: str
    received_at: datetime = field(default_factory=utcnow)
    topic_hint: str | None = None
    media: tuple[MediaItem, ...] = ()

    @property
    def delivery(self) -> Delivery:
        return self.channel, self.external_id


@dataclass(frozen=True)
class StoredReport:
    report_id: uuid.UUID
    ref: str
    created: bool
    language: str | None = None
    # The message's media, pending, for the worker to fetch; empty when nothing new was stored.
    attachment_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class Held:
    """A report kept out of its batch, unwritten, because its number is past its limit this
    minute, or because it may be the number's reply to a panel's answer. `counted` is the
    number's reports this minute, this one included."""

    counted: int


@dataclass(frozen=True)
class SealedReport:
    """The rows a new report writes, its text, number and media's whereabouts sealed; held
    back unwritten when its number has sent more than `per_minute` reports this minute."""

    reporter: dict[str, Any]
    report: dict[str, Any]
    message: dict[str, Any]
    attachments: list[dict[str, Any]]
    per_minute: int | None = None

    @property
    def pseudonym(self) -> str:
        return str(self.reporter["pseudonym"])

    @property
    def delivery(self) -> Delivery:
        """The gateway's name for the message: the same delivery makes the same report."""
        return self.message["channel"], self.message["external_id"]

    def stored(self, created: bool = True) -> StoredReport:
        attachment_ids = tuple(row["id"] for row in self.attachments) if created else ()
        return StoredReport(self.report["id"], self.report["ref"], created, None, attachment_ids)

    def with_new_reference(self) -> SealedReport:
        return replace(self, report=self.report | {"ref": new_reference()})


def seal_report(
    keys: KeyRing, pepper: bytes, message: InboundMessage, per_minute: int | None = None
) -> SealedReport:
    number = normalise_number(message.sender)
    pseudonym = keyed_pseudonym(pepper, number)
    contact_key_id, contact_key, contact = sealed_contact(keys, pseudonym, number)
    report_id, message_id = uuid.uuid4(), uuid.uuid4()
    data_key, key_id, wrapped_key = new_report_key(keys, report_id)
    now = utcnow()
    return SealedReport(
        reporter={
            "pseudonym": pseudonym,
            "language": "en",
            "key_id": contact_key_id,
            "wrapped_key": contact_key,
            "contact": contact,
            "created_at": now,
            "last_seen_at": now,
        },
        report={
            "id": report_id,
            "ref": new_reference(),
            "channel": message.channel,
            "status": "received",
            "received_at": message.received_at,
            "key_id": key_id,
            "wrapped_key": wrapped_key,
            "topic_hint": message.topic_hint,
            "needs_translation": False,
            "needs_human_review": False,
        },
        message={
            "id": message_id,
            "channel": message.channel,
            "external_id": message.external_id,
            "author": "reporter",
            "body": sealed_body(data_key, message_id, message.body),
            "created_at": message.received_at,
        },
        attachments=pending_rows(data_key, message_id, message.media),
        per_minute=per_minute,
    )
