"""A stop asked of an idle worker is carried out wherever the signal lands: in a finalizer,
where Python swallows the StopRequested that RQ raises from its signal handler, or while RQ is
still starting its scheduler process and work loop."""

from __future__ import annotations

import _thread
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from workers.worker import STOP_CHECK_SECONDS, Worker

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


class StopInAFinalizer:
    """Asks the worker to stop from `__del__`, as a SIGTERM landing there would."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    def __del__(self) -> None:
        self.worker.request_stop(signal.SIGTERM, None)


# The StopRequested raised in __del__ is reported as unraisable: that is the case under test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_stop_swallowed_by_a_finalizer_is_carried_out_at_the_next_look(runtime):
    worker = Worker(runtime=runtime)
    StopInAFinalizer(worker)  # dropped at once: its __del__ asks for the stop, and the raise is lost
    assert worker.asked_to_stop
    # Without the next look the worker would wait for jobs for good: interrupt it instead.
    interrupted = threading.Event()
    guard = threading.Timer(STOP_CHECK_SECONDS * 4, lambda: (interrupted.set(), _thread.interrupt_main()))
    guard.start()
    try:
        worker.work()
    finally:
        guard.cancel()

    assert not interrupted.is_set(), "the worker went on waiting for jobs"


class StoppedWhileTheSchedulerStarts(Worker):
    """SIGTERM lands just after RQ forks the scheduler process, before the work loop is there."""

    def _start_scheduler(self, *args: Any, **kwargs: Any) -> None:
        super()._start_scheduler(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)


class StoppedBeforeTheLoop(Worker):
    """SIGTERM lands once RQ's handlers are in place, before the work loop is there to catch
    the StopRequested they raise."""

    def _install_signal_handlers(self) -> None:
        super()._install_signal_handlers()
        os.kill(os.getpid(), signal.SIGTERM)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@pytest.fixture
def sigterm_exits() -> Iterator[None]:
    """SIGTERM ends the process, as `flask worker` has it until RQ's loop starts."""
    previous = signal.signal(signal.SIGTERM, _exit)
    yield
    signal.signal(signal.SIGTERM, previous)


def scheduler_of(worker: Worker) -> Any:
    assert worker.scheduler is not None, "no scheduler was started"
    assert worker.scheduler._process is not None, "no scheduler process was started"
    return worker.scheduler._process


def test_a_stop_while_the_scheduler_starts_leaves_no_scheduler_running(runtime, sigterm_exits):
    worker = StoppedWhileTheSchedulerStarts(runtime=runtime)

    with pytest.raises(SystemExit):
        worker.work(with_scheduler=True)

    scheduler = scheduler_of(worker)
    scheduler.join(timeout=STOP_CHECK_SECONDS * 2)
    if scheduler.exitcode is None:
        scheduler.kill()
        scheduler.join()
        pytest.fail("the scheduler outlived the worker's run: the process would wait for it at exit")


def test_a_stop_before_the_work_loop_ends_the_run_as_asked(runtime, sigterm_exits):
    worker = StoppedBeforeTheLoop(runtime=runtime)

    worker.work(with_scheduler=True)

    assert worker.asked_to_stop
    assert scheduler_of(worker).exitcode is not None


def test_the_signal_handlers_rq_installs_leave_with_its_loop(runtime, sigterm_exits):
    Worker(runtime=runtime).work(burst=True)

    assert signal.getsignal(signal.SIGTERM) is _exit
