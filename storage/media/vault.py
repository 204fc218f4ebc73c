"""Where sealed attachments live: in their own row, or in files named by their id in the
folder SAUTI_MEDIA_PATH names. Either way only ciphertext is kept, sealed with the report's
data key and bound to the attachment and the part, so destroying that key (crypto-shredding)
leaves nothing readable, and `erase_attachments` removes even the ciphertext."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.crypto import DecryptionError
from storage.crypto.sealing import open_attachment, seal_attachment
from storage.instance import write_private_file
from storage.media.stripping import Cleaned
from storage.models import Attachment

PARTS = ("content", "thumbnail")


def keep(attachment: Attachment, data_key: bytes, cleaned: Cleaned, media_path: Path | None) -> None:
    """Seal what was cleaned of a file, and put it in the folder or the row."""
    sealed = {
        "content": seal_attachment(data_key, attachment.id, "content", cleaned.content),
        "thumbnail": (
            seal_attachment(data_key, attachment.id, "thumbnail", cleaned.thumbnail)
            if cleaned.thumbnail is not None
            else None
        ),
    }
    attachment.in_files = media_path is not None
    if media_path is None:
        attachment.content, attachment.thumbnail = sealed["content"], sealed["thumbnail"]
        return
    for part, blob in sealed.items():
        if blob is not None:
            write_private_file(_file(media_path, attachment.id, part), blob)


def read(attachment: Attachment, data_key: bytes, part: str, media_path: Path | None) -> bytes:
    """One part of a stored attachment, opened; DecryptionError when it is gone or its key is."""
    blob = _sealed(attachment, part, media_path)
    if blob is None:
        raise DecryptionError(f"the attachment's {part} was erased")
    return open_attachment(data_key, attachment.id, part, blob)


def erase_attachments(session: Session, media_path: Path | None, report_id: uuid.UUID) -> int:
    """Remove every attachment of a report, rows and files, in the caller's transaction; how
    many there were. For retention, with (or instead of) destroying the report's data key."""
    ids = list(session.scalars(select(Attachment.id).where(Attachment.report_id == report_id)))
    if media_path is not None:
        for attachment_id in ids:
            for part in PARTS:
                _file(media_path, attachment_id, part).unlink(missing_ok=True)
    session.execute(delete(Attachment).where(Attachment.report_id == report_id))
    return len(ids)


def _sealed(attachment: Attachment, part: str, media_path: Path | None) -> bytes | None:
    if not attachment.in_files:
        return attachment.content if part == "content" else attachment.thumbnail
    if media_path is None:
        return None
    path = _file(media_path, attachment.id, part)
    return path.read_bytes() if path.is_file() else None


def _file(media_path: Path, attachment_id: uuid.UUID, part: str) -> Path:
    return media_path / f"{attachment_id}.{part}"
