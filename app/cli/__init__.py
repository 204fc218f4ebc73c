"""Command line: `flask --app wsgi <group> <command>`. Commands wire things; the work is done
by functions in the rooms below."""

from __future__ import annotations

from flask import Flask

from app.cli.audit import audit
from app.cli.database import db, demo
from app.cli.doctor import doctor
from app.cli.keys import keys
from app.cli.retention import retention
from app.cli.simulator import sim
from app.cli.triage import triage_cli
from app.cli.users import users
from app.cli.worker import worker


def register_commands(app: Flask) -> None:
    for command in (audit, db, demo, doctor, keys, retention, sim, triage_cli, users, worker):
        app.cli.add_command(command)
