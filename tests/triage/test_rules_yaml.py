"""Routing and SLA files are read by one loader, wherever they come from (the shipped
defaults, the instance folder at start, an admin's browser): no aliases or anchors, bounded
nesting, and a value YAML cannot build refused as the file's own error, naming the line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from triage import load_routing, load_sla_policy
from triage.routing import DEFAULT_ROUTING, RoutingError, parse_routing
from triage.rules_yaml import RulesYamlError, load_rules_yaml
from triage.sla import DEFAULT_SLA, SlaPolicyError, parse_sla_policy

SLA = DEFAULT_SLA.read_text(encoding="utf-8")
ROUTING = DEFAULT_ROUTING.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: 1\nb:\n  when: 2026-02-30\n", "line 3: '2026-02-30' is not a valid date or time"),
        ("x: !!int abc", "line 1: 'abc' is not a whole number"),
        ("x: !!int ''", "line 1: '' is not a whole number"),
        ("x: !!float abc", "line 1: 'abc' is not a number"),
        ("x: !!bool maybe", "line 1: 'maybe' is not true or false"),
        ("x: !!timestamp nope", "line 1: 'nope' is not a valid date or time"),
        ("x: 2026-01-01T25:00:00", "is not a valid date or time"),
        ("x: " + "9" * 5000, "(5000 characters) is not a whole number"),
        ("[" * 5000 + "]" * 5000, "line 1: nested more than 16 deep"),
        ("a: &x 1\n", "line 1: aliases (*name) and anchors (&name) are not allowed"),
        ("a: 1\nb: *x\n", "line 2: aliases (*name) and anchors (&name) are not allowed"),
        ("a: &x {k: 1}\nb:\n  <<: *x\n", "line 1: aliases"),
        ("a: [unclosed\n", "line 2: not valid YAML (expected ',' or ']'"),
    ],
)
def test_yaml_the_rules_cannot_hold_is_refused_with_its_line(text, reason):
    with pytest.raises(RulesYamlError) as refused:
        load_rules_yaml(text)

    assert reason in str(refused.value)


def test_nesting_is_read_to_its_bound_and_refused_past_it():
    assert load_rules_yaml("[" * 16 + "]" * 16) == [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]

    with pytest.raises(RulesYamlError, match="nested more than 16 deep"):
        load_rules_yaml("[" * 17 + "]" * 17)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("fallback: 2026-02-30", "routing.yaml: line 1: '2026-02-30' is not a valid date or time"),
        ("panels: 5", "panels must be a list"),
        ("rules: 7", "rules must be a list"),
        ("panels: [{key: [a], name_en: A, name_sw: A}]", "its key as text"),
        (
            "fallback: [a]\npanels: [{key: a, name_en: A, name_sw: A}]",
            "fallback ['a'] is not one of the panels",
        ),
        (
            "fallback: a\npanels: [{key: a, name_en: A, name_sw: A}]\nrules: [{name: r, panel: [a]}]",
            "rule r sends to unknown panel ['a']",
        ),
    ],
)
def test_routing_of_the_wrong_shape_is_a_routing_error(text, reason):
    with pytest.raises(RoutingError) as refused:
        parse_routing(text, "routing.yaml")

    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("deadline", "reason"),
    [
        ("99999999999d", "'99999999999d' is longer than 365 days"),
        ("9" * 5000 + "d", "(5001 characters) is longer than 365 days"),
        ("999999999d", "'999999999d' is longer than 365 days"),
        ("366d", "'366d' is longer than 365 days"),
        ("8761h", "'8761h' is longer than 365 days"),
        ("525601m", "'525601m' is longer than 365 days"),
        ("\uff12\uff14h", "is not like 15m, 2h or 14d"),  # fullwidth
        ("\u0662\u0664h", "is not like 15m, 2h or 14d"),  # Arabic-Indic
    ],
)
def test_a_deadline_past_a_year_or_in_other_digits_is_refused(deadline, reason):
    with pytest.raises(SlaPolicyError) as refused:
        parse_sla_policy(SLA.replace("resolve: 24h", f"resolve: {deadline}", 1), "sla.yaml")

    assert str(refused.value).startswith("sla.yaml: critical deadline ")
    assert reason in str(refused.value)


def test_a_year_is_the_longest_deadline():
    year = parse_sla_policy(SLA.replace("resolve: 30d", "resolve: 365d", 1))
    assert year.deadlines["low"].resolve == timedelta(days=365)

    with pytest.raises(SlaPolicyError, match="longer than 365 days"):
        parse_sla_policy(SLA.replace("resolve: 30d", "resolve: 366d", 1))


def test_a_routing_file_with_aliases_is_refused_when_read_from_disk(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(ROUTING.replace("fallback: police-accountability", "fallback: &f police-accountability"))

    with pytest.raises(RoutingError, match=r"routing.yaml: line \d+: aliases \(\*name\) and anchors"):
        load_routing(path)


def test_an_sla_file_with_aliases_is_refused_when_read_from_disk(tmp_path):
    path = tmp_path / "sla.yaml"
    path.write_text(
        SLA.replace("high: {acknowledge: 2h, resolve: 72h}", "high: &h {acknowledge: 2h, resolve: 72h}")
    )

    with pytest.raises(SlaPolicyError, match="aliases"):
        load_sla_policy(path)
