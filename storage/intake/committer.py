"""Group commit: the requests of one process hand their sealed reports to one committer thread,
which writes whatever has gathered with one commit and then releases every request in it.

A request returns only after the commit that holds its report, so a report acknowledged is a
report stored; if the commit fails, every request in it fails (and its gateway retries), none
other. Many requests then share one commit, and one fsync, instead of paying one each.

The thread starts in the process that first needs it and stops after a few idle seconds:
gunicorn forks its workers after importing the app, and a thread does not survive a fork."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field

from sqlalchemy import Engine

from storage.database import Store
from storage.intake.batch import write_batch
from storage.intake.sealed import SealedReport, StoredReport

log = logging.getLogger(__name__)
# The most reports one commit takes. It waits for none: the reports that arrive while one
# commit is written make the next, so a busy process commits in large batches, a quiet one at
# once.
MAX_BATCH = 64
IDLE_SECONDS = 5.0
# Longer than any commit should take; the gateway gets a 5xx and retries, and the retry finds
# the report if the commit did land after all.
WAIT_SECONDS = 25.0


@dataclass
class _Waiting:
    sealed: SealedReport
    outcome: Future[StoredReport] = field(default_factory=Future)


class Committer:
    """The group commit of one process for one database."""

    def __init__(self, store: Store) -> None:
        # Weak, so that a store no one uses any more closes as it did before.
        self._store = weakref.ref(store)
        self._waiting: deque[_Waiting] = deque()
        self._arrived = threading.Condition()
        self._running = False
        self._unanswered = 0

    @property
    def queued(self) -> int:
        """Reports waiting for the next batch."""
        return len(self._waiting)

    @property
    def unanswered(self) -> int:
        """Requests waiting on this committer, queued or in the batch being written."""
        return self._unanswered

    def store(self, sealed: SealedReport) -> StoredReport:
        """The stored report, once its commit is done; raises what made the commit fail."""
        waiting = _Waiting(sealed)
        with self._arrived:
            self._waiting.append(waiting)
            self._unanswered += 1
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="group-commit", daemon=True).start()
            self._arrived.notify()
        return waiting.outcome.result(timeout=WAIT_SECONDS)

    def _run(self) -> None:
        while batch := self._gather():
            self._commit(batch)

    def _gather(self) -> list[_Waiting]:
        """The next batch: every report waiting, up to MAX_BATCH. Empty after IDLE_SECONDS with
        nothing to do, and then the thread ends."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._waiting, IDLE_SECONDS):
                self._running = False
                return []
            return [self._waiting.popleft() for _ in range(min(MAX_BATCH, len(self._waiting)))]

    def _commit(self, batch: list[_Waiting]) -> None:
        store = self._store()
        try:
            if store is None:
                raise RuntimeError("the store this committer wrote to was closed")
            stored = write_batch(store, [waiting.sealed for waiting in batch])
        except Exception as error:
            log.error("intake.commit_failed", extra={"reports": len(batch), "error": type(error).__name__})
            self._answered(batch)
            for waiting in batch:
                waiting.outcome.set_exception(error)
            return
        self._answered(batch)
        for waiting, report in zip(batch, stored, strict=True):
            waiting.outcome.set_result(report)

    def _answered(self, batch: list[_Waiting]) -> None:
        with self._arrived:
            self._unanswered -= len(batch)


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
