"""The trust index per ward and month agrees with a straightforward Python computation, and
its composite is the weighted mean of the scores there are."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime

import pytest

from storage.reporting.trust import (
    COMPONENTS,
    TrustMonth,
    component_scores,
    composite,
    load_trust_policy,
    trust_index,
)

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def expected(rows) -> dict[tuple[str, str], dict[str, object]]:
    first_seen: dict[int, datetime] = {}
    for row in rows:
        first_seen[row.reporter] = min(first_seen.get(row.reporter, row.received_at), row.received_at)
    months: dict[tuple[str, str], list] = {}
    for row in rows:
        if row.ward:
            months.setdefault((row.ward, row.received_at.strftime("%Y-%m")), []).append(row)
    answer = {}
    for key, members in months.items():
        due = [r for r in members if r.first_response_at or r.resolve_due_at <= NOW]
        on_time = [
            r
            for r in due
            if r.acknowledged_at
            and r.first_response_at
            and r.acknowledged_at <= r.acknowledge_due_at
            and r.first_response_at <= r.resolve_due_at
        ]
        hours = [
            (r.first_response_at - r.received_at).total_seconds() / 3600
            for r in members
            if r.first_response_at
        ]
        ratings = [r.rating for r in members if r.rating]
        answer[key] = {
            "reports": len(members),
            "on_time": len(on_time) / len(due) if due else None,
            "median_response_hours": statistics.median(hours) if hours else None,
            "satisfaction": statistics.mean(ratings) if ratings else None,
            "ratings": len(ratings),
            "repeat_use": sum(r.received_at > first_seen[r.reporter] for r in members) / len(members),
            "feedback_share": sum(r.category == "feedback" for r in members) / len(members),
        }
    return answer


def test_trust_components_agree_with_a_python_computation(runtime, casebook):
    policy = load_trust_policy()
    with runtime.store.transaction() as session:
        months = trust_index(session, policy, now=NOW)

    wanted = expected(casebook)
    assert [(m.ward, m.month) for m in months] == sorted(wanted)
    for month in months:
        figures = wanted[(month.ward, month.month)]
        for name, value in figures.items():
            assert getattr(month, name) == pytest.approx(value, abs=1e-6), (month.ward, month.month, name)
        assert month.volume_per_1000 == pytest.approx(month.reports * 1000 / policy.populations[month.ward])


def test_since_and_until_bound_the_months(runtime, casebook):
    with runtime.store.transaction() as session:
        months = trust_index(
            session, load_trust_policy(), datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
        )

    assert {m.month for m in months} == {"2026-02"}


def month_with(**figures: object) -> TrustMonth:
    base = {
        "ward": "Pumwani",
        "month": "2026-03",
        "reports": 40,
        "volume_per_1000": 0.5,
        "on_time": 0.8,
        "median_response_hours": 42.0,
        "satisfaction": 4.0,
        "ratings": 10,
        "repeat_use": 0.3,
        "feedback_share": 0.1,
        "scores": {},
        "composite": None,
    }
    return TrustMonth(**(base | figures))


def test_each_component_scores_from_0_to_1():
    policy = load_trust_policy()

    scores = component_scores(month_with(), policy)

    assert set(scores) == set(COMPONENTS)
    assert scores["volume"] == pytest.approx(0.5 / policy.volume_target_per_1000)
    assert scores["speed"] == pytest.approx(1 - 42 / policy.speed_horizon_hours)
    assert scores["satisfaction"] == pytest.approx(0.75)
    assert scores["feedback"] == pytest.approx(0.1 / policy.feedback_target_share)
    saturated = component_scores(month_with(volume_per_1000=50.0, median_response_hours=10_000.0), policy)
    assert saturated["volume"] == 1.0
    assert saturated["speed"] == 0.0


def test_the_composite_is_the_weighted_mean_of_the_scores_present():
    policy = load_trust_policy()
    scores = component_scores(month_with(satisfaction=None), policy)

    present = {k: v for k, v in scores.items() if v is not None}
    weighted = sum(policy.weights[k] * v for k, v in present.items()) / sum(
        policy.weights[k] for k in present
    )
    assert "satisfaction" not in present
    assert composite(scores, policy) == pytest.approx(100 * weighted)


def test_a_ward_month_with_too_few_reports_has_no_composite(runtime, casebook):
    with runtime.store.transaction() as session:
        months = trust_index(session, load_trust_policy(), now=NOW)

    small = [m for m in months if m.reports < load_trust_policy().minimum_reports]
    assert small
    assert all(m.composite is None for m in small)
    assert any(m.composite is not None for m in months)
