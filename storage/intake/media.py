"""Media a gateway says came with a message: a pending attachment for each, written with the
message, for the worker to fetch. Where the gateway keeps the file is sealed like the text."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from storage.crypto.sealing import seal_attachment
from storage.media.kinds import family_of
from storage.models import Attachment, Message, Report, utcnow
from storage.reporter_texts import LANGUAGES, reporter_text

MAX_MEDIA_PER_MESSAGE = 10
# What the text of a report that came with media and no words says, by the media's family.
MEDIA_ONLY_TEXTS = {
    "image": "media_only_photo",
    "audio": "media_only_voice_note",
    "video": "media_only_video",
    "file": "media_only_file",
}
ATTACHMENT_COLUMNS = (
    "id",
    "message_id",
    "position",
    "state",
    "declared_type",
    "metadata_removed",
    "gateway_url",
    "in_files",
    "attempts",
    "next_attempt_at",
    "reporter_told",
    "created_at",
)


@dataclass(frozen=True)
class MediaItem:
    """One file as the gateway announced it: where it keeps it, and the type it declares."""

    url: str
    declared_type: str


LOCATION = "[location]"
LOCATION_ALONE = re.compile(re.escape(LOCATION) + r" -?\d+\.\d+, -?\d+\.\d+(?: [^\n]*)?")


def media_only_text(media: tuple[MediaItem, ...]) -> str:
    """The text a report made of media alone carries, e.g. "[photo]"."""
    return reporter_text(MEDIA_ONLY_TEXTS[family_of(media[0].declared_type)], "en")


def location_text(latitude: float, longitude: float, place: str) -> str:
    """The words a location pin sent with a message stands for, as the panel reads them:
    "[location] -1.27410, 36.85100 Eastleigh 1st Avenue"."""
    return f"{LOCATION} {latitude:.5f}, {longitude:.5f} {place}".strip()


def is_location_only_text(text: str) -> bool:
    """Whether a report's text is a location pin and nothing else: a place, no words to read."""
    return LOCATION_ALONE.fullmatch(text.strip()) is not None


def is_media_only_text(text: str) -> bool:
    """Whether a report's text is one that stands for media sent without words."""
    return text in {
        reporter_text(name, language) for name in MEDIA_ONLY_TEXTS.values() for language in LANGUAGES
    }


def pending_rows(
    data_key: bytes, message_id: uuid.UUID, media: tuple[MediaItem, ...]
) -> list[dict[str, Any]]:
    """A pending attachment row for each item (without its report id), every column given."""
    now = utcnow()
    rows = []
    for position, item in enumerate(media):
        attachment_id = uuid.uuid4()
        rows.append(
            {
                "id": attachment_id,
                "message_id": message_id,
                "position": position,
                "state": "pending",
                "declared_type": item.declared_type,
                "metadata_removed": False,
                "gateway_url": seal_attachment(data_key, attachment_id, "gateway_url", item.url.encode()),
                "in_files": False,
                "attempts": 0,
                "next_attempt_at": now,
                "reporter_told": False,
                "created_at": now,
            }
        )
    return rows


def add_pending(
    session: Session, data_key: bytes, report: Report, message: Message, media: tuple[MediaItem, ...]
) -> list[uuid.UUID]:
    """Add a message's media to a report already stored, in the caller's transaction."""
    attachments = [
        Attachment(**row, report=report, message=message) for row in pending_rows(data_key, message.id, media)
    ]
    session.add_all(attachments)
    return [attachment.id for attachment in attachments]
