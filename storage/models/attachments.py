"""Photos, voice notes and videos a reporter sent with a message, sealed with the report's
data key once fetched from the gateway and stripped of what their device wrote into them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow

if TYPE_CHECKING:
    from storage.models.reports import Message, Report

ATTACHMENT_STATES = ("pending", "stored", "not_accepted", "failed")


class Attachment(Base):
    """One media item of a message. `pending` until the worker has fetched it; then `stored`
    (sealed, metadata removed), `not_accepted` (too large, a type not kept, a host not allowed)
    or `failed` (the gateway could not give it after every attempt), with the reason.

    `gateway_url` (sealed) is where the gateway keeps its copy; it is cleared once that copy
    is deleted there. The sealed bytes are in `content` and `thumbnail`, or in files named by
    the id under SAUTI_MEDIA_PATH when `in_files`."""

    __tablename__ = "attachments"
    __table_args__ = (
        # The sweeper looks for attachments whose next attempt at the gateway is due.
        Index("ix_attachments_next_attempt_at", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id"), index=True)
    position: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str | None] = mapped_column(String(32))
    declared_type: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    metadata_removed: Mapped[bool] = mapped_column(default=False)
    gateway_url: Mapped[bytes | None]
    in_files: Mapped[bool] = mapped_column(default=False)
    content: Mapped[bytes | None]
    thumbnail: Mapped[bytes | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    reporter_told: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]

    report: Mapped[Report] = relationship()
    message: Mapped[Message] = relationship()
