"""The monthly summaries behind the auditors' and the public figures: counts exact,
percentiles within 2% of a straightforward Python computation, refreshed incrementally."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from storage import Case, Report, audit
from storage.reporting.exact import GROUPS
from storage.reporting.figures import response_times, trust_index
from storage.reporting.summaries import refresh_summaries
from storage.reporting.trust import load_trust_policy
from storage.reporting.trust import trust_index as exact_trust_index
from tests.test_metrics import NOW, expected
from workers.sla import sweep_sla

SINCE, UNTIL = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def summarised(runtime, casebook):
    with runtime.store.transaction() as session:
        refresh_summaries(session, NOW, everything=True)
    return casebook


def assert_close(row, wanted) -> None:
    assert row.cases == wanted["cases"]
    for measure in ("acknowledge", "first_response", "resolution"):
        count, median, p90 = wanted[measure]
        distribution = getattr(row, measure)
        assert distribution.count == count
        assert distribution.median == pytest.approx(median, rel=0.02, abs=1), measure
        assert distribution.p90 == pytest.approx(p90, rel=0.02, abs=1), measure
    for name in ("acknowledged_on_time", "resolved_on_time", "overdue", "escalated"):
        assert getattr(row, name) == pytest.approx(wanted[name]), name


@pytest.mark.parametrize("group_by", GROUPS)
def test_whole_months_read_from_summaries_agree_with_python(runtime, summarised, group_by):
    inside = [r for r in summarised if SINCE <= r.received_at < UNTIL]

    with runtime.store.transaction() as session:
        rows = response_times(session, group_by, SINCE, UNTIL)

    wanted = expected(inside, group_by)
    assert [row.group for row in rows] == sorted(wanted)
    for row in rows:
        assert_close(row, wanted[row.group])


def test_the_trust_index_from_summaries_matches_the_exact_one(runtime, summarised):
    policy = load_trust_policy()
    with runtime.store.transaction() as session:
        fast = trust_index(session, policy, datetime(2026, 1, 1, tzinfo=UTC), None)
        exact = exact_trust_index(session, policy, now=NOW)

    assert [(m.ward, m.month, m.reports) for m in fast] == [(m.ward, m.month, m.reports) for m in exact]
    for quick, slow in zip(fast, exact, strict=True):
        assert (quick.on_time, quick.satisfaction, quick.repeat_use) == (
            slow.on_time,
            slow.satisfaction,
            slow.repeat_use,
        )
        assert quick.median_response_hours == pytest.approx(slow.median_response_hours, rel=0.02)


def test_a_window_that_is_not_whole_months_is_computed_exactly(runtime, summarised):
    since, until = datetime(2026, 2, 10, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC)
    inside = [r for r in summarised if since <= r.received_at < until]

    with runtime.store.transaction() as session:
        rows = response_times(session, "panel", since, until)

    assert {r.group: r.cases for r in rows} == {k: v["cases"] for k, v in expected(inside, "panel").items()}


def test_only_months_that_changed_or_may_still_change_are_recomputed(runtime, summarised):
    with runtime.store.transaction() as session:
        february = session.scalars(
            select(Report)
            .where(Report.received_at >= datetime(2026, 2, 1, tzinfo=UTC))
            .order_by(Report.received_at)
        ).first()
        session.execute(update(Case).where(Case.report_id == february.id).values(escalation_level=2))
        audit.record(session, "case.escalated", subject=f"report:{february.id}", details={"level": 2})
    with runtime.store.transaction() as session:
        changed = refresh_summaries(session, NOW)
    with runtime.store.transaction() as session:
        later = refresh_summaries(session, NOW + timedelta(minutes=10))
        rows = response_times(
            session, "month", datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
        )

    assert changed == {"2026-02"}
    assert later == {"2026-03", "2026-04", "2026-05"}
    february_rows = sorted((r for r in summarised if r.received_at.month == 2), key=lambda r: r.received_at)
    was_escalated = february_rows[0].escalation_level > 0
    assert rows[0].escalated == sum(r.escalation_level > 0 for r in february_rows) + (not was_escalated)


def test_the_sweep_keeps_the_summaries_fresh(runtime, send_sms, run_jobs):
    counted = []
    for n, text in enumerate(
        ("Polisi walimkamata kijana wangu Eastleigh", "Askari wanaitisha hongo Pumwani")
    ):
        send_sms(text, sender=f"+25471234560{n}")
        run_jobs()
        sweep_sla()
        with runtime.store.transaction() as session:
            counted.append(sum(row.cases for row in response_times(session, "urgency")))

    assert counted == [1, 2]
