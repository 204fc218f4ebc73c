"""Ids on their way to RQ: a serving process holds them for a moment so that a busy minute
makes a few jobs of many ids, and nothing it holds is left behind."""

from __future__ import annotations

import multiprocessing
import time
import uuid

import pytest
from rq import Queue

from workers.dispatch import IDS_PER_JOB, RedisDispatcher

pytestmark = pytest.mark.services


def queued_ids(dispatcher: RedisDispatcher, queue_name: str = "triage") -> list[list[str]]:
    return [job.args[0] for job in Queue(queue_name, connection=dispatcher.connection).jobs]


def wait_for_jobs(dispatcher: RedisDispatcher, queue_name: str = "triage") -> list[list[str]]:
    for _ in range(100):
        if found := queued_ids(dispatcher, queue_name):
            return found
        time.sleep(0.05)
    raise AssertionError("nothing reached the queue")


def test_ids_enqueued_within_the_linger_leave_as_one_job(redis_url):
    dispatcher = RedisDispatcher(redis_url, linger=0.3)
    reports = [uuid.uuid4() for _ in range(3)]

    for report_id in reports:
        dispatcher.enqueue_triage(report_id)

    assert queued_ids(dispatcher) == []
    assert wait_for_jobs(dispatcher) == [[str(report_id) for report_id in reports]]
    dispatcher.close()


def test_closing_puts_the_waiting_ids_on_their_queues(redis_url):
    dispatcher = RedisDispatcher(redis_url, linger=60)
    report_id, outbound_id = uuid.uuid4(), uuid.uuid4()
    dispatcher.enqueue_triage(report_id)
    dispatcher.enqueue_notify(outbound_id)

    dispatcher.close()

    assert queued_ids(dispatcher, "triage") == [[str(report_id)]]
    assert queued_ids(dispatcher, "notify") == [[str(outbound_id)]]


def test_more_ids_than_a_job_carries_are_split_into_several_jobs(redis_url):
    dispatcher = RedisDispatcher(redis_url)
    reports = [uuid.uuid4() for _ in range(IDS_PER_JOB * 2 + 1)]

    dispatcher.enqueue_triage(*reports)

    assert [len(ids) for ids in queued_ids(dispatcher)] == [IDS_PER_JOB, IDS_PER_JOB, 1]
    dispatcher.close()


def test_a_process_forked_after_the_first_enqueue_still_delivers_its_own(redis_url):
    """gunicorn --preload builds the app, then forks: the holding thread does not come along."""
    dispatcher = RedisDispatcher(redis_url, linger=0.1)
    dispatcher.enqueue_triage(uuid.uuid4())
    wait_for_jobs(dispatcher)
    in_child = uuid.uuid4()

    child = multiprocessing.get_context("fork").Process(
        target=enqueue_and_linger, args=(dispatcher, in_child)
    )
    child.start()
    child.join(timeout=10)

    assert [str(in_child)] in queued_ids(dispatcher)
    dispatcher.close()


def enqueue_and_linger(dispatcher: RedisDispatcher, report_id: uuid.UUID) -> None:
    dispatcher.enqueue_triage(report_id)
    time.sleep(1)
