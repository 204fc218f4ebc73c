"""What an admin does to accounts and panels, each written to the audit log."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from storage import audit
from storage.accounts import (
    EmailError,
    create_user,
    end_all_access,
    find_user,
    issue_invitation,
    named_role,
    normal_email,
    reset_totp,
)
from storage.casework.handover import let_go_of_open_cases
from storage.crypto import DecryptionError, KeyRing
from storage.crypto.sealing import open_outbound
from storage.models import ROLES, OutboundMessage, Panel, Report, User
from storage.passwords import made_up_password
from storage.sign_in_throttle import forget_sign_in_failures
from storage.wording import N_, RefusalError, Words, word


class StaffError(RefusalError, ValueError):
    """An admin request that cannot be done as asked; the message says why."""


class NotFoundError(StaffError):
    """The account or panel an admin request names does not exist."""


class MalformedError(StaffError):
    """A value no account or panel can have (as opposed to one that clashes with what exists)."""


@dataclass(frozen=True)
class Invitation:
    email: str
    password: str | None = None
    token: str | None = None


PANEL_ROLES = ("panel_member", "panel_lead")
# ASCII only: a key is typed in links and routing files, where "１２" and "12" must not differ
# unseen. At least one letter or digit.
PANEL_KEY = re.compile(r"[a-z0-9-]*[a-z0-9][a-z0-9-]*")
OUTBOX_PAGE = 50
# A message in one of these states may be sent again: the gateway refused or failed it, or it
# is still waiting.
RETRYABLE = frozenset({"pending", "failed", "undelivered"})


@dataclass(frozen=True)
class OutboxEntry:
    """One message to a reporter as the admin sees it; its text only while it waits in the
    outbox of a Sauti with no gateway (that is where an admin reads what would be sent)."""

    id: uuid.UUID
    ref: str | None
    kind: str
    channel: str
    status: str
    attempts: int
    error: str | None
    created_at: datetime
    sent_at: datetime | None
    text: str | None

    @property
    def retryable(self) -> bool:
        return self.status in RETRYABLE


@dataclass(frozen=True)
class OutboxPage:
    entries: list[OutboxEntry]
    total: int
    page: int
    pages: int


def invite(
    session: Session,
    admin_id: int,
    email: str,
    role: str,
    panel_keys: list[str],
    *,
    link: bool,
    language: str = "en",
) -> Invitation:
    """Make an account: with a one-time link to set a password, or a password shown once."""
    try:
        email = normal_email(email)
    except EmailError as error:
        raise MalformedError(error.wording) from error
    if role not in ROLES:
        raise MalformedError(
            N_("%(field)s must be one of %(choices)s"),
            field=word("field", "role"),
            choices=Words("key", ROLES),
        )
    panels = _chosen_panels(session, panel_keys)
    if find_user(session, email):
        raise StaffError(N_("an account with that email exists"))
    if panels and role not in PANEL_ROLES:
        raise StaffError(N_("only panel members and leads can be on a panel"))
    if not panels and role in PANEL_ROLES:
        raise StaffError(N_("%(role)s works on at least one panel: choose theirs"), role=named_role(role))
    password = made_up_password()
    user = create_user(session, email, role, password, panels)
    user.language = language if language in ("en", "sw") else "en"
    _audit(session, admin_id, "user.invited", user, role=role, panels=sorted(p.key for p in panels))
    if link:
        return Invitation(email, token=issue_invitation(user))
    return Invitation(email, password=password)


def _chosen_panels(session: Session, keys: list[str]) -> list[Panel]:
    """The panels of these keys; MalformedError names the panels there are if one is not."""
    panels = list(session.scalars(select(Panel).where(Panel.key.in_(keys)))) if keys else []
    if len(panels) < len(set(keys)):
        raise MalformedError(
            N_("%(field)s must be one of %(choices)s"),
            field=word("field", "panels"),
            choices=Words("key", tuple(session.scalars(select(Panel.key).order_by(Panel.key)))),
        )
    return panels


def set_active(session: Session, admin_id: int, user_id: int, active: bool) -> None:
    user = _user(session, user_id)
    if user.id == admin_id and not active:
        raise StaffError(N_("you cannot deactivate yourself"))
    user.active = active
    action = "user.activated" if active else "user.deactivated"
    if not active:
        end_all_access(user)
        let_go_of_open_cases(session, f"user:{admin_id}", user, action)
    _audit(session, admin_id, action, user)


def clear_totp(session: Session, admin_id: int, user_id: int) -> None:
    user = _user(session, user_id)
    reset_totp(user)
    _audit(session, admin_id, "user.totp_reset", user)


def unlock(session: Session, admin_id: int, user_id: int) -> None:
    """Forget the account's failed sign-ins from every address, so nobody has to wait."""
    user = _user(session, user_id)
    forgotten = forget_sign_in_failures(session, user.email)
    _audit(session, admin_id, "user.unlocked", user, failures=forgotten)


