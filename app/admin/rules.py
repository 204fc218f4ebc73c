"""Routing rules and SLA policy as an admin edits them: validated with the triage loaders,
saved to the instance folder, audited by hash, and taken up by this process at once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.instance import write_private_file
from storage.models import Panel
from storage.wording import N_, RefusalError, Value, Wording
from triage.refusals import Reason
from triage.routing import DEFAULT_ROUTING, Routing, RoutingError, parse_routing
from triage.sla import DEFAULT_SLA, SlaPolicy, SlaPolicyError, parse_sla_policy
from workers.runtime import ROUTING_FILE, SLA_FILE, Runtime, instance_rules, reload_rules


class RulesError(RefusalError, ValueError):
    """Rules that were not saved; the message says what to fix."""


@dataclass(frozen=True)
class RulesFile:
    name: str
    default: Path
    check: Callable[[Session, str], object]


def _check_routing(session: Session, text: str) -> Routing:
    routing = parse_routing(text, ROUTING_FILE)
    named = {rule.panel for rule in routing.rules} | {routing.fallback}
    known = set(session.scalars(select(Panel.key).where(Panel.key.in_(named))))
    if named - known:
        raise RulesError(
            N_("%(source)s: no panel %(panels)s; create it on the Panels page first"),
            source=ROUTING_FILE,
            panels=", ".join(sorted(named - known)),
        )
    return routing


def _check_sla(session: Session, text: str) -> SlaPolicy:
    return parse_sla_policy(text, SLA_FILE)


RULES = {
    "routing": RulesFile(ROUTING_FILE, DEFAULT_ROUTING, _check_routing),
    "sla": RulesFile(SLA_FILE, DEFAULT_SLA, _check_sla),
}


def wording_of(reason: Reason) -> Wording:
    """A triage loader's reason as the pages translate it, and every reason nested in it."""
    return Wording(reason.message, {name: _wording_value(value) for name, value in reason.values.items()})


def _wording_value(value: Reason | Value) -> Value:
    return wording_of(value) if isinstance(value, Reason) else value


def rules_text(runtime: Runtime, kind: str) -> str:
    """The rules in force at start: the instance folder's copy, else the shipped default."""
    rules = RULES[kind]
    return (instance_rules(runtime.settings, rules.name) or rules.default).read_text(encoding="utf-8")


def save_rules(runtime: Runtime, admin_id: int, kind: str, text: str) -> None:
    """Validate and save one rules file, audit it by hash, and reload this process's rules.

    Invalid rules raise RulesError and nothing is written; other processes keep the rules
    they started with until they restart."""
    rules = RULES[kind]
    text = text.replace("\r\n", "\n")
    with runtime.store.transaction() as session:
        try:
            rules.check(session, text)
        except (RoutingError, SlaPolicyError) as error:
            raise RulesError(wording_of(error.reason)) from error
        audit.record(
            session,
            "rules.changed",
            actor=f"user:{admin_id}",
            subject=f"rules:{rules.name}",
            details={"file": rules.name, "sha256": hashlib.sha256(text.encode()).hexdigest()},
        )
        # Written inside the transaction: a failed write leaves no audit entry behind.
        write_private_file(runtime.settings.instance_path / rules.name, text)
    reload_rules(runtime)
