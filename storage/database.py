"""The database engine, sessions and the key material a process works with."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import errors
from psycopg.abc import RV, PQGen
from psycopg.rows import TupleRow
from sqlalchemy import Engine, create_engine, event
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
        with open(f"{database}-writers.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

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


def sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
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
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _create_private(database: str | None) -> None:
    """Make the SQLite file, new or not, readable by its owner only."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if Path(database).parent.is_dir():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
        os.chmod(database, PRIVATE_FILE)
