"""What panels add to a case: sealed notes, corrections to the classification, transfers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow

NOTE_KINDS = ("note", "transfer_reason", "reveal_reason")


class CaseNote(Base):
    """Words a panel member wrote about a case: an internal note, or the reason given for a
    transfer or for revealing the unredacted text. Sealed with the report's data key, so
    shredding the report shreds its notes too."""

    __tablename__ = "case_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(24), default="note")
    body: Mapped[bytes]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Correction(Base):
    """A person's correction of the classifier, for the next training run. Holds labels and
    the report id only; the trainer decrypts the text itself if the report still exists."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(String(32))
    new_value: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(64))
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transfer(Base):
    """A case moved to another panel: a plain transfer, or an escalation."""

    __tablename__ = "case_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"))
    to_panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"))
    escalation: Mapped[bool] = mapped_column(default=False)
    reason_note_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_notes.id", ondelete="SET NULL"))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
