"""Notices to staff (panel leads, admins) about cases that need them: the outbox that mail
is sent from, and what an admin sees when no mail server is configured."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from storage.accounts import User, panel_members
from storage.models import Base, Panel, utcnow


class StaffNotice(Base):
    """One notice to one person. Carries the case reference and what happened, never the
    report's text or the reporter's number."""

    __tablename__ = "staff_notices"
    __table_args__ = (Index("ix_staff_notices_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="outbox")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


def panel_leads(session: Session, panel: Panel) -> list[User]:
    """Active leads of a panel; the admins when the panel has none, so nobody is missed."""
    leads = session.scalars(
        select(User)
        .join(panel_members, panel_members.c.user_id == User.id)
        .where(panel_members.c.panel_id == panel.id, User.role == "panel_lead", User.active.is_(True))
        .order_by(User.id)
    ).all()
    return list(leads) or admins(session)


def admins(session: Session) -> list[User]:
    return list(
        session.scalars(select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id))
    )


def notify_staff(
    session: Session, people: list[User], kind: str, subject: str, case_id: int | None = None
) -> list[StaffNotice]:
    """Put one notice per person in the staff outbox, in the caller's transaction."""
    notices = [StaffNotice(user=person, case_id=case_id, kind=kind, subject=subject) for person in people]
    session.add_all(notices)
    return notices


def pending_notices(session: Session, limit: int = 200) -> list[StaffNotice]:
    return list(
        session.scalars(
            select(StaffNotice)
            .where(StaffNotice.status == "outbox")
            .order_by(StaffNotice.created_at)
            .limit(limit)
        )
    )


def recent_notices(session: Session, limit: int = 200) -> list[StaffNotice]:
    """The newest notices, sent or waiting, with their recipients loaded."""
    return list(
        session.scalars(
            select(StaffNotice)
            .options(joinedload(StaffNotice.user))
            .order_by(StaffNotice.id.desc())
            .limit(limit)
        )
    )
