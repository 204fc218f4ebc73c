"""What panels do with a case: acknowledge, note, reply, reclassify, transfer, assign,
resolve, reveal. Each function changes the case, writes the audit event and queues any SMS to
the reporter, all in the caller's transaction; the caller commits, then enqueues the returned
outbound ids for sending. Who may do which, to a case in which state, with what input, is
checked before by `storage.casework.registry.perform`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.accounts import named_role
from storage.casework.sla import bring_deadlines_forward, move_deadlines
from storage.crypto import KeyRing, associated_data, seal, unseal
from storage.crypto.sealing import open_message, report_key, seal_message
from storage.models import Case, CaseNote, Correction, Message, Panel, Report, Transfer, User, utcnow
from storage.outbox import PANEL_REPLY, queue_to_reporter
from storage.reporter_texts import outcome_text, panel_name, reporter_language, reporter_text
from storage.retention import is_erased
from storage.segments import (
    GSM7_SINGLE,
    fits_one_segment,
    is_gsm7,
    one_segment_limit,
    plain_punctuation,
    units,
)
from storage.wording import N_, RefusalError, Words, word

PANEL_ROLES = frozenset({"panel_member", "panel_lead"})
# A reply goes out as one SMS: "Sauti K7F-3QX: " and the text in 160 GSM-7 characters (70
# if the text needs UCS-2); `sendable_reply` checks the rendered SMS, this bounds the field.
# Every reference is as long as this one, and in GSM-7.
EXAMPLE_REF = "K7F-3QX"
REPLY_PREFIX_CHARS = len(f"Sauti {EXAMPLE_REF}: ")
MAX_REPLY_CHARS = GSM7_SINGLE - REPLY_PREFIX_CHARS
MAX_NOTE_CHARS = 4000
OUTCOMES = ("action_taken", "referred", "answered", "no_action_possible", "duplicate")
# What a form drawn when the case had no assignee says it was drawn with; no email is this.
NO_ONE = "nobody"
UNREACHABLE = N_(
    "the reporter cannot be reached (they said STOP or their number was erased), so no reply"
    " can be sent; notes and resolving still work"
)
# How long the same reply to the same case is taken for the one before it, sent again.
REPEAT_WINDOW = timedelta(minutes=10)
# How long a reveal keeps the unredacted text open to the person who gave the reason.
REVEAL_LASTS = timedelta(minutes=10)


# Said of anyone the case cannot go to, an address of no account included: whether an address
# is someone's account is not told.
NOT_ASSIGNABLE = N_("the case can only be assigned to an active member of its panel")


class CaseworkError(RefusalError, ValueError):
    """An action that cannot be done to this case as asked; the message says why."""


class ChangedMeanwhileError(CaseworkError):
    """Someone changed what this person's form would change, after the form was drawn."""


class UnconfirmedError(CaseworkError):
    """An action whose consequence the person has not yet confirmed they mean."""


class ReporterUnreachableError(CaseworkError):
    """The reporter said STOP or their number was erased: no message can reach them."""


class NotPermittedError(RefusalError, PermissionError):
    """The actor's role does not allow this action."""


@dataclass
class Done:
    """What an action changed that the caller must follow up after commit."""

    outbound_ids: list[uuid.UUID] = field(default_factory=list)


def require_on_panel(user: User, case: Case) -> None:
    """Only an active member or lead of the case's own panel may touch it."""
    if not user.active or user.role not in PANEL_ROLES:
        raise NotPermittedError(N_("%(role)s may not work on cases"), role=named_role(user.role))
    if case.panel_id not in _panel_ids(user):
        raise NotPermittedError(N_("the case is not on one of your panels"))


def acknowledge(session: Session, keys: KeyRing, user: User, case: Case) -> Done:
    case.acknowledged_at, case.status = utcnow(), "acknowledged"
    audit_case(session, user, case, "case.acknowledged", status=case.status)
    return _tell_reporter(session, keys, case, "acknowledgement_panel", "acknowledged")


def add_note(session: Session, keys: KeyRing, user: User, case: Case, text: str) -> Done:
    note = seal_note(session, keys, user, case, text, "note")
    audit_case(session, user, case, "case.note_added", note=str(note.id))
    return Done()


def reply_to_reporter(session: Session, keys: KeyRing, user: User, case: Case, text: str) -> Done:
    """Add the panel's answer to the thread and send it to the reporter in their language;
    for a while, what the number sends naming no report is taken as its reply. A reply that
    cannot be sent is refused: the case is not marked answered by words nobody will read."""
    report = case.report
    if not report.reporter_reachable:
        raise ReporterUnreachableError(UNREACHABLE)
    text = sendable_reply(text, reporter_language(report), report.ref)
    _refuse_repeated_reply(session, keys, case, text)
    message = Message(id=uuid.uuid4(), report=report, channel="panel", author="panel", created_at=utcnow())
    seal_message(writable_key(keys, report), message, text)
    session.add(message)
    now = utcnow()
    case.acknowledged_at = case.acknowledged_at or now
    case.first_response_at = case.first_response_at or now
    case.status = "responded"
    done = _tell_reporter(session, keys, case, PANEL_REPLY, "reply", text=text)
    if not done.outbound_ids:
        raise ReporterUnreachableError(UNREACHABLE)
    report.reporter.await_reply(now)
    audit_case(
        session, user, case, "case.replied", message=str(message.id), sms_queued=bool(done.outbound_ids)
    )
    return done


