"""The panel actions, one entry each: what it is called, who may do it, its label, the fields
it takes and what it does. The web view draws its forms from here, the API validates requests
and the OpenAPI document describes them from here, and `perform` checks the actor against it
before anything changes.

Storage knows no taxonomy and no SLA policy (they belong to triage), so the app hands both in
with the context; labels are English message ids the app translates where it shows them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.accounts import find_user, named_role
from storage.casework import actions, escalation, meanwhile
from storage.casework.actions import PANEL_ROLES, CaseworkError, Done, NotPermittedError
from storage.casework.escalation import DueTimes
from storage.casework.fields import (
    ASSIGNEE,
    CATEGORY,
    ESCALATION_REASON,
    FALLBACK,
    FROM_ASSIGNEE,
    FROM_CATEGORY,
    FROM_URGENCY,
    NOTE,
    OUTCOME,
    PANEL,
    REOPEN_REASON,
    REPLY,
    REVEAL_REASON,
    TRANSFER_REASON,
    UNANSWERED_CONFIRMED,
    URGENCY,
    Field,
    Taxonomy,
)
from storage.crypto import KeyRing
from storage.models import Case, Panel, User
from storage.wording import N_, OR, Wording, Words, word

LEADS = frozenset({"panel_lead"})
OPEN_STATUSES = frozenset({"open", "acknowledged", "responded"})
ALL_STATUSES = frozenset({*OPEN_STATUSES, "resolved"})


@dataclass(frozen=True)
class ActionContext:
    """One person acting on one case, in the caller's transaction; `due_at` gives the SLA
    policy's deadlines for a report of some urgency received at some moment."""

    session: Session
    keys: KeyRing
    user: User
    case: Case
    taxonomy: Taxonomy
    due_at: DueTimes
    fallback_panel: str


Handler = Callable[[ActionContext, dict[str, str]], Done]


@dataclass(frozen=True)
class PanelAction:
    """`label` names the button, `done` the result ("acknowledged"); `statuses` are those of
    the cases it can be done to; `bulk_roles` may do it to many cases at once; an action
    not `in_api` is done in the browser only."""

    name: str
    label: str
    done: str
    summary: str
    roles: frozenset[str]
    statuses: frozenset[str]
    fields: tuple[Field, ...]
    handler: Handler
    bulk_roles: frozenset[str] = frozenset()
    in_api: bool = True

    def clean(self, raw: Mapping[str, object], taxonomy: Taxonomy) -> dict[str, str]:
        return {one.name: one.clean(raw.get(one.name), taxonomy) for one in self.fields}

    def request_schema(self, taxonomy: Taxonomy) -> dict[str, Any]:
        required = ["action", *(f.name for f in self.fields if f.required)]
        properties: dict[str, Any] = {"action": {"const": self.name}}
        properties |= {one.name: one.schema(taxonomy) for one in self.fields}
        return {
            "type": "object",
            "description": f"{self.summary} ({_who(self.roles)})",
            "required": required,
            "properties": properties,
        }


def may(user: User, name: str) -> bool:
    """Whether this person's role allows the action at all."""
    action = ACTIONS.get(name)
    return action is not None and user.active and user.role in action.roles


def api_actions() -> list[str]:
    return [name for name, action in ACTIONS.items() if action.in_api]


def may_in_bulk(user: User, name: str) -> bool:
    action = ACTIONS.get(name)
    return action is not None and may(user, name) and user.role in action.bulk_roles


def bulk_actions(user: User) -> list[PanelAction]:
    return [action for action in ACTIONS.values() if may_in_bulk(user, action.name)]


def available(user: User, case: Case) -> list[PanelAction]:
    """The actions this person may take on this case now, in the order the desk shows them."""
    return [a for a in ACTIONS.values() if may(user, a.name) and case.status in a.statuses]


