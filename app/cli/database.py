"""`db upgrade` and `demo`: a database with demo panels and an admin to sign in with."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from storage import Panel
from storage.accounts import create_user, find_user
from storage.migrations import upgrade
from storage.passwords import made_up_password
from workers.runtime import current


@click.group(cls=AppGroup)
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not yet applied."""
    upgrade(current().settings.database_url)
    click.echo("Database is at the latest schema.")


@click.command()
@with_appcontext
@click.option("--admin-email", default="admin@sauti.local", show_default=True)
def demo(admin_email: str) -> None:
    """Create the demo panels and an admin account (its password is printed once)."""
    runtime = current()
    upgrade(runtime.settings.database_url)
    with runtime.store.transaction() as session:
        existing = {p.key for p in session.scalars(select(Panel))}
        for panel in runtime.routing.panels:
            if panel.key not in existing:
                session.add(
                    Panel(
                        key=panel.key,
                        name=panel.name_en,
                        name_sw=panel.name_sw,
                        description=panel.description,
                    )
                )
        click.echo(f"Panels: {', '.join(p.key for p in runtime.routing.panels)}")
        if find_user(session, admin_email):
            click.echo(f"Admin {admin_email} already exists (its password was printed when it was made).")
            return
        password = made_up_password()
        create_user(session, admin_email, "admin", password)
    click.echo(f"Admin account: {admin_email}\nPassword (shown once): {password}")
