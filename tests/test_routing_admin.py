"""Admins edit routing rules and the SLA policy in the browser; saved rules live in the
instance folder, apply to the next report at once, and override the defaults at start."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import Panel
from storage.models import AuditEvent
from tests.fixtures.staff import AuthActions
from tests.helpers import report_by_ref
from triage.routing import DEFAULT_ROUTING
from triage.sla import DEFAULT_SLA
from workers.runtime import instance_rules

PUMWANI_TO_PEACE = "rules:\n  - name: pumwani-to-peace\n    ward: [Pumwani]\n    panel: peace-committee\n"
GIKOMBA_BRIBES = "Askari wanaitisha hongo kila siku sokoni Gikomba"


def routing_with(rule: str) -> str:
    """The shipped routing file with ``rule`` (a rules: block) tried first."""
    return DEFAULT_ROUTING.read_text(encoding="utf-8").replace("rules:\n", rule, 1)


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def rule_changes(runtime) -> list[AuditEvent]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "rules.changed")))


def save(admin: AuthActions, kind: str, text: str):
    return admin.post(f"/admin/routing/{kind}", {"text": text}, page="/admin/routing")


def test_saved_routing_sends_the_next_report_by_the_new_rule(admin, reported_case, runtime):
    assert save(admin, "routing", routing_with(PUMWANI_TO_PEACE)).status_code == 303

    ref = reported_case(GIKOMBA_BRIBES)

    assert report_by_ref(runtime, ref).case.panel_id == panel_id(runtime, "peace-committee")


def test_a_saved_sla_policy_sets_the_next_cases_deadlines(admin, reported_case, runtime):
    policy = DEFAULT_SLA.read_text(encoding="utf-8").replace(
        "normal: {acknowledge: 24h", "normal: {acknowledge: 3h"
    )
    save(admin, "sla", policy)

    report = report_by_ref(runtime, reported_case(GIKOMBA_BRIBES))

    assert report.case.acknowledge_due_at - report.received_at == timedelta(hours=3)


def test_invalid_yaml_is_refused_with_the_reason_and_nothing_is_saved(admin, runtime):
    response = save(admin, "routing", "rules: [unclosed\n")

    assert response.status_code == 400
    assert "not valid YAML" in response.get_data(as_text=True)
    assert instance_rules(runtime.settings, "routing.yaml") is None
    assert rule_changes(runtime) == []


def test_a_rule_naming_an_unknown_panel_is_refused(admin, runtime):
    unknown = "rules:\n  - name: nowhere\n    urgency: [high]\n    panel: no-such-panel\n"

    response = save(admin, "routing", routing_with(unknown))

    assert response.status_code == 400
    assert "unknown panel &#39;no-such-panel&#39;" in response.get_data(as_text=True)
    assert instance_rules(runtime.settings, "routing.yaml") is None


def test_a_panel_only_declared_in_the_file_must_be_created_first(admin, runtime):
    declared = routing_with(
        "rules:\n  - name: to-new-desk\n    urgency: [high]\n    panel: new-desk\n"
    ).replace("panels:\n", "panels:\n  - {key: new-desk, name_en: New Desk, name_sw: Dawati Jipya}\n", 1)

    response = save(admin, "routing", declared)

    assert response.status_code == 400
    assert "no panel new-desk" in response.get_data(as_text=True)
    assert instance_rules(runtime.settings, "routing.yaml") is None


def test_a_non_admin_may_not_change_the_rules(make_user, auth, client, runtime):
    auth.sign_in(make_user("panel_lead"))

    response = auth.post("/admin/routing/routing", {"text": routing_with(PUMWANI_TO_PEACE)}, page="/panel/")

    assert response.status_code == 403
    assert instance_rules(runtime.settings, "routing.yaml") is None


def test_a_change_without_the_csrf_token_is_refused(admin, client, runtime):
    response = client.post("/admin/routing/routing", data={"text": routing_with(PUMWANI_TO_PEACE)})

    assert response.status_code == 400
    assert instance_rules(runtime.settings, "routing.yaml") is None


def test_a_change_is_audited_with_a_hash_and_no_content(admin, runtime):
    save(admin, "routing", routing_with(PUMWANI_TO_PEACE))

    [event] = rule_changes(runtime)

    assert event.actor.startswith("user:")
    assert set(event.details) == {"file", "sha256"}
    assert event.details["file"] == "routing.yaml"
    assert "pumwani-to-peace" not in json.dumps(event.details)


def test_a_routing_file_in_the_instance_folder_is_loaded_at_start(app_config, make_app):
    instance = Path(app_config["SAUTI_INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "routing.yaml").write_text(routing_with(PUMWANI_TO_PEACE), encoding="utf-8")

    app = make_app()

    assert runtime_of(app).routing.rules[0].name == "pumwani-to-peace"


def test_an_sla_file_in_the_instance_folder_is_loaded_at_start(app_config, make_app):
    instance = Path(app_config["SAUTI_INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    policy = DEFAULT_SLA.read_text(encoding="utf-8").replace(
        "critical: {acknowledge: 15m", "critical: {acknowledge: 5m"
    )
    (instance / "sla.yaml").write_text(policy, encoding="utf-8")

    app = make_app()

    assert runtime_of(app).sla.deadlines["critical"].acknowledge == timedelta(minutes=5)


def panel_id(runtime, key: str) -> int:
    with runtime.store.transaction() as session:
        return session.scalars(select(Panel.id).where(Panel.key == key)).one()
