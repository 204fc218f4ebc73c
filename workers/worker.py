"""The worker process: RQ's SimpleWorker on Sauti's queues, under a runtime of its own.

Jobs run in the worker process itself with the triage model loaded once: forking a work horse
per job would reload the model for every report. A job cut short by a crash is not lost: the
sweeps find its report, message or attachment still pending in the database. Plain RQ runs it
too, as two workers, so that no report waits behind a slow media host:
`rq worker --worker-class workers.worker.Worker triage notify maintenance` and
`rq worker --worker-class workers.worker.Worker media`."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from redis.client import Pipeline
from rq import SimpleWorker
from rq.exceptions import StopRequested
from rq.worker import WorkerStatus

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
