from datetime import UTC, datetime, timedelta

import pytest

from triage import Classification, due_at, due_for, load_sla_policy
from triage.sla import SlaPolicyError

RECEIVED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("urgency", "acknowledge", "resolve"),
    [
        ("critical", timedelta(minutes=15), timedelta(hours=24)),
        ("high", timedelta(hours=2), timedelta(hours=72)),
        ("normal", timedelta(hours=24), timedelta(days=14)),
        ("low", timedelta(hours=72), timedelta(days=30)),
    ],
)
def test_deadlines_follow_the_urgency(sla_policy, urgency, acknowledge, resolve):
    assert due_at(urgency, RECEIVED, sla_policy) == (RECEIVED + acknowledge, RECEIVED + resolve)


def test_unknown_urgency_is_refused(sla_policy):
    with pytest.raises(ValueError, match="unknown urgency"):
        due_at("whenever", RECEIVED, sla_policy)


def test_an_edited_policy_file_changes_the_deadlines(tmp_path):
    path = tmp_path / "sla.yaml"
    path.write_text(
        "critical: {acknowledge: 5m, resolve: 12h}\nhigh: {acknowledge: 1h, resolve: 2d}\n"
        "normal: {acknowledge: 1d, resolve: 7d}\nlow: {acknowledge: 3d, resolve: 30d}\n",
        encoding="utf-8",
    )
    acknowledge, _ = due_at("critical", RECEIVED, load_sla_policy(path))
    assert acknowledge == RECEIVED + timedelta(minutes=5)


def test_a_malformed_duration_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "sla.yaml"
    path.write_text(
        "critical: {acknowledge: soon, resolve: 12h}\nhigh: {acknowledge: 1h, resolve: 2d}\n"
        "normal: {acknowledge: 1d, resolve: 7d}\nlow: {acknowledge: 3d, resolve: 30d}\n",
        encoding="utf-8",
    )
    with pytest.raises(SlaPolicyError, match="soon"):
        load_sla_policy(path)


def classified(urgency, possible):
    return Classification("violence_abuse", urgency, "en", None, 0.9, "test", False, False, possible)


def test_a_possible_emergency_is_acknowledged_as_fast_as_a_critical_report(sla_policy):
    acknowledge, resolve = due_for(classified("normal", True), RECEIVED, sla_policy)
    assert acknowledge == RECEIVED + timedelta(minutes=15)
    assert resolve == RECEIVED + timedelta(days=14)


def test_other_reports_keep_their_urgencys_deadlines(sla_policy):
    assert due_for(classified("high", False), RECEIVED, sla_policy) == due_at("high", RECEIVED, sla_policy)
