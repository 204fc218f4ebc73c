"""Monthly summaries of cases that auditors' figures are read from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class MetricCell(Base):
    """Exact counts for one dimension value in one month."""

    __tablename__ = "metric_cells"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    cases: Mapped[int] = mapped_column(default=0)
    acknowledge: Mapped[int] = mapped_column(default=0)
    first_response: Mapped[int] = mapped_column(default=0)
    resolution: Mapped[int] = mapped_column(default=0)
    ack_due: Mapped[int] = mapped_column(default=0)
    ack_on_time: Mapped[int] = mapped_column(default=0)
    resolve_due: Mapped[int] = mapped_column(default=0)
    resolve_on_time: Mapped[int] = mapped_column(default=0)
    overdue: Mapped[int] = mapped_column(default=0)
    escalated: Mapped[int] = mapped_column(default=0)
    answer_due: Mapped[int] = mapped_column(default=0)
    answered_on_time: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    ratings: Mapped[int] = mapped_column(default=0)
    repeat: Mapped[int] = mapped_column(default=0)
    feedback: Mapped[int] = mapped_column(default=0)


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
    cases, then counted per dimension."""

    __tablename__ = "metric_scratch"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    ward: Mapped[str] = mapped_column(String(64))
    urgency: Mapped[str] = mapped_column(String(64))
    acknowledge: Mapped[int | None]
    first_response: Mapped[int | None]
    resolution: Mapped[int | None]
    ack_due: Mapped[int]
    ack_on_time: Mapped[int]
    resolve_due: Mapped[int]
    resolve_on_time: Mapped[int]
    overdue: Mapped[int]
    escalated: Mapped[int]
    answer_due: Mapped[int]
    answered_on_time: Mapped[int]
    rating_sum: Mapped[int]
    ratings: Mapped[int]
    repeat: Mapped[int]
    feedback: Mapped[int]


class MetricRefresh(Base):
    """How far the summaries have read the audit chain, and when the recent months were last
    recomputed for deadlines passing."""

    __tablename__ = "metric_refresh"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    deadlines_at: Mapped[datetime] = mapped_column()
