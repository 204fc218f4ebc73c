"""Commands that read or write Sauti's tables check first, as `flask doctor` does, that the
database is reachable and at the schema this code needs, and otherwise say what to do instead
of printing SQLAlchemy's traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click

from app.doctor import PROBLEM, check_database
from workers.runtime import current

P = ParamSpec("P")
R = TypeVar("R")


def needs_schema(command: Callable[P, R]) -> Callable[P, R]:
    """Stop the command, saying why and what to run, on a database it cannot use."""

    @wraps(command)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        for finding in check_database(current()):
            if finding.level == PROBLEM:
                raise click.ClickException(
                    f"The database is not ready for this command ({finding.message}): {finding.advice}."
                )
        return command(*args, **kwargs)

    return checked
