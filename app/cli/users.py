"""`users create EMAIL --role ROLE [--panel KEY]`, `users token EMAIL`, `users unlock EMAIL` and
`users reset EMAIL --password | --authenticator`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.confirm import confirmed_unless_yes
from app.cli.schema import needs_schema
from storage import Panel, audit
from storage.accounts import (
    EmailError,
    create_user,
    find_user,
    issue_api_token,
    normal_email,
    reset_totp,
    set_password,
)
from storage.models import ROLES
from storage.passwords import made_up_password
from storage.sign_in_throttle import forget_sign_in_failures
from workers.runtime import current


@click.group(cls=AppGroup)
def users() -> None:
    """Accounts of panel members, leads, auditors and admins."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--panel", "panel_keys", multiple=True, help="Panel key; repeat for several panels.")
@click.option("--language", type=click.Choice(["en", "sw"]), default="en", show_default=True)
@needs_schema
def create(email: str, role: str, panel_keys: tuple[str, ...], language: str) -> None:
    """Create an account; its password is printed once. TOTP is set up at first sign-in."""
    try:
        email = normal_email(email)
    except EmailError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    with current().store.transaction() as session:
        if find_user(session, email):
            raise click.ClickException(f"{email} already has an account.")
        panels = list(session.scalars(select(Panel).where(Panel.key.in_(panel_keys))))
        missing = set(panel_keys) - {p.key for p in panels}
        if missing:
            known = ", ".join(session.scalars(select(Panel.key).order_by(Panel.key)))
            raise click.ClickException(
                f"No panel {', '.join(sorted(missing))}. Panels: {known or 'none (run demo)'}."
            )
        password = made_up_password()
        user = create_user(session, email, role, password, panels)
        user.language = language
        audit.record(session, "user.created", actor="cli", subject=f"user:{user.id}", details={"role": role})
    click.echo(f"Account {user.email} ({role}).\nPassword (shown once): {password}")
    click.echo("At first sign-in they scan a QR code with an authenticator app.")


@users.command("token")
@click.argument("email")
@needs_schema
def token(email: str) -> None:
    """Print a new API bearer token for EMAIL once; any earlier token stops working."""
    with current().store.transaction() as session:
        user = find_user(session, email)
        if user is None or not user.active:
            raise click.ClickException(f"No active account {email}. Create it with `users create`.")
        issued = issue_api_token(user)
        audit.record(session, "user.token_issued", actor="cli", subject=f"user:{user.id}")
    click.echo(issued)


@users.command("unlock")
@click.argument("email")
@needs_schema
def unlock(email: str) -> None:
    """Forget EMAIL's failed sign-ins from every address, so they can sign in at once."""
    with current().store.transaction() as session:
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"No account {email}.")
        forgotten = forget_sign_in_failures(session, user.email)
        audit.record(
            session, "user.unlocked", actor="cli", subject=f"user:{user.id}", details={"failures": forgotten}
        )
    click.echo(f"{user.email} may sign in now ({forgotten} failed attempts forgotten).")


@users.command("reset")
@click.argument("email")
@click.option("--password", "new_password", is_flag=True, help="Set a new password, printed once.")
@click.option("--authenticator", is_flag=True, help="Make them enrol a new authenticator at next sign-in.")
@confirmed_unless_yes("This locks the person out of what they used until now. Go on?")
@needs_schema
def reset(email: str, new_password: bool, authenticator: bool) -> None:
    """Reset the password or the authenticator (or both) of someone locked out."""
    if not (new_password or authenticator):
        raise click.UsageError("Say what to reset: --password, --authenticator, or both.")
    password = made_up_password()
    with current().store.transaction() as session:
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"No account {email}. See the people page or `users create`.")
        if new_password:
            set_password(user, password)
            audit.record(session, "user.password_reset", actor="cli", subject=f"user:{user.id}")
        if authenticator:
            reset_totp(user)
            audit.record(session, "user.totp_reset", actor="cli", subject=f"user:{user.id}")
    if new_password:
        click.echo(f"New password for {user.email} (shown once): {password}")
    if authenticator:
        click.echo(f"{user.email} enrols a new authenticator from a QR code at their next sign-in.")
