"""Cases: a triaged report on a panel's desk, and the messages it sends back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, text, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from storage import audit
from storage.crypto import KeyRing
from storage.crypto.sealing import open_message, report_key
from storage.intake.media import is_media_only_text
from storage.models import Case, Message, Panel, Report, utcnow


@dataclass(frozen=True)
class Triage:
    """What triage concluded about a report, as storage records it."""

    category: str
    urgency: str
    language: str
    ward: str | None
    confidence: float
    model_version: str
    needs_translation: bool
    needs_human_review: bool
    # Below critical, yet it may be an emergency: the emergency desk checks it now.
    possible_emergency: bool = False


@dataclass(frozen=True)
class Opening:
    """A triaged report and where it goes: what `open_cases` needs to open its case."""

    report: Report
    triage: Triage
    panel: Panel
    rule: str
    due: tuple[datetime, datetime]


def lock_received(session: Session, report_ids: Sequence[uuid.UUID]) -> list[Report]:
    """Those of the reports still waiting for triage, with their reporters, locked for update
    in the order they arrived. Rows another worker has locked are skipped: it is triaging them."""
    query = (
        select(Report)
        .options(joinedload(Report.reporter))
        .where(Report.id.in_(report_ids), Report.status == "received")
        .order_by(Report.received_at, Report.id)
        .with_for_update(of=Report, skip_locked=True)
    )
    return list(session.scalars(query))


def commit_without_waiting_for_disk(session: Session) -> None:
    """Let this transaction's commit return before its WAL reaches disk (PostgreSQL only).

    Only for work that can be redone from what is already durable: if a crash loses such a
    commit, the report is still `received` and the sweeper triages it again."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


@dataclass(frozen=True)
class Written:
    """What a reporter has written to one report, decrypted: the first message and every
    follow-up, one to a line, and the ids of those messages."""

    text: str
    message_ids: tuple[uuid.UUID, ...]


def text_of_reporter(session: Session, keys: KeyRing, report: Report) -> str:
    return reporters_words(session, keys, [report])[report.id].text


def reporters_words(session: Session, keys: KeyRing, reports: Sequence[Report]) -> dict[uuid.UUID, Written]:
    """Everything each report's reporter has written so far, by report id, in one query. A
    stand-in for media sent without words counts only when nothing else was written."""
    return _written(session, keys, reports)


def words_triage_has_read(session: Session, keys: KeyRing, reports: Sequence[Report]) -> dict[uuid.UUID, str]:
    """What each report's reporter had written when triage last read it, by report id: the
    first message and the follow-ups read since, without those still waiting."""
    written = _written(session, keys, reports, Message.awaiting_triage.is_(False))
    return {report_id: words.text for report_id, words in written.items()}


def _written(
    session: Session, keys: KeyRing, reports: Sequence[Report], *only: ColumnElement[bool]
) -> dict[uuid.UUID, Written]:
    by_id = {report.id: report for report in reports}
    query = (
        select(Message)
        .where(Message.report_id.in_(by_id), Message.author == "reporter", *only)
        .order_by(Message.created_at, Message.id)
    )
    texts: dict[uuid.UUID, list[str]] = {}
    ids: dict[uuid.UUID, list[uuid.UUID]] = {}
    for message in session.scalars(query):
        texts.setdefault(message.report_id, []).append(
            open_message(report_key(keys, by_id[message.report_id]), message)
        )
        ids.setdefault(message.report_id, []).append(message.id)
    return {report_id: Written(_words(texts[report_id]), tuple(ids[report_id])) for report_id in texts}


def read_by_triage(session: Session, message_ids: Iterable[uuid.UUID]) -> None:
    """The follow-ups among these messages are no longer waiting for triage."""
    waiting = list(message_ids)
    if waiting:
        session.execute(
            update(Message)
            .where(Message.id.in_(waiting), Message.awaiting_triage.is_(True))
            .values(awaiting_triage=False)
            .execution_options(synchronize_session=False)
        )


def _words(texts: list[str]) -> str:
    words = [text for text in texts if not is_media_only_text(text)]
    return "\n".join(words) if words else texts[0]


def open_cases(session: Session, openings: Sequence[Opening]) -> list[Case]:
    """Record each classification, put each report on its panel's desk and start the SLA
    clocks: one flush for all the cases, then the audit events that name them."""
    cases = [_new_case(session, opening) for opening in openings]
    session.flush()
    for opening, case in zip(openings, cases, strict=True):
        _record_opening(session, opening, case)
    return cases


def _new_case(session: Session, opening: Opening) -> Case:
    report, triage = opening.report, opening.triage
    report.category, report.urgency, report.ward = triage.category, triage.urgency, triage.ward
    report.language, report.confidence = triage.language, triage.confidence
    report.model_version = triage.model_version
    report.needs_translation = triage.needs_translation
    report.needs_human_review = triage.needs_human_review
    report.possible_emergency = triage.possible_emergency
    report.status, report.triaged_at = "triaged", utcnow()
    # A report still `received` has no case; saying so spares a query when the new case is
    # attached to it.
    set_committed_value(report, "case", None)
    case = Case(
        report=report,
        panel=opening.panel,
        route_rule=opening.rule,
        acknowledge_due_at=opening.due[0],
        resolve_due_at=opening.due[1],
        resolve_within=int((opening.due[1] - report.received_at).total_seconds()),
    )
    session.add(case)
    return case


def _record_opening(session: Session, opening: Opening, case: Case) -> None:
    subject = f"report:{opening.report.id}"
    audit.record(session, "report.received", subject=subject, details={"channel": opening.report.channel})
    audit.record(
        session,
        "case.opened",
        subject=subject,
        details={
            "case": case.id,
            "panel": opening.panel.key,
            "rule": opening.rule,
            "category": opening.triage.category,
            "urgency": opening.triage.urgency,
            "model_version": opening.triage.model_version,
            "possible_emergency": opening.triage.possible_emergency,
        },
    )
