"""The database engine, sessions and the key material a process works with."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import errors
from psycopg.abc import RV, PQGen
from psycopg.rows import TupleRow
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from storage.crypto import KeyRing, load_key_ring
from storage.settings import Settings


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    keys: KeyRing
    pepper: bytes
    # PostgreSQL only: connections on which each statement commits on its own, for a batch of
    # reports written in one statement. No ping on checkout: a batch lost to a dead connection
    # is simply tried again.
    autocommit: Engine | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        engine = make_engine(settings.database_url)
        keys = load_key_ring(settings.master_keys, settings.master_keys_file)
        sessions = sessionmaker(engine, expire_on_commit=False)
        autocommit = None
        if engine.dialect.name == "postgresql":
            autocommit = postgresql_engine(
                settings.database_url, INTAKE_ANSWER_SECONDS, isolation_level="AUTOCOMMIT"
            )
        return cls(engine, sessions, keys, settings.pepper, autocommit)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.autocommit is not None:
            self.autocommit.dispose()

    @contextmanager
    def writers_in_turn(self) -> Iterator[None]:
        """On an SQLite file, the writers that use this (the group commits of every process)
        queue for the write lock in the kernel, which wakes the next the moment the last is
        done: SQLite's own wait for its lock polls, sleeping up to 100 ms at a time. Elsewhere
        it does nothing."""
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield
            return
        lock = os.open(f"{database}-writers.lock", os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
        if not _turn_taken(lock, _write_lock_deadline.get()):
            raise WritersTurnNotTakenError("another writer kept the turn to write past this write's deadline")
        try:
            yield
        finally:
            os.close(lock)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, one transaction: committed on success, rolled back on any error."""
        with self.sessions.begin() as session:
            yield session


POOL_SIZE = {"pool_size": 5, "max_overflow": 10}
# A gateway gives up after 15 s, and a probe after a few: a PostgreSQL that accepts connections
# and never answers (hung, or behind a stalled proxy or network) must cost a report's write no
# more than one connection attempt and one short statement, so that it is answered 503 in time
# and retried. Other work may wait longer, on a lock or a large count, but never for ever.
CONNECT_SECONDS = 3
INTAKE_ANSWER_SECONDS = 5.0
ANSWER_SECONDS = 60.0
# How long a write waits for SQLite's write lock, held by another writer or another program,
# unless a deadline of its own is set (`write_lock_waits_end_by`): the work of workers,
# commands and pages waits its turn rather than fail, for nobody gives up on it at 15 s.
LOCK_WAIT_SECONDS = 30
# The database file, its journal and its lock are readable by their owner only: sealed as the
# texts are, the file still holds who reported when. SQLite gives its -wal and -shm files the
# database file's permissions.
PRIVATE_FILE = 0o600


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return sqlite_engine(url)
    return postgresql_engine(url, ANSWER_SECONDS, pool_pre_ping=True)


def postgresql_engine(url: str, answer_seconds: float, **options: object) -> Engine:
    """Every connection gives up connecting after CONNECT_SECONDS, and waiting for any answer
    (a statement's, a commit's, a ping's) after `answer_seconds`. The deadline is the client's
    own: a statement_timeout is enforced by the server, which may be the part that hangs (and
    PgBouncer may refuse the startup option that sets one)."""
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_SECONDS}, **POOL_SIZE, **options)

    @event.listens_for(engine, "do_connect")
    def connect_with_a_deadline(_dialect, _record, cargs, cparams):  # type: ignore[no-untyped-def]
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.answer_seconds = answer_seconds
        return connection

    return engine


class DeadlineConnection(psycopg.Connection[TupleRow]):
    """A psycopg connection that waits at most `answer_seconds` for the server, unless the
    caller (psycopg itself) gives a wait its own timeout."""

    answer_seconds = ANSWER_SECONDS

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        if timeout is not None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.answer_seconds)
        except errors._WaitTimeout:
            # Its answer may still come and be read as the next statement's: the connection is
            # closed, which tells SQLAlchemy to drop it and every other one of its pool.
            self.close()
            raise psycopg.OperationalError(
                f"the database did not answer within {self.answer_seconds:.0f} s"
            ) from None


class WritersTurnNotTakenError(TimeoutError):
    """Another writer held the turn to write on the SQLite file past this write's deadline;
    nothing was written."""


_write_lock_deadline: ContextVar[float | None] = ContextVar("write_lock_deadline", default=None)


@contextmanager
def write_lock_waits_end_by(deadline: float) -> Iterator[None]:
    """In this block, this thread's waits for SQLite's write lock (for the writers' turn, and
    for the lock itself as a transaction begins) end at `deadline`, a `time.monotonic()`, or at
    an enclosing block's if that is sooner. A write that would wait past it fails before
    writing anything (one that finds the lock free still writes), so that a request someone is
    waiting on, a gateway for 15 s, is answered 503 in time and retried."""
    enclosing = _write_lock_deadline.get()
    token = _write_lock_deadline.set(deadline if enclosing is None else min(enclosing, deadline))
    try:
        yield
    finally:
        _write_lock_deadline.reset(token)


def sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS, "check_same_thread": False})
    _create_private(engine.url.database)

    @event.listens_for(engine, "connect")
    def use_wal_and_manual_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at each commit: a committed report
        # survives the process dying, though not the machine losing power.
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    # SQLite has one writer; taking the write lock at BEGIN keeps the audit chain linear.
    @event.listens_for(engine, "begin")
    def begin_immediately(connection):  # type: ignore[no-untyped-def]
        _limit_the_lock_wait(connection, _write_lock_deadline.get())
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _limit_the_lock_wait(connection: Connection, deadline: float | None) -> None:
    """How long the BEGIN about to run may wait for the write lock: until the deadline, or
    LOCK_WAIT_SECONDS. Kept on the connection, so that most transactions set nothing."""
    if deadline is None:
        milliseconds = LOCK_WAIT_SECONDS * 1000
    else:
        milliseconds = max(0, round((deadline - time.monotonic()) * 1000))
    if connection.info.get("lock_wait_ms") != milliseconds:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {milliseconds}")
        connection.info["lock_wait_ms"] = milliseconds


def _turn_taken(lock: int, deadline: float | None) -> bool:
    """Whether this thread now has the writers' turn, queued for in the kernel. Past the
    deadline it stops waiting (False), and the lock file is no longer its own to close."""
    if deadline is None:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return True
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return _TurnWait(lock).taken_by(deadline)


class _TurnWait:
    """The kernel has no deadline for a wait on a file lock: a thread of its own waits in the
    queue, and lets the turn go the moment it comes if no one waits for it any more."""

    def __init__(self, lock: int) -> None:
        self._lock = lock
        self._decided = threading.Lock()
        self._taken = threading.Event()
        self._given_up = False
        threading.Thread(target=self._wait_in_the_queue, name="sqlite-writers-turn", daemon=True).start()

    def taken_by(self, deadline: float) -> bool:
        if self._taken.wait(max(0.0, deadline - time.monotonic())):
            return True
        with self._decided:
            self._given_up = not self._taken.is_set()
            return not self._given_up

    def _wait_in_the_queue(self) -> None:
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        with self._decided:
            if not self._given_up:
                self._taken.set()
                return
        os.close(self._lock)


def _create_private(database: str | None) -> None:
    """Make the SQLite file, new or not, readable by its owner only."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if Path(database).parent.is_dir():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
        os.chmod(database, PRIVATE_FILE)
