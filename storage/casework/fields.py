"""The inputs of panel actions, each declared once with its kind, length and choices: the
same declaration validates what a person sends (a CaseworkError says what is wrong) and
describes it as JSON Schema for the OpenAPI document. Labels are English message ids the app
translates where it shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.casework.actions import MAX_NOTE_CHARS, MAX_REPLY_CHARS, NO_ONE, OUTCOMES, CaseworkError
from storage.inputs import InputError, shows_nothing
from storage.typed_values import yes_or_no
from storage.wording import N_, Value, Words, word

MAX_KEY_CHARS = 64
MAX_EMAIL_CHARS = 254
TYPED = frozenset({"text", "long_text"})


class TooLongError(CaseworkError):
    """A value longer than its field allows. A box's maxlength may still let one through (a
    browser that does not hold to it), so the page says so with the text kept."""


@dataclass(frozen=True)
class Taxonomy:
    """The keys of triage's taxonomy, as the app runs with them; urgencies most severe first."""

    categories: tuple[str, ...]
    urgencies: tuple[str, ...]

    def choices(self, vocabulary: str) -> tuple[str, ...]:
        return {"category": self.categories, "urgency": self.urgencies, "outcome": OUTCOMES}[vocabulary]

    def more_urgent(self, urgency: str, than: str | None) -> bool:
        """Whether `urgency` is more severe than `than`; one not in the taxonomy is the least."""
        return self._severity(urgency) > self._severity(than)

    def _severity(self, urgency: str | None) -> int:
        return -self.urgencies.index(urgency) if urgency in self.urgencies else -len(self.urgencies)


@dataclass(frozen=True)
class Field:
    """One input of an action. `kind` says how it is entered and checked: `text` and
    `long_text` (a line, a paragraph), `choice` (one key of `vocabulary`), `panel` (a panel's
    key), `member` (a panel member's email, empty for no one), `flag` (yes or no: "1" or ""),
    `drawn` (the case's value of what `from_<name>` names when the form was drawn, sent back
    unseen; `when_none` when the case had none)."""

    name: str
    kind: str
    label: str
    description: str
    max_length: int | None = None
    vocabulary: str | None = None
    required: bool = True
    when_none: str = ""

    @property
    def drawn_from(self) -> str:
        """What of the case a `drawn` field sends back: `from_urgency` its urgency."""
        return self.name.removeprefix("from_")

    def clean(self, raw: object, taxonomy: Taxonomy) -> str:
        """The value as the handler takes it; CaseworkError says what is wrong with it."""
        if self.kind == "flag":
            return _flag(self.name, raw)
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            raise _refused(N_("%(field)s must be a string"), self.name)
        if "\x00" in raw:
            raise _refused(N_("%(field)s contains a NUL character"), self.name)
        # A form posts a line break as CR LF; its box's maxlength counted it as one character.
        value = raw.replace("\r\n", "\n").strip()
        if shows_nothing(value):
            if self.required:
                raise _refused(N_("%(field)s is empty"), self.name)
            return ""
        limit = self.max_length or self._default_limit()
        if len(value) > limit:
            # Only typed text can be too long by a slip; anything longer in a list is not one.
            refusal = TooLongError if self.kind in TYPED else CaseworkError
            message = N_("%(field)s is longer than %(limit)d characters")
            raise refusal(message, field=word("field", self.name), limit=limit)
        if self.vocabulary is not None and value not in taxonomy.choices(self.vocabulary):
            choices = Words("key", taxonomy.choices(self.vocabulary))
            raise _refused(N_("%(field)s must be one of %(choices)s"), self.name, choices=choices)
        return value

    def schema(self, taxonomy: Taxonomy) -> dict[str, Any]:
        """The field as JSON Schema, for the OpenAPI document."""
        if self.kind == "flag":
            return {"type": "boolean", "description": self.description}
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
FROM_CATEGORY, FROM_URGENCY = (
    Field(
        f"from_{name}",
        "drawn",
        label,
        f"the {name} as you last read it; if the case's is no longer this, nothing is changed",
        vocabulary=name,
        required=False,
    )
    for name, label in (("category", CATEGORY.label), ("urgency", URGENCY.label))
)
PANEL = Field("panel", "panel", N_("Move to panel"), "the other panel's key")
ESCALATION_REASON = Field(
    "reason", "text", N_("Why escalate (kept as a note)"), "why, kept sealed as a note", MAX_NOTE_CHARS
)
TRANSFER_REASON = Field(
    "reason", "text", N_("Why transfer (kept as a note)"), "why, kept sealed as a note", MAX_NOTE_CHARS
)
REOPEN_REASON = Field(
    "reason", "text", N_("Why reopen (kept as a note)"), "why, kept sealed as a note", MAX_NOTE_CHARS
)
FALLBACK = Field(
    "fallback",
    "flag",
    N_("Also move it to the fallback panel"),
    "move the case to the fallback panel as well",
    required=False,
)
REVEAL_REASON = Field(
    "reason", "text", N_("Reason to see the unredacted text (logged)"), "why, kept sealed", MAX_NOTE_CHARS
)
ASSIGNEE = Field("assignee", "member", N_("Assign to"), "a member's email; empty to unassign", required=False)
FROM_ASSIGNEE = Field(
    "from_assignee",
    "drawn",
    ASSIGNEE.label,
    f"the assignee's email as you last read it, {NO_ONE!r} if it had none; if the case's is no longer"
    " this, nothing is changed",
    MAX_EMAIL_CHARS,
    required=False,
    when_none=NO_ONE,
)
OUTCOME = Field("outcome", "choice", N_("Outcome"), "how the case ended", vocabulary="outcome")
UNANSWERED_CONFIRMED = Field(
    "confirm",
    "flag",
    N_("Resolve it unanswered: the reporter is only told it is closed and asked to rate it"),
    "needed to resolve a case whose reporter was never answered: they are told it is closed",
    required=False,
)


def _flag(name: str, raw: object) -> str:
    """A JSON boolean, or a flag written as every flag is (`yes_or_no`); blank is no."""
    if raw is None or isinstance(raw, bool):
        return "1" if raw else ""
    if not isinstance(raw, str):
        raise _refused(N_("%(field)s must be true or false"), name)
    if not raw.strip():
        return ""
    try:
        return "1" if yes_or_no(raw, name) else ""
    except InputError as error:
        raise CaseworkError(error.wording) from None


def _refused(message: str, name: str, **values: Value) -> CaseworkError:
    """What is wrong with the field called `name`, which the message names as %(field)s."""
    return CaseworkError(message, field=word("field", name), **values)
