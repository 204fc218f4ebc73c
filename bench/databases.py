"""A PostgreSQL database of a bench's own on the local server, migrated, and dropped after."""

from __future__ import annotations

import os
import secrets

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.migrations import upgrade

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def create_database(prefix: str) -> str:
    """A new database named `prefix` and a random suffix, at the latest schema: its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    _run_on_server(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    _run_on_server(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _run_on_server(statement: str) -> None:
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()
