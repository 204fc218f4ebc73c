"""`flask doctor`: whether this installation can do its job, and what to do where it cannot.

Each check gives findings: ok, a warning (works, but not as a deployment should), or a
problem (something will fail: reports unreadable, gateways refused, jobs never run)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from redis import Redis
from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.casework.sla import unmarked_late_cases
from storage.crypto import DecryptionError
from storage.crypto.rotation import key_usage
from storage.crypto.sealing import report_key, reporter_key
from storage.migrations import head_revisions
from storage.models import OutboundMessage, Report, Reporter, StaffNotice, utcnow
from storage.settings import RANDOM_STRING_COMMAND
from workers.runtime import Runtime
from workers.staff_mail import mail_server, mail_server_trouble, mail_url
from workers.worker import LIVE_SECONDS, hung_workers, live_workers, unworked_queues

OK, WARNING, PROBLEM = "ok", "warning", "problem"
SAMPLE = 25
MIN_SECRET_CHARS = 32
MAIL_PROBE_SECONDS = 5
UPGRADE = "run: flask --app wsgi db upgrade"
START_WORKER = "start one: flask --app wsgi worker (and keep it running under systemd or the like)"


@dataclass(frozen=True)
class Finding:
    level: str
    area: str
    message: str
    advice: str = ""


Check = Callable[[Runtime], Iterator[Finding]]


def diagnose(runtime: Runtime) -> list[Finding]:
    """Every check, in the order a person would fix things."""
    return [finding for check in CHECKS for finding in check(runtime)]


def check_config(runtime: Runtime) -> Iterator[Finding]:
    settings = runtime.settings
    if not settings.production:
        yield Finding(OK, "config", f"development: secrets not set are kept in {settings.instance_path}")
        return
    yield Finding(OK, "config", "production: secrets come from the environment")
    if len(settings.secret_key) < MIN_SECRET_CHARS:
        yield Finding(
            PROBLEM,
            "config",
            f"SECRET_KEY has {len(settings.secret_key)} characters: a short key can be guessed",
            f"set a new one of {MIN_SECRET_CHARS} or more: {RANDOM_STRING_COMMAND} (everyone signs in again)",
        )


def check_database(runtime: Runtime) -> Iterator[Finding]:
    where = make_url(runtime.settings.database_url).render_as_string(hide_password=True)
    try:
        with runtime.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        advice = "check DATABASE_URL and that the database server runs and lets this host in"
        yield Finding(PROBLEM, "database", f"cannot reach {where}: {type(error).__name__}", advice)
        return
    yield Finding(OK, "database", f"reachable: {where}")
    expected = head_revisions(runtime.settings.database_url)
    if current != expected:
        found = ", ".join(sorted(current)) or "no schema"
        yield Finding(
            PROBLEM, "database", f"at {found}; this code needs {', '.join(sorted(expected))}", UPGRADE
        )
    else:
        yield Finding(OK, "database", f"schema up to date ({', '.join(sorted(expected))})")


def check_redis(runtime: Runtime) -> Iterator[Finding]:
    url = runtime.settings.redis_url
    if not url:
        level = WARNING if runtime.settings.production else OK
        advice = "set REDIS_URL and run `flask --app wsgi worker`" if level == WARNING else ""
        yield Finding(level, "redis", "not configured: jobs run on threads of each web process", advice)
        return
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or 6379}{parts.path}"
    try:
        Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as error:
        advice = "check REDIS_URL and that Redis runs; reports wait in the database meanwhile"
        yield Finding(PROBLEM, "redis", f"cannot reach {where}: {type(error).__name__}", advice)
        return
    yield Finding(OK, "redis", f"reachable: {where}")
    yield from _workers(url)


def _workers(redis_url: str) -> Iterator[Finding]:
    """Whether every one of Sauti's queues has a live RQ worker (one that beat lately): on a
    queue without one, nothing runs. A worker killed outright or stopped stays registered for
    minutes, so registered is not enough: one silent is named as hung."""
    connection = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
    unworked = unworked_queues(connection)
    hung = [f"pid {worker.pid} on {worker.hostname}" for worker in hung_workers(connection)]
    silent = f"; registered but silent for {LIVE_SECONDS} s, hung or stopped: {', '.join(hung)}"
    if not unworked:
        alive = len(live_workers(connection))
        if hung:
            yield Finding(WARNING, "worker", f"{alive} RQ worker(s) alive{silent}")
        else:
            yield Finding(OK, "worker", f"{alive} RQ worker(s) alive on every queue")
        return
    told = f"no live RQ worker on the queue(s) {', '.join(unworked)}: what is put there waits"
    yield Finding(PROBLEM, "worker", told + (silent if hung else ""), START_WORKER)


def check_backlog(runtime: Runtime) -> Iterator[Finding]:
    """Reports and replies waiting longer than the sweep's grace period: the worker or its
    sweeps are not running, or a gateway refuses. Counts and ages only, never content."""
    cutoff = utcnow() - timedelta(seconds=runtime.settings.sweep_grace_seconds)
    pending = OutboundMessage.status == "pending"
    failing, claimed_now = OutboundMessage.error.is_not(None), OutboundMessage.claimed_until.is_not(None)
    try:
        with runtime.store.transaction() as session:
            received = _waiting(session, Report.received_at, Report.status == "received", cutoff)
            replies = _waiting(session, OutboundMessage.created_at, pending, cutoff)
            failed, _ = _waiting(session, OutboundMessage.created_at, pending & failing, cutoff)
            claimed, _ = _waiting(session, OutboundMessage.created_at, pending & claimed_now, cutoff)
            last_error = session.scalar(
                select(OutboundMessage.error)
                .where(pending, failing)
                .order_by(OutboundMessage.updated_at.desc())
                .limit(1)
            )
    except SQLAlchemyError:
        yield Finding(WARNING, "backlog", "not checked: the database cannot be read")
        return
    yield from _report_backlog(*received)
    yield from _reply_backlog(*replies, failed, claimed, last_error)


def _waiting(
    session: Session, since: InstrumentedAttribute[datetime], waiting: ColumnElement[bool], cutoff: datetime
) -> tuple[int, datetime | None]:
    """How many records wait since before `cutoff`, and since when the oldest."""
    count, oldest = session.execute(
        select(func.count(), func.min(since)).where(waiting, since <= cutoff)
    ).one()
    return count, oldest


def _report_backlog(count: int, oldest: datetime | None) -> Iterator[Finding]:
    if not count or oldest is None:
        yield Finding(OK, "backlog", "no report waits for triage past the grace period")
        return
    told = f"{count} report(s) waiting in `received`, the oldest for {_age(oldest)}"
    yield Finding(PROBLEM, "backlog", told, f"is the worker running? {START_WORKER}")


def _reply_backlog(
    count: int, oldest: datetime | None, failed: int, claimed: int, last_error: str | None
) -> Iterator[Finding]:
    if not count or oldest is None:
        yield Finding(OK, "backlog", "no message to a reporter waits past the grace period")
        return
    told = f"{count} message(s) to reporters pending, the oldest for {_age(oldest)}"
    if last_error:
        told += (
            f"; the gateway is failing ({failed} of them not taken; each is tried again, further"
            " apart each time): check it and its settings"
        )
        advice = f"the last attempt failed: {last_error}"
    elif claimed:
        advice = (
            f"{claimed} of them handed to the gateway, which has not answered: it is slow, or a worker"
            " died while sending (sent again once its claim lapses)"
        )
    else:
        advice = f"none was tried: is the worker running? {START_WORKER}"
    yield Finding(PROBLEM, "backlog", told, advice)


def check_sla(runtime: Runtime) -> Iterator[Finding]:
    """Open cases past a deadline that no sweep marked overdue: nobody was told they are late."""
    try:
        with runtime.store.transaction() as session:
            count, oldest = unmarked_late_cases(session, _sweep_cutoff(runtime))
    except SQLAlchemyError:
        yield Finding(WARNING, "sla", "not checked: the database cannot be read")
        return
    if not count or oldest is None:
        yield Finding(OK, "sla", "every late case is marked overdue and escalated")
        return
    told = (
        f"{count} open case(s) past a deadline are not marked overdue, the oldest late for"
        f" {_age(oldest)}: their panel leads were not told"
    )
    yield Finding(PROBLEM, "sla", told, f"the SLA sweep is not running: {START_WORKER}")


def check_mail(runtime: Runtime) -> Iterator[Finding]:
    """Whether notices to staff reach them: the mail server takes mail, none waits for long."""
    url = mail_url()
    if not url:
        yield Finding(OK, "mail", "SAUTI_SMTP_URL is not set: notices to staff wait at /audit/notices")
        return
    where = mail_server(url)
    trouble = mail_server_trouble(url, MAIL_PROBE_SECONDS)
    if trouble:
        advice = "check SAUTI_SMTP_URL and that the mail server runs and lets this host in"
        yield Finding(PROBLEM, "mail", f"cannot hand mail to {where}: {trouble}", advice)
    else:
        yield Finding(OK, "mail", f"the mail server at {where} takes mail")
    try:
        with runtime.store.transaction() as session:
            waiting = StaffNotice.status == "outbox"
            count, oldest = _waiting(session, StaffNotice.created_at, waiting, _sweep_cutoff(runtime))
    except SQLAlchemyError:
        yield Finding(WARNING, "mail", "notices not checked: the database cannot be read")
        return
    if count and oldest is not None:
        told = f"{count} notice(s) to staff not mailed, the oldest for {_age(oldest)}"
        advice = "they go with the next sweep once the mail server takes them"
        if not trouble:
            advice = f"is the worker running? {START_WORKER}"
        yield Finding(PROBLEM, "mail", told, advice)


def _sweep_cutoff(runtime: Runtime) -> datetime:
    """Before this, what a sweep should have done is overdue: it runs every interval."""
    settings = runtime.settings
    return utcnow() - timedelta(seconds=settings.sweep_grace_seconds + settings.sweep_interval_seconds)


def _age(since: datetime) -> str:
    seconds = max(0, int((utcnow() - since).total_seconds()))
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def check_keys(runtime: Runtime) -> Iterator[Finding]:
    ring = runtime.store.keys
    if ring.active_id not in ring.keys:
        yield Finding(
            PROBLEM, "keys", f"the active key {ring.active_id} is not in the ring", "fix the key file"
        )
        return
    try:
        with runtime.store.transaction() as session:
            usage = key_usage(session, ring)
        unreadable, sampled = _unreadable_sample(runtime)
    except SQLAlchemyError:
        yield Finding(WARNING, "keys", "not checked against the data: the database cannot be read")
        return
    yield Finding(OK, "keys", f"active key {ring.active_id}; ring holds {', '.join(ring.keys)}")
    for key_id, count in usage.by_key.items():
        if key_id not in ring.keys and count:
            yield Finding(
                PROBLEM,
                "keys",
                f"{count} records are wrapped by master key {key_id}, which is not in the ring",
                f"put {key_id} back into SAUTI_MASTER_KEYS (or the key file): without it they stay unread",
            )
        elif key_id != ring.active_id and count:
            advice = "run: flask --app wsgi keys rotate"
            yield Finding(WARNING, "keys", f"{count} records still use the older key {key_id}", advice)
    if unreadable:
        yield Finding(
            PROBLEM,
            "keys",
            f"{unreadable} of {sampled} recent records sampled cannot be decrypted",
            "this ring is not the one they were written with: compare SAUTI_MASTER_KEYS across hosts",
        )
    elif sampled:
        yield Finding(OK, "keys", f"{sampled} recent records sampled, all readable")


def check_gateways(runtime: Runtime) -> Iterator[Finding]:
    settings = runtime.settings
    public = settings.public_base_url or ""
    if not public.startswith("https://"):
        level = PROBLEM if settings.production else OK
        told = f"PUBLIC_BASE_URL is {public}" if public else "PUBLIC_BASE_URL is not set"
        advice = (
            "set PUBLIC_BASE_URL=https://your.host: gateways must call over https" if level == PROBLEM else ""
        )
        yield Finding(level, "gateways", told, advice)
    yield from _twilio(runtime)
    yield from _africastalking(runtime)


def _twilio(runtime: Runtime) -> Iterator[Finding]:
    twilio = runtime.settings.twilio
    if not twilio.auth_token:
        yield Finding(WARNING, "gateways", "TWILIO_AUTH_TOKEN is not set: every Twilio webhook is refused")
    if not twilio.account_sid:
        yield Finding(
            WARNING, "gateways", "no Twilio account: replies to Twilio reporters stay in the outbox"
        )
    elif not twilio.can_send:
        advice = "set TWILIO_SMS_FROM and/or TWILIO_WHATSAPP_FROM"
        yield Finding(PROBLEM, "gateways", "TWILIO_ACCOUNT_SID is set but no number to send from", advice)
    else:
        yield Finding(OK, "gateways", "Twilio can send")


def _africastalking(runtime: Runtime) -> Iterator[Finding]:
    at = runtime.settings.africastalking
    if not at.webhook_secret:
        yield Finding(
            WARNING, "gateways", "AT_WEBHOOK_SECRET is not set: every Africa's Talking callback is refused"
        )
    if bool(at.username) != bool(at.api_key):
        advice = "set both AT_USERNAME and AT_API_KEY"
        yield Finding(PROBLEM, "gateways", "Africa's Talking is half configured", advice)
    elif at.can_send:
        yield Finding(OK, "gateways", "Africa's Talking can send")
    else:
        message = "no Africa's Talking account: replies to USSD and its SMS reporters stay in the outbox"
        yield Finding(WARNING, "gateways", message)


def _unreadable_sample(runtime: Runtime) -> tuple[int, int]:
    """Of the most recent reports' and reporters' data keys, how many the ring cannot unwrap,
    of how many tried. A key it unwraps opens its record: each is checked as it is unwrapped."""
    keys, failed, sampled = runtime.store.keys, 0, 0
    with runtime.store.transaction() as session:
        reports = select(Report).where(Report.key_id.is_not(None)).order_by(Report.received_at.desc())
        for report in session.scalars(reports.limit(SAMPLE)):
            sampled += 1
            failed += not _unwraps(partial(report_key, keys, report))
        reporters = (
            select(Reporter).where(Reporter.key_id.is_not(None)).order_by(Reporter.last_seen_at.desc())
        )
        for reporter in session.scalars(reporters.limit(SAMPLE)):
            sampled += 1
            failed += not _unwraps(partial(reporter_key, keys, reporter))
    return failed, sampled


def _unwraps(unwrap: Callable[[], bytes]) -> bool:
    try:
        unwrap()
    except DecryptionError:
        return False
    return True


CHECKS: tuple[Check, ...] = (
    check_config,
    check_database,
    check_redis,
    check_backlog,
    check_sla,
    check_mail,
    check_keys,
    check_gateways,
)
