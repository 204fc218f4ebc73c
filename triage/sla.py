"""Service-level deadlines per urgency, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from triage.classification import Classification
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
    return parse_sla_policy(path.read_text(encoding="utf-8"), str(path))


def parse_sla_policy(text: str, source: str = "sla") -> SlaPolicy:
    """Validate an SLA policy given as YAML; an SlaPolicyError names ``source`` and what to fix."""
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise SlaPolicyError(f"{source}: not valid YAML ({error})") from error
    if not isinstance(document, dict):
        raise SlaPolicyError(f"{source}: expected deadlines for each of {list(URGENCIES)}")
    missing = set(URGENCIES) - set(document)
    if missing:
        raise SlaPolicyError(f"{source}: no deadlines for {sorted(missing)}")
    deadlines = {}
    for urgency in URGENCIES:
        entry = document[urgency]
        if not isinstance(entry, dict):
            raise SlaPolicyError(
                f"{source}: {urgency} needs acknowledge and resolve, e.g. {{acknowledge: 2h, resolve: 3d}}"
            )
        acknowledge = _duration(entry.get("acknowledge"), source, urgency)
        resolve = _duration(entry.get("resolve"), source, urgency)
        if resolve < acknowledge:
            raise SlaPolicyError(f"{source}: {urgency} must be resolved after it is acknowledged")
        deadlines[urgency] = Deadlines(acknowledge, resolve)
    return SlaPolicy(deadlines)


def due_at(urgency: str, received_at: datetime, policy: SlaPolicy) -> tuple[datetime, datetime]:
    """When a report received at ``received_at`` must be acknowledged and resolved."""
    try:
        deadlines = policy.deadlines[urgency]
    except KeyError:
        raise ValueError(f"unknown urgency {urgency!r}; expected one of {URGENCIES}") from None
    return received_at + deadlines.acknowledge, received_at + deadlines.resolve


def due_for(
    classification: Classification, received_at: datetime, policy: SlaPolicy
) -> tuple[datetime, datetime]:
    """Deadlines for a classified report: a possible emergency is acknowledged as soon as a
    critical one (someone must check it now), and resolved by its own urgency's deadline."""
    acknowledge, resolve = due_at(classification.urgency, received_at, policy)
    if classification.possible_emergency:
        acknowledge = min(acknowledge, due_at("critical", received_at, policy)[0])
    return acknowledge, resolve


def _duration(value: object, path: str, urgency: str) -> timedelta:
    match = _DURATION.match(str(value))
    if match is None:
        raise SlaPolicyError(f"{path}: {urgency} deadline {value!r} is not like 15m, 2h or 14d")
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})
