"""Group commit: the requests of one process hand their sealed reports to a batch, which one of
them (the leader) writes with one commit for all, and then releases every request in it.

A request returns only after the commit that holds its report, so a report acknowledged is a
report stored; if the commit fails, every request in it fails (and its gateway retries), none
other. Many requests then share one commit, and one fsync, instead of paying one each.

The first request to arrive while no batch is being gathered leads: it gathers, writes, and
hands the lead to the oldest report still waiting, whose request writes the next batch. No
thread of its own does the writing, so a batch costs no more wake-ups than the requests it
releases, and nothing needs starting after gunicorn forks its workers.

The larger the batch, the less each report costs the database and this process, so a batch
waits a moment (never more than GATHER_SECONDS) for the requests still being answered on other
threads of the process, which `expect` a report, and for as many reports as made the last
batch: requests answered together come back together. A lone request waits for nothing. A
report past its number's limit this minute is held back, counted in the same write."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections import deque

from sqlalchemy import Engine

from storage.database import Store, WritersTurnNotTakenError, write_lock_waits_end_by
from storage.intake.batch import write_batch
from storage.intake.sealed import Held, SealedReport, StoredReport

log = logging.getLogger(__name__)
# The most reports one commit takes. It waits for none: the reports that arrive while one
# commit is written make the next, so a busy process commits in large batches, a quiet one at
# once.
MAX_BATCH = 64
# How long a batch waits for the reports other threads of the process are about to hand in.
GATHER_SECONDS = 0.01
# Longer than any commit should take, and longer than a batch takes to fail on a database that
# does not answer (storage.database: a connection attempt and a statement), yet well inside the
# 15 s a gateway waits: it gets a 503 and retries, and the retry finds the report by its
# gateway id if the commit did land after all. On SQLite a batch waits for the write lock
# (held by another process, or another program) no longer than its oldest report may wait.
WAIT_SECONDS = 10.0
NOT_IN_TIME = f"no commit took this report within {WAIT_SECONDS:.0f} s"


class CommitTimeoutError(TimeoutError):
    """No commit took this report in time; it may still be written by the one in hand."""


class _Waiting:
    """A report handed in, and its request's wait: for the report's outcome, or for the lead."""

    __slots__ = ("_woken", "deadline", "error", "leads", "outcome", "sealed")

    def __init__(self, sealed: SealedReport) -> None:
        self.sealed = sealed
        self.deadline = time.monotonic() + WAIT_SECONDS
        self.outcome: StoredReport | Held | None = None
        self.error: BaseException | None = None
        self.leads = False
        # A lock taken now and released to wake the request: the cheapest wake-up there is,
        # where a Future or an Event costs a condition and a lock of its own.
        self._woken = threading.Lock()
        self._woken.acquire()

    def wake(self) -> None:
        self._woken.release()

    def sleep(self, seconds: float) -> bool:
        return self._woken.acquire(timeout=seconds)

    def result(self) -> StoredReport | Held:
        if self.outcome is None:
            raise self.error or RuntimeError("the batch of this report ended without an outcome")
        return self.outcome


class Committer:
    """The group commit of one process for one database."""

    def __init__(self, store: Store) -> None:
        # Weak, so that a store no one uses any more closes as it did before.
        self._store = weakref.ref(store)
        self._waiting: deque[_Waiting] = deque()
        self._arrived = threading.Condition()
        self._led = False
        self._unanswered = 0
        # Threads answering a request that may hand in a report.
        self._expected: set[int] = set()
        self._last_batch = 1

    @property
    def queued(self) -> int:
        """Reports waiting for the next batch."""
        return len(self._waiting)

    @property
    def unanswered(self) -> int:
        """Requests waiting on this committer, queued or in the batch being written."""
        return self._unanswered

    def expect(self) -> None:
        """This thread may soon hand in a report: the next batch waits a moment for it."""
        with self._arrived:
            self._expected.add(threading.get_ident())

    def forget(self) -> None:
        """This thread hands in nothing more."""
        with self._arrived:
            if threading.get_ident() not in self._expected:
                return
            self._expected.remove(threading.get_ident())
            if self._batch_is_ready():
                self._arrived.notify()

    def store(self, sealed: SealedReport) -> StoredReport | Held:
        """The stored report once its commit is done, or why it was held back; raises what
        made the commit fail."""
        mine = _Waiting(sealed)
        with self._arrived:
            self._expected.discard(threading.get_ident())
            self._waiting.append(mine)
            self._unanswered += 1
            mine.leads = not self._led
            self._led = True
            if not mine.leads and self._batch_is_ready():
                self._arrived.notify()
        if not mine.leads:
            self._wait_for_outcome_or_lead(mine)
        if mine.leads:
            self._lead()
        return mine.result()

    def _wait_for_outcome_or_lead(self, mine: _Waiting) -> None:
        if mine.sleep(max(0.0, mine.deadline - time.monotonic())):
            return
        with self._arrived:
            if mine.leads or mine.outcome is not None or mine.error is not None:
                return
            if mine in self._waiting:
                self._waiting.remove(mine)
                self._unanswered -= 1
        raise CommitTimeoutError(NOT_IN_TIME)

    def _lead(self) -> None:
        """Write the next batch, which holds this thread's report, then pass the lead on."""
        batch = self._gather()
        try:
            self._commit(batch)
        finally:
            with self._arrived:
                self._unanswered -= len(batch)
                successor = self._waiting[0] if self._waiting else None
                if successor is None:
                    self._led = False
                else:
                    successor.leads = True
            for waiting in batch[1:]:
                waiting.wake()
            if successor is not None:
                successor.wake()

    def _gather(self) -> list[_Waiting]:
        """The next batch: every report waiting, up to MAX_BATCH, once it is ready or
        GATHER_SECONDS have passed. The leader's report is the oldest, so always in it."""
        with self._arrived:
            self._arrived.wait_for(self._batch_is_ready, GATHER_SECONDS)
            batch = [self._waiting.popleft() for _ in range(min(MAX_BATCH, len(self._waiting)))]
            self._last_batch = len(batch)
            return batch

    def _batch_is_ready(self) -> bool:
        """Full, or no other thread is answering a request and as many reports have come as
        made the last batch: requests answered together come back together."""
        waiting = len(self._waiting)
        return waiting >= MAX_BATCH or (not self._expected and waiting >= self._last_batch)

    def _commit(self, batch: list[_Waiting]) -> None:
        try:
            outcomes = self._write(batch)
        except Exception as error:
            log.error("intake.commit_failed", extra={"reports": len(batch), "error": type(error).__name__})
            for waiting in batch:
                waiting.error = error
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome = outcome

    def _write(self, batch: list[_Waiting]) -> list[StoredReport | Held]:
        """Write the batch, waiting for the database's write lock no longer than its oldest
        report, the leader's, may wait: the leader's request is answered in time, and so are the
        others, which arrived later."""
        store = self._store()
        if store is None:
            raise RuntimeError("the store this committer wrote to was closed")
        try:
            with write_lock_waits_end_by(batch[0].deadline):
                return write_batch(store, [waiting.sealed for waiting in batch])
        except WritersTurnNotTakenError as error:
            raise CommitTimeoutError(NOT_IN_TIME) from error


_committers: weakref.WeakKeyDictionary[Engine, Committer] = weakref.WeakKeyDictionary()
_committers_lock = threading.Lock()


def committer_for(store: Store) -> Committer:
    """The committer of this process for the store's database."""
    with _committers_lock:
        committer = _committers.get(store.engine)
        if committer is None:
            committer = _committers[store.engine] = Committer(store)
        return committer


def _forget_after_fork() -> None:
    """A forked child has none of its parent's threads: it starts committers of its own."""
    global _committers_lock
    _committers.clear()
    _committers_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
