"""How the pipeline stands right now, in counts for monitoring (`GET /metrics`): how many
reports wait for triage and for how long, open and overdue cases per panel, messages and
attachments still to go. Counts only: never a text, a number or a reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.casework.queue import deadline_column
from storage.models import Attachment, Case, OutboundMessage, Panel, Report


@dataclass(frozen=True)
class PipelineCounts:
    reports: dict[str, int]  # by status: received (waiting for triage), triaged, ...
    oldest_waiting_seconds: float  # the oldest report still waiting for triage; 0 if none
    open_cases: dict[tuple[str, str], int]  # by (panel key, urgency), every case not resolved
    overdue_cases: dict[str, int]  # by panel key: open cases past the deadline of their next step
    outbound: dict[str, int]  # messages to reporters, by status
    attachments: dict[str, int]  # by state: pending, stored, not_accepted, failed


def pipeline_counts(session: Session, now: datetime) -> PipelineCounts:
    oldest = session.scalar(select(func.min(Report.received_at)).where(Report.status == "received"))
    open_cases = (
        select(Panel.key, Report.urgency, func.count(Case.id))
        .join(Panel, Panel.id == Case.panel_id)
        .join(Report, Report.id == Case.report_id)
        .where(Case.status != "resolved")
        .group_by(Panel.key, Report.urgency)
    )
    overdue = (
        select(Panel.key, func.count(Case.id))
        .join(Panel, Panel.id == Case.panel_id)
        .where(Case.status != "resolved", deadline_column() < now)
        .group_by(Panel.key)
    )
    return PipelineCounts(
        reports=_by(session, Report.status),
        oldest_waiting_seconds=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
        open_cases={(panel, urgency or "untriaged"): n for panel, urgency, n in session.execute(open_cases)},
        overdue_cases={panel: n for panel, n in session.execute(overdue)},
        outbound=_by(session, OutboundMessage.status),
        attachments=_by(session, Attachment.state),
    )


def _by(session: Session, column: InstrumentedAttribute[str]) -> dict[str, int]:
    return {key: count for key, count in session.execute(select(column, func.count()).group_by(column))}
