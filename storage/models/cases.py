"""Panels, the cases on their desks, and what panels add to a case: sealed notes, corrections
to the classification, transfers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.reports import Report

if TYPE_CHECKING:
    from storage.models.accounts import User

NOTE_KINDS = ("note", "transfer_reason", "reveal_reason", "escalation_reason", "reopen_reason")


class Panel(Base):
    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_sw: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)


class Case(Base):
    """A report routed to a panel, with its SLA clock: received → open → acknowledged →
    responded → resolved."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_panel_status", "panel_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), unique=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    route_rule: Mapped[str] = mapped_column(String(64), default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledge_due_at: Mapped[datetime]
    resolve_due_at: Mapped[datetime]
    # Seconds the case's urgency gives to resolve it: what a reopening by the reporter, who
    # cannot know the SLA policy, restarts the resolution clock with.
    resolve_within: Mapped[int] = mapped_column(default=0)
    acknowledged_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    # Whether the case ever missed a deadline, and which step's: kept when a deadline moves,
    # so escalating or reclassifying never turns a missed step into one done on time.
    overdue: Mapped[bool] = mapped_column(default=False)
    acknowledge_missed: Mapped[bool] = mapped_column(default=False)
    resolve_missed: Mapped[bool] = mapped_column(default=False)
    # The panel that held the case when it first missed a deadline: its lateness counts there,
    # not against the fallback panel the sweep then moves it to.
    late_panel_id: Mapped[int | None] = mapped_column(ForeignKey("panels.id"))
    escalation_level: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str | None] = mapped_column(String(64))
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The earliest case that likely reports the same incident, found when this one was opened.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )

    report: Mapped[Report] = relationship(back_populates="case")
    panel: Mapped[Panel] = relationship(foreign_keys=[panel_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assigned_user_id])


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


class ReplyTemplate(Base):
    """A reply a panel often sends, in English and Kiswahili, kept by the admins. Holds no
    reporter's words: a panel member picks it, edits it and sends it as their reply."""

    __tablename__ = "reply_templates"
    __table_args__ = (UniqueConstraint("panel_id", "title", name="uq_reply_templates_panel_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    text_en: Mapped[str] = mapped_column(Text)
    text_sw: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    panel: Mapped[Panel] = relationship()
