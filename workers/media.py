"""Media jobs: fetch each attachment from the gateway, keep it cleaned and sealed (or say why
not), tell the reporter, and delete the gateway's copy. No transaction is open while the
gateway is asked.

Each attempt is counted before it starts, so one cut short (the worker killed, or out of
memory) counts too. A fetch that fails is tried again by the sweeper when its next attempt is
due (further apart each time); after the last attempt the attachment is marked failed and the
reporter told. A job works for at most JOB_SECONDS, well within RQ's timeout: what it has not
started by then is left to the sweeper. Like every job, running one twice changes nothing the
first run did not."""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from datetime import timedelta

from storage.media.fetching import (
    GatewayTask,
    Kept,
    NotAccepted,
    Outcome,
    Unavailable,
    due_attachments,
    gateway_task,
    record_gateway_copy_deleted,
    record_gateway_copy_kept,
    record_outcome,
)
from storage.media.kinds import MAX_MEDIA_BYTES, SNIFF_BYTES, declared_acceptable, sniff
from storage.media.stripping import UnreadableMediaError, clean
from storage.models import utcnow
from storage.settings import TwilioSettings
from workers.runtime import current
from workers.twilio_media import (
    FETCH_SECONDS,
    MediaRefusedError,
    MediaUnavailableError,
    TwilioMedia,
    delete_at_gateway,
    download,
    twilio_media,
)

log = logging.getLogger(__name__)
SWEEP_BATCH = 100
# RQ stops a job after 180 s. Every fetch of a job ends within this many seconds of its start
# (or FETCH_SECONDS after it began, if sooner); attachments it has not begun by then stay due,
# for the sweeper to queue again.
JOB_SECONDS = 90
# A fetch is not begun with less time than this left: it would only use up an attempt.
LEAST_FETCH_SECONDS = 10


def fetch_attachments(attachment_ids: list[str]) -> dict[str, int]:
    """Do what is left to do at the gateway for each attachment, within JOB_SECONDS."""
    job_deadline = time.monotonic() + JOB_SECONDS
    outcomes: Counter[str] = Counter()
    for attachment_id in attachment_ids:
        if job_deadline - time.monotonic() < LEAST_FETCH_SECONDS:
            outcomes["left_for_the_sweeper"] += 1
            continue
        outcomes[settle_attachment(uuid.UUID(attachment_id), job_deadline)] += 1
    return dict(outcomes)


def sweep_attachments() -> int:
    """Re-enqueue attachments whose next attempt at the gateway is due (a fetch or a deletion
    that failed, a job lost with Redis or a worker)."""
    runtime = current()
    cutoff = utcnow() - timedelta(seconds=runtime.settings.sweep_grace_seconds)
    with runtime.store.transaction() as session:
        due = due_attachments(session, cutoff, SWEEP_BATCH)
    if due:
        runtime.dispatcher.enqueue_media(*due)
        log.info("sweep.attachments", extra={"requeued": len(due)})
    return len(due)


def settle_attachment(attachment_id: uuid.UUID, job_deadline: float) -> str:
    """Fetch one attachment if it is still pending (by `job_deadline` at the latest, in
    time.monotonic), then delete the gateway's copy."""
    runtime = current()
    store, twilio = runtime.store, runtime.settings.twilio
    with store.transaction() as session:
        task = gateway_task(session, store.keys, attachment_id)
    if task is None:
        return "skipped"
    try:
        media = twilio_media(task.url, twilio, task.message_external_id)
    except MediaRefusedError as refused:
        _record(attachment_id, NotAccepted(refused.reason))
        _delete_gateway_copy(attachment_id, None)
        return "not_accepted"
    if task.pending:
        deadline = min(job_deadline, time.monotonic() + FETCH_SECONDS)
        outcome = (
            _received(task, media, twilio, deadline) if task.attempt_left else Unavailable("no_attempt_left")
        )
        _record(attachment_id, outcome)
        if isinstance(outcome, Unavailable):
            return "unavailable"
    _delete_gateway_copy(attachment_id, media)
    return "settled"


def _record(attachment_id: uuid.UUID, outcome: Outcome) -> None:
    runtime = current()
    store = runtime.store
    with store.transaction() as session:
        to_send = record_outcome(session, store.keys, runtime.settings.media_path, attachment_id, outcome)
    if to_send:
        runtime.dispatcher.enqueue_notify(*to_send)


def _received(task: GatewayTask, media: TwilioMedia, twilio: TwilioSettings, deadline: float) -> Outcome:
    """What fetching, checking and cleaning the file came to."""
    if not declared_acceptable(task.declared_type):
        return NotAccepted("type_not_accepted")
    try:
        data = download(media, twilio, MAX_MEDIA_BYTES, deadline)
    except MediaRefusedError as refused:
        return NotAccepted(refused.reason)
    except MediaUnavailableError as error:
        return Unavailable(str(error))
    kind = sniff(data[:SNIFF_BYTES], task.declared_type)
    if kind is None:
        return NotAccepted("type_not_accepted")
    try:
        return Kept(clean(data, kind))
    except UnreadableMediaError:
        return NotAccepted("unreadable")


def _delete_gateway_copy(attachment_id: uuid.UUID, media: TwilioMedia | None) -> None:
    """Delete the gateway's copy; a URL that named no media of ours has nothing to delete."""
    runtime = current()
    store = runtime.store
    try:
        if media is not None:
            delete_at_gateway(media, runtime.settings.twilio)
    except MediaUnavailableError as error:
        with store.transaction() as session:
            record_gateway_copy_kept(session, attachment_id, str(error))
        log.warning("media.gateway_copy_not_deleted", extra={"attachment": str(attachment_id)})
        return
    with store.transaction() as session:
        record_gateway_copy_deleted(session, attachment_id)
    if media is not None:
        log.info("media.gateway_copy_deleted", extra={"attachment": str(attachment_id)})