def perform(context: ActionContext, name: str, raw: Mapping[str, object]) -> Done:
    """Check the actor and the case, validate the fields, then do the action."""
    action = known_action(name)
    user, case = context.user, context.case
    if not may(user, name):
        raise not_permitted(user, name)
    actions.require_on_panel(user, case)
    if case.status not in action.statuses:
        raise _status_refusal(action, case.status)
    return action.handler(context, action.clean(raw, context.taxonomy))


def known_action(name: str) -> PanelAction:
    """The action of that name; CaseworkError names those there are."""
    action = ACTIONS.get(name)
    if action is None:
        names = Words("action", tuple(ACTIONS))
        raise CaseworkError(
            N_("%(field)s must be one of %(choices)s"), field=word("field", "action"), choices=names
        )
    return action


def not_permitted(user: User, name: str, *, bulk: bool = False) -> NotPermittedError:
    message = (
        N_("%(role)s may not %(action)s cases in bulk") if bulk else N_("%(role)s may not %(action)s a case")
    )
    return NotPermittedError(message, role=named_role(user.role), action=word("action", name))


@dataclass
class BulkOutcome:
    """Which cases an action was done to, which were refused and why, and the SMS to send."""

    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, Wording]] = field(default_factory=list)
    outbound_ids: list[uuid.UUID] = field(default_factory=list)


def perform_in_bulk(contexts: Sequence[ActionContext], name: str, raw: Mapping[str, object]) -> BulkOutcome:
    """Do one action to many cases, each checked and audited on its own and each in a
    savepoint of its own: a case that is refused changes nothing and holds up no other."""
    outcome = BulkOutcome()
    for context in contexts:
        if not may_in_bulk(context.user, name):
            raise not_permitted(context.user, name, bulk=True)
        ref = context.case.report.ref
        try:
            with context.session.begin_nested():
                done = perform(context, name, raw)
        except (CaseworkError, NotPermittedError) as error:
            audit.forget_head(context.session)
            outcome.refused.append((ref, error.wording))
        else:
            outcome.done.append(ref)
            outcome.outbound_ids += done.outbound_ids
    return outcome


def _status_refusal(action: PanelAction, status: str) -> CaseworkError:
    if status == "resolved":
        return CaseworkError(N_("the case is resolved"))
    return CaseworkError(
        N_("only a case that is %(statuses)s can be %(done)s"),
        statuses=Words("key", tuple(sorted(action.statuses)), OR),
        done=word("phrase", action.done),
    )


def _who(roles: frozenset[str]) -> str:
    return "panel leads only" if roles == LEADS else "panel members and leads"


