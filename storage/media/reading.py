"""Attachments as the people working a case may see them: panel members of the case's panel
list and open them (every opening audited, with the attachment's id, never its content);
auditors learn how many there are, nothing more."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.casework.actions import NotPermittedError
from storage.casework.queries import find_case
from storage.casework.queue import may_read_text
from storage.crypto import DecryptionError, KeyRing
from storage.crypto.sealing import report_key
from storage.media import vault
from storage.media.kinds import family_of
from storage.models import Attachment, Case, User

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/3gpp": "3gp",
    "audio/ogg": "ogg",
    "audio/amr": "amr",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/3gpp": "3gp",
}


class AttachmentNotFoundError(LookupError):
    """No such attachment on a case this person may see, or nothing stored to show."""


@dataclass(frozen=True)
class AttachmentEntry:
    id: uuid.UUID
    position: int
    state: str
    reason: str | None
    content_type: str | None
    size: int | None
    metadata_removed: bool

    @property
    def family(self) -> str:
        return family_of(self.content_type or "")

    @property
    def has_thumbnail(self) -> bool:
        return self.state == "stored" and self.family == "image"


@dataclass(frozen=True)
class OpenedAttachment:
    content: bytes
    content_type: str
    filename: str


def reports_with_attachments(session: Session, report_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    query = select(Attachment.report_id).where(Attachment.report_id.in_(report_ids)).distinct()
    return set(session.scalars(query))


def case_attachments(session: Session, user: User, ref: str) -> list[AttachmentEntry]:
    """The attachments of a case this person may read, in the order they were sent."""
    item = _readable_case(session, user, ref)
    query = (
        select(Attachment)
        .where(Attachment.report_id == item.report_id)
        .order_by(Attachment.created_at, Attachment.position)
    )
    return [_entry(attachment) for attachment in session.scalars(query)]


def attachment_count(session: Session, user: User, ref: str) -> int:
    """How many files came with a case's report: all an auditor learns of them."""
    item = find_case(session, user, ref)
    if item is None:
        raise AttachmentNotFoundError(ref)
    query = select(func.count()).select_from(Attachment).where(Attachment.report_id == item.report_id)
    return int(session.scalar(query) or 0)


def open_for_reader(
    session: Session,
    keys: KeyRing,
    media_path: Path | None,
    user: User,
    ref: str,
    attachment_id: uuid.UUID,
    part: str = "content",
) -> OpenedAttachment:
    """A stored attachment's content (or its thumbnail), opened for a reader of its case; the
    opening is written to the audit chain."""
    item = _readable_case(session, user, ref)
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.report_id != item.report_id or attachment.state != "stored":
        raise AttachmentNotFoundError(str(attachment_id))
    entry = _entry(attachment)
    if part == "thumbnail" and not entry.has_thumbnail:
        raise AttachmentNotFoundError(str(attachment_id))
    try:
        content = vault.read(attachment, report_key(keys, item.report), part, media_path)
    except DecryptionError as error:
        raise AttachmentNotFoundError("erased with its report's key") from error
    audit.record(
        session,
        "attachment.viewed",
        actor=f"user:{user.id}",
        subject=f"case:{item.id}",
        details={"ref": item.report.ref, "attachment": str(attachment.id), "part": part},
    )
    content_type = "image/jpeg" if part == "thumbnail" else entry.content_type or "application/octet-stream"
    extension = "jpg" if part == "thumbnail" else EXTENSIONS.get(content_type, "bin")
    return OpenedAttachment(
        content, content_type, f"{item.report.ref}-{attachment.position + 1}-{part}.{extension}"
    )


def _readable_case(session: Session, user: User, ref: str) -> Case:
    item = find_case(session, user, ref)
    if item is None:
        raise AttachmentNotFoundError(ref)
    if not may_read_text(user):
        raise NotPermittedError("only the case's panel may open what the reporter sent")
    return item


def _entry(attachment: Attachment) -> AttachmentEntry:
    return AttachmentEntry(
        attachment.id,
        attachment.position,
        attachment.state,
        attachment.reason,
        attachment.content_type,
        attachment.size,
        attachment.metadata_removed,
    )
