"""Mail to staff: the notices the SLA sweep leaves in the staff outbox, sent when a mail server
is configured, one mail a person a sweep listing what waits for them."""

from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from urllib.parse import SplitResult, unquote, urlsplit

from storage.casework.notices import notices_waiting_for, people_with_notices_waiting
from storage.models import StaffNotice, utcnow
from workers.runtime import Runtime, current

log = logging.getLogger(__name__)

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
SEND_TIMEOUT_SECONDS = 10
LISTED_IN_ONE_MAIL = 20


def mail_url() -> str | None:
    """Where staff mail goes: ``SAUTI_SMTP_URL``, or None when no mail server is configured."""
    return os.environ.get("SAUTI_SMTP_URL") or None


def send_staff_notices() -> int:
    """Mail the staff outbox when ``SAUTI_SMTP_URL`` is set (``smtp://user:password@host:587``
    uses STARTTLS, ``smtps://`` TLS from the start; a relay on this host or on port 25 is
    spoken to in plain SMTP). Without it notices stay in the outbox, where admins see them at
    /audit/notices. A mail server that fails leaves the rest waiting for the next sweep; what
    was mailed before it failed stays sent. Returns how many notices were mailed."""
    url = mail_url()
    if not url:
        return 0
    runtime = current()
    with runtime.store.transaction() as session:
        people = people_with_notices_waiting(session)
    if not people:
        return 0
    sent = 0
    try:
        with connect(urlsplit(url), SEND_TIMEOUT_SECONDS) as smtp:
            for user_id in people:
                sent += _mail_one_person(runtime, smtp, user_id)
    except OSError as error:
        extra = {"error": type(error).__name__, "mailed": sent}
        log.warning("staff_mail.failed; the notices wait for the next sweep", extra=extra)
    return sent


def _mail_one_person(runtime: Runtime, smtp: smtplib.SMTP, user_id: int) -> int:
    with runtime.store.transaction() as session:
        notices = notices_waiting_for(session, user_id)
        if not notices:
            return 0
        try:
            smtp.send_message(digest(notices))
        except smtplib.SMTPRecipientsRefused:
            log.warning("staff_mail.address_refused", extra={"user": user_id})
            return 0
        sent_at = utcnow()
        for notice in notices:
            notice.status, notice.sent_at = "sent", sent_at
    return len(notices)


def digest(notices: list[StaffNotice]) -> EmailMessage:
    """One mail to one person listing their notices (case references and what happened, never
    a report's text), the oldest first; past `LISTED_IN_ONE_MAIL`, how many more."""
    message = EmailMessage()
    message["From"] = os.environ.get("SAUTI_MAIL_FROM") or "sauti@localhost"
    message["To"] = notices[0].user.email
    if len(notices) == 1:
        message["Subject"] = notices[0].subject
        message.set_content(f"{notices[0].subject}.\n\nOpen Sauti to see the case.")
        return message
    message["Subject"] = f"Sauti: {len(notices)} notices about cases that need you"
    lines = [f"- {notice.subject}" for notice in notices[:LISTED_IN_ONE_MAIL]]
    if len(notices) > LISTED_IN_ONE_MAIL:
        lines.append(f"- and {len(notices) - LISTED_IN_ONE_MAIL} more")
    message.set_content("\n".join([*lines, "", "Open Sauti to see the cases."]))
    return message


def mail_server(url: str) -> str:
    """The host and port that `url` sends mail to."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{_port(parts)}"


def mail_server_trouble(url: str, timeout: float) -> str | None:
    """Why the mail server at `url` cannot take mail (the error's type), or None if it can."""
    try:
        with connect(urlsplit(url), timeout) as smtp:
            smtp.noop()
    except OSError as error:
        return type(error).__name__
    return None


def connect(url: SplitResult, timeout: float) -> smtplib.SMTP:
    """A session with the mail server, encrypted and signed in as `url` says."""
    if url.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(url.hostname or "localhost", _port(url), timeout=timeout)
    else:
        smtp = smtplib.SMTP(url.hostname or "localhost", _port(url), timeout=timeout)
    try:
        if url.scheme != "smtps" and url.port != 25 and url.hostname not in LOCAL_HOSTS:
            smtp.starttls()
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
    except OSError:
        smtp.close()
        raise
    return smtp


def _port(url: SplitResult) -> int:
    return url.port or (465 if url.scheme == "smtps" else 587)
