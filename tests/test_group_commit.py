"""Group commit: the webhooks of one process share commits, and each answers only after its own."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

import pytest
from psycopg import _queries as psycopg_queries
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from storage import Message, Report, Reporter
from storage.intake import InboundMessage
from storage.intake import committer as committer_module
from storage.intake.batch import write_batch
from storage.intake.batch_postgresql import store_in_one_statement
from storage.intake.committer import Committer, committer_for
from storage.intake.sealed import Held, SealedReport, StoredReport, seal_report
from storage.models import utcnow
from tests.helpers import count, count_commits, database_held, reference_in, wait_until
from workers.runtime import Runtime


def committer_of(runtime: Runtime) -> Committer:
    return committer_for(runtime.store)


def message(n: int, sid: str | None = None) -> InboundMessage:
    body = f"Askari wanaitisha hongo ({n})"
    return InboundMessage("twilio_sms", sid or f"SM{n:032d}", f"+2547123456{n:02d}", body)


def test_webhooks_arriving_together_share_one_commit(app, send_sms_to, runtime):
    committer, commits = committer_of(runtime), count_commits(runtime, "webhook")
    # From six numbers: one number sending six at once would be a flood.
    texts = [f"Polisi walimpiga kijana Gikomba ({n})" for n in range(6)]
    with ThreadPoolExecutor(max_workers=6, thread_name_prefix="webhook") as pool, database_held(runtime):
        first = pool.submit(send_sms_to, app.test_client(), texts[0], "+254712000000")
        wait_until(lambda: committer.unanswered == 1 and committer.queued == 0)
        rest = [
            pool.submit(send_sms_to, app.test_client(), body, f"+25471200000{n}")
            for n, body in enumerate(texts[1:], start=1)
        ]
        wait_until(lambda: committer.queued == 5)
    responses = [first.result(), *(answer.result() for answer in rest)]

    assert [response.status_code for response in responses] == [200] * 6
    assert len({reference_in(response.text) for response in responses}) == 6
    assert count(runtime, Report) == 6
    assert len(commits) == 2


def test_a_request_is_answered_only_after_its_report_is_committed(app, send_sms_to, runtime):
    committer = committer_of(runtime)
    with ThreadPoolExecutor(max_workers=1) as pool, database_held(runtime):
        answer = pool.submit(send_sms_to, app.test_client(), "Askari walichukua simu yangu")
        wait_until(lambda: committer.unanswered == 1 and committer.queued == 0)
        time.sleep(0.2)
        answered_while_held = answer.done()

    assert not answered_while_held
    assert answer.result().status_code == 200
    assert count(runtime, Report) == 1


def test_a_batch_stores_every_column_as_it_was_sealed(runtime):
    store = runtime.store
    sealed = seal_report(store.keys, store.pepper, message(1, sid='SM "ñ" \\ 😀 \n'))

    write_batch(store, [sealed])

    with store.engine.connect() as connection:
        stored = connection.execute(
            select(Message.external_id, Message.body, Message.created_at)
            .add_columns(Report.__table__, Reporter.__table__)
            .join(Report, Message.report_id == Report.id)
            .join(Reporter, Report.reporter_id == Reporter.id)
        ).one()
    assert (stored.external_id, stored.body, stored.created_at) == (
        sealed.message["external_id"],
        sealed.message["body"],
        sealed.message["created_at"],
    )
    report_columns = ["id", "ref", "channel", "received_at", "key_id", "wrapped_key", "topic_hint"]
    assert {name: stored._mapping[Report.__table__.c[name]] for name in report_columns} == {
        name: sealed.report[name] for name in report_columns
    }
    reporter_columns = ["pseudonym", "key_id", "wrapped_key", "contact", "last_seen_at"]
    assert {name: stored._mapping[Reporter.__table__.c[name]] for name in reporter_columns} == {
        name: sealed.reporter[name] for name in reporter_columns
    }


def test_one_delivery_twice_in_one_batch_makes_one_report(runtime):
    committer, store = committer_of(runtime), runtime.store
    twice = [seal_report(store.keys, store.pepper, message(1, sid="SM" + "d" * 32)) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=3) as pool, database_held(runtime):
        blocker = pool.submit(committer.store, seal_report(store.keys, store.pepper, message(2)))
        wait_until(lambda: committer.unanswered == 1 and committer.queued == 0)
        stored = [pool.submit(committer.store, sealed) for sealed in twice]
        wait_until(lambda: committer.queued == 2)
    first, again = (result.result() for result in stored)

    assert blocker.result().created
    assert first.report_id == again.report_id
    assert first.ref == again.ref
    assert sorted([first.created, again.created]) == [False, True]
    assert count(runtime, Report) == 2
    assert count(runtime, Message) == 2


def test_a_failed_commit_fails_every_request_in_it_and_no_other(runtime):
    committer, store = committer_of(runtime), runtime.store
    good = seal_report(store.keys, store.pepper, message(1))
    broken = seal_report(store.keys, store.pepper, message(2))
    broken = replace(broken, message=broken.message | {"body": None})
    with ThreadPoolExecutor(max_workers=3) as pool, database_held(runtime):
        before = pool.submit(committer.store, seal_report(store.keys, store.pepper, message(3)))
        wait_until(lambda: committer.unanswered == 1 and committer.queued == 0)
        batch: list[Future[object]] = [pool.submit(committer.store, sealed) for sealed in (good, broken)]
        wait_until(lambda: committer.queued == 2)
    after = committer.store(seal_report(store.keys, store.pepper, message(4)))

    for failed in batch:
        with pytest.raises(IntegrityError):
            failed.result()
    assert before.result().created
    assert after.created
    with store.transaction() as session:
        stored = set(session.scalars(select(Report.id)))
    assert stored == {before.result().report_id, after.report_id}


def test_a_forked_process_commits_on_its_own(runtime):
    store = runtime.store
    committer_of(runtime).store(seal_report(store.keys, store.pepper, message(1)))
    child = os.fork()
    if child == 0:
        os._exit(store_in_the_child(runtime))
    _, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert count(runtime, Report) == 2


def store_in_the_child(runtime: Runtime) -> int:
    """The child's exit code: 0 once its own committer has stored a report. It must never
    return into the test run it was forked from."""
    store = runtime.store
    try:
        for engine in (store.engine, store.autocommit):
            if engine is not None:
                engine.dispose(close=False)  # the parent's connections stay the parent's
        stored = committer_of(runtime).store(seal_report(store.keys, store.pepper, message(2)))
        return 0 if stored.created else 1
    except BaseException:
        return 1


def from_one_number(
    runtime: Runtime, n: int, per_minute: int | None, number: str = "+254712345600"
) -> SealedReport:
    store = runtime.store
    return seal_report(store.keys, store.pepper, replace(message(n), sender=number), per_minute)


def store_together(runtime: Runtime, sealed: list[SealedReport]) -> list[StoredReport | Held]:
    """The reports handed in while the database is held, so that they make one batch."""
    committer, store = committer_of(runtime), runtime.store
    with ThreadPoolExecutor(max_workers=len(sealed) + 1) as pool, database_held(runtime):
        blocker = pool.submit(committer.store, seal_report(store.keys, store.pepper, message(99)))
        wait_until(lambda: committer.unanswered == 1 and committer.queued == 0)
        outcomes = []
        for report in sealed:
            outcomes.append(pool.submit(committer.store, report))
            wait_until(lambda: committer.queued == len(outcomes))
    assert isinstance(blocker.result(), StoredReport)
    return [outcome.result() for outcome in outcomes]


def test_a_numbers_reports_in_one_batch_after_its_first_are_held_back_and_not_written(runtime):
    sealed = [from_one_number(runtime, n, per_minute=2) for n in range(4)]

    outcomes = store_together(runtime, sealed)

    assert outcomes[0] == sealed[0].stored()
    assert outcomes[1:] == [Held(2), Held(3), Held(4)]
    assert count(runtime, Report) == 1 + 1


def test_a_batch_counts_each_numbers_reports_apart(runtime):
    numbers = ["+254712345600", "+254712345601", "+254712345600", "+254712345601"]
    sealed = [from_one_number(runtime, n, 1, number) for n, number in enumerate(numbers)]

    outcomes = store_together(runtime, sealed)

    assert [type(outcome) for outcome in outcomes] == [StoredReport, StoredReport, Held, Held]
    assert outcomes[2:] == [Held(2), Held(2)]


def test_reports_with_no_limit_are_counted_but_never_held_back(runtime):
    store = runtime.store
    sealed = [
        seal_report(store.keys, store.pepper, replace(message(n), sender="+254712345600")) for n in range(3)
    ]
    limited = seal_report(store.keys, store.pepper, replace(message(3), sender="+254712345600"), 3)

    outcomes = store_together(runtime, [*sealed, limited])

    assert all(isinstance(outcome, StoredReport) for outcome in outcomes[:3])
    assert outcomes[3] == Held(4)


def test_a_batch_waits_for_the_report_another_thread_is_about_to_hand_in(runtime, monkeypatch):
    monkeypatch.setattr(committer_module, "GATHER_SECONDS", 30.0)
    committer, store = committer_of(runtime), runtime.store
    expecting, go_on = threading.Event(), threading.Event()

    def answered_on_another_thread() -> StoredReport | Held:
        committer.expect()
        expecting.set()
        go_on.wait()
        return committer.store(seal_report(store.keys, store.pepper, message(2)))

    with ThreadPoolExecutor(max_workers=2) as pool:
        later = pool.submit(answered_on_another_thread)
        expecting.wait()
        commits = count_commits(runtime)
        first = pool.submit(committer.store, seal_report(store.keys, store.pepper, message(1)))
        wait_until(lambda: committer.queued == 1)
        go_on.set()
        outcomes = [first.result(), later.result()]

    assert len(commits) == 1
    assert all(isinstance(outcome, StoredReport) for outcome in outcomes)


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_group_commits_on_sqlite_take_their_turn_to_write(runtime):
    store, turn_taken = runtime.store, threading.Event()

    def write_in_turn() -> None:
        with store.writers_in_turn():
            turn_taken.set()

    with ThreadPoolExecutor(max_workers=1) as pool:
        with store.writers_in_turn():
            waiting = pool.submit(write_in_turn)
            taken_while_held = turn_taken.wait(0.2)
        waiting.result()

    assert not taken_while_held
    assert turn_taken.is_set()


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_a_batch_never_reads_a_table_whole_whatever_plan_the_server_keeps(runtime):
    """The server keeps one plan for the batch statement per connection; a plan made while the
    tables were small must not scan them whole once they have grown."""
    store = runtime.store
    assert store.autocommit is not None
    with store.autocommit.connect() as connection:
        connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        before, minute = whole_table_reads(connection), this_minute()
        for n in range(10):
            store_in_one_statement(connection, [seal_report(store.keys, store.pepper, message(n))], minute)
        connection.exec_driver_sql("SELECT pg_stat_force_next_flush()")

        assert whole_table_reads(connection) == before


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_psycopg_parses_the_batch_statement_once_not_for_every_batch(runtime):
    store = runtime.store
    assert store.autocommit is not None
    # psycopg keeps the parsing of statements up to 4,096 bytes long in this cache.
    parsed = psycopg_queries._query2pg.cache_info
    with store.autocommit.connect() as connection:
        store_in_one_statement(connection, [seal_report(store.keys, store.pepper, message(1))], this_minute())
        hits_before = parsed().hits
        store_in_one_statement(connection, [seal_report(store.keys, store.pepper, message(2))], this_minute())

        assert parsed().hits == hits_before + 1


def this_minute() -> datetime:
    return utcnow().replace(second=0, microsecond=0)


def whole_table_reads(connection: Connection) -> dict[str, int]:
    rows = connection.exec_driver_sql(
        "SELECT relname, seq_scan FROM pg_stat_user_tables"
        " WHERE relname IN ('messages', 'reports', 'reporters')"
    )
    return {name: scans for name, scans in rows}


@pytest.mark.services
@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_deliveries_another_process_is_still_writing_wait_for_it_and_are_stored_once(runtime):
    store = runtime.store
    deliveries = [message(1), message(2)]
    with store.engine.connect() as other_process, ThreadPoolExecutor(max_workers=1) as pool:
        sealed = [seal_report(store.keys, store.pepper, m) for m in deliveries]
        store_in_one_statement(other_process, sealed, this_minute())
        retried = [seal_report(store.keys, store.pepper, m) for m in reversed(deliveries)]
        again = pool.submit(write_batch, store, retried)
        time.sleep(0.2)
        waited = not again.done()
        other_process.commit()
        stored = again.result()

    assert waited
    assert [report.created for report in stored] == [False, False]
    assert count(runtime, Report) == 2
    assert count(runtime, Message) == 2
