"""Keeping `flask worker` running through outages, and its children from outliving it.

RQ's work loop quits on an error it does not expect (Redis gone mid-heartbeat, a database
error in its bookkeeping). Here a worker that quits without being asked to is started again
after a pause that doubles up to a minute, so that a service manager never has to. Children
the worker forks (RQ's scheduler, the periodic sweeps, the media worker) are told by the
kernel to stop when the worker dies, SIGKILL included."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

from redis import Redis
from redis.exceptions import RedisError
from rq.cron import CronScheduler
from rq.exceptions import StopRequested

log = logging.getLogger(__name__)

FIRST_PAUSE_SECONDS = 1.0
# While a service a run needs does not answer, it is asked again this often: the run starts
# again within this long of its coming back.
READY_POLL_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 60.0
# A run that lasted this long was healthy: the next failure starts again from the first pause.
HEALTHY_RUN_SECONDS = 60.0
PR_SET_PDEATHSIG = 1
# The signals that ask a process to stop.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class ServiceUnavailableError(Exception):
    """A service a run needs (named: redis, database) does not answer: the run waits for it
    rather than failing again and again."""

    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.service = service


def next_pause(pause: float) -> float:
    return min(pause * 2, LONGEST_PAUSE_SECONDS)


class StopSignal:
    """Notes that SIGTERM or SIGINT asked this process to stop, for the process to stop at its
    next look. Nothing is raised from the handler: Python swallows an exception a handler raises
    where the signal lands in an at-fork hook (logging's, while a child is being started) or a
    finalizer, and the stop would be lost."""

    def __init__(self) -> None:
        self.asked = False

    def install(self) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, self._note)

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.asked = True


class Backoff:
    """Pauses between attempts that double up to LONGEST_PAUSE_SECONDS and can be cut short by
    SIGTERM or SIGINT, which mean: stop trying."""

    def __init__(self) -> None:
        self.pause = FIRST_PAUSE_SECONDS
        self.stopping = threading.Event()

    def wait(self, ready: Callable[[], bool] | None = None) -> bool:
        """Pause before the next attempt, and then, given `ready`, until it holds; False when
        asked to stop meanwhile."""
        previous = {number: signal.signal(number, self._stop) for number in STOP_SIGNALS}
        try:
            stopped = self.stopping.wait(self.pause)
            while ready is not None and not stopped and not _holds(ready):
                stopped = self.stopping.wait(READY_POLL_SECONDS)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        self.pause = next_pause(self.pause)
        return not stopped

    def reset(self) -> None:
        self.pause = FIRST_PAUSE_SECONDS

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()


def _holds(ready: Callable[[], bool]) -> bool:
    try:
        return ready()
    except Exception:
        return False


def keep_running(
    run_once: Callable[[], bool],
    what: str,
    stop: StopSignal | None = None,
    ready: Callable[[], bool] | None = None,
) -> None:
    """Call `run_once` until it returns True (it stopped because it was asked to or had
    finished), starting it again after a pause whenever it fails or quits on its own; never once
    `stop` was asked for. A run that found a service unavailable starts again once `ready`
    holds (it is asked every READY_POLL_SECONDS), however long that takes: one line is logged
    for the outage, not one for each attempt."""
    backoff = Backoff()
    while not (stop and stop.asked):
        started = time.monotonic()
        reason, waits_for = "quit", None
        try:
            if run_once():
                return
        except ServiceUnavailableError as error:
            reason, waits_for = f"{error.service} unavailable", ready
        except Exception as error:
            reason = type(error).__name__
        if time.monotonic() - started > HEALTHY_RUN_SECONDS:
            backoff.reset()
        log.warning("process.restarting", extra={"part": what, "reason": reason, "pause": backoff.pause})
        if (stop and stop.asked) or not backoff.wait(waits_for):
            return


def stop_processes(processes: Sequence[BaseProcess], patience: float, ask_every: float | None = None) -> None:
    """Ask child processes to stop (SIGTERM), all at once, and wait up to `patience` seconds for
    them, asking again every `ask_every` seconds if given: Python swallows an exception a signal
    handler raises in an at-fork hook or a finalizer, so a child just forked can miss the first
    ask. A child still running after that is killed, never waited for without end."""
    deadline = time.monotonic() + patience
    next_ask = time.monotonic()
    while (running := _running(processes)) and (now := time.monotonic()) < deadline:
        if now >= next_ask:
            for process in running:
                process.terminate()
            next_ask = now + ask_every if ask_every else deadline
        wait([process.sentinel for process in running], timeout=min(deadline, next_ask) - now)
    for process in _running(processes):
        log.warning("process.killed", extra={"part": process.name, "patience": patience})
        process.kill()
        process.join()


def _running(processes: Sequence[BaseProcess]) -> list[BaseProcess]:
    return [process for process in processes if process.exitcode is None]


def die_with_parent() -> None:
    """Ask the kernel to send SIGTERM to this process when its parent dies (Linux), and stop
    now if the parent is already gone. Until it sets handlers of its own, this process ends at
    SIGTERM or SIGINT: a parent's StopSignal, inherited, would note the kernel's one SIGTERM
    where nobody looks."""
    parent = os.getppid()
    for number in STOP_SIGNALS:
        signal.signal(number, _exit)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        log.warning("children.unsupervised: this system cannot tie a child's life to its parent")
    if os.getppid() != parent:
        os._exit(0)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def tie_children_to_this_process() -> None:
    """Every process forked from here on dies with this one."""
    os.register_at_fork(after_in_child=die_with_parent)


def run_cron(redis_url: str, schedule: str, worker: int) -> None:
    """The periodic sweeps, kept running through Redis outages until asked to stop or until the
    worker that started them (process id `worker`, told by the worker: a worker that died before
    this process first asked for its parent would otherwise never be missed) is gone.

    The kernel tells this process once that its worker died (`die_with_parent`), with SIGTERM,
    which RQ's cron scheduler turns into StopRequested wherever it lands: while the scheduler
    registers itself in Redis, too, before its own loop is there to catch it. That is a stop,
    never a failure to start again from; and should the one signal be lost all the same, the
    next attempt finds the worker gone and stops."""

    connection = Redis.from_url(redis_url, socket_connect_timeout=2)

    def run_once() -> bool:
        if os.getppid() != worker:
            return True
        try:
            scheduler = CronScheduler(connection=connection)
            scheduler.load_config_from_file(schedule)
            scheduler.start()  # type: ignore[no-untyped-call]
        except RedisError:
            raise ServiceUnavailableError("redis") from None
        except StopRequested:
            return True
        return True

    keep_running(run_once, "cron", ready=lambda: os.getppid() != worker or bool(connection.ping()))
