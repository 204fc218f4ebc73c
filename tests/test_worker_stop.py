"""A stop asked of an idle worker is carried out even when the signal lands in a finalizer,
where Python swallows the StopRequested that RQ raises from its signal handler."""

from __future__ import annotations

import _thread
import signal
import threading

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
