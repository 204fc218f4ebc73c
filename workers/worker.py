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
import sys
import threading
from contextlib import suppress
from datetime import timedelta
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import SimpleWorker, worker_registration
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.exceptions import StopRequested
from rq.job import Job
from rq.queue import Queue
from rq.scheduler import ForkProcess, RQScheduler
from rq.utils import now
from rq.worker import BaseWorker, WorkerStatus
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

import triage
from storage import Settings
from workers.dispatch import QUEUES, RedisDispatcher
from workers.runtime import Runtime, bound, build_runtime
from workers.supervision import STOP_SIGNALS, ServiceUnavailableError, StopSignal, stop_processes

# How long an idle worker waits on Redis for a job before it looks again whether it was asked
# to stop. RQ stops an idle worker by raising StopRequested from the signal handler wherever the
# signal lands; where that is a finalizer (a Redis parser's __del__ run by the garbage
# collector), Python swallows the exception, and the worker would wait for jobs for good.
STOP_CHECK_SECONDS = 5
# RQ's scheduler stops within a second of being asked; past this it is killed.
SCHEDULER_STOP_SECONDS = 10
# A worker beats every STOP_CHECK_SECONDS, waiting for a job or running one (RQ's own worker_ttl
# only sets how long its key outlives the last beat); one that missed two beats in a row is gone
# or hung (stopped, or stuck outside any job). RQ keeps such a worker registered for minutes.
LIVE_SECONDS = 3 * STOP_CHECK_SECONDS

log = logging.getLogger(__name__)


class ServiceLost(StopRequested):
    """Redis or the database stopped answering a running worker. RQ's loop ends quietly only
    on a stop: the run ends so, to start again once both answer, rather than take jobs it
    would fail."""


class Worker(SimpleWorker):
    """A SimpleWorker whose process runs every job under one runtime, built from the
    environment unless one is given, whose enqueues go out at once (its jobs carry batches)."""

    # Set by SIGTERM or SIGINT: RQ's own flag misses a stop asked for while the worker waits.
    stop_requested = False
    # The service whose loss ended the run, if one did.
    lost: str | None = None

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
        """A warm stop: the job in hand is finished first, however often SIGTERM comes (the parent
        asks its children again, in case one missed the ask). Cutting a notify job short would
        leave its message claimed for minutes, while one the gateway may already have: a job in
        hand is bounded by the gateway's timeout. SIGINT twice, from a terminal, still cuts it."""
        if self.stop_requested and self.get_state() == WorkerStatus.BUSY:
            return
        self.stop_requested = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]
        signal.signal(signal.SIGTERM, self.request_stop)

    @property
    def dequeue_timeout(self) -> int:
        return STOP_CHECK_SECONDS

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        """Beats between waits for a job, and after one; there, a stop asked for is carried out,
        the run ends if Redis or the database stopped answering, and a scheduler that died is
        started again."""
        if pipeline is not None:
            super().heartbeat(timeout, pipeline=pipeline)
            return
        if self.asked_to_stop and self.get_state() == WorkerStatus.IDLE:
            raise StopRequested()
        try:
            super().heartbeat(timeout)
            self.register_again_if_forgotten()
            self.start_scheduler_if_it_died()
        except (RedisConnectionError, RedisTimeoutError):
            raise self.lose("redis") from None
        if not database_answers(self.runtime):
            raise self.lose("database")

    def lose(self, service: str) -> ServiceLost:
        self.lost = service
        return ServiceLost(service)

    def start_scheduler_if_it_died(self) -> None:
        """RQ looks only every ten minutes; retries would wait that long."""
        process: BaseProcess | None = self.scheduler._process if self.scheduler else None
        if self.scheduler is None or process is None or process.is_alive() or self.asked_to_stop:
            return
        self.scheduler.acquire_locks(auto_start=True)  # type: ignore[no-untyped-call]
        if self.scheduler._process is not process:
            log.warning("scheduler.started_again", extra={"worker": self.name})

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
        """RQ's work loop, under this worker's runtime, begun only once Redis and the database
        answer: a worker registered without its database would take jobs only to fail them.
        Raises ServiceUnavailableError when either does not answer, at the start or later. A
        stop asked for while RQ starts its scheduler process, before the loop is there to catch
        it, still ends the run with the scheduler stopped: a scheduler left running would be
        waited for at exit, for good. The signal handlers RQ installs for its loop leave with
        it."""
        if (service := unavailable_service(self.runtime)) is not None:
            raise ServiceUnavailableError(service)
        handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        self.lost = None
        with bound(self.runtime):
            try:
                worked = super().work(*args, **kwargs)
            except StopRequested:
                worked = False
            finally:
                self.stop_scheduler()
                for number, handler in handlers.items():
                    signal.signal(number, handler)
        if self.lost is not None:
            raise ServiceUnavailableError(self.lost)
        return worked

    def teardown(self) -> None:
        """RQ's, with Redis perhaps gone: its registration then expires by itself."""
        self.stop_scheduler()
        with suppress(RedisError):
            self.register_death()  # type: ignore[no-untyped-call]
        if self.pubsub_thread:
            with suppress(RedisError):
                self.pubsub.unsubscribe()
            self.pubsub_thread.stop()
            self.pubsub_thread.join(timeout=1)
            self.pubsub.close()

    def _start_scheduler(
        self,
        burst: bool = False,
        logging_level: str | None = "INFO",
        date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
        log_format: str = DEFAULT_LOGGING_FORMAT,
    ) -> None:
        """RQ's, with the Scheduler below."""
        self.scheduler = Scheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            date_format=date_format,
            log_format=log_format,
            serializer=self.serializer,
        )
        self.scheduler.acquire_locks()  # type: ignore[no-untyped-call]
        if not self.scheduler.acquired_locks:
            return
        if not burst:
            self.scheduler.start()
            return
        try:
            self.scheduler.register_birth()
            self.scheduler.enqueue_scheduled_jobs()  # type: ignore[no-untyped-call]
        finally:
            self.scheduler.release_locks()  # type: ignore[no-untyped-call]
            self.scheduler.register_death()

    def stop_scheduler(self) -> None:
        """Stop the scheduler process if it was started and still runs, asking again until it
        does: RQ's own call signals it once and waits for it without end."""
        process = self.scheduler._process if self.scheduler else None
        if process is not None and process.pid is not None:
            stop_processes([process], SCHEDULER_STOP_SECONDS, ask_every=1.0)


