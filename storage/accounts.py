"""People who work in Sauti: panel members, leads, auditors and admins."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.crypto import KeyRing, associated_data
from storage.inputs import column_chars
from storage.models import ROLES, Panel, User, utcnow
from storage.passwords import check_password
from storage.typed_values import is_ascii_number
from storage.wording import N_, RefusalError, Words, word

# OWASP's argon2id setting (19 MiB, 2 passes): the library default takes 64 MiB per sign-in,
# which would double a web worker's memory on every attempt.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


# Each role as a sentence names it, article and all; the pages translate the phrase.
ROLE_NAMES = {
    "panel_member": N_("a panel member"),
    "panel_lead": N_("a panel lead"),
    "auditor": N_("an auditor"),
    "admin": N_("an admin"),
}


def named_role(role: str) -> Words:
    """The role as a refusal names it: "an auditor may not note a case"."""
    return word("phrase", ROLE_NAMES[role])


MAX_EMAIL_CHARS = column_chars(User.email)
# Something before the @ and a dotted domain after it, with no space or second @: enough to
# catch a slip; whether the address is someone's, only sending to it tells. No one's address
# begins with = + or -, which would make it a formula where a spreadsheet opens an export.
_EMAIL = re.compile(r"[^@\s=+-][^@\s]*@[^@\s.]+(\.[^@\s.]+)+")


class EmailError(RefusalError, ValueError):
    """Not an address an account can have; the message says why."""


def normal_email(email: str) -> str:
    """The address as accounts keep it: trimmed and lower-case, checked only then, since
    lower-casing may lengthen it ("İ" becomes two characters)."""
    email = email.strip().lower()
    if len(email) > MAX_EMAIL_CHARS:
        raise EmailError(N_("an email address has at most %(limit)d characters"), limit=MAX_EMAIL_CHARS)
    if not _EMAIL.fullmatch(email):
        raise EmailError(N_("give an email address, like name@example.org"))
    return email


def create_user(
    session: Session, email: str, role: str, password: str, panels: list[Panel] | None = None
) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = User(
        email=normal_email(email), role=role, password_hash=hash_password(password), panels=panels or []
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


TOTP_ISSUER = "Sauti"
INVITATION_LIFETIME = timedelta(days=3)


def begin_totp_enrolment(user: User, keys: KeyRing) -> str:
    """A new TOTP secret, not yet in force; returns the otpauth URI for the QR code."""
    set_totp_secret(user, keys, pyotp.random_base32())
    user.totp_enabled_at, user.totp_last_step = None, None
    return totp_uri(user, keys)


def set_totp_secret(user: User, keys: KeyRing, secret: str) -> None:
    """Keep the secret wrapped by the master key, like every other secret Sauti holds."""
    user.totp_key_id, user.totp_secret = keys.wrap(secret.encode(), _totp_aad(user))


def totp_uri(user: User, keys: KeyRing) -> str:
    secret = _totp_secret(user, keys)
    if secret is None:
        raise ValueError("this account has no TOTP secret yet")
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def claim_totp_code(
    session: Session, user: User, keys: KeyRing, code: str, at: datetime | None = None
) -> bool:
    """Accept a code the authenticator shows now (one step of clock drift allowed), once.

    The code's step is recorded by one conditional UPDATE: of several requests sending the
    same code at the same moment exactly one wins, and a code seen over a shoulder cannot be
    replayed."""
    step = _matching_step(user, keys, code, at)
    if step is None:
        return False
    unused = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    claimed = session.execute(update(User).where(User.id == user.id, unused).values(totp_last_step=step))
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _matching_step(user: User, keys: KeyRing, code: str, at: datetime | None) -> int | None:
    secret, typed = _totp_secret(user, keys), code.strip()
    # Digits other than ASCII ("１２３４５６", "²") are a wrong code, like any other.
    if secret is None or not is_ascii_number(typed):
        return None
    totp = pyotp.TOTP(secret)
    moment = at or utcnow()
    for drift in (0, -1, 1):
        step = totp.timecode(moment) + drift
        if secrets.compare_digest(totp.generate_otp(step), typed):
            return int(step)
    return None


def rewrap_totp_secret(keys: KeyRing, user: User) -> None:
    secret = _totp_secret(user, keys)
    if secret is not None:
        set_totp_secret(user, keys, secret)


def _totp_secret(user: User, keys: KeyRing) -> str | None:
    if user.totp_secret is None or user.totp_key_id is None:
        return None
    return keys.unwrap(user.totp_key_id, user.totp_secret, _totp_aad(user)).decode()


def _totp_aad(user: User) -> bytes:
    return associated_data("users", user.id, "totp_secret")


def confirm_totp(user: User) -> None:
    user.totp_enabled_at = utcnow()


def reset_totp(user: User) -> None:
    """The user enrols a new authenticator at their next sign-in; every session and the API
    token end now."""
    user.totp_secret, user.totp_key_id = None, None
    user.totp_enabled_at, user.totp_last_step = None, None
    end_all_access(user)


def end_sessions(user: User) -> None:
    """End every signed-in session of this person, on every device, at its next request."""
    user.session_epoch = (user.session_epoch or 0) + 1


def end_all_access(user: User) -> None:
    """End every session and revoke the API token. A credential is reset, or an account closed,
    when it may be in someone else's hands: a bearer token kept from before would let them on."""
    end_sessions(user)
    user.api_token_hash = None


def set_password(user: User, password: str) -> None:
    """A new password, if it is not too easy to guess (PasswordError says why); it ends every
    session signed in with the old one, and the API token."""
    check_password(password)
    user.password_hash = hash_password(password)
    end_all_access(user)


def issue_invitation(user: User) -> str:
    """A one-time link token with which the user sets their own password."""
    token = secrets.token_urlsafe(32)
    user.invite_token_hash, user.invite_expires_at = token_digest(token), utcnow() + INVITATION_LIFETIME
    return token


def user_for_invitation(session: Session, token: str) -> User | None:
    user = session.scalar(select(User).where(User.invite_token_hash == token_digest(token)))
    if user is None or not user.active or user.invite_expires_at is None:
        return None
    return user if user.invite_expires_at > utcnow() else None


def accept_invitation(user: User, password: str) -> None:
    set_password(user, password)
    user.invite_token_hash, user.invite_expires_at = None, None


def token_digest(token: str) -> str:
    """Only digests of bearer tokens and invitation links are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User) -> str:
    """A new bearer token for the API, replacing any earlier one; shown once."""
    token = secrets.token_urlsafe(32)
    user.api_token_hash = token_digest(token)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    user = session.scalar(select(User).where(User.api_token_hash == token_digest(token)))
    return user if user is not None and user.active else None
