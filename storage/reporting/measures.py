"""The measures every figure is made of, defined once: how long each step took, and what is
counted of each case. The exact queries over any window and the monthly summaries both iterate
these lists, so a new measure is one entry here (and, for the summaries, a migration adding its
column to `metric_cells` and `metric_scratch`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, SQLColumnExpression, case, cast, exists, func
from sqlalchemy.orm import InstrumentedAttribute, aliased

from storage.models import Case, Report, Reporter

# The panel a case's figures count against: the one that held it when it went late, if it did.
ANSWERABLE_PANEL_ID = func.coalesce(Case.late_panel_id, Case.panel_id)


@dataclass(frozen=True)
class Duration:
    """Seconds from the report's receipt until a moment on its case; counted over the cases
    where that moment came."""

    name: str
    until: InstrumentedAttribute[datetime | None]

    def seconds(self, dialect: str) -> ColumnElement[float]:
        return seconds_between(dialect, Report.received_at, self.until)


@dataclass(frozen=True)
class Tally:
    """A number of each case (mostly 0 or 1), summed over a group. `of_case` builds it for
    deadlines as they stand at a moment."""

    name: str
    of_case: Callable[[datetime], ColumnElement[int]]


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _acknowledge_due(now: datetime) -> ColumnElement[bool]:
    return Case.acknowledged_at.is_not(None) | (Case.acknowledge_due_at <= now) | Case.acknowledge_missed


def _resolve_due(now: datetime) -> ColumnElement[bool]:
    return Case.resolved_at.is_not(None) | (Case.resolve_due_at <= now) | Case.resolve_missed


def _answer_due(now: datetime) -> ColumnElement[bool]:
    return Case.first_response_at.is_not(None) | (Case.resolve_due_at <= now) | Case.resolve_missed


# A step missed under an earlier deadline stays missed, whatever its deadline says now.
def _acknowledged_on_time() -> ColumnElement[bool]:
    return (Case.acknowledged_at <= Case.acknowledge_due_at) & Case.acknowledge_missed.is_(False)


def _resolved_on_time() -> ColumnElement[bool]:
    return (Case.resolved_at <= Case.resolve_due_at) & Case.resolve_missed.is_(False)


def _unreachable() -> ColumnElement[bool]:
    """The reporter said STOP or their number was erased: the case can get no answer."""
    return exists().where(Reporter.id == Report.reporter_id, Reporter.contact.is_(None))


def _repeat(_: datetime) -> ColumnElement[int]:
    earlier = aliased(Report)
    return flag(
        exists().where(earlier.reporter_id == Report.reporter_id, earlier.received_at < Report.received_at)
    )


DURATIONS = (
    Duration("acknowledge", Case.acknowledged_at),
    Duration("first_response", Case.first_response_at),
    Duration("resolution", Case.resolved_at),
)
TALLIES = (
    # An on-time share counts the cases that were handled or whose deadline has passed.
    Tally("ack_due", lambda now: flag(_acknowledge_due(now))),
    Tally("ack_on_time", lambda now: flag(_acknowledged_on_time())),
    Tally("resolve_due", lambda now: flag(_resolve_due(now))),
    Tally("resolve_on_time", lambda now: flag(_resolved_on_time())),
    Tally("overdue", lambda now: flag(Case.overdue.is_(True))),
    Tally("escalated", lambda now: flag(Case.escalation_level > 0)),
    # A case whose reporter cannot be reached (no reply can be sent) is counted apart.
    Tally("unreachable", lambda now: flag(_unreachable())),
    Tally("answer_due", lambda now: flag(_answer_due(now))),
    Tally(
        "answered_on_time",
        lambda now: flag(
            _acknowledged_on_time()
            & (Case.first_response_at <= Case.resolve_due_at)
            & Case.resolve_missed.is_(False)
        ),
    ),
    Tally("rating_sum", lambda now: func.coalesce(Report.rating, 0)),
    Tally("ratings", lambda now: flag(Report.rating.is_not(None))),
    Tally("repeat", _repeat),
    Tally("feedback", lambda now: flag(Report.category == "feedback")),
)
DURATION_NAMES = tuple(duration.name for duration in DURATIONS)
TALLY_NAMES = tuple(tally.name for tally in TALLIES)
# What a group's counts hold: its cases, how many have each duration, and each tally's sum.
COUNTS = ("cases", *DURATION_NAMES, *TALLY_NAMES)


def tallies(*names: str) -> tuple[Tally, ...]:
    """The tallies of these names, in list order."""
    unknown = set(names) - set(TALLY_NAMES)
    if unknown:
        raise KeyError(f"no tally named {', '.join(sorted(unknown))}")
    return tuple(tally for tally in TALLIES if tally.name in names)


def count_columns(facts: Any, tallies: tuple[Tally, ...] = TALLIES) -> list[ColumnElement[Any]]:
    """The counts of a group of per-case facts (one row per case, with a column for each
    duration and each of `tallies`), labelled as `COUNTS` names them."""
    f = facts.c
    return [
        func.count().label("cases"),
        *(func.count(f[name]).label(name) for name in DURATION_NAMES),
        *(func.coalesce(func.sum(f[tally.name]), 0).label(tally.name) for tally in tallies),
    ]


def seconds_between(
    dialect: str, start: SQLColumnExpression[Any], end: SQLColumnExpression[Any]
) -> ColumnElement[float]:
    if dialect == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def month_of(dialect: str, moment: SQLColumnExpression[Any]) -> SQLColumnExpression[Any]:
    """``YYYY-MM`` of a stored UTC time."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", moment), "YYYY-MM")
    return func.strftime("%Y-%m", moment)
