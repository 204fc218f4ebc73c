"""Periodic oversight jobs: the SLA sweep that acts on late cases, and anchors of the audit
chain an auditor can keep outside the system."""

from __future__ import annotations

import logging
import os
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import SplitResult, unquote, urlsplit

from storage import Panel, Report
from storage.audit.anchors import anchor_due, write_anchor
from storage.casework.notices import pending_notices
from storage.casework.sla import sweep_overdue
from storage.models import OutboundMessage, utcnow
from storage.outbox import queue_to_reporter
from storage.reporter_texts import panel_name, reporter_language, reporter_text
from storage.reporting.summaries import refresh_summaries
from workers.runtime import current

log = logging.getLogger(__name__)
ANCHOR_FILE = "audit-anchors.jsonl"
# A little under an hour, so the hourly cron never finds the previous anchor a second too young.
ANCHOR_EVERY = timedelta(minutes=55)
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def sweep_sla() -> dict[str, int]:
    """Mark late cases overdue, escalate them, tell their reporters the case is still open.
    Running it again changes nothing until another deadline passes."""
    runtime = current()
    outbox: list[OutboundMessage] = []
    with runtime.store.transaction() as session:
        result = sweep_overdue(session, runtime.routing.fallback, utcnow())
        for case in result.overdue:
            message = still_open(case.report, case.panel)
            outbound = queue_to_reporter(session, runtime.store.keys, case.report, "still_open", message)
            if outbound is not None:
                outbox.append(outbound)
        session.flush()
    for outbound in outbox:
        runtime.dispatcher.enqueue_notify(outbound.id)
    send_staff_notices()
    with runtime.store.transaction() as session:
        refresh_summaries(session, utcnow())
    summary = {
        "overdue": len(result.overdue),
        "escalations": len(result.escalations),
        "notices": len(result.notices),
    }
    if result.overdue or result.escalations:
        log.info("sweep.sla", extra=summary)
    return summary


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


def anchor_audit_chain() -> str | None:
    """Append the chain's head hash and the time to the anchor file in the instance folder,
    at most about once an hour: the hourly cron and the in-process worker's frequent sweep
    both call it."""
    runtime = current()
    path = runtime.settings.instance_path / ANCHOR_FILE
    if not anchor_due(path, utcnow(), ANCHOR_EVERY):
        return None
    with runtime.store.transaction() as session:
        anchor = write_anchor(session, path)
    log.info("audit.anchor", extra={"head_id": anchor.head_id, "head_hash": anchor.head_hash})
    return anchor.head_hash


def still_open(report: Report, panel: Panel) -> str:
    language = reporter_language(report)
    return reporter_text("still_open", language, ref=report.ref, panel=panel_name(panel, language))
