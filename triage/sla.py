"""Service-level deadlines per urgency, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from triage.taxonomy import URGENCIES

DEFAULT_SLA = Path(__file__).parent / "data" / "sla.yaml"
_DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class SlaPolicyError(ValueError):
    """The SLA file is not usable; the message says what to fix."""


@dataclass(frozen=True)
class Deadlines:
    acknowledge: timedelta
    resolve: timedelta


@dataclass(frozen=True)
class SlaPolicy:
    deadlines: dict[str, Deadlines]


def load_sla_policy(path: Path | None = None) -> SlaPolicy:
    """Read and validate an SLA file (default ``triage/data/sla.yaml``)."""
    path = path or DEFAULT_SLA
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = set(URGENCIES) - set(document)
    if missing:
        raise SlaPolicyError(f"{path}: no deadlines for {sorted(missing)}")
    deadlines = {}
    for urgency in URGENCIES:
        entry = document[urgency]
        acknowledge = _duration(entry.get("acknowledge"), path, urgency)
        resolve = _duration(entry.get("resolve"), path, urgency)
        if resolve < acknowledge:
            raise SlaPolicyError(f"{path}: {urgency} must be resolved after it is acknowledged")
        deadlines[urgency] = Deadlines(acknowledge, resolve)
    return SlaPolicy(deadlines)


def due_at(urgency: str, received_at: datetime, policy: SlaPolicy) -> tuple[datetime, datetime]:
    """When a report received at ``received_at`` must be acknowledged and resolved."""
    try:
        deadlines = policy.deadlines[urgency]
    except KeyError:
        raise ValueError(f"unknown urgency {urgency!r}; expected one of {URGENCIES}") from None
    return received_at + deadlines.acknowledge, received_at + deadlines.resolve


def _duration(value: object, path: Path, urgency: str) -> timedelta:
    match = _DURATION.match(str(value))
    if match is None:
        raise SlaPolicyError(f"{path}: {urgency} deadline {value!r} is not like 15m, 2h or 14d")
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})
