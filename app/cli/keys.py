"""`keys status`, `keys rotate`, `keys retire`: the master key ring."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from storage.crypto import KeyFile
from storage.crypto.rotation import add_active_key, key_usage, retire_key, rewrap_all
from workers.runtime import current


@click.group(cls=AppGroup)
def keys() -> None:
    """Master keys (kept outside the database)."""


@keys.command("status")
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
@click.confirmation_option(prompt="Make a new master key active and re-wrap every data key with it?")
def keys_rotate() -> None:
    """Make a new master key active and re-wrap every data key with it."""
    runtime = current()
    store = runtime.store
    if runtime.settings.master_keys:
        click.echo(
            "Keys come from SAUTI_MASTER_KEYS: put a new id:key first in that list, restart,"
            " then run this again to re-wrap."
        )
    else:
        store.keys = add_active_key(KeyFile(runtime.settings.master_keys_file), store.keys)
        click.echo(
            f"New active key {store.keys.active_id}. Processes already running read what it wraps;"
            " restart them so that they wrap new records with it too."
        )
    with store.transaction() as session:
        count = rewrap_all(session, store.keys)
    click.echo(f"Re-wrapped {count} data keys with {store.keys.active_id}.")


@keys.command("retire")
@click.argument("key_id")
@click.confirmation_option(prompt="Remove this master key from the key ring for good?")
def keys_retire(key_id: str) -> None:
    """Remove a master key that no record uses any more."""
    runtime = current()
    if runtime.settings.master_keys:
        raise click.ClickException("Keys come from SAUTI_MASTER_KEYS: remove it from that list instead.")
    with runtime.store.transaction() as session:
        usage = key_usage(session, runtime.store.keys)
    try:
        runtime.store.keys = retire_key(
            KeyFile(runtime.settings.master_keys_file), runtime.store.keys, usage, key_id
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Retired {key_id}.")
