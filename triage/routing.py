"""Routing rules as data: which panel a classified report goes to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.classification import Classification
from triage.refusals import Reason, RulesFileError
from triage.rules_yaml import RulesYamlError, load_rules_yaml
from triage.taxonomy import CATEGORIES, LANGUAGES, URGENCIES

DEFAULT_ROUTING = Path(__file__).parent / "data" / "routing.yaml"
_RULE_FIELDS = ("category", "urgency", "ward", "language", "possible_emergency")
_KNOWN_VALUES: dict[str, tuple[str, ...] | None] = {
    "category": CATEGORIES,
    "urgency": URGENCIES,
    "language": LANGUAGES,
    "ward": None,  # wards come from the gazetteer, which may grow
    "possible_emergency": ("True", "False"),
}


class RoutingError(RulesFileError):
    """The routing file is not usable; the reason says what to fix."""


@dataclass(frozen=True)
class Panel:
    key: str
    name_en: str
    name_sw: str
    description: str


@dataclass(frozen=True)
class Rule:
    """Matches a report whose value is in every list the rule gives (absent = any)."""

    name: str
    panel: str
    conditions: dict[str, frozenset[str]]

    def matches(self, classification: Classification) -> bool:
        # values compare as text: YAML's `true` is "True", like the flag it matches
        return all(
            str(getattr(classification, field)) in allowed for field, allowed in self.conditions.items()
        )


@dataclass(frozen=True)
class Route:
    panel: str
    rule: str


@dataclass(frozen=True)
class Routing:
    panels: list[Panel]
    rules: list[Rule]
    fallback: str


def load_routing(path: Path | None = None) -> Routing:
    """Read and validate a routing file (default ``triage/data/routing.yaml``)."""
    path = path or DEFAULT_ROUTING
    return parse_routing(path.read_text(encoding="utf-8"), str(path))


def parse_routing(text: str, source: str = "routing") -> Routing:
    """Validate routing rules given as YAML; a RoutingError names ``source`` and what to fix."""
    try:
        document = load_rules_yaml(text) or {}
    except RulesYamlError as error:
        raise RoutingError.at(source, error.reason) from error
    if not isinstance(document, dict):
        raise RoutingError.at(source, Reason("expected fallback, panels and rules"))
    panels = [_panel(entry, source) for entry in _listed(document, "panels", source)]
    keys = {panel.key for panel in panels}
    if len(keys) != len(panels):
        raise RoutingError.at(source, Reason("two panels share a key"))
    rules = [_rule(entry, keys, source) for entry in _listed(document, "rules", source)]
    fallback = document.get("fallback")
    if not isinstance(fallback, str) or fallback not in keys:
        raise RoutingError.at(
            source,
            Reason(
                "fallback %(fallback)s is not one of the panels %(panels)s",
                fallback=repr(fallback),
                panels=str(sorted(keys)),
            ),
        )
    return Routing(panels, rules, fallback)


def route(classification: Classification, routing: Routing) -> Route:
    """The first rule that matches, or the fallback panel."""
    for rule in routing.rules:
        if rule.matches(classification):
            return Route(rule.panel, rule.name)
    return Route(routing.fallback, "fallback")


def _listed(document: dict[str, Any], field: str, path: str) -> list[Any]:
    entries = document.get(field) or []
    if not isinstance(entries, list):
        raise RoutingError.at(
            path,
            Reason("%(field)s must be a list, each entry on a line of its own starting with -", field=field),
        )
    return entries


def _panel(entry: object, path: str) -> Panel:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        raise RoutingError.at(path, Reason("a panel needs key, name_en and name_sw, its key as text"))
    try:
        return Panel(
            key=entry["key"],
            name_en=str(entry["name_en"]),
            name_sw=str(entry["name_sw"]),
            description=str(entry.get("description", "")),
        )
    except KeyError as error:
        raise RoutingError.at(
            path, Reason("a panel needs key, name_en and name_sw (no %(missing)s)", missing=str(error))
        ) from error


def _rule(entry: dict[str, Any], panel_keys: set[str], path: str) -> Rule:
    if not isinstance(entry, dict):
        raise RoutingError.at(path, Reason("each rule needs a name, a panel and its conditions"))
    name = str(entry.get("name") or "")
    unknown = set(entry) - {"name", "panel", *_RULE_FIELDS}
    if not name or unknown:
        raise RoutingError.at(path, _unknown_fields(name, unknown))
    panel = entry.get("panel")
    if not isinstance(panel, str) or panel not in panel_keys:
        raise RoutingError.at(
            path, Reason("rule %(rule)s sends to unknown panel %(panel)s", rule=name, panel=repr(panel))
        )
    conditions: dict[str, frozenset[str]] = {}
    for field in _RULE_FIELDS:
        if field not in entry:
            continue
        if not isinstance(entry[field], list):
            example = f"[{entry[field]}]"
            raise RoutingError.at(
                path,
                Reason(
                    "rule %(rule)s must give %(field)s as a list, e.g. %(example)s",
                    rule=name,
                    field=field,
                    example=example,
                ),
            )
        values = frozenset(str(value) for value in entry[field])
        known = _KNOWN_VALUES[field]
        if known is not None and not values <= set(known):
            raise RoutingError.at(
                path,
                Reason(
                    "rule %(rule)s has unknown %(field)s %(values)s; choose from %(choices)s",
                    rule=name,
                    field=field,
                    values=str(sorted(values - set(known))),
                    choices=str(list(known)),
                ),
            )
        conditions[field] = values
    return Rule(name, panel, conditions)


def _unknown_fields(name: str, unknown: set[str]) -> Reason:
    if not name:
        return Reason("rule (unnamed) has unknown fields %(fields)s", fields=str(unknown))
    return Reason("rule %(rule)s has unknown fields %(fields)s", rule=name, fields=str(unknown))
