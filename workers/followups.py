"""Triage of what a reporter writes after their case is open: "they are back with guns" makes
a case critical and takes it to the emergency desk now, not when someone next reads it."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

import triage
from storage import Case, Panel, Report
from storage.casework.followups import FollowUps, Raise, lock_followups, raise_case
from storage.casework.notices import notify_staff
from storage.casework.opening import read_by_triage, words_triage_has_read
from storage.models import OutboundMessage, utcnow
from storage.outbox import queue_to_reporter
from storage.reporter_texts import emergency_acknowledgement
from triage.taxonomy import URGENCIES, more_urgent
from workers.runtime import Runtime, current
from workers.staff_mail import send_staff_notices

log = logging.getLogger(__name__)


def triage_followups(report_ids: list[str]) -> dict[str, int]:
    """Read the unread follow-ups of these reports' open cases and raise each case they make
    more urgent. Running it again changes nothing: a follow-up is read once."""
    runtime = current()
    outbox: list[OutboundMessage] = []
    raised = 0
    with runtime.store.transaction() as session:
        unread = lock_followups(
            session, runtime.store.keys, [uuid.UUID(report_id) for report_id in report_ids]
        )
        panels = {panel.key: panel for panel in session.scalars(select(Panel))} if unread else {}
        earlier = words_triage_has_read(
            session, runtime.store.keys, [followups.case.report for followups in unread if followups.text]
        )
        for followups in unread:
            case, now = followups.case, utcnow()
            decided = raise_for(runtime, followups, earlier.get(case.report_id, ""), panels)
            read_by_triage(session, followups.message_ids)
            if decided is None:
                continue
            was_critical = case.report.urgency == "critical"
            people = raise_case(session, case, decided, followups.message_ids, now)
            subject = f"Case {case.report.ref}: the reporter wrote again, and it is now {decided.urgency}"
            notify_staff(session, people, "case.raised", subject, case.id)
            if decided.urgency == "critical" and not was_critical:
                outbox += _tell_reporter(session, runtime, case)
            raised += 1
            log.info("case.raised_by_reporter", extra={"case": case.id, "urgency": decided.urgency})
        session.flush()
    if outbox:
        runtime.dispatcher.enqueue_notify(*(outbound.id for outbound in outbox))
    if raised:
        send_staff_notices()
    return {"followups_read": len(unread), "raised": raised}


def raise_for(runtime: Runtime, followups: FollowUps, earlier: str, panels: dict[str, Panel]) -> Raise | None:
    """How the follow-ups raise their case, or None when, read after what the reporter wrote
    `earlier`, they tell of no more danger than it was triaged with."""
    if not followups.text:
        return None
    report = followups.case.report
    reading = _read_after(earlier, followups.text)
    before = _as_stored(report, reading)
    urgency = more_urgent(before.urgency, reading.urgency)
    possible = urgency != "critical" and (before.possible_emergency or reading.possible_emergency)
    if (urgency, possible) == (before.urgency, before.possible_emergency):
        return None
    after = replace(before, urgency=urgency, possible_emergency=possible)
    due = triage.due_for(after, utcnow(), runtime.sla)
    return Raise(urgency, possible, due, _new_panel(runtime, followups.case, before, after, panels))


def _read_after(earlier: str, followups: str) -> triage.Classification:
    """The follow-ups read after the words before them: "they came again today" after a report
    of bribes tells of bribes again, not of danger. Of the urgency found, the follow-ups tell
    only what the earlier words alone did not, unless they say it in their own words too: a
    panel may since have judged those words less urgent than they read."""
    together = triage.classify(f"{earlier}\n{followups}" if earlier else followups)
    if not earlier:
        return together
    said, own = triage.classify(earlier), triage.classify(followups)
    tells_more = more_urgent(together.urgency, said.urgency) != said.urgency
    tells_itself = more_urgent(own.urgency, together.urgency) == own.urgency
    # The least urgent key raises nothing: the follow-ups add no urgency of their own.
    urgency = together.urgency if tells_more or tells_itself else URGENCIES[-1]
    possible = together.possible_emergency and (own.possible_emergency or not said.possible_emergency)
    return replace(together, urgency=urgency, possible_emergency=possible)


def _as_stored(report: Report, reading: triage.Classification) -> triage.Classification:
    """The report as triage (or a panel since) left it, in a classification's shape."""
    return replace(
        reading,
        category=report.category or reading.category,
        urgency=report.urgency or "normal",
        language=report.language or reading.language,
        ward=report.ward,
        possible_emergency=bool(report.possible_emergency),
    )


def _new_panel(
    runtime: Runtime,
    case: Case,
    before: triage.Classification,
    after: triage.Classification,
    panels: dict[str, Panel],
) -> Panel | None:
    """The panel the raise sends the case to: only when it changes where the routing rules
    send it, so a case a panel moved by hand stays where they put it otherwise."""
    now_sent = triage.route(after, runtime.routing).panel
    if now_sent == triage.route(before, runtime.routing).panel or now_sent == case.panel.key:
        return None
    panel = panels.get(now_sent)
    return panel if panel is not None and panel.active else None


def _tell_reporter(session: Session, runtime: Runtime, case: Case) -> list[OutboundMessage]:
    text = emergency_acknowledgement(case.report, case.panel)
    outbound = queue_to_reporter(session, runtime.store.keys, case.report, "acknowledgement_critical", text)
    return [outbound] if outbound is not None else []
