"""Group commit: the requests of one process hand their sealed reports to one committer thread,
which writes whatever has gathered with one commit and then releases every request in it.

A request returns only after the commit that holds its report, so a report acknowledged is a
report stored; if the commit fails, every request in it fails (and its gateway retries), none
other. Many requests then share one commit, and one fsync, instead of paying one each.

The larger the batch, the less each report costs the database and this process, so a batch
waits a moment (never more than GATHER_SECONDS) for the requests still being answered on other
threads of the process, which `expect` a report, and for as many reports as made the last
batch: requests answered together come back together. A lone request waits for nothing. A gate,
given with a report, sees the whole batch before it is written and may hold reports back: one
call a batch, not one a report.

The thread starts in the process that first needs it and stops after a few idle seconds:
gunicorn forks its workers after importing the app, and a thread does not survive a fork."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol, overload

from sqlalchemy import Engine

from storage.database import Store
from storage.intake.batch import write_batch
from storage.intake.sealed import SealedReport, StoredReport

log = logging.getLogger(__name__)
# The most reports one commit takes. It waits for none: the reports that arrive while one
# commit is written make the next, so a busy process commits in large batches, a quiet one at
# once.
MAX_BATCH = 64
# How long a batch waits for the reports other threads of the process are about to hand in.
GATHER_SECONDS = 0.01
IDLE_SECONDS = 5.0
# Longer than any commit should take; the gateway gets a 5xx and retries, and the retry finds
# the report if the commit did land after all.
WAIT_SECONDS = 25.0


@dataclass(frozen=True)
class Held:
    """A report its gate kept out of the batch: nothing of it was written. `counted` is the
    gate's reason, the number's messages this minute."""

    counted: int


class Gate(Protocol):
    def held(self, batch: Sequence[SealedReport]) -> list[Held | None]:
        """For each report of the batch, in order, None to write it or why it is held back.
        Never raises: a gate that cannot decide holds nothing back."""
        ...


@dataclass
class _Waiting:
    sealed: SealedReport
    gate: Gate | None
    outcome: Future[StoredReport | Held] = field(default_factory=Future)


class Committer:
    """The group commit of one process for one database."""

    def __init__(self, store: Store) -> None:
        # Weak, so that a store no one uses any more closes as it did before.
        self._store = weakref.ref(store)
        self._waiting: deque[_Waiting] = deque()
        self._arrived = threading.Condition()
        self._running = False
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

    @overload
    def store(self, sealed: SealedReport, gate: None = None) -> StoredReport: ...
    @overload
    def store(self, sealed: SealedReport, gate: Gate) -> StoredReport | Held: ...
    def store(self, sealed: SealedReport, gate: Gate | None = None) -> StoredReport | Held:
        """The stored report once its commit is done, or why its gate held it back; raises
        what made the commit fail."""
        waiting = _Waiting(sealed, gate)
        with self._arrived:
            self._expected.discard(threading.get_ident())
            self._waiting.append(waiting)
            self._unanswered += 1
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="group-commit", daemon=True).start()
            if self._batch_is_ready() or len(self._waiting) == 1:
                self._arrived.notify()
        return waiting.outcome.result(timeout=WAIT_SECONDS)

    def _run(self) -> None:
        while batch := self._gather():
            self._commit(batch)

    def _gather(self) -> list[_Waiting]:
        """The next batch: every report waiting, up to MAX_BATCH, once it is ready or
        GATHER_SECONDS have passed. Empty after IDLE_SECONDS with nothing to do, and then the
        thread ends."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._waiting, IDLE_SECONDS):
                self._running = False
                return []
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
        held = _held_back(batch)
        admitted = [waiting for waiting, verdict in zip(batch, held, strict=True) if verdict is None]
        store = self._store()
        try:
            if store is None:
                raise RuntimeError("the store this committer wrote to was closed")
            stored = write_batch(store, [waiting.sealed for waiting in admitted])
        except Exception as error:
            log.error("intake.commit_failed", extra={"reports": len(batch), "error": type(error).__name__})
            self._answered(batch)
            for waiting in batch:
                waiting.outcome.set_exception(error)
            return
        self._answered(batch)
        for waiting, report in zip(admitted, stored, strict=True):
            waiting.outcome.set_result(report)
        for waiting, verdict in zip(batch, held, strict=True):
            if verdict is not None:
                waiting.outcome.set_result(verdict)

    def _answered(self, batch: list[_Waiting]) -> None:
        with self._arrived:
            self._unanswered -= len(batch)


def _held_back(batch: list[_Waiting]) -> list[Held | None]:
    """Each gate's verdicts on its reports of the batch, in the batch's order."""
    gates: dict[int, tuple[Gate, list[int]]] = {}
    for position, waiting in enumerate(batch):
        if waiting.gate is not None:
            gates.setdefault(id(waiting.gate), (waiting.gate, []))[1].append(position)
    verdicts: list[Held | None] = [None] * len(batch)
    for gate, positions in gates.values():
        try:
            held = gate.held([batch[p].sealed for p in positions])
        except Exception as error:
            # A gate is never worth a lost report: its reports are written.
            log.error("intake.gate_failed", extra={"error": type(error).__name__})
            continue
        for position, verdict in zip(positions, held, strict=True):
            verdicts[position] = verdict
    return verdicts


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
