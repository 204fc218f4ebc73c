"""People who work in Sauti: panel members, leads, auditors and admins."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import Column, ForeignKey, String, Table, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from storage.models import Base, Panel, utcnow

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
    totp_secret: Mapped[bytes | None]
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    panels: Mapped[list[Panel]] = relationship(secondary=panel_members)


_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def create_user(session: Session, email: str, role: str, password: str, panels: list[Panel] | None = None) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = User(email=email.strip().lower(), role=role, password_hash=hash_password(password), panels=panels or [])
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))
