"""Response-time metrics computed in SQL agree with a straightforward Python computation over
a small generated case book, on SQLite and on PostgreSQL."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from storage.reporting.exact import GROUPS, response_times

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def key_of(row, group_by: str) -> str:
    if group_by == "month":
        return row.received_at.strftime("%Y-%m")
    return getattr(row, group_by) or "unknown"


def seconds(row, field: str) -> float | None:
    moment = getattr(row, field)
    return None if moment is None else (moment - row.received_at).total_seconds()


def expected(rows, group_by: str) -> dict[str, dict[str, object]]:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(key_of(row, group_by), []).append(row)
    answer = {}
    for key, members in groups.items():
        figures: dict[str, object] = {"cases": len(members)}
        for measure, field in (
            ("acknowledge", "acknowledged_at"),
            ("first_response", "first_response_at"),
            ("resolution", "resolved_at"),
        ):
            values = [s for s in (seconds(r, field) for r in members) if s is not None]
            figures[measure] = (len(values), percentile(values, 0.5), percentile(values, 0.9))
        ack_due = [r for r in members if r.acknowledged_at or r.acknowledge_due_at <= NOW]
        on_time = [r for r in ack_due if r.acknowledged_at and r.acknowledged_at <= r.acknowledge_due_at]
        figures["acknowledged_on_time"] = len(on_time) / len(ack_due) if ack_due else None
        resolve_due = [r for r in members if r.resolved_at or r.resolve_due_at <= NOW]
        resolved = [r for r in resolve_due if r.resolved_at and r.resolved_at <= r.resolve_due_at]
        figures["resolved_on_time"] = len(resolved) / len(resolve_due) if resolve_due else None
        figures["overdue"] = sum(r.overdue for r in members)
        figures["escalated"] = sum(r.escalation_level > 0 for r in members)
        answer[key] = figures
    return answer


def as_figures(row) -> dict[str, object]:
    return {
        "cases": row.cases,
        **{
            measure: (d.count, d.median, d.p90)
            for measure, d in (
                ("acknowledge", row.acknowledge),
                ("first_response", row.first_response),
                ("resolution", row.resolution),
            )
        },
        "acknowledged_on_time": row.acknowledged_on_time,
        "resolved_on_time": row.resolved_on_time,
        "overdue": row.overdue,
        "escalated": row.escalated,
    }


def assert_same(actual: dict[str, object], wanted: dict[str, object]) -> None:
    assert actual.keys() == wanted.keys()
    for name, value in wanted.items():
        if isinstance(value, tuple):
            count, *spread = value
            assert actual[name][0] == count, name
            assert actual[name][1:] == pytest.approx(spread, abs=0.01), name
        else:
            assert actual[name] == pytest.approx(value), name


@pytest.mark.parametrize("group_by", GROUPS)
def test_metrics_agree_with_a_python_computation(runtime, casebook, group_by):
    with runtime.store.transaction() as session:
        rows = response_times(session, group_by, now=NOW)

    wanted = expected(casebook, group_by)
    assert [row.group for row in rows] == sorted(wanted)
    for row in rows:
        assert_same(as_figures(row), wanted[row.group])


def test_since_and_until_bound_the_received_time(runtime, casebook):
    since, until = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC)
    inside = [r for r in casebook if since <= r.received_at < until]

    with runtime.store.transaction() as session:
        rows = response_times(session, "urgency", since=since, until=until, now=NOW)

    wanted = expected(inside, "urgency")
    assert {row.group: row.cases for row in rows} == {k: v["cases"] for k, v in wanted.items()}
    for row in rows:
        assert_same(as_figures(row), wanted[row.group])


def test_an_unknown_grouping_is_refused(runtime):
    with runtime.store.transaction() as session, pytest.raises(ValueError, match="group_by"):
        response_times(session, "reporter")
