"""`flask worker` through a Redis restart and without its database, as an operator meets them:
its retry schedulers run again within seconds of Redis coming back, saying so in a line or two
of JSON, and a worker whose database does not answer takes no job."""

from __future__ import annotations

import time

import pytest
from redis import Redis
from rq import Queue

from tests.fixtures.stand_ins import free_port
from tests.processes import wait_until
from workers.dispatch import QUEUES
from workers.worker import registered_workers

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


def schedulers_holding(connection: Redis) -> set[str]:
    """The queues a running retry scheduler holds the lock of."""
    try:
        return {name for name in QUEUES if connection.exists(f"rq:scheduler-lock:{name}")}
    except Exception:
        return set()


def test_retry_schedulers_run_again_within_seconds_of_a_redis_restart(app_config, own_redis, processes):
    redis_url, servers, start = own_redis
    connection = Redis.from_url(redis_url, socket_connect_timeout=1)
    processes.worker(app_config | {"REDIS_URL": redis_url}, "worker")
    wait_until(lambda: schedulers_holding(connection) == set(QUEUES), 90, "the schedulers did not start")

    servers[0].kill()
    servers[0].wait()
    time.sleep(4)
    servers.append(start())

    wait_until(
        lambda: schedulers_holding(connection) == set(QUEUES),
        20,
        lambda: f"only the schedulers of {sorted(schedulers_holding(connection))} run again",
    )


def test_a_redis_restart_is_logged_in_a_few_json_lines(app_config, own_redis, processes):
    redis_url, servers, start = own_redis
    connection = Redis.from_url(redis_url, socket_connect_timeout=1)
    processes.worker(app_config | {"REDIS_URL": redis_url}, "worker")
    wait_until(lambda: schedulers_holding(connection) == set(QUEUES), 90, "the schedulers did not start")
    log = processes.folder / "worker.log"
    before = len(log.read_text(errors="replace").splitlines())

    servers[0].kill()
    servers[0].wait()
    time.sleep(8)
    servers.append(start())
    wait_until(lambda: schedulers_holding(connection) == set(QUEUES), 20, "the schedulers did not run again")

    logged = log.read_text(errors="replace").splitlines()[before:]
    assert not [line for line in logged if not line.startswith("{")], "lines that are no JSON"
    assert any('"process.restarting"' in line and "redis unavailable" in line for line in logged)
    assert len(logged) < 40


def test_a_worker_whose_database_does_not_answer_takes_no_job(app_config, redis_url, processes):
    unreachable = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/sauti"
    connection = Redis.from_url(redis_url)
    job = Queue("triage", connection=connection).enqueue("workers.jobs.triage_reports", [])

    processes.worker(app_config | {"DATABASE_URL": unreachable}, "worker", "--queue", "triage")
    time.sleep(12)

    assert job.get_status() == "queued"
    assert registered_workers(connection) == []
    logged = (processes.folder / "worker.log").read_text(errors="replace")
    assert logged.count("database unavailable") == 1