class Scheduler(RQScheduler):
    """RQ's retry scheduler, in a process that ends with one line when Redis goes away (RQ's
    logs a traceback, and Python prints it again), for its worker to start again."""

    def start(self) -> BaseProcess:
        self._status = self.Status.STARTED
        self._connection = None  # a connection does not survive the fork
        process = ForkProcess(target=run_scheduler, args=(self,), name="Scheduler")
        self._process = process  # type: ignore[assignment]
        process.start()
        return process


def run_scheduler(scheduler: RQScheduler) -> None:
    try:
        scheduler.work()  # type: ignore[no-untyped-call]
    except RedisError as error:
        log.warning("scheduler.stopped", extra={"reason": type(error).__name__})
        sys.exit(1)


def database_answers(runtime: Runtime) -> bool:
    try:
        with runtime.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def unavailable_service(runtime: Runtime) -> str | None:
    """Which of Redis and the database a worker needs does not answer now, if either."""
    dispatcher = runtime.dispatcher
    try:
        if isinstance(dispatcher, RedisDispatcher):
            dispatcher.connection.ping()
    except RedisError:
        return "redis"
    return None if database_answers(runtime) else "database"


def live_workers(connection: Redis) -> list[BaseWorker]:
    """The RQ workers on Sauti's queues that beat within LIVE_SECONDS: the ones running."""
    since = now() - timedelta(seconds=LIVE_SECONDS)
    return [
        worker
        for worker in registered_workers(connection)
        if worker.last_heartbeat is not None and worker.last_heartbeat >= since
    ]


def hung_workers(connection: Redis) -> list[BaseWorker]:
    """The RQ workers on Sauti's queues still registered but silent for LIVE_SECONDS: stopped
    (SIGSTOP), stuck, or killed outright minutes ago."""
    live = {worker.name for worker in live_workers(connection)}
    return [worker for worker in registered_workers(connection) if worker.name not in live]


def unworked_queues(connection: Redis) -> list[str]:
    """Sauti's queues no live worker listens to: what is put on them waits."""
    worked = {name for worker in live_workers(connection) for name in worker.queue_names()}
    return [name for name in QUEUES if name not in worked]


def registered_workers(connection: Redis) -> list[BaseWorker]:
    """The RQ workers registered on Sauti's queues, running or killed minutes ago."""
    return [w for w in SimpleWorker.all(connection=connection) if set(w.queue_names()) & set(QUEUES)]
