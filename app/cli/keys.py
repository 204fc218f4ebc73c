"""`keys status`, `keys rotate`, `keys retire`: the master key ring."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.cli.confirm import confirmed_unless_yes
from app.cli.schema import needs_schema
from storage import audit
from storage.crypto import KeyFile
from storage.crypto.rotation import add_active_key, check_retirable, key_usage, retire_key, rewrap_all
from workers.runtime import current


@click.group(cls=AppGroup)
def keys() -> None:
    """Master keys (kept outside the database)."""


@keys.command("status")
@needs_schema
def keys_status() -> None:
    """Which key is active and how many records each key wraps."""
    runtime = current()
    source = "SAUTI_MASTER_KEYS" if runtime.settings.master_keys else str(runtime.settings.master_keys_file)
    with runtime.store.transaction() as session:
        usage = key_usage(session, runtime.store.keys)
    click.echo(f"Key ring from {source}")
    for key_id, count in usage.by_key.items():
        marker = "active" if key_id == usage.active else "retiring" if count else "unused"
        click.echo(f"  {key_id}  {marker:8}  {count} data keys")


@keys.command("rotate")
# Safe unattended: the old key stays in the ring, able to decrypt, until it is retired.
@confirmed_unless_yes("Make a new master key active and re-wrap every data key with it?", unattended=True)
@needs_schema
def keys_rotate() -> None:
    """Make a new master key active and re-wrap every data key with it; the rotation is
    written to the audit chain. Asks first at a terminal, unless given --yes; a script or cron
    job runs it as it is."""
    runtime = current()
    store = runtime.store
    from_environment = bool(runtime.settings.master_keys)
    if from_environment:
        click.echo(f"Keys come from SAUTI_MASTER_KEYS: {store.keys.active_id}, listed first, is active.")
    else:
        store.keys = add_active_key(KeyFile(runtime.settings.master_keys_file), store.keys)
        click.echo(f"New active key {store.keys.active_id}, added to {runtime.settings.master_keys_file}.")
    with store.transaction() as session:
        count = rewrap_all(session, store.keys)
        details: dict[str, object] = {"created": not from_environment, "rewrapped": count}
        audit.record(
            session, "key.rotated", actor="cli", subject=f"key:{store.keys.active_id}", details=details
        )
    click.echo(f"Re-wrapped {count} data keys with {store.keys.active_id}.")
    click.echo(_after_rotation(store.keys.active_id, count, from_environment))


def _after_rotation(active_id: str, rewrapped: int, from_environment: bool) -> str:
    """What the operator does next, now that the data keys are under `active_id`."""
    if not from_environment:
        return (
            "Processes already running read what it wraps; restart them so that they wrap new"
            " records with it too."
        )
    if not rewrapped:
        return (
            f"Every data key was under {active_id} already: to rotate to a new key, put a new id:key"
            f" first in SAUTI_MASTER_KEYS (keeping {active_id} after it) and run this again."
        )
    return (
        f"Now restart every web process and worker with this SAUTI_MASTER_KEYS: until then they"
        f" lack {active_id}, answer 503 to a gateway that needs it and leave reports waiting for"
        " triage (nothing is lost)."
    )


@keys.command("retire")
@click.argument("key_id")
@confirmed_unless_yes("Remove this master key from the key ring for good?")
@needs_schema
def keys_retire(key_id: str) -> None:
    """Remove a master key that no record uses any more; the retirement is written to the
    audit chain. Asks first, unless given --yes (as scripts must)."""
    runtime = current()
    if runtime.settings.master_keys:
        with runtime.store.transaction() as session:
            usage = key_usage(session, runtime.store.keys)
        try:
            check_retirable(runtime.store.keys, usage, key_id)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        raise click.ClickException(
            f"No record uses {key_id} any more. Keys come from SAUTI_MASTER_KEYS: remove it from that"
            " list, then restart every web process and worker."
        )
    key_file = KeyFile(runtime.settings.master_keys_file)
    try:
        with runtime.store.transaction() as session:
            usage = key_usage(session, runtime.store.keys)
            runtime.store.keys = retire_key(key_file, runtime.store.keys, usage, key_id)
            audit.record(session, "key.retired", actor="cli", subject=f"key:{key_id}")
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Retired {key_id}.")