def _refuse_repeated_reply(session: Session, keys: KeyRing, case: Case, text: str) -> None:
    """The same answer to the same case again within minutes is a double click or a form sent
    twice, and would text the reporter twice. The case's row is locked first, so that of two
    such requests at once the second waits and then sees the first one's reply."""
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    recent = session.scalars(
        select(Message).where(
            Message.report_id == case.report_id,
            Message.author == "panel",
            Message.created_at >= utcnow() - REPEAT_WINDOW,
        )
    )
    data_key = writable_key(keys, case.report)
    if any(open_message(data_key, message) == text for message in recent):
        raise CaseworkError(
            N_("this reply was sent to the reporter less than %(minutes)d minutes ago: it is not sent twice"),
            minutes=int(REPEAT_WINDOW.total_seconds() // 60),
        )


def sendable_reply(text: str, language: str, ref: str = EXAMPLE_REF) -> str:
    """The reply as it is sent to a reporter writing in `language`, if its SMS fits one segment;
    otherwise CaseworkError says by how much."""
    # Phones and word processors type curly quotes; sent as such they make the SMS UCS-2.
    text = plain_punctuation(text)
    check_reply_fits(reporter_text("reply", language, ref=ref, text=text))
    return text


def check_reply_fits(sms: str) -> None:
    """Refuse a reply that would go out as more than one SMS, saying by how much."""
    if fits_one_segment(sms):
        return
    message = (
        N_(
            "the reply must fit one SMS: with its prefix it is %(length)d characters, the limit is"
            " %(limit)d; shorten it"
        )
        if is_gsm7(sms)
        else N_(
            "the reply must fit one SMS: with its prefix it is %(length)d characters, the limit is"
            " %(limit)d (it has characters outside the GSM alphabet, so one SMS holds 70); shorten it"
        )
    )
    raise CaseworkError(message, length=units(sms), limit=one_segment_limit(sms))


def reclassify(
    session: Session,
    user: User,
    case: Case,
    changes: dict[str, str],
    due: tuple[datetime, datetime] | None = None,
    *,
    raised: bool = False,
) -> Done:
    """Correct category and/or urgency, keeping each correction for the classifier's next
    training; `due` moves the SLA clocks when a new urgency sets new deadlines: later ones only
    when the urgency was lowered, never when it was `raised`."""
    report = case.report
    changed = {name: value for name, value in changes.items() if getattr(report, name) != value}
    if not changed:
        raise CaseworkError(N_("nothing to change: the case already has that classification"))
    for name, value in changed.items():
        session.add(
            Correction(
                report_id=report.id,
                field=name,
                old_value=getattr(report, name),
                new_value=value,
                model_version=report.model_version,
                corrected_by=user.id,
            )
        )
        setattr(report, name, value)
    # A person has judged the classification now: the model's confidence no longer applies.
    report.confidence, report.needs_human_review = None, False
    if due is not None and "urgency" in changed:
        moved = bring_deadlines_forward if raised else move_deadlines
        moved(case, due, report.received_at, utcnow())
    audit_case(session, user, case, "case.reclassified", **changed)
    return Done()


def transfer(session: Session, keys: KeyRing, user: User, case: Case, panel: Panel, reason: str) -> Done:
    """Move the case to another panel, with the reason sealed as a note."""
    note = seal_note(session, keys, user, case, reason, "transfer_reason")
    from_panel = move(session, user, case, panel, note, escalation=False)
    audit_case(
        session,
        user,
        case,
        "case.transferred",
        from_panel=from_panel.key,
        to_panel=panel.key,
        note=str(note.id),
    )
    return Done()


def move(
    session: Session, user: User, case: Case, panel: Panel, reason: CaseNote, *, escalation: bool
) -> Panel:
    """Put the case on another panel's desk, unassigned; returns the panel it left."""
    if panel.id == case.panel_id or not panel.active:
        raise CaseworkError(N_("choose another, active panel"))
    from_panel = case.panel
    session.add(
        Transfer(
            case_id=case.id,
            from_panel_id=from_panel.id,
            to_panel_id=panel.id,
            escalation=escalation,
            reason_note_id=reason.id,
            by_user_id=user.id,
        )
    )
    case.panel, case.assignee = panel, None
    return from_panel


def assign(session: Session, user: User, case: Case, assignee: User | None) -> Done:
    """Give the case to one member of its panel, or to no one."""
    if assignee is not None and not (
        assignee.active and assignee.role in PANEL_ROLES and case.panel_id in _panel_ids(assignee)
    ):
        raise CaseworkError(NOT_ASSIGNABLE)
    case.assignee = assignee
    audit_case(session, user, case, "case.assigned", assignee=f"user:{assignee.id}" if assignee else None)
    return Done()


def check_resolving_unanswered(case: Case, *, confirmed: bool) -> None:
    """Closing a case nobody answered tells the reporter only that it is closed, and asks them
    to rate an answer they never had: that is done when the person says they mean it."""
    if case.first_response_at is None and not confirmed:
        raise UnconfirmedError(
            N_(
                "the reporter was never answered: resolving tells them only that their report is"
                " closed and asks them to rate it. Tick the box to resolve it all the same"
            )
        )


def resolve(session: Session, keys: KeyRing, user: User, case: Case, outcome: str) -> Done:
    """Close the case with an outcome and ask the reporter to rate the answer."""
    if outcome not in OUTCOMES:
        raise CaseworkError(
            N_("%(field)s must be one of %(choices)s"),
            field=word("field", "outcome"),
            choices=Words("key", OUTCOMES),
        )
    case.resolved_at, case.status, case.outcome = utcnow(), "resolved", outcome
    case.acknowledged_at = case.acknowledged_at or case.resolved_at
    audit_case(session, user, case, "case.resolved", outcome=outcome)
    language = reporter_language(case.report)
    outcome = outcome_text(outcome, language)
    return _tell_reporter(session, keys, case, "resolution", "resolved", outcome=outcome)


def reveal(session: Session, keys: KeyRing, user: User, case: Case, reason: str) -> Done:
    """Open the unredacted thread to this person for a few minutes: a deliberate act whose
    reason is kept, sealed."""
    note = seal_note(session, keys, user, case, reason, "reveal_reason")
    audit_case(session, user, case, "case.text_revealed", note=str(note.id))
    return Done()


def unredacted_thread(session: Session, keys: KeyRing, user: User, case: Case) -> list[str] | None:
    """The unredacted thread, oldest first, if this person revealed it in the last few minutes;
    each showing is audited. None otherwise."""
    require_on_panel(user, case)
    since = utcnow() - REVEAL_LASTS
    granted = session.scalar(
        select(CaseNote.id).where(
            CaseNote.case_id == case.id,
            CaseNote.author_id == user.id,
            CaseNote.kind == "reveal_reason",
            CaseNote.created_at >= since,
        )
    )
    if granted is None:
        return None
    audit_case(session, user, case, "case.viewed", text_shown=True, unredacted=True)
    data_key = report_key(keys, case.report)
    return [
        unseal(data_key, m.body, associated_data("messages", m.id, "body"))
        for m in sorted(case.report.messages, key=lambda m: m.created_at)
    ]


def open_note(keys: KeyRing, report: Report, note: CaseNote) -> str:
    return unseal(report_key(keys, report), note.body, associated_data("case_notes", note.id, "body"))


def record_view(session: Session, user: User, case: Case, *, with_text: bool, listed: bool = False) -> None:
    """A read of the case; `listed` when it was one row of a list that showed its excerpt."""
    details: dict[str, object] = {"text_shown": with_text}
    if listed:
        details["listed"] = True
    audit_case(session, user, case, "case.viewed", **details)


def _tell_reporter(
    session: Session, keys: KeyRing, case: Case, kind: str, template: str, **values: str
) -> Done:
    report = case.report
    language = reporter_language(report)
    text = reporter_text(template, language, ref=report.ref, panel=panel_name(case.panel, language), **values)
    outbound = queue_to_reporter(session, keys, report, kind, text)
    if outbound is None:
        return Done()
    session.flush()
    return Done([outbound.id])


def writable_key(keys: KeyRing, report: Report) -> bytes:
    """The report's data key, to seal words added to its case; none once the retention policy
    erased the report's text."""
    if is_erased(report):
        raise CaseworkError(
            N_("this case's text was erased under the retention policy: nothing can be added to it")
        )
    return report_key(keys, report)


def seal_note(session: Session, keys: KeyRing, user: User, case: Case, text: str, kind: str) -> CaseNote:
    """Keep words a panel member wrote about the case, sealed with the report's data key."""
    note = CaseNote(id=uuid.uuid4(), case_id=case.id, author_id=user.id, kind=kind, created_at=utcnow())
    note.body = seal(writable_key(keys, case.report), text, associated_data("case_notes", note.id, "body"))
    session.add(note)
    return note


def _panel_ids(user: User) -> set[int]:
    return {panel.id for panel in user.panels}


def audit_case(session: Session, user: User, case: Case, action: str, **details: object) -> None:
    audit.record(
        session,
        action,
        actor=f"user:{user.id}",
        subject=f"case:{case.id}",
        details={"ref": case.report.ref, "panel": case.panel.key, **details},
    )
