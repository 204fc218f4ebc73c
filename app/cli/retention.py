"""`retention apply`: erase the numbers and texts whose retention period has run out."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from app.cli.schema import needs_schema
from storage.models import utcnow
from storage.retention import apply_retention
from workers.runtime import current


@click.group(cls=AppGroup)
def retention() -> None:
    """Erasing what Sauti no longer keeps."""


@retention.command("apply")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Erase what is due on this day (UTC); default now.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be erased; erase nothing.")
@needs_schema
def apply(as_of: datetime | None, dry_run: bool) -> None:
    """Erase reporters' numbers and reports' texts (their data keys) that are due."""
    runtime = current()
    settings = runtime.settings
    moment = as_of.replace(tzinfo=UTC) if as_of else utcnow()
    erased = apply_retention(runtime.store, settings.retention, settings.media_path, moment, dry_run=dry_run)
    periods = settings.retention
    verb = "Would erase" if dry_run else "Erased"
    click.echo(
        f"{verb} {erased.numbers} reporters' numbers (cases resolved, or no report,"
        f" over {periods.number_days} days"
        f" before {moment:%Y-%m-%d}) and {erased.texts} reports' texts (over {periods.text_days} days),"
        f" {erased.attachments} attachments with them."
    )
    if dry_run and (erased.numbers or erased.texts):
        click.echo("Run it again without --dry-run to erase them; nothing can bring them back.")
