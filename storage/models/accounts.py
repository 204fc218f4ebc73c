"""People who work in Sauti, their panels, and failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow
from storage.models.cases import Panel

ROLES = ("panel_member", "panel_lead", "auditor", "admin")


panel_members = Table(
    "panel_members",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("panel_id", ForeignKey("panels.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_key_id: Mapped[str | None] = mapped_column(String(32))
    totp_secret: Mapped[bytes | None]
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None]
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Every signed-in session carries the value it started under; raising it ends them all.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    panels: Mapped[list[Panel]] = relationship(secondary=panel_members)


class SignInFailure(Base):
    """A failed sign-in, kept briefly so every web worker throttles the same guesses."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestWindow(Base):
    """How many requests one caller (an API token's owner, a number looking up references or
    sending reports) made in one fixed window of time, counted in the database so every web
    worker and host enforces the same limit."""

    __tablename__ = "request_windows"
    # Each caller's first request of a window sweeps the windows past: with a caller per
    # number, that is most reports, so the sweep must find what is old without a scan.
    __table_args__ = (Index("ix_request_windows_window_start", "window_start"),)

    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    requests: Mapped[int] = mapped_column(default=0)
