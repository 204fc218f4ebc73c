"""`audit verify`, `audit anchor` and `audit export`: the audit chain as an auditor checks it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TextIO

import click
from flask.cli import AppGroup

from app.cli.schema import needs_schema
from storage.audit.anchors import export_events, read_anchors, verify_with_anchors, write_anchor
from workers.anchors import ANCHOR_FILE
from workers.runtime import current


@click.group(cls=AppGroup)
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@needs_schema
def verify() -> None:
    """Walk the chain and check it against the anchors kept so far."""
    runtime = current()
    anchors = read_anchors(runtime.settings.instance_path / ANCHOR_FILE)
    with runtime.store.transaction() as session:
        check = verify_with_anchors(session, anchors)
    if not check.intact:
        raise click.ClickException(
            f"Audit chain BROKEN at event {check.broken_at}: {check.reason}. "
            f"{check.checked} events before it are intact. "
            "Export the chain and compare it with a copy kept elsewhere."
        )
    click.echo(f"Audit chain intact: {check.checked} events, head {check.head_hash}.")


@audit.command("anchor")
@needs_schema
def anchor() -> None:
    """Write the chain's head hash and the time to the anchor file, and print it to keep elsewhere."""
    runtime = current()
    path = runtime.settings.instance_path / ANCHOR_FILE
    with runtime.store.transaction() as session:
        written = write_anchor(session, path)
    click.echo(f"{written.at} event {written.head_id} head {written.head_hash}")
    click.echo(f"Appended to {path}; copy this line somewhere outside Sauti.")


@audit.command("export")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), help="First day (UTC) to export."
)
@click.option(
    "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default stdout)."
)
@needs_schema
def export(since: datetime | None, output: TextIO) -> None:
    """Write the chain as JSON lines, each with its hash, for an outside party to verify."""
    runtime = current()
    start = since.replace(tzinfo=UTC) if since else None
    with runtime.store.transaction() as session:
        for line in export_events(session, start):
            output.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")
