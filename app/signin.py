"""Signing in: password, then a TOTP code, with failures throttled per account and per
address in the database, so every web worker counts the same guesses; signing out ends every
session of the person, wherever it was opened."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

from app.context import transaction
from storage import audit
from storage.accounts import (
    begin_totp_enrolment,
    claim_totp_code,
    confirm_totp,
    end_sessions,
    find_user,
    hash_password,
    password_matches,
    totp_uri,
)
from storage.models import User
from storage.sign_in_throttle import forget_sign_in_failures, record_sign_in_failure, sign_in_wait
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
    session_epoch: int = 0

    @classmethod
    def of(cls, user: User) -> StaffMember:
        panels = frozenset(p.id for p in user.panels)
        return cls(user.id, user.email, user.role, user.language, panels, user.session_epoch or 0)

    def get_id(self) -> str:
        """What the session cookie names: the person and the epoch the session began in."""
        return f"{self.id}:{self.session_epoch}"


@dataclass(frozen=True)
class Attempt:
    user_id: int | None = None
    wait_seconds: int = 0
    needs_enrolment: bool = False
    session_epoch: int = 0

    @property
    def throttled(self) -> bool:
        return self.wait_seconds > 0

    @property
    def ok(self) -> bool:
        return self.user_id is not None and not self.throttled


def check_password(email: str, password: str, address: str) -> Attempt:
    with transaction() as session:
        wait = sign_in_wait(session, email, address)
        if wait:
            return Attempt(wait_seconds=wait)
        user = find_user(session, email)
        matches = password_matches(user, password) if user else _burn_time(password)
        if user is None or not matches or not user.active:
            record_sign_in_failure(session, email, address)
            return Attempt()
        return Attempt(
            user.id, needs_enrolment=user.totp_enabled_at is None, session_epoch=user.session_epoch or 0
        )


def check_code(user_id: int, session_epoch: int, code: str, address: str) -> StaffMember | Attempt:
    """The signed-in person when the code is right; an enrolment in progress is confirmed.
    A sign-in begun before the person's sessions were ended (new password or authenticator,
    deactivation, signing out) is refused: its password step no longer counts."""
    with transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or (user.session_epoch or 0) != session_epoch:
            return Attempt()
        wait = sign_in_wait(session, user.email, address)
        if wait:
            return Attempt(wait_seconds=wait)
        if not claim_totp_code(session, user, current().store.keys, code):
            record_sign_in_failure(session, user.email, address)
            return Attempt(user_id)
        if user.totp_enabled_at is None:
            confirm_totp(user)
            audit.record(session, "user.totp_enrolled", actor=f"user:{user.id}", subject=f"user:{user.id}")
        forget_sign_in_failures(session, user.email, address)
        audit.record(session, "user.signed_in", actor=f"user:{user.id}", subject=f"user:{user.id}")
        return StaffMember.of(user)


def enrolment_uri(user_id: int) -> str | None:
    """The otpauth URI to show as a QR code; the secret stays until the first code confirms it.
    None once the account has an authenticator: only an admin's reset makes way for another."""
    with transaction() as session:
        user = session.get_one(User, user_id)
        if user.totp_enabled_at is not None:
            return None
        keys = current().store.keys
        return totp_uri(user, keys) if user.totp_secret else begin_totp_enrolment(user, keys)


def choose_language(user_id: int, language: str) -> None:
    with transaction() as session:
        session.get_one(User, user_id).language = language


def staff_member(user_id: int, session_epoch: int) -> StaffMember | None:
    """The person a session names, unless the account is closed or its sessions were ended
    (signed out, deactivated, new password or authenticator) since this one began."""
    with transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or user.totp_enabled_at is None:
            return None
        if user.session_epoch != session_epoch:
            return None
        return StaffMember.of(user)


def sign_out_everywhere(user_id: int) -> None:
    with transaction() as session:
        end_sessions(session.get_one(User, user_id))
        audit.record(session, "user.signed_out", actor=f"user:{user_id}", subject=f"user:{user_id}")


def _burn_time(password: str) -> bool:
    password_matches(User(password_hash=_DUMMY_HASH), password)
    return False