def add_panel(session: Session, admin_id: int, key: str, name: str, name_sw: str) -> Panel:
    key = key.strip()
    # isascii() first: lower-casing turns the Kelvin sign into an ASCII "k".
    if not (key.isascii() and PANEL_KEY.fullmatch(key.lower())):
        raise MalformedError(
            N_("a panel key is ASCII letters, digits and dashes, like police-accountability")
        )
    if not name.strip():
        raise MalformedError(N_("a panel needs a name"))
    key = key.lower()
    if session.scalar(select(Panel).where(Panel.key == key)):
        raise StaffError(N_("a panel with that key exists"))
    panel = Panel(key=key, name=name.strip(), name_sw=name_sw.strip())
    session.add(panel)
    session.flush()
    audit.record(session, "panel.created", actor=f"user:{admin_id}", subject=f"panel:{panel.key}")
    return panel


def set_membership(session: Session, admin_id: int, panel_key: str, email: str, member: bool) -> None:
    panel = session.scalar(select(Panel).where(Panel.key == panel_key))
    if panel is None:
        raise NotFoundError(N_("no such panel"))
    user = find_user(session, email)
    if user is None:
        raise StaffError(N_("no account with that email"))
    if member and user.role not in PANEL_ROLES:
        raise StaffError(
            N_("%(role)s cannot be on a panel: only panel members and leads can"),
            role=named_role(user.role),
        )
    action = "panel.member_added" if member else "panel.member_removed"
    if member and panel not in user.panels:
        user.panels.append(panel)
    elif not member and panel in user.panels:
        user.panels.remove(panel)
    if not member:
        # Even if they were off the panel already: what they still hold there is nobody's.
        let_go_of_open_cases(session, f"user:{admin_id}", user, action, panel)
    _audit(session, admin_id, action, user, panel=panel.key)


def outbox(session: Session, keys: KeyRing, admin_id: int, page: int = 1) -> OutboxPage:
    """Every message to reporters, newest first, a page at a time, with when it was written,
    its state and how often sending was tried. Reading the page is audited."""
    total = session.scalar(select(func.count()).select_from(OutboundMessage)) or 0
    messages = session.scalars(
        select(OutboundMessage)
        .options(joinedload(OutboundMessage.reporter))
        .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id)
        .offset((page - 1) * OUTBOX_PAGE)
        .limit(OUTBOX_PAGE)
    ).all()
    report_ids = {m.report_id for m in messages}
    refs = {
        row.id: row.ref
        for row in session.execute(select(Report.id, Report.ref).where(Report.id.in_(report_ids)))
    }
    entries = [
        OutboxEntry(
            m.id,
            refs.get(m.report_id),
            m.kind,
            m.channel,
            m.status,
            m.attempts,
            m.error,
            m.created_at,
            m.sent_at,
            _text(keys, m) if m.status == "outbox" else None,
        )
        for m in messages
    ]
    audit.record(session, "outbox.viewed", actor=f"user:{admin_id}", details={"messages": len(entries)})
    return OutboxPage(entries, total, page, max(1, -(-total // OUTBOX_PAGE)))


def retry_message(session: Session, admin_id: int, message_id: uuid.UUID) -> uuid.UUID:
    """Put a failed or waiting message back to be sent; the caller enqueues it after commit."""
    message = session.get(OutboundMessage, message_id)
    if message is None:
        raise StaffError(N_("no such message"))
    if message.status not in RETRYABLE:
        raise StaffError(
            N_("a message that is %(status)s is not sent again"), status=word("key", message.status)
        )
    message.status, message.error = "pending", None
    audit.record(
        session,
        "outbox.retried",
        actor=f"user:{admin_id}",
        subject=f"outbound:{message.id}",
        details={"attempts": message.attempts},
    )
    return message.id


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(N_("no such account"))
    return user


def _text(keys: KeyRing, message: OutboundMessage) -> str:
    try:
        return open_outbound(keys, message.reporter, message)
    except DecryptionError:
        return "\N{EM DASH}"


def _audit(session: Session, admin_id: int, action: str, user: User, **details: object) -> None:
    audit.record(session, action, actor=f"user:{admin_id}", subject=f"user:{user.id}", details=details)
