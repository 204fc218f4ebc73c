"""A `flask worker` frozen (`kill -STOP`, a stuck process) stays registered on its queues, but
misses its beats: once silent for LIVE_SECONDS it is no longer counted live, it is named hung,
and its queues as worked by nobody, though its media and notify workers go on beating."""

from __future__ import annotations

import os
import signal
import time

import pytest
from redis import Redis

from tests.processes import wait_until
from workers.worker import LIVE_SECONDS, STOP_CHECK_SECONDS, hung_workers, live_workers, unworked_queues

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


def test_a_stopped_worker_is_named_hung_within_its_live_limit(app_config, processes):
    connection = Redis.from_url(app_config["REDIS_URL"])
    worker = processes.worker(app_config, "worker")
    wait_until(lambda: len(live_workers(connection)) == 3, 90, "the worker and its children did not start")

    os.kill(worker.pid, signal.SIGSTOP)
    try:
        time.sleep(LIVE_SECONDS + STOP_CHECK_SECONDS)
        hung = [w.pid for w in hung_workers(connection)]
        live = [w.pid for w in live_workers(connection)]
        unworked = unworked_queues(connection)
    finally:
        os.kill(worker.pid, signal.SIGCONT)

    assert hung == [worker.pid]
    assert worker.pid not in live
    assert len(live) == 2
    assert unworked == ["triage", "maintenance"]
