"""A database without Sauti's schema, or behind this code's migrations, is not taken for a
working one: /readyz says not ready (as `flask doctor` would), and the commands that need the
tables say to run `db upgrade` instead of printing a traceback."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from app import create_app
from storage.migrations import alembic_config, upgrade

pytestmark = pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
UPGRADE = "run: flask --app wsgi db upgrade"


@pytest.fixture
def empty_database(app_config, tmp_path) -> dict[str, str]:
    return app_config | {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}


@pytest.fixture
def database_behind(app_config, tmp_path) -> dict[str, str]:
    """A database at the first migration, as one restored from an old backup would be."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    first, *_ = ScriptDirectory.from_config(alembic_config(url)).get_bases()
    upgrade(url, first)
    return app_config | {"DATABASE_URL": url}


def test_readyz_says_a_database_without_the_schema_is_not_ready(empty_database):
    response = create_app(empty_database, start_worker=False).test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] is False


def test_readyz_says_a_database_behind_the_code_is_not_ready(database_behind):
    response = create_app(database_behind, start_worker=False).test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] is False


@pytest.mark.parametrize(
    "command",
    [
        ["keys", "status"],
        ["keys", "rotate", "--yes"],
        ["audit", "verify"],
        ["retention", "apply", "--dry-run"],
        ["users", "create", "auditor@example.org", "--role", "auditor"],
        ["users", "token", "auditor@example.org"],
    ],
    ids=" ".join,
)
def test_a_command_on_a_database_without_the_schema_says_to_run_db_upgrade(empty_database, command):
    result = create_app(empty_database, start_worker=False).test_cli_runner().invoke(args=command)

    assert result.exit_code == 1
    assert UPGRADE in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_command_on_a_database_behind_the_code_says_to_run_db_upgrade(database_behind):
    result = (
        create_app(database_behind, start_worker=False).test_cli_runner().invoke(args=["audit", "verify"])
    )

    assert result.exit_code == 1
    assert UPGRADE in result.output
