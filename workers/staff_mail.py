"""Mail to staff: the notices the SLA sweep leaves in the staff outbox, sent when a mail server
is configured."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from urllib.parse import SplitResult, unquote, urlsplit

from storage.casework.notices import pending_notices
from storage.models import utcnow
from workers.runtime import current

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def send_staff_notices() -> int:
    """Mail the staff outbox when ``SAUTI_SMTP_URL`` is set (``smtp://user:password@host:587``
    uses STARTTLS, ``smtps://`` TLS from the start; a relay on this host or on port 25 is
    spoken to in plain SMTP). Without it notices stay in the outbox, where admins see them at
    /audit/notices."""
    url = os.environ.get("SAUTI_SMTP_URL")
    if not url:
        return 0
    runtime = current()
    sent = 0
    with runtime.store.transaction() as session, _smtp(urlsplit(url)) as smtp:
        for notice in pending_notices(session):
            message = EmailMessage()
            message["From"] = os.environ.get("SAUTI_MAIL_FROM", "sauti@localhost")
            message["To"] = notice.user.email
            message["Subject"] = notice.subject
            message.set_content(f"{notice.subject}.\n\nOpen Sauti to see the case.")
            smtp.send_message(message)
            notice.status, notice.sent_at = "sent", utcnow()
            sent += 1
    return sent


def _smtp(url: SplitResult) -> smtplib.SMTP:
    if url.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(url.hostname or "localhost", url.port or 465, timeout=10)
    else:
        smtp = smtplib.SMTP(url.hostname or "localhost", url.port or 587, timeout=10)
        if url.port != 25 and url.hostname not in LOCAL_HOSTS:
            smtp.starttls()
    if url.username:
        smtp.login(unquote(url.username), unquote(url.password or ""))
    return smtp
