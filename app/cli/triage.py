"""`triage classify`, `triage train`, `triage evaluate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

import triage
from storage.casework.corrections import corrected_examples
from triage.scorecard import headline, render
from workers.runtime import current


@click.group("triage", cls=AppGroup)
def triage_cli() -> None:
    """Language, category, urgency and place of a message."""


@triage_cli.command("classify")
@click.argument("text", required=False)
@click.option(
    "--jsonl",
    is_flag=True,
    help='Read {"text": ...} lines from stdin, write one result per line; stop at the first bad line.',
)
def classify(text: str | None, jsonl: bool) -> None:
    """Classify TEXT, or every line of stdin with --jsonl.

    Each result carries category, urgency, language, ward, confidence and possible_emergency
    (below critical, yet to be checked by the emergency desk now). With --jsonl, blank lines
    are skipped; at the first line that is not a JSON object with a "text" string it stops,
    saying which line and what is wrong, and exits 1 after the results of the lines before."""
    if jsonl:
        for number, line in enumerate(sys.stdin.buffer, 1):
            if line.strip():
                result = triage.classify(text_of_line(number, line)).as_dict()
                click.echo(json.dumps(result, ensure_ascii=False))
        return
    if not text:
        raise click.UsageError("give a TEXT to classify, or --jsonl with lines on stdin")
    click.echo(json.dumps(triage.classify(text).as_dict(), ensure_ascii=False, indent=2))


def text_of_line(number: int, line: bytes) -> str:
    """The text of one --jsonl line; a click error naming the line when it carries none."""
    expected = 'each line must be {"text": "..."}'
    try:
        document = json.loads(line)
    except UnicodeDecodeError:
        raise click.ClickException(f"line {number}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise click.ClickException(f"line {number}: not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(document, dict):
        raise click.ClickException(f"line {number}: not a JSON object; {expected}")
    if "text" not in document:
        raise click.ClickException(f'line {number}: no "text" field; {expected}')
    if not isinstance(document["text"], str):
        raise click.ClickException(f'line {number}: "text" is not a string; {expected}')
    return document["text"]


@triage_cli.command("train")
@click.option("--without-corrections", is_flag=True, help="Train on the shipped corpus only.")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the model (default: triage/model, which the workers load).",
)
def train(without_corrections: bool, output: Path | None) -> None:
    """Train the classifier on the shipped corpus plus every panel correction, and make it current."""
    corrections = [] if without_corrections else panel_corrections()
    model, path = triage.retrain(corrections, output) if output else triage.retrain(corrections)
    click.echo(f"Trained {model.version} on the corpus and {len(corrections)} corrections; saved {path}.")
    click.echo(headline(model.metrics))
    click.echo("Restart the workers to use it; `flask triage evaluate` prints the detail.")


@triage_cli.command("evaluate")
@click.option("--json", "as_json", is_flag=True, help="Print the full metrics as JSON.")
def evaluate(as_json: bool) -> None:
    """Score triage on scenarios it never saw: a split of the corpus by scenario (a model is
    trained on one side, takes a minute or two), then the hand-written evaluation set
    (with the shipped model)."""
    metrics = triage.evaluate()
    if as_json:
        click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))
        return
    for line in render(metrics):
        click.echo(line)


def panel_corrections() -> list[tuple[str, str, str]]:
    runtime = current()
    with runtime.store.transaction() as session:
        examples = corrected_examples(session, runtime.store.keys)
    # Names and numbers a reporter wrote must not end up in the model's vocabulary.
    return [(triage.redact(text), category, urgency) for text, category, urgency in examples]
