"""Putting ids on queues: RQ on Redis, or an in-process worker thread when there is none.

The database is the source of truth. A failed enqueue is logged and left to the sweeper."""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.utils import import_attribute

from storage import Settings

log = logging.getLogger(__name__)

QUEUES = ("triage", "notify", "media", "maintenance")
RETRY = Retry(max=5, interval=[5, 30, 120, 600, 1800])
IN_PROCESS_SWEEP_SECONDS = 30
IDS_PER_JOB = 100
# How long a serving process holds ids before putting them on the queue: long enough that a
# busy minute makes a few jobs of many ids rather than thousands of one, short enough that
# nobody waits for it.
LINGER_SECONDS = 0.25
# While Redis does not answer, a serving process holds the ids it could not queue and tries
# again this often: reports received during a short outage are triaged as soon as it is back,
# not at the next sweep a minute or two later. Past HELD_IDS the rest are left to the sweep.
RETRY_SECONDS = 1.0
HELD_IDS = 10_000


# Jobs by dotted name: the dispatcher never imports them, so jobs may use the dispatcher.
JOBS = {
    "triage": "workers.jobs.triage_reports",
    "notify": "workers.jobs.send_outbound_messages",
    "media": "workers.media.fetch_attachments",
}
SWEEPS = (
    "workers.jobs.sweep_received",
    "workers.jobs.sweep_outbox",
    "workers.media.sweep_attachments",
    "workers.sla.sweep_sla",
    "workers.anchors.anchor_audit_chain",
)
RuntimeContext = Callable[[], AbstractContextManager[object]]


class Dispatcher(Protocol):
    def enqueue_triage(self, *report_ids: uuid.UUID) -> None: ...
    def enqueue_notify(self, *outbound_ids: uuid.UUID) -> None: ...
    def enqueue_media(self, *attachment_ids: uuid.UUID) -> None: ...
    def attach(self, runtime_context: RuntimeContext, *, background: bool) -> None: ...
    def close(self) -> None: ...


class RedisDispatcher:
    """Ids go to RQ as jobs of up to IDS_PER_JOB ids each.

    With `linger`, ids wait on this process up to that many seconds and leave together. A
    crash in that moment loses nothing: the reports are stored, and the sweeper finds them."""

    def __init__(self, redis_url: str, linger: float = 0.0) -> None:
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=2)
        self.queues = {name: Queue(name, connection=self.connection) for name in QUEUES}
        self.linger = linger
        self.waiting: dict[str, list[str]] = {name: [] for name in JOBS}
        self.lock = threading.Lock()
        self.has_waiting = threading.Event()
        self.stopping = threading.Event()
        self.flusher: threading.Thread | None = None
        self.unavailable = False

    def enqueue_triage(self, *report_ids: uuid.UUID) -> None:
        self._enqueue("triage", report_ids)

    def enqueue_notify(self, *outbound_ids: uuid.UUID) -> None:
        self._enqueue("notify", outbound_ids)

    def enqueue_media(self, *attachment_ids: uuid.UUID) -> None:
        self._enqueue("media", attachment_ids)

    def attach(self, runtime_context: RuntimeContext, *, background: bool) -> None:
        """Nothing to do: the jobs run in a worker, under the worker's runtime."""

    def flush(self) -> None:
        """Put every id still waiting on its queue now."""
        with self.lock:
            waiting, self.waiting = self.waiting, {name: [] for name in self.waiting}
        for queue_name, ids in waiting.items():
            self._put(queue_name, ids)

    def close(self) -> None:
        self.stopping.set()
        self.has_waiting.set()
        if self.flusher is not None:
            self.flusher.join(timeout=5)
        self.flush()
        self.connection.close()

    def _enqueue(self, queue_name: str, ids: tuple[uuid.UUID, ...]) -> None:
        if not self.linger or self.stopping.is_set():
            self._put(queue_name, [str(record_id) for record_id in ids])
            return
        with self.lock:
            self.waiting[queue_name].extend(str(record_id) for record_id in ids)
            self._start_flusher()
        self.has_waiting.set()

    def _start_flusher(self) -> None:
        """Started on first use, in the process that uses it: a thread does not survive a fork
        (gunicorn --preload builds the app before forking its workers)."""
        if self.flusher is None or not self.flusher.is_alive():
            self.flusher = threading.Thread(target=self._flush_after_linger, daemon=True)
            self.flusher.start()
            atexit.register(self.close)

    def _flush_after_linger(self) -> None:
        while not self.stopping.is_set():
            self.has_waiting.wait()
            self.stopping.wait(self.linger)
            self.has_waiting.clear()
            self.flush()
            if self.unavailable:
                self.stopping.wait(RETRY_SECONDS)
                self.has_waiting.set()

    def _put(self, queue_name: str, ids: list[str]) -> None:
        job = JOBS[queue_name]
        for start in range(0, len(ids), IDS_PER_JOB):
            chunk = ids[start : start + IDS_PER_JOB]
            try:
                self.queues[queue_name].enqueue(job, chunk, retry=RETRY, failure_ttl=7 * 86400)
            except RedisError:
                self._hold(queue_name, ids[start:])
                return
            if self.unavailable:
                self.unavailable = False
                log.info("queue.available", extra={"queue": queue_name})

    def _hold(self, queue_name: str, ids: list[str]) -> None:
        """Keep ids Redis did not take, to try again, when this process lingers (and is not
        stopping); logged once an outage, not at every try."""
        if not self.unavailable:
            log.warning("queue.unavailable", extra={"queue": queue_name, "records": len(ids)})
        if not self.linger or self.stopping.is_set():
            return
        self.unavailable = True
        with self.lock:
            room = HELD_IDS - sum(len(held) for held in self.waiting.values())
            self.waiting[queue_name][:0] = ids[: max(room, 0)]


