"""The SLA sweep: late cases are marked overdue and escalated, their reporters told the case is
still open, staff notified, and the monthly summaries refreshed."""

from __future__ import annotations

import logging
from datetime import datetime

from storage import Panel, Report
from storage.casework.sla import SweepResult, sweep_overdue
from storage.models import OutboundMessage, utcnow
from storage.outbox import queue_to_reporter
from storage.reporter_texts import panel_name, reporter_language, reporter_text
from storage.reporting.summaries import refresh_summaries
from workers.runtime import Runtime, current
from workers.staff_mail import send_staff_notices

log = logging.getLogger(__name__)


def sweep_sla() -> dict[str, int]:
    """Mark late cases overdue, escalate them, tell their reporters the case is still open,
    batch after batch until every late case was looked at. Running it again changes nothing
    until another deadline passes."""
    runtime, now = current(), utcnow()
    summary = {"overdue": 0, "escalations": 0, "notices": 0}
    after: int | None = 0
    while after is not None:
        result = _sweep_batch(runtime, now, after)
        summary["overdue"] += len(result.overdue)
        summary["escalations"] += len(result.escalations)
        summary["notices"] += len(result.notices)
        after = result.next_after
    send_staff_notices()
    with runtime.store.transaction() as session:
        refresh_summaries(session, utcnow())
    if summary["overdue"] or summary["escalations"]:
        log.info("sweep.sla", extra=summary)
    return summary


def _sweep_batch(runtime: Runtime, now: datetime, after: int) -> SweepResult:
    """One batch in its own transaction; its reporters' messages are queued once it commits."""
    outbox: list[OutboundMessage] = []
    with runtime.store.transaction() as session:
        result = sweep_overdue(session, runtime.routing.fallback, now, after)
        for case in result.overdue:
            message = still_open(case.report, case.panel)
            outbound = queue_to_reporter(session, runtime.store.keys, case.report, "still_open", message)
            if outbound is not None:
                outbox.append(outbound)
        session.flush()
    for outbound in outbox:
        runtime.dispatcher.enqueue_notify(outbound.id)
    return result


def still_open(report: Report, panel: Panel) -> str:
    language = reporter_language(report)
    return reporter_text("still_open", language, ref=report.ref, panel=panel_name(panel, language))
