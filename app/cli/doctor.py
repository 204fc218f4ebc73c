"""`doctor`: check configuration, database, Redis, keys and gateways; say what to do."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.doctor import OK, PROBLEM, WARNING, diagnose
from workers.runtime import current

MARKS = {OK: "ok", WARNING: "WARNING", PROBLEM: "PROBLEM"}


@click.command()
@with_appcontext
def doctor() -> None:
    """Check this installation; exits 1 when something will fail."""
    findings = diagnose(current())
    for finding in findings:
        line = f"{MARKS[finding.level]:8} {finding.area:9} {finding.message}"
        click.echo(line + (f"\n{'':18}-> {finding.advice}" if finding.advice else ""))
    problems = sum(f.level == PROBLEM for f in findings)
    warnings = sum(f.level == WARNING for f in findings)
    click.echo(f"{problems} problem(s), {warnings} warning(s).")
    if problems:
        raise SystemExit(1)
