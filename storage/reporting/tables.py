"""The monthly summaries auditors' figures are read from: a row of counts per dimension value
and month, a histogram of each duration, and the scratch table a month is recomputed through.
The counted columns are made from the list of measures, so they cannot drift apart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.reporting.measures import COUNTS, DURATION_NAMES, TALLIES

DIMENSION_VALUES = ("panel", "category", "ward", "urgency")


def _counted(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, Integer, nullable=nullable, default=0)


class MetricCell(Base):
    """Exact counts for one dimension value in one month, one column per name in `COUNTS`."""

    __table__ = Table(
        "metric_cells",
        Base.metadata,
        Column("dimension", String(16), primary_key=True),
        Column("value", String(64), primary_key=True),
        Column("month", String(7), primary_key=True),
        *(_counted(name) for name in COUNTS),
    )


class MetricBucket(Base):
    """How many cases of one dimension value and month took a time in one bucket."""

    __tablename__ = "metric_buckets"
    # Key order lets a window's histogram be summed in key order, without sorting.
    __table_args__ = (Index("ix_metric_buckets_month", "month"),)

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    measure: Mapped[str] = mapped_column(String(16), primary_key=True)
    bucket: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    n: Mapped[int]


class MetricScratch(Base):
    """One month's cases, briefly, while its summaries are recomputed: read once from the
    cases (their dimension values, the bucket of each duration, each tally), then counted per
    dimension."""

    __table__ = Table(
        "metric_scratch",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        *(Column(name, String(64), nullable=False) for name in DIMENSION_VALUES),
        *(_counted(name, nullable=True) for name in DURATION_NAMES),
        *(_counted(tally.name) for tally in TALLIES),
    )


class MetricRefresh(Base):
    """How far the summaries have read the audit chain, and when the recent months were last
    recomputed for deadlines passing."""

    __tablename__ = "metric_refresh"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    deadlines_at: Mapped[datetime] = mapped_column()
