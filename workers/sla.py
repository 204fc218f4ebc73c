"""The SLA sweep: late cases are marked overdue and escalated, their reporters told the case is
still open, staff notified, and the monthly summaries refreshed."""

from __future__ import annotations

import logging

from storage import Panel, Report
from storage.casework.sla import sweep_overdue
from storage.models import OutboundMessage, utcnow
from storage.outbox import queue_to_reporter
from storage.reporter_texts import panel_name, reporter_language, reporter_text
from storage.reporting.summaries import refresh_summaries
from workers.runtime import current
from workers.staff_mail import send_staff_notices

log = logging.getLogger(__name__)


def sweep_sla() -> dict[str, int]:
    """Mark late cases overdue, escalate them, tell their reporters the case is still open.
    Running it again changes nothing until another deadline passes."""
    runtime = current()
    outbox: list[OutboundMessage] = []
    with runtime.store.transaction() as session:
        result = sweep_overdue(session, runtime.routing.fallback, utcnow())
        for case in result.overdue:
            message = still_open(case.report, case.panel)
            outbound = queue_to_reporter(session, runtime.store.keys, case.report, "still_open", message)
            if outbound is not None:
                outbox.append(outbound)
        session.flush()
    for outbound in outbox:
        runtime.dispatcher.enqueue_notify(outbound.id)
    send_staff_notices()
    with runtime.store.transaction() as session:
        refresh_summaries(session, utcnow())
    summary = {
        "overdue": len(result.overdue),
        "escalations": len(result.escalations),
        "notices": len(result.notices),
    }
    if result.overdue or result.escalations:
        log.info("sweep.sla", extra=summary)
    return summary


def still_open(report: Report, panel: Panel) -> str:
    language = reporter_language(report)
    return reporter_text("still_open", language, ref=report.ref, panel=panel_name(panel, language))
