"""Doctor and /metrics count the workers that are alive: those that beat lately. A worker killed
outright stays registered in Redis for minutes, and is not counted once silent; a worker that
outlives a flush of Redis (which the README says is safe) registers itself again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker, get_current_job
from rq.utils import now, utcformat

from app.context import runtime_of
from app.doctor import OK, PROBLEM, diagnose
from tests.helpers import sample
from tests.processes import wait_until
from tests.test_health import scrape
from workers.dispatch import QUEUES
from workers.runtime import bound
from workers.worker import LIVE_SECONDS, STOP_CHECK_SECONDS, Worker, live_workers

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


def worker_findings(app, level: str) -> list[str]:
    with bound(runtime_of(app)) as runtime:
        return [f.message for f in diagnose(runtime) if f.area == "worker" and f.level == level]


@contextmanager
def killed_worker(redis_url: str) -> Iterator[None]:
    """What `kill -9` of a worker leaves in Redis: its registration, and its last heartbeat
    getting older, until its key expires minutes later."""
    connection = Redis.from_url(redis_url)
    worker = SimpleWorker(list(QUEUES), connection=connection)
    worker.register_birth()
    silent_since = now() - timedelta(seconds=LIVE_SECONDS + 1)
    connection.hset(worker.key, "last_heartbeat", utcformat(silent_since))
    try:
        yield
    finally:
        worker.register_death()


def test_a_worker_killed_outright_is_a_problem_once_silent(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)

    with killed_worker(redis_url):
        [problem] = worker_findings(app, PROBLEM)

    assert problem.startswith("no live RQ worker on the queue(s) triage, notify")
    assert f"registered but silent for {LIVE_SECONDS} s, hung or stopped: pid" in problem


def test_metrics_do_not_count_a_worker_killed_outright(client, make_user, api_token, redis_url):
    token = api_token(make_user("auditor", ()))

    with killed_worker(redis_url):
        exposition = scrape(client, token).get_data(as_text=True)

    assert sample(exposition, "sauti_workers") == 0


def live_names(connection: Redis) -> set[str]:
    return {worker.name for worker in live_workers(connection)}


def test_running_workers_register_again_after_redis_is_flushed(app, app_config, processes):
    connection = Redis.from_url(app_config["REDIS_URL"])
    processes.worker(app_config, "worker")
    wait_until(lambda: len(live_names(connection)) >= 2, 90, "the worker and its children did not start")
    time.sleep(STOP_CHECK_SECONDS)  # every child started
    before = live_names(connection)

    connection.flushdb()

    wait_until(
        lambda: live_names(connection) >= before,
        3 * STOP_CHECK_SECONDS,
        lambda: f"{len(live_names(connection) & before)} of {len(before)} workers registered again",
    )
    assert worker_findings(app, OK) == [f"{len(before)} RQ worker(s) alive on every queue"]


def beats_while_it_runs() -> bool:
    """A job that waits for its worker's next heartbeat: whether one came while it ran."""
    job = get_current_job()
    assert job is not None
    assert job.worker_name is not None
    connection = job.connection
    key = SimpleWorker.redis_worker_namespace_prefix + job.worker_name
    first = connection.hget(key, "last_heartbeat")
    deadline = time.monotonic() + 3 * STOP_CHECK_SECONDS
    while time.monotonic() < deadline:
        if connection.hget(key, "last_heartbeat") != first:
            return True
        time.sleep(0.2)
    return False


def test_a_worker_beats_while_it_runs_a_long_job(runtime):
    queue = Queue("maintenance", connection=runtime.dispatcher.connection)
    job = queue.enqueue(f"{__name__}.beats_while_it_runs")

    Worker(runtime=runtime).work(burst=True)

    assert job.return_value() is True
