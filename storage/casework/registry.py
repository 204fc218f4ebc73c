"""The panel actions, one entry each: what it is called, who may do it, its label, the fields
it takes and what it does. The web view draws its forms from here, the API validates requests
and the OpenAPI document describes them from here, and `perform` checks the actor against it
before anything changes.

Storage knows no taxonomy and no SLA policy (they belong to triage), so the app hands both in
with the context; labels are English message ids the app translates where it shows them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.accounts import find_user
from storage.casework import actions
from storage.casework.actions import (
    MAX_NOTE_CHARS,
    MAX_REPLY_CHARS,
    OUTCOMES,
    PANEL_ROLES,
    CaseworkError,
    Done,
    NotPermittedError,
)
from storage.crypto import KeyRing
from storage.models import Case, Panel, User

LEADS = frozenset({"panel_lead"})
OPEN_STATUSES = frozenset({"open", "acknowledged", "responded"})
ALL_STATUSES = frozenset({*OPEN_STATUSES, "resolved"})
MAX_KEY_CHARS = 64
MAX_EMAIL_CHARS = 254


def N_(message: str) -> str:  # noqa: N802  (the conventional name extraction tools look for)
    """Mark an English message for translation where it is shown; app/babel.cfg extracts it."""
    return message


DueTimes = Callable[[str, datetime], tuple[datetime, datetime]]


@dataclass(frozen=True)
class Taxonomy:
    """The keys of triage's taxonomy, as the app runs with them; urgencies most severe first."""

    categories: tuple[str, ...]
    urgencies: tuple[str, ...]

    def choices(self, vocabulary: str) -> tuple[str, ...]:
        return {"category": self.categories, "urgency": self.urgencies, "outcome": OUTCOMES}[vocabulary]


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


@dataclass(frozen=True)
class Field:
    """One input of an action. `kind` says how it is entered and checked: `text` and
    `long_text` (a line, a paragraph), `choice` (one key of `vocabulary`), `panel` (a panel's
    key), `member` (a panel member's email, empty for no one)."""

    name: str
    kind: str
    label: str
    description: str
    max_length: int | None = None
    vocabulary: str | None = None
    required: bool = True

    def clean(self, raw: object, taxonomy: Taxonomy) -> str:
        """The value as the handler takes it; CaseworkError says what is wrong with it."""
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raise CaseworkError(f"{self.name} must be a string")
        if "\x00" in raw:
            raise CaseworkError(f"{self.name} contains a NUL character")
        value = raw.strip()
        if not value:
            if self.required:
                raise CaseworkError(f"{self.name} is empty")
            return value
        limit = self.max_length or self._default_limit()
        if len(value) > limit:
            raise CaseworkError(f"{self.name} is longer than {limit} characters")
        if self.vocabulary is not None and value not in taxonomy.choices(self.vocabulary):
            raise CaseworkError(f"{self.name} must be one of {', '.join(taxonomy.choices(self.vocabulary))}")
        return value

    def schema(self, taxonomy: Taxonomy) -> dict[str, Any]:
        """The field as JSON Schema, for the OpenAPI document."""
        schema: dict[str, Any] = {"type": "string", "description": self.description}
        if self.vocabulary is not None:
            schema["enum"] = list(taxonomy.choices(self.vocabulary))
        else:
            schema["maxLength"] = self.max_length or self._default_limit()
            if self.required:
                schema["minLength"] = 1
        return schema

    def _default_limit(self) -> int:
        return MAX_EMAIL_CHARS if self.kind == "member" else MAX_KEY_CHARS


Handler = Callable[[ActionContext, dict[str, str]], Done]


@dataclass(frozen=True)
class PanelAction:
    """`label` names the button, `done` the result ("acknowledged"); `statuses` are those of
    the cases it can be done to."""

    name: str
    label: str
    done: str
    summary: str
    roles: frozenset[str]
    statuses: frozenset[str]
    fields: tuple[Field, ...]
    handler: Handler

    def clean(self, raw: Mapping[str, object], taxonomy: Taxonomy) -> dict[str, str]:
        return {field.name: field.clean(raw.get(field.name), taxonomy) for field in self.fields}

    def request_schema(self, taxonomy: Taxonomy) -> dict[str, Any]:
        required = ["action", *(f.name for f in self.fields if f.required)]
        properties: dict[str, Any] = {"action": {"const": self.name}}
        properties |= {field.name: field.schema(taxonomy) for field in self.fields}
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


def available(user: User, case: Case) -> list[PanelAction]:
    """The actions this person may take on this case now, in the order the desk shows them."""
    return [a for a in ACTIONS.values() if may(user, a.name) and case.status in a.statuses]


