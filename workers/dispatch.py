"""Putting job ids on queues: RQ on Redis, or an in-process worker thread when there is none.

The database is the source of truth. A failed enqueue is logged and left to the sweeper."""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Callable
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from storage import Settings
from workers import jobs, sla

log = logging.getLogger(__name__)

QUEUES = ("triage", "notify", "maintenance")
RETRY = Retry(max=5, interval=[5, 30, 120, 600, 1800])
IN_PROCESS_SWEEP_SECONDS = 30


class Dispatcher(Protocol):
    def enqueue_triage(self, report_id: uuid.UUID) -> bool: ...
    def enqueue_notify(self, outbound_id: uuid.UUID) -> bool: ...
    def close(self) -> None: ...


class RedisDispatcher:
    def __init__(self, redis_url: str) -> None:
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=2)
        self.queues = {name: Queue(name, connection=self.connection) for name in QUEUES}

    def enqueue_triage(self, report_id: uuid.UUID) -> bool:
        return self._enqueue("triage", jobs.triage_report, str(report_id))

    def enqueue_notify(self, outbound_id: uuid.UUID) -> bool:
        return self._enqueue("notify", jobs.send_outbound, str(outbound_id))

    def close(self) -> None:
        self.connection.close()

    def _enqueue(self, queue_name: str, job: Callable[[str], object], record_id: str) -> bool:
        try:
            self.queues[queue_name].enqueue(job, record_id, retry=RETRY, failure_ttl=7 * 86400)
        except RedisError:
            log.warning("queue.unavailable", extra={"queue": queue_name, "record": record_id})
            return False
        return True


class InProcessDispatcher:
    """Runs the same job functions on a thread of this process, and sweeps now and then."""

    def __init__(self, start_thread: bool = True) -> None:
        self.pending: queue.Queue[tuple[Callable[[str], object], str] | None] = queue.Queue()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        if start_thread:
            self.start()

    def start(self) -> None:
        for target in (self._work, self._sweep_periodically):
            thread = threading.Thread(target=target, name=f"sauti-{target.__name__}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def enqueue_triage(self, report_id: uuid.UUID) -> bool:
        self.pending.put((jobs.triage_report, str(report_id)))
        return True

    def enqueue_notify(self, outbound_id: uuid.UUID) -> bool:
        self.pending.put((jobs.send_outbound, str(outbound_id)))
        return True

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

    def _run_one(self, item: tuple[Callable[[str], object], str] | None) -> None:
        try:
            if item is not None:
                job, record_id = item
                job(record_id)
        except Exception:
            log.exception("job.failed; the sweeper will retry it")
        finally:
            self.pending.task_done()

    def _sweep_periodically(self) -> None:
        while not self.stopping.wait(IN_PROCESS_SWEEP_SECONDS):
            try:
                jobs.sweep_received()
                jobs.sweep_outbox()
                sla.sweep_sla()
                sla.anchor_audit_chain()
            except Exception:
                log.exception("sweep.failed")


def make_dispatcher(settings: Settings, start_thread: bool = True) -> Dispatcher:
    if settings.redis_url:
        return RedisDispatcher(settings.redis_url)
    return InProcessDispatcher(start_thread=start_thread)
