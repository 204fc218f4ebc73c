"""The database engine, sessions and the key material a process works with."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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
            autocommit = create_engine(settings.database_url, isolation_level="AUTOCOMMIT", **POOL_SIZE)
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
# The database file, its journal and its lock are readable by their owner only: sealed as the
# texts are, the file still holds who reported when. SQLite gives its -wal and -shm files the
# database file's permissions.
PRIVATE_FILE = 0o600


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, **POOL_SIZE)


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