def perform(context: ActionContext, name: str, raw: Mapping[str, object]) -> Done:
    """Check the actor and the case, validate the fields, then do the action."""
    action = ACTIONS.get(name)
    if action is None:
        raise CaseworkError(f"action must be one of {', '.join(ACTIONS)}")
    user, case = context.user, context.case
    if not may(user, name):
        raise NotPermittedError(f"a {user.role} may not {name} a case")
    actions.require_on_panel(user, case)
    if case.status not in action.statuses:
        raise CaseworkError(_status_refusal(action, case.status))
    return action.handler(context, action.clean(raw, context.taxonomy))


def _status_refusal(action: PanelAction, status: str) -> str:
    if status == "resolved":
        return "the case is resolved"
    return f"only a case that is {' or '.join(sorted(action.statuses))} can be {action.done}"


def _who(roles: frozenset[str]) -> str:
    return "panel leads" if roles == LEADS else "panel members and leads"


def _acknowledge(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.acknowledge(c.session, c.keys, c.user, c.case)


def _note(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.add_note(c.session, c.keys, c.user, c.case, fields["text"])


def _reply(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.reply_to_reporter(c.session, c.keys, c.user, c.case, fields["text"])


def _reclassify(c: ActionContext, fields: dict[str, str]) -> Done:
    changes = {name: value for name, value in fields.items() if value}
    due = c.due_at(changes["urgency"], c.case.report.received_at) if "urgency" in changes else None
    return actions.reclassify(c.session, c.user, c.case, changes, due)


def _move(escalate: bool) -> Handler:
    def move(c: ActionContext, fields: dict[str, str]) -> Done:
        panel = c.session.scalar(select(Panel).where(Panel.key == fields["panel"]))
        if panel is None:
            raise CaseworkError("choose a panel")
        return actions.transfer(c.session, c.keys, c.user, c.case, panel, fields["reason"], escalate=escalate)

    return move


def _assign(c: ActionContext, fields: dict[str, str]) -> Done:
    email = fields["assignee"]
    assignee = find_user(c.session, email) if email else None
    if email and assignee is None:
        raise CaseworkError("no such person")
    return actions.assign(c.session, c.user, c.case, assignee)


def _resolve(c: ActionContext, fields: dict[str, str]) -> Done:
    return actions.resolve(c.session, c.keys, c.user, c.case, fields["outcome"])


NOTE = Field("text", "long_text", N_("Internal note (never sent)"), "the note, kept sealed", MAX_NOTE_CHARS)
REPLY = Field(
    "text",
    "long_text",
    N_("Reply to the reporter (sent by SMS; their number stays hidden)"),
    "the answer sent to the reporter by SMS",
    MAX_REPLY_CHARS,
)
CATEGORY = Field(
    "category", "choice", N_("Category"), "the corrected category", vocabulary="category", required=False
)
URGENCY = Field(
    "urgency", "choice", N_("Urgency"), "the corrected urgency", vocabulary="urgency", required=False
)
PANEL = Field("panel", "panel", N_("Move to panel"), "the other panel's key")
REASON = Field("reason", "text", N_("Reason"), "why, kept sealed as a note", MAX_NOTE_CHARS)
ASSIGNEE = Field("assignee", "member", N_("Assign to"), "a member's email; empty to unassign", required=False)
OUTCOME = Field("outcome", "choice", N_("Outcome"), "how the case ended", vocabulary="outcome")

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
            (CATEGORY, URGENCY),
            _reclassify,
        ),
        PanelAction(
            "assign",
            N_("Assign"),
            N_("assigned"),
            "Give the case to a member of its panel",
            LEADS,
            ALL_STATUSES,
            (ASSIGNEE,),
            _assign,
        ),
        PanelAction(
            "transfer",
            N_("Transfer"),
            N_("transferred"),
            "Move the case to another panel",
            LEADS,
            OPEN_STATUSES,
            (PANEL, REASON),
            _move(escalate=False),
        ),
        PanelAction(
            "escalate",
            N_("Escalate"),
            N_("escalated"),
            "Move the case to another panel as an escalation",
            LEADS,
            OPEN_STATUSES,
            (PANEL, REASON),
            _move(escalate=True),
        ),
        PanelAction(
            "resolve",
            N_("Resolve"),
            N_("resolved"),
            "Close the case with an outcome; the reporter is asked to rate the answer",
            LEADS,
            OPEN_STATUSES,
            (OUTCOME,),
            _resolve,
        ),
    )
}
