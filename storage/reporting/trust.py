"""The trust index per ward and month: whether residents use the channel and get answers,
from six components (docs/trust-index.md says how each is computed and what the index
cannot tell). Figures come from SQL aggregates; no case is loaded into Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import ColumnElement, RowMapping, String, cast, literal, select
from sqlalchemy.orm import Session

from storage.models import Report, utcnow
from storage.reporting.exact import Query, case_facts, percentile_columns, percentiles, within, without_jit
from storage.reporting.measures import count_columns, month_of, tallies

DATA = Path(__file__).parent
COMPONENTS = ("volume", "on_time", "speed", "satisfaction", "repeat_use", "feedback")
TRUST_TALLIES = tallies("answer_due", "answered_on_time", "rating_sum", "ratings", "repeat", "feedback")


@dataclass(frozen=True)
class TrustPolicy:
    populations: dict[str, int]
    weights: dict[str, float]
    volume_target_per_1000: float
    speed_horizon_hours: float
    feedback_target_share: float
    minimum_reports: int


@dataclass(frozen=True)
class TrustMonth:
    """One ward's month: the raw components, their scores (0-1) and the composite (0-100)."""

    ward: str
    month: str
    reports: int
    volume_per_1000: float | None
    on_time: float | None
    median_response_hours: float | None
    satisfaction: float | None
    ratings: int
    repeat_use: float | None
    feedback_share: float | None
    scores: dict[str, float | None]
    composite: float | None


@cache
def load_trust_policy(directory: Path = DATA) -> TrustPolicy:
    wards = yaml.safe_load((directory / "wards.yaml").read_text(encoding="utf-8"))
    trust = yaml.safe_load((directory / "trust.yaml").read_text(encoding="utf-8"))
    missing = set(COMPONENTS) - set(trust["weights"])
    if missing:
        raise ValueError(f"{directory / 'trust.yaml'}: no weight for {sorted(missing)}")
    return TrustPolicy(
        populations={str(k): int(v) for k, v in wards["wards"].items()},
        weights={k: float(v) for k, v in trust["weights"].items()},
        volume_target_per_1000=float(trust["volume_target_per_1000"]),
        speed_horizon_hours=float(trust["speed_horizon_hours"]),
        feedback_target_share=float(trust["feedback_target_share"]),
        minimum_reports=int(trust["minimum_reports"]),
    )


def trust_index(
    session: Session,
    policy: TrustPolicy,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> list[TrustMonth]:
    """One row per ward and month with reports, ordered by ward then month."""
    dialect = session.get_bind().dialect.name
    without_jit(session)
    facts = _facts(dialect, since, until, now or utcnow()).subquery()
    if dialect == "postgresql":
        statement = _totals(facts).add_columns(*percentile_columns(facts, ("first_response",)))
        return [
            trust_month(row._mapping, row.first_response_median, policy) for row in session.execute(statement)
        ]
    medians = percentiles(session, facts, dialect, ("first_response",))
    return [
        trust_month(row._mapping, medians.get(row.group, {}).get("first_response_median"), policy)
        for row in session.execute(_totals(facts))
    ]


def _facts(dialect: str, since: datetime | None, until: datetime | None, now: datetime) -> Query:
    month = month_of(dialect, Report.received_at)
    keys: list[ColumnElement[Any]] = [
        Report.ward.label("ward"),
        month.label("month"),
        (cast(Report.ward, String) + literal("|") + month).label("group"),
    ]
    statement = case_facts(dialect, keys, TRUST_TALLIES, now).where(Report.ward.is_not(None))
    return within(statement, since, until)


def _totals(facts: Any) -> Query:
    f = facts.c
    return (
        select(f.group, f.ward, f.month, *count_columns(facts, TRUST_TALLIES))
        .group_by(f.group, f.ward, f.month)
        .order_by(f.ward, f.month)
    )


def trust_month(
    t: Mapping[str, Any] | RowMapping, median_seconds: float | None, policy: TrustPolicy
) -> TrustMonth:
    """A ward-month from its counts (`ward`, `month` and the measures' `COUNTS`)."""
    reports = int(t["cases"])
    population = policy.populations.get(t["ward"])
    month = TrustMonth(
        ward=t["ward"],
        month=t["month"],
        reports=reports,
        volume_per_1000=reports * 1000 / population if population else None,
        on_time=float(t["answered_on_time"]) / float(t["answer_due"]) if t["answer_due"] else None,
        median_response_hours=None if median_seconds is None else float(median_seconds) / 3600,
        satisfaction=float(t["rating_sum"]) / int(t["ratings"]) if t["ratings"] else None,
        ratings=int(t["ratings"]),
        repeat_use=float(t["repeat"]) / reports if reports else None,
        feedback_share=float(t["feedback"]) / reports if reports else None,
        scores={},
        composite=None,
    )
    scores = component_scores(month, policy)
    enough = reports >= policy.minimum_reports
    return replace(month, scores=scores, composite=composite(scores, policy) if enough else None)


def with_every_ward(months: list[TrustMonth], wards: Iterable[str], policy: TrustPolicy) -> list[TrustMonth]:
    """`months`, and for each of `wards` with no report in a month they cover, that ward's month
    with none: a ward where people stopped reporting is what the index is there to show. The
    wards come from the gazetteer, which the caller holds. By ward, then month."""
    held = {(month.ward, month.month) for month in months}
    quiet = [
        no_reports(ward, month, policy)
        for month in {m.month for m in months}
        for ward in wards
        if (ward, month) not in held
    ]
    return sorted([*months, *quiet], key=lambda month: (month.ward, month.month))


def no_reports(ward: str, month: str, policy: TrustPolicy) -> TrustMonth:
    """A ward's month without a report: volume 0, no other figure and no composite."""
    counts = {"ward": ward, "month": month, "cases": 0, **{tally.name: 0 for tally in TRUST_TALLIES}}
    return trust_month(counts, None, policy)


def component_scores(month: TrustMonth, policy: TrustPolicy) -> dict[str, float | None]:
    """Each component as a score from 0 (worst) to 1 (best); None where there is no figure."""
    return {
        "volume": _capped(month.volume_per_1000, policy.volume_target_per_1000),
        "on_time": month.on_time,
        "speed": None
        if month.median_response_hours is None
        else max(0.0, 1 - month.median_response_hours / policy.speed_horizon_hours),
        "satisfaction": None if month.satisfaction is None else (month.satisfaction - 1) / 4,
        "repeat_use": month.repeat_use,
        "feedback": _capped(month.feedback_share, policy.feedback_target_share),
    }


def composite(scores: dict[str, float | None], policy: TrustPolicy) -> float | None:
    """The weighted mean of the scores there are, from 0 to 100."""
    present = {name: score for name, score in scores.items() if score is not None}
    weight = sum(policy.weights[name] for name in present)
    if not weight:
        return None
    return 100 * sum(policy.weights[name] * score for name, score in present.items()) / weight


def _capped(value: float | None, target: float) -> float | None:
    return None if value is None else min(1.0, value / target)
