"""What the panel pages and the API share about a case's photos, voice notes and videos: the
list a reader sees, the count an auditor sees, and one file served so that no browser or
proxy keeps it and no browser reads it as anything but what it is."""

from __future__ import annotations

import uuid

from flask import Response

from app.context import transaction
from app.signin import StaffMember
from storage.casework.queue import may_read_text
from storage.media.reading import (
    AttachmentEntry,
    AttachmentNotFoundError,
    OpenedAttachment,
    attachment_count,
    case_attachments,
    open_for_reader,
)
from storage.models import User
from workers.runtime import current

__all__ = ["AttachmentNotFoundError", "count", "listing", "opened", "served"]


def listing(member: StaffMember, ref: str) -> list[AttachmentEntry] | None:
    """The case's attachments for a reader of its text; None for anyone else."""
    with transaction() as session:
        user = session.get_one(User, member.id)
        return case_attachments(session, user, ref) if may_read_text(user) else None


def count(member: StaffMember, ref: str) -> int:
    with transaction() as session:
        return attachment_count(session, session.get_one(User, member.id), ref)


def opened(member: StaffMember, ref: str, attachment_id: uuid.UUID, part: str) -> OpenedAttachment:
    """One stored file (or its thumbnail), opened and its viewing audited."""
    runtime = current()
    with transaction() as session:
        user = session.get_one(User, member.id)
        return open_for_reader(
            session, runtime.store.keys, runtime.settings.media_path, user, ref, attachment_id, part
        )


def served(attachment: OpenedAttachment) -> Response:
    return Response(
        attachment.content,
        mimetype=attachment.content_type,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'inline; filename="{attachment.filename}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Accept-Ranges": "none",
        },
    )
