"""Schema migrations, run with `flask --app wsgi db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revisions(database_url: str) -> set[str]:
    """The revisions this code's schema is at once every migration has run."""
    return set(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def current_revision(database_url: str) -> None:
    command.current(alembic_config(database_url))