def _acknowledge(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.acknowledge(c.session, c.keys, c.user, c.case)


def _note(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.add_note(c.session, c.keys, c.user, c.case, fields["text"])


def _reply(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.reply_to_reporter(c.session, c.keys, c.user, c.case, fields["text"])


def _reclassify(c: ActionContext, fields: dict[str, str]) -> Done:
    report = c.case.report
    changes = meanwhile.changes_meant(report, fields)
    urgency = changes.get("urgency")
    due = c.due_at(urgency, report.received_at) if urgency else None
    raised = urgency is not None and c.taxonomy.more_urgent(urgency, report.urgency)
    return actions.reclassify(c.session, c.user, c.case, changes, due, raised=raised)


def _transfer(c: ActionContext, fields: dict[str, str]) -> Done:
    panel = c.session.scalar(select(Panel).where(Panel.key == fields["panel"]))
    if panel is None:
        raise CaseworkError(N_("choose a panel"))
    return actions.transfer(c.session, c.keys, c.user, c.case, panel, fields["reason"])


def _escalate(c: ActionContext, fields: dict[str, str]) -> Done:
    fallback = escalation.fallback_panel(c.session, c.fallback_panel, c.case) if fields["fallback"] else None
    urgencies = c.taxonomy.urgencies
    return escalation.escalate(
        c.session, c.keys, c.user, c.case, fields["reason"], urgencies, c.due_at, fallback
    )


def _reopen(c: ActionContext, fields: dict[str, str]) -> Done:
    return escalation.reopen(c.session, c.keys, c.user, c.case, fields["reason"], c.due_at)


def _reveal(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.reveal(c.session, c.keys, c.user, c.case, fields["reason"])


def _assign(c: ActionContext, fields: dict[str, str]) -> Done:
    email = fields["assignee"]
    assignee = find_user(c.session, email) if email else None
    if email and assignee is None:
        raise CaseworkError(actions.NOT_ASSIGNABLE)
    meanwhile.check_assignee_as_drawn(c.case, assignee, fields["from_assignee"])
    return actions.assign(c.session, c.user, c.case, assignee)


def _resolve(c: ActionContext, fields: dict[str, str]) -> Done:
    actions.check_resolving_unanswered(c.case, confirmed=bool(fields["confirm"]))
    return actions.resolve(c.session, c.keys, c.user, c.case, fields["outcome"])


ACTIONS: dict[str, PanelAction] = {
    action.name: action
    for action in (
        PanelAction(
            "acknowledge",
            N_("Acknowledge"),
            N_("acknowledged"),
            "Tell the reporter the panel has read the report",
            PANEL_ROLES,
            frozenset({"open"}),
            (),
            _acknowledge,
            bulk_roles=LEADS,
        ),
        PanelAction(
            "reply",
            N_("Send reply"),
            N_("reply sent"),
            "Answer the reporter by SMS",
            PANEL_ROLES,
            OPEN_STATUSES,
            (REPLY,),
            _reply,
        ),
        PanelAction(
            "note",
            N_("Add note"),
            N_("note added"),
            "Add an internal note",
            PANEL_ROLES,
            ALL_STATUSES,
            (NOTE,),
            _note,
        ),
        PanelAction(
            "reclassify",
            N_("Reclassify"),
            N_("reclassified"),
            "Correct the category and/or urgency; a new urgency sets new deadlines",
            PANEL_ROLES,
            ALL_STATUSES,
            (CATEGORY, URGENCY, FROM_CATEGORY, FROM_URGENCY),
            _reclassify,
        ),
        PanelAction(
            "escalate",
            N_("Escalate"),
            N_("escalated"),
            "Raise the urgency one step, bring its deadlines forward to that urgency's (never"
            " later) and tell the panel's leads; with fallback, move the case to the fallback"
            " panel too",
            PANEL_ROLES,
            OPEN_STATUSES,
            (ESCALATION_REASON, FALLBACK),
            _escalate,
        ),
        PanelAction(
            "assign",
            N_("Assign"),
            N_("assigned"),
            "Give the case to a member of its panel",
            LEADS,
            ALL_STATUSES,
            (ASSIGNEE, FROM_ASSIGNEE),
            _assign,
            bulk_roles=LEADS,
        ),
        PanelAction(
            "transfer",
            N_("Transfer"),
            N_("transferred"),
            "Move the case to another panel",
            LEADS,
            OPEN_STATUSES,
            (PANEL, TRANSFER_REASON),
            _transfer,
        ),
        PanelAction(
            "resolve",
            N_("Resolve"),
            N_("resolved"),
            "Close the case with an outcome; the reporter is asked to rate the answer. A case whose"
            " reporter was never answered is closed only with confirm",
            LEADS,
            OPEN_STATUSES,
            (OUTCOME, UNANSWERED_CONFIRMED),
            _resolve,
            bulk_roles=LEADS,
        ),
        PanelAction(
            "reopen",
            N_("Reopen"),
            N_("reopened"),
            "Take a resolved case up again; its resolution clock restarts",
            LEADS,
            frozenset({"resolved"}),
            (REOPEN_REASON,),
            _reopen,
        ),
        PanelAction(
            "reveal",
            N_("Show unredacted text"),
            N_("unredacted text shown for 10 minutes"),
            "See the unredacted thread for a few minutes, for a reason kept sealed",
            PANEL_ROLES,
            ALL_STATUSES,
            (REVEAL_REASON,),
            _reveal,
            in_api=False,
        ),
    )
}
