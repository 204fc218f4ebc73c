"""The worker process: RQ's SimpleWorker on Sauti's queues, under a runtime of its own.

Jobs run in the worker process itself with the triage model loaded once: forking a work horse
per job would reload the model for every report. A job cut short by a crash is not lost: the
sweeps find its report, message or attachment still pending in the database. Plain RQ runs it
too, as three workers, so that no report waits behind a slow media host or SMS gateway:
`rq worker --worker-class workers.worker.Worker triage maintenance`, and the same for `notify`
and for `media`."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from types import FrameType
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError
from rq import SimpleWorker, worker_registration
from rq.exceptions import StopRequested
from rq.job import Job
from rq.queue import Queue
from rq.utils import now
from rq.worker import BaseWorker, WorkerStatus

import triage
from storage import Settings
from workers.dispatch import QUEUES, RedisDispatcher
from workers.runtime import Runtime, bound, build_runtime
from workers.supervision import STOP_SIGNALS, StopSignal, stop_processes

# How long an idle worker waits on Redis for a job before it looks again whether it was asked
# to stop. RQ stops an idle worker by raising StopRequested from the signal handler wherever the
# signal lands; where that is a finalizer (a Redis parser's __del__ run by the garbage
# collector), Python swallows the exception, and the worker would wait for jobs for good.
STOP_CHECK_SECONDS = 5
# RQ's scheduler stops within a second of being asked; past this it is killed.
SCHEDULER_STOP_SECONDS = 10
# A worker beats every STOP_CHECK_SECONDS, waiting for a job or running one; one silent this
# long is gone. RQ keeps a worker killed outright registered for minutes, until its key expires.
LIVE_SECONDS = 30

log = logging.getLogger(__name__)


class Worker(SimpleWorker):
    """A SimpleWorker whose process runs every job under one runtime, built from the
    environment unless one is given, whose enqueues go out at once (its jobs carry batches)."""

    # Set by SIGTERM or SIGINT: RQ's own flag misses a stop asked for while the worker waits.
    stop_requested = False

    def __init__(
        self,
        queues: Any = None,
        *args: Any,
        runtime: Runtime | None = None,
        stop: StopSignal | None = None,
        **kwargs: Any,
    ) -> None:
        self.runtime = runtime or build_runtime(Settings.from_env(), background=False)
        self.stop = stop
        if not self.runtime.settings.redis_url:
            raise RuntimeError("REDIS_URL is not set: without Redis the app runs jobs in-process")
        if not isinstance(self.runtime.dispatcher, RedisDispatcher):
            raise RuntimeError("a worker needs the Redis dispatcher")
        dispatcher = self.runtime.dispatcher
        queues = queues or [dispatcher.queues[name] for name in QUEUES]
        if "triage" in {getattr(queue, "name", queue) for queue in queues}:
            triage.shipped_model()
        kwargs.setdefault("connection", dispatcher.connection)
        super().__init__(queues, *args, **kwargs)

    @property
    def asked_to_stop(self) -> bool:
        """By a signal RQ's handler took, or one noted by `stop` before RQ set its handlers
        (while it starts its scheduler process, say)."""
        return self.stop_requested or bool(self.stop and self.stop.asked)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_requested = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]

    @property
    def dequeue_timeout(self) -> int:
        return STOP_CHECK_SECONDS

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        """Beats between waits for a job, and after one; there, a stop asked for is carried out."""
        if self.asked_to_stop and pipeline is None and self.get_state() == WorkerStatus.IDLE:
            raise StopRequested()
        super().heartbeat(timeout, pipeline=pipeline)
        if pipeline is None:
            self.register_again_if_forgotten()

    def register_again_if_forgotten(self) -> None:
        """Redis restarted or flushed under this worker (the sweeps rebuild the queues): RQ's
        beat writes the time to a key of no registry and names no queue, so nobody would see
        the worker until it restarted. It registers again, as it did at birth."""
        if self.connection.sismember(self.redis_workers_keys, self.key):
            return
        with self.connection.pipeline() as pipeline:
            pipeline.hset(self.key, mapping={**self.serialize(), "state": self.get_state()})
            worker_registration.register(self, pipeline)
            pipeline.expire(self.key, self.worker_ttl + 60)
            pipeline.execute()
        log.warning("worker.registered_again", extra={"worker": self.name})

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Runs the job here, beating meanwhile: a fetch may wait on a media host for a minute,
        and a worker that is silent so long would be taken for dead."""
        finished = threading.Event()
        beats = threading.Thread(target=self._beat_until, args=(finished,), daemon=True)
        beats.start()
        try:
            super().execute_job(job, queue)
        finally:
            finished.set()
            beats.join()

    def _beat_until(self, finished: threading.Event) -> None:
        while not finished.wait(STOP_CHECK_SECONDS):
            try:
                SimpleWorker.heartbeat(self)
                self.register_again_if_forgotten()
            except RedisError:
                log.warning("worker.heartbeat_failed", extra={"worker": self.name})

    def work(self, *args: Any, **kwargs: Any) -> bool:
        """RQ's work loop, under this worker's runtime. A stop asked for while RQ starts its
        scheduler process, before the loop is there to catch it, still ends the run with the
        scheduler stopped: a scheduler left running would be waited for at exit, for good. The
        signal handlers RQ installs for its loop leave with it."""
        handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        with bound(self.runtime):
            try:
                return super().work(*args, **kwargs)
            except StopRequested:
                return False
            finally:
                self.stop_scheduler()
                for number, handler in handlers.items():
                    signal.signal(number, handler)

    def stop_scheduler(self) -> None:
        """Stop the scheduler process if it was started and still runs, asking again until it
        does: RQ's own call signals it once and waits for it without end."""
        process = self.scheduler._process if self.scheduler else None
        if process is not None and process.pid is not None:
            stop_processes([process], SCHEDULER_STOP_SECONDS, ask_every=1.0)


def live_workers(connection: Redis) -> list[BaseWorker]:
    """The RQ workers on Sauti's queues that beat within LIVE_SECONDS: the ones running."""
    since = now() - timedelta(seconds=LIVE_SECONDS)
    return [
        worker
        for worker in registered_workers(connection)
        if worker.last_heartbeat is not None and worker.last_heartbeat >= since
    ]


def registered_workers(connection: Redis) -> list[BaseWorker]:
    """The RQ workers registered on Sauti's queues, running or killed minutes ago."""
    return [w for w in SimpleWorker.all(connection=connection) if set(w.queue_names()) & set(QUEUES)]