class InProcessDispatcher:
    """Runs the same job functions on a thread of this process, and sweeps now and then, each
    under the runtime it is attached to."""

    def __init__(self) -> None:
        self.pending: queue.Queue[tuple[str, list[str]] | None] = queue.Queue()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.runtime_context: RuntimeContext | None = None

    def attach(self, runtime_context: RuntimeContext, *, background: bool) -> None:
        """Run jobs under `runtime_context`; on threads of their own when `background`,
        otherwise only when `run_pending` is called."""
        self.runtime_context = runtime_context
        if background:
            for target in (self._work, self._sweep_periodically):
                thread = threading.Thread(target=target, name=f"sauti-{target.__name__}", daemon=True)
                thread.start()
                self.threads.append(thread)

    def enqueue_triage(self, *report_ids: uuid.UUID) -> None:
        self.pending.put((JOBS["triage"], [str(report_id) for report_id in report_ids]))

    def enqueue_notify(self, *outbound_ids: uuid.UUID) -> None:
        self.pending.put((JOBS["notify"], [str(outbound_id) for outbound_id in outbound_ids]))

    def enqueue_media(self, *attachment_ids: uuid.UUID) -> None:
        self.pending.put((JOBS["media"], [str(attachment_id) for attachment_id in attachment_ids]))

    def wait_idle(self) -> None:
        self.pending.join()

    def run_pending(self) -> None:
        """Run everything queued, on the caller's thread (used when no thread was started)."""
        while not self.pending.empty():
            self._run_one(self.pending.get())

    def close(self) -> None:
        self.stopping.set()
        self.pending.put(None)
        for thread in self.threads:
            thread.join(timeout=5)

    def _work(self) -> None:
        while not self.stopping.is_set():
            self._run_one(self.pending.get())

    def _run_one(self, item: tuple[str, list[str]] | None) -> None:
        try:
            if item is not None:
                job, record_ids = item
                self._call(job, record_ids)
        except Exception:
            log.exception("job.failed; the sweeper will retry it")
        finally:
            self.pending.task_done()

    def _sweep_periodically(self) -> None:
        while not self.stopping.wait(IN_PROCESS_SWEEP_SECONDS):
            try:
                for sweep in SWEEPS:
                    self._call(sweep)
            except Exception:
                log.exception("sweep.failed")

    def _call(self, name: str, *args: object) -> None:
        if self.runtime_context is None:
            raise RuntimeError("attach the dispatcher to a runtime first")
        job: Callable[..., object] = import_attribute(name)
        with self.runtime_context():
            job(*args)


def make_dispatcher(settings: Settings, background: bool = True) -> Dispatcher:
    """The dispatcher for this process. `background` is for serving processes: jobs run on
    a thread of their own when there is no Redis, and ids linger briefly when there is."""
    if settings.redis_url:
        return RedisDispatcher(settings.redis_url, linger=LINGER_SECONDS if background else 0.0)
    return InProcessDispatcher()
