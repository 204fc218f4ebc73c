"""Rules an admin types that YAML or the rules cannot hold: a value YAML cannot build (a 30
February, `!!int abc`, 5000 digits), nesting thousands deep, aliases that expand a few hundred
bytes into millions of values, wrong types, and deadlines past a year or in other digits. Each
is a 400 on the routing page with the reason, and the rules saved before stay in force."""

from __future__ import annotations

import html
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers import report_by_ref
from tests.test_routing_admin import PUMWANI_TO_PEACE, routing_with, rule_changes, save
from triage.routing import RoutingError
from triage.sla import DEFAULT_SLA

SLA = DEFAULT_SLA.read_text(encoding="utf-8")
SAVED_SLA = SLA.replace("normal: {acknowledge: 24h", "normal: {acknowledge: 3h")
EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


def sla_with(old: str, new: str) -> str:
    assert old in SLA
    return SLA.replace(old, new, 1)


def billion_laughs(levels: int = 6) -> str:
    """A panel whose description is ten of the level below, six levels deep: 10**6 values."""
    lines = [
        "fallback: police-accountability",
        "panels:",
        "  - key: police-accountability",
        "    name_en: Police Accountability Panel",
        "    name_sw: Jopo la Uwajibikaji wa Polisi",
        "    description:",
        "      - &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]",
    ]
    lines += [f"      - &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


# Values the YAML constructor fails on with ValueError, KeyError or AttributeError; both files
# are read by the same loader.
UNBUILDABLE = [
    ("fallback: 2026-02-30", "line 1: '2026-02-30' is not a valid date or time"),
    ("x: 2026-13-01", "line 1: '2026-13-01' is not a valid date or time"),
    ("x: !!int abc", "line 1: 'abc' is not a whole number"),
    ("!!float abc", "line 1: 'abc' is not a number"),
    ("x: !!bool maybe", "line 1: 'maybe' is not true or false"),
    ("x: !!timestamp nope", "line 1: 'nope' is not a valid date or time"),
    ("x: " + "9" * 5000, "(5000 characters) is not a whole number of at most 4300 digits"),
    ("[" * 5000 + "]" * 5000, "line 1: nested more than 16 deep"),
]

REFUSED = [
    *[pytest.param("routing", text, reason, id=f"routing {text[:24]}") for text, reason in UNBUILDABLE],
    *[pytest.param("sla", text, reason, id=f"sla {text[:24]}") for text, reason in UNBUILDABLE],
    ("routing", "panels: 5", "routing.yaml: panels must be a list"),
    ("routing", "rules: 7", "routing.yaml: rules must be a list"),
    ("routing", "fallback: [a]", "routing.yaml: fallback ['a'] is not one of the panels"),
    (
        "routing",
        routing_with("rules:\n  - name: listed-panel\n    panel: [x]\n"),
        "rule listed-panel sends to unknown panel ['x']",
    ),
    (
        "sla",
        sla_with("resolve: 24h", "resolve: 99999999999d"),
        "critical deadline '99999999999d' is longer than 365 days",
    ),
    (
        "sla",
        sla_with("resolve: 24h", "resolve: " + "9" * 5000 + "d"),
        "critical deadline '99999999999999999999999999999... (5001 characters) is longer than 365 days",
    ),
    (
        "sla",
        sla_with(
            "critical: {acknowledge: 15m, resolve: 24h}", "critical: {acknowledge: 15m, resolve: 999999999d}"
        ),
        "critical deadline '999999999d' is longer than 365 days",
    ),
    (
        "sla",
        sla_with("acknowledge: 15m", "acknowledge: \uff11\uff15m"),
        "critical deadline '\uff11\uff15m' is not like 15m, 2h or 14d",
    ),
    pytest.param(
        "routing",
        billion_laughs(),
        "line 7: aliases (*name) and anchors (&name) are not allowed",
        id="billion laughs",
    ),
]


@pytest.fixture
def admin_with_saved_rules(make_user, auth):
    """An admin who has saved routing and SLA rules of their own already."""
    auth.sign_in(make_user("admin", ()))
    assert save(auth, "routing", routing_with(PUMWANI_TO_PEACE)).status_code == 303
    assert save(auth, "sla", SAVED_SLA).status_code == 303
    return auth


def saved_state(runtime) -> tuple[object, ...]:
    folder = runtime.settings.instance_path
    files = tuple((folder / name).read_text(encoding="utf-8") for name in ("routing.yaml", "sla.yaml"))
    return (*files, runtime.routing, runtime.sla, len(rule_changes(runtime)))


@pytest.mark.parametrize(("kind", "text", "reason"), REFUSED)
def test_rules_yaml_cannot_hold_are_a_400_with_the_reason_and_change_nothing(
    admin_with_saved_rules, runtime, kind, text, reason
):
    before = saved_state(runtime)

    response = save(admin_with_saved_rules, kind, text)

    assert response.status_code == 400
    assert reason in html.unescape(response.get_data(as_text=True))
    assert saved_state(runtime) == before


def test_after_a_refused_year_long_deadline_new_critical_reports_are_triaged_as_before(
    admin_with_saved_rules, reported_case, runtime
):
    too_long = sla_with(
        "critical: {acknowledge: 15m, resolve: 24h}", "critical: {acknowledge: 15m, resolve: 999999999d}"
    )
    assert save(admin_with_saved_rules, "sla", too_long).status_code == 400

    report = report_by_ref(runtime, reported_case(EMERGENCY))

    assert report.case.acknowledge_due_at - report.received_at == timedelta(minutes=15)
    assert report.case.resolve_due_at - report.received_at == timedelta(hours=24)


def test_an_instance_routing_file_with_aliases_is_refused_at_start(app_config, make_app):
    instance = Path(app_config["SAUTI_INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "routing.yaml").write_text(billion_laughs(), encoding="utf-8")

    with pytest.raises(RoutingError, match="aliases"):
        make_app()
