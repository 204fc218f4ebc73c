"""Asking before a command changes what cannot be taken back."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

Command = TypeVar("Command", bound=Callable[..., None])


def confirmed_unless_yes(prompt: str, unattended: bool = False) -> Callable[[Command], Command]:
    """A `--yes` option: without it the command asks at a terminal. Where there is none (a
    script, cron) a command safe to run ``unattended`` goes ahead; any other stops and says to
    add --yes instead of taking the silence for a no."""

    def confirm(context: click.Context, _: click.Parameter, yes: bool) -> None:
        if yes or (unattended and not sys.stdin.isatty()):
            return
        if not sys.stdin.isatty():
            raise click.UsageError("There is no terminal to ask on: add --yes to go ahead.", context)
        click.confirm(prompt, abort=True)

    return click.option(
        "--yes",
        is_flag=True,
        expose_value=False,
        callback=confirm,
        help="Go ahead without asking; needed where there is no terminal, as in scripts.",
    )
