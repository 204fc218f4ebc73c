"""Backup and restore as the README tells an operator: a pg_dump of the database plus the
secrets restores every readable report into a fresh database; without the keys none reads."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.context import runtime_of
from storage.crypto import DecryptionError
from tests.fixtures.application import master_key_file
from tests.fixtures.services import POSTGRES_URL
from tests.helpers import decrypted_text

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]
TEXTS = [
    "Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba",
    "Polisi walimpiga kijana Eastleigh jana usiku",
    "Watu wawili walichukuliwa na polisi Majengo hawajaonekana",
]


def libpq(url: str) -> str:
    """The address pg_dump and pg_restore take for a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty PostgreSQL database to restore into, dropped afterwards."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"sauti_restore_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def restored(reported_case, app_config, fresh_database, tmp_path) -> tuple[list[str], str]:
    """Three triaged reports, dumped and restored into the fresh database: their references
    and the restored database's URL."""
    refs = [reported_case(body) for body in TEXTS]
    dump = tmp_path / "sauti.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), libpq(app_config["DATABASE_URL"])],
        check=True,
    )
    subprocess.run(["pg_restore", "--no-owner", "--dbname", libpq(fresh_database), str(dump)], check=True)
    return refs, fresh_database


def test_a_dump_and_the_keys_restore_every_report_readable(restored, app_config):
    refs, database = restored
    app = create_app(app_config | {"DATABASE_URL": database}, start_worker=False)

    assert [decrypted_text(runtime_of(app), ref) for ref in refs] == TEXTS


def test_a_dump_without_the_keys_reads_no_report(restored, app_config, tmp_path):
    refs, database = restored
    other_keys = master_key_file(Path(tmp_path / "elsewhere"))
    app = create_app(
        app_config | {"DATABASE_URL": database, "SAUTI_MASTER_KEYS_FILE": str(other_keys)}, start_worker=False
    )

    for ref in refs:
        with pytest.raises(DecryptionError):
            decrypted_text(runtime_of(app), ref)


def test_the_dump_holds_no_text_in_plaintext(restored, app_config):
    plain = subprocess.run(
        ["pg_dump", "--format=plain", "--no-owner", libpq(app_config["DATABASE_URL"])],
        check=True,
        capture_output=True,
    ).stdout

    assert b"Gikomba" not in plain
    assert b"Eastleigh" not in plain
