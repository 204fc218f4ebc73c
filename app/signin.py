"""Signing in: password, then a TOTP code, with failures throttled per account and per
address in the database, so every web worker counts the same guesses."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

from app.context import transaction
from storage import audit
from storage.accounts import (
    begin_totp_enrolment,
    confirm_totp,
    find_user,
    forget_sign_in_failures,
    hash_password,
    password_matches,
    record_sign_in_failure,
    sign_in_throttled,
    totp_matches,
    totp_uri,
)
from storage.models import User
from workers.runtime import current

# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a password anyone has")


@dataclass(frozen=True)
class StaffMember(UserMixin):  # type: ignore[misc]
    """The signed-in person as the web layer sees them; no database session attached."""

    id: int
    email: str
    role: str
    language: str
    panel_ids: frozenset[int]

    @classmethod
    def of(cls, user: User) -> StaffMember:
        return cls(user.id, user.email, user.role, user.language, frozenset(p.id for p in user.panels))


@dataclass(frozen=True)
class Attempt:
    user_id: int | None = None
    throttled: bool = False
    needs_enrolment: bool = False

    @property
    def ok(self) -> bool:
        return self.user_id is not None and not self.throttled


def check_password(email: str, password: str, address: str) -> Attempt:
    with transaction() as session:
        if sign_in_throttled(session, email, address):
            return Attempt(throttled=True)
        user = find_user(session, email)
        matches = password_matches(user, password) if user else _burn_time(password)
        if user is None or not matches or not user.active:
            record_sign_in_failure(session, email, address)
            return Attempt()
        return Attempt(user.id, needs_enrolment=user.totp_enabled_at is None)


def check_code(user_id: int, code: str, address: str) -> StaffMember | Attempt:
    """The signed-in person when the code is right; an enrolment in progress is confirmed."""
    with transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            return Attempt()
        if sign_in_throttled(session, user.email, address):
            return Attempt(throttled=True)
        if not totp_matches(user, current().store.keys, code):
            record_sign_in_failure(session, user.email, address)
            return Attempt(user_id)
        if user.totp_enabled_at is None:
            confirm_totp(user)
            audit.record(session, "user.totp_enrolled", actor=f"user:{user.id}", subject=f"user:{user.id}")
        forget_sign_in_failures(session, user.email)
        audit.record(session, "user.signed_in", actor=f"user:{user.id}", subject=f"user:{user.id}")
        return StaffMember.of(user)


def enrolment_uri(user_id: int) -> str:
    """The otpauth URI to show as a QR code; the secret stays until the first code confirms it."""
    with transaction() as session:
        user = session.get_one(User, user_id)
        if user.totp_enabled_at is not None:
            raise PermissionError("this account already has an authenticator")
        keys = current().store.keys
        return totp_uri(user, keys) if user.totp_secret else begin_totp_enrolment(user, keys)


def choose_language(user_id: int, language: str) -> None:
    with transaction() as session:
        session.get_one(User, user_id).language = language


def staff_member(user_id: int) -> StaffMember | None:
    with transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or user.totp_enabled_at is None:
            return None
        return StaffMember.of(user)


def _burn_time(password: str) -> bool:
    password_matches(User(password_hash=_DUMMY_HASH), password)
    return False
