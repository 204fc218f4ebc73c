"""Notices to staff (panel leads, admins) about cases that need them: the outbox that mail
is sent from, and what an admin sees when no mail server is configured."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from storage.models import Panel, StaffNotice, User, panel_members


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


def people_with_notices_waiting(session: Session) -> list[int]:
    """The ids of everyone with notices in the outbox, whoever waits longest first."""
    oldest = func.min(StaffNotice.created_at)
    return list(
        session.scalars(
            select(StaffNotice.user_id)
            .where(StaffNotice.status == "outbox")
            .group_by(StaffNotice.user_id)
            .order_by(oldest, StaffNotice.user_id)
        )
    )


def notices_waiting_for(session: Session, user_id: int) -> list[StaffNotice]:
    """One person's notices in the outbox, oldest first, with the person loaded. On PostgreSQL
    they stay locked until the transaction ends: two sweeps never mail the same notices."""
    statement = (
        select(StaffNotice)
        .options(joinedload(StaffNotice.user))
        .where(StaffNotice.user_id == user_id, StaffNotice.status == "outbox")
        .order_by(StaffNotice.created_at, StaffNotice.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=StaffNotice)
    return list(session.scalars(statement).unique())


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
