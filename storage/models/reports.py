"""Reporters known only by pseudonym, their encrypted reports and messages, and the outbox of
messages to them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow

if TYPE_CHECKING:
    from storage.models.cases import Case

# After a panel's answer, how long the number's messages are taken as its reply; once it has
# replied, how long more of the same answer may take to arrive.
REPLIES_AWAITED_FOR = timedelta(hours=72)
ONE_REPLY_TAKES = timedelta(minutes=30)
# How long after a number's report its plain messages are more of the same story, sent as
# several SMS: they join that report instead of each opening one.
STORY_PARTS_ARRIVE_WITHIN = timedelta(minutes=3)


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
    # New reports from the number in the minute that started at minute_started_at: past the
    # limit, a flood. Counted as reports are written, in the same statement.
    minute_started_at: Mapped[datetime | None]
    minute_reports: Mapped[int] = mapped_column(default=0, server_default="0")
    # Until then, a message from the number that names no report is its reply to the panel's
    # latest answer, added to that report, not a new one.
    replies_until: Mapped[datetime | None]
    # The messages handed in as reports since the number's story began, until story_until: past
    # the first, each may be a part of the same story. Counted as reports are written.
    story_until: Mapped[datetime | None]
    story_parts: Mapped[int] = mapped_column(default=0, server_default="0")

    reports: Mapped[list[Report]] = relationship(back_populates="reporter")

    def await_reply(self, now: datetime) -> None:
        """A panel has answered: what the number sends next is its reply."""
        self.replies_until = now + REPLIES_AWAITED_FOR

    def replied(self, at: datetime) -> None:
        """The number has replied: the rest of its reply may follow, then it writes anew."""
        if self.replies_until is not None:
            self.replies_until = min(self.replies_until, at + ONE_REPLY_TAKES)

    def end_story(self) -> None:
        """What the number sends next begins a story of its own (after STOP, say)."""
        self.story_until = None
        self.story_parts = 0

    @property
    def reachable(self) -> bool:
        """Whether a message can still reach them: their number is kept (no STOP, not erased)."""
        return self.contact is not None and self.wrapped_key is not None


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
    # Below critical, yet it may be an emergency: set by triage; None for reports triaged before.
    possible_emergency: Mapped[bool | None]
    triaged_at: Mapped[datetime | None]
    # Failed triage attempts; after a few, the report goes to a person unclassified.
    triage_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    rating: Mapped[int | None]

    reporter: Mapped[Reporter] = relationship(back_populates="reports")
    messages: Mapped[list[Message]] = relationship(back_populates="report", order_by="Message.created_at")
    case: Mapped[Case | None] = relationship(back_populates="report")

    @property
    def reporter_reachable(self) -> bool:
        return self.reporter.reachable


# A resident's message as its gateway names it: the channel and the gateway's id. The same
# delivery makes one report, and is answered once.
Delivery = tuple[str, str]


class Message(Base):
    """One message in a report's thread: the reporter's first text, follow-ups, panel replies.
    `(channel, external_id)` makes gateway retries idempotent."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_messages_channel_external"),
        # The sweeper's way to the few follow-ups triage has yet to read.
        Index(
            "ix_messages_awaiting_triage",
            "created_at",
            postgresql_where=text("awaiting_triage"),
            sqlite_where=text("awaiting_triage"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    external_id: Mapped[str | None] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(16))
    body: Mapped[bytes]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A follow-up from the reporter that triage has not read yet: it may make the case more urgent.
    awaiting_triage: Mapped[bool] = mapped_column(default=False, server_default=false())

    report: Mapped[Report] = relationship(back_populates="messages")


class OutboundMessage(Base):
    """A message to a reporter, written in the same transaction as the change that causes it
    (an outbox), then sent by the notify job. Its text is sealed with a data key of its own,
    erased with the reporter's number (STOP, retention), so that unsent messages are never
    read. An answer to a number not kept carries that number sealed with its text, and both
    are erased once it is sent: a STOP confirmation still goes to a number already erased."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index("ix_outbound_status_created", "status", "created_at"),
        UniqueConstraint("channel", "answers", name="uq_outbound_channel_answers"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    report_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reports.id"), index=True)
    channel: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(24))
    body: Mapped[bytes]
    key_id: Mapped[str | None] = mapped_column(String(32))
    wrapped_key: Mapped[bytes | None]
    # The number to send to, when the reporter keeps none with us; else their kept number.
    recipient: Mapped[bytes | None]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The gateway's id of the resident's message this is the answer to, for a gateway that
    # cannot carry the answer in the webhook's reply: its retries of that message find it
    # answered, however many race.
    answers: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    # A job is handing it to its gateway: no other job sends it until then. A claim outlasts
    # any job, so one found lapsed was left by a worker that died mid-send.
    claimed_until: Mapped[datetime | None]
    # When the outbox sweep may queue it (again): not while a job for it waits or runs, and
    # further apart after each failed attempt. Never set: the sweep's grace after it was written.
    requeue_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    reporter: Mapped[Reporter] = relationship()
