"""A serving process holds the ids Redis did not take during an outage and queues them as soon
as it is back: reports received meanwhile are triaged within seconds, not at the next sweep."""

from __future__ import annotations

import time
import uuid

import pytest
from redis import Redis
from rq import Queue

from tests.processes import wait_until
from workers.dispatch import RedisDispatcher

pytestmark = pytest.mark.services


def test_reports_queued_while_redis_is_down_go_on_their_queue_once_it_is_back(own_redis):
    redis_url, servers, start = own_redis
    dispatcher = RedisDispatcher(redis_url, linger=0.05)
    servers[0].kill()
    servers[0].wait()

    dispatcher.enqueue_triage(uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    time.sleep(2)
    servers.append(start())

    queue = Queue("triage", connection=Redis.from_url(redis_url))
    try:
        wait_until(lambda: queue.count == 1, 10, "the ids held while Redis was down were not queued")
    finally:
        dispatcher.close()
