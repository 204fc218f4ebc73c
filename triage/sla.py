"""Service-level deadlines per urgency, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from triage.classification import Classification
from triage.refusals import Reason, RulesFileError
from triage.rules_yaml import RulesYamlError, load_rules_yaml, shown
from triage.taxonomy import URGENCIES

DEFAULT_SLA = Path(__file__).parent / "data" / "sla.yaml"
# ASCII digits only: "１５m" or "²h" is a typing slip, not a deadline.
_DURATION = re.compile(r"[ \t]*([0-9]+)[ \t]*([mhd])[ \t]*")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
# A bound that keeps every deadline a date (no overflow past the year 9999) and catches
# a slip of the finger: no case waits a year.
MAX_DURATION = timedelta(days=365)


class SlaPolicyError(RulesFileError):
    """The SLA file is not usable; the reason says what to fix."""


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
        document = load_rules_yaml(text) or {}
    except RulesYamlError as error:
        raise SlaPolicyError.at(source, error.reason) from error
    if not isinstance(document, dict):
        raise SlaPolicyError.at(
            source, Reason("expected deadlines for each of %(urgencies)s", urgencies=str(list(URGENCIES)))
        )
    missing = set(URGENCIES) - set(document)
    if missing:
        raise SlaPolicyError.at(
            source, Reason("no deadlines for %(urgencies)s", urgencies=str(sorted(missing)))
        )
    deadlines = {}
    for urgency in URGENCIES:
        entry = document[urgency]
        if not isinstance(entry, dict):
            raise SlaPolicyError.at(
                source,
                Reason(
                    "%(urgency)s needs acknowledge and resolve, e.g. {acknowledge: 2h, resolve: 3d}",
                    urgency=urgency,
                ),
            )
        acknowledge = _duration(entry.get("acknowledge"), source, urgency)
        resolve = _duration(entry.get("resolve"), source, urgency)
        if resolve < acknowledge:
            raise SlaPolicyError.at(
                source, Reason("%(urgency)s must be resolved after it is acknowledged", urgency=urgency)
            )
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
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise SlaPolicyError.at(
            path,
            Reason(
                "%(urgency)s deadline %(value)s is not like 15m, 2h or 14d",
                urgency=urgency,
                value=shown(value),
            ),
        )
    digits, unit = match.groups()
    digits = digits.lstrip("0") or "0"
    # Seven digits of minutes are already more than a year; checked first so that int()
    # never reads thousands of digits, nor timedelta() overflows.
    if len(digits) > 6 or int(digits) * _UNITS[unit] > MAX_DURATION:
        raise SlaPolicyError.at(
            path,
            Reason(
                "%(urgency)s deadline %(value)s is longer than %(days)s days",
                urgency=urgency,
                value=shown(value),
                days=MAX_DURATION.days,
            ),
        )
    return int(digits) * _UNITS[unit]
