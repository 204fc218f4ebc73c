"""The database schema: reporters known only by pseudonym, their encrypted reports, the cases
panels work on, outbound messages and the audit chain."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[type, object]] = {
        datetime: DateTime(timezone=True),
        bytes: LargeBinary,
    }


class Reporter(Base):
    """A resident, known by a keyed hash of their number. The number itself is kept only
    encrypted (to reply) and is erased on STOP or after the retention period."""

    __tablename__ = "reporters"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    key_id: Mapped[str | None] = mapped_column(String(32))
    wrapped_key: Mapped[bytes | None]
    contact: Mapped[bytes | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]

    reports: Mapped[list[Report]] = relationship(back_populates="reporter")


class Report(Base):
    """One grievance as it arrived. Its text lives in `messages`, sealed with this report's
    own data key; deleting the wrapped key crypto-shreds the whole thread."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_received_at", "status", "received_at"),
        # Auditors' metrics select reports by when they were received.
        Index("ix_reports_received_at", "received_at"),
        # Triage looks for recent reports of the same incident in the same ward.
        Index("ix_reports_ward_category_received_at", "ward", "category", "received_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="received")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    key_id: Mapped[str | None] = mapped_column(String(32))
    wrapped_key: Mapped[bytes | None]
    topic_hint: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(32))
    urgency: Mapped[str | None] = mapped_column(String(16))
    ward: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None]
    model_version: Mapped[str | None] = mapped_column(String(64))
    needs_translation: Mapped[bool] = mapped_column(default=False)
    needs_human_review: Mapped[bool] = mapped_column(default=False)
    triaged_at: Mapped[datetime | None]
    # Failed triage attempts; after a few, the report goes to a person unclassified.
    triage_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    rating: Mapped[int | None]

    reporter: Mapped[Reporter] = relationship(back_populates="reports")
    messages: Mapped[list[Message]] = relationship(back_populates="report", order_by="Message.created_at")
    case: Mapped[Case | None] = relationship(back_populates="report")


class Message(Base):
    """One message in a report's thread: the reporter's first text, follow-ups, panel replies.
    `(channel, external_id)` makes gateway retries idempotent."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_messages_channel_external"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    external_id: Mapped[str | None] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(16))
    body: Mapped[bytes]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="messages")


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
    acknowledged_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    overdue: Mapped[bool] = mapped_column(default=False)
    escalation_level: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str | None] = mapped_column(String(64))
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The earliest case that likely reports the same incident, found when this one was opened.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )

    report: Mapped[Report] = relationship(back_populates="case")
    panel: Mapped[Panel] = relationship()


class OutboundMessage(Base):
    """A message to a reporter, written in the same transaction as the change that causes it
    (an outbox), then sent by the notify job. Its text is sealed with the recipient's data key,
    so erasing their number (STOP) also makes unsent messages unreadable."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_status_created", "status", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    report_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reports.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(24))
    body: Mapped[bytes]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    reporter: Mapped[Reporter] = relationship()


class AuditEvent(Base):
    """One link of the hash chain. Never holds message text or a number."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
