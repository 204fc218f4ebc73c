"""`triage classify`, `triage train`, `triage evaluate`."""

from __future__ import annotations

import json
import sys

import click

import triage


@click.group("triage")
def triage_cli() -> None:
    """Language, category, urgency and place of a message."""


@triage_cli.command("classify")
@click.argument("text", required=False)
@click.option("--jsonl", is_flag=True, help='Read {"text": ...} lines from stdin, write one result per line.')
def classify(text: str | None, jsonl: bool) -> None:
    """Classify TEXT, or every line of stdin with --jsonl."""
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                click.echo(
                    json.dumps(triage.classify(json.loads(line)["text"]).as_dict(), ensure_ascii=False)
                )
        return
    if not text:
        raise click.UsageError("give a TEXT to classify, or --jsonl with lines on stdin")
    click.echo(json.dumps(triage.classify(text).as_dict(), ensure_ascii=False, indent=2))
