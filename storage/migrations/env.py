"""Alembic environment: the URL comes from the caller (`flask db upgrade`, tests), the schema
from the typed models."""

from alembic import context
from sqlalchemy import engine_from_config, pool

import storage  # noqa: F401  (imports every model module, so all tables are known)
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    section = config.get_section(config.config_ini_section, {})
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
