"""What a form drawn a while ago may still change. A case's page is drawn with the values the
case had then and sends them back (`from_category`, `from_assignee`...); when a colleague has
changed one since, the form's change is refused rather than written over theirs."""

from __future__ import annotations

from collections.abc import Mapping

from storage.casework.actions import NO_ONE, ChangedMeanwhileError
from storage.models import Case, Report, User
from storage.wording import N_, word

CLASSIFICATION = ("category", "urgency")


def changes_meant(report: Report, fields: Mapping[str, str]) -> dict[str, str]:
    """The category and urgency a person set, told from those their form was drawn with
    (`from_category`, `from_urgency`, when it says): a value left as drawn is no change, so it
    never undoes what a colleague changed meanwhile, and one changed from a value the case no
    longer has is refused rather than written over theirs."""
    meant = {}
    for name in CLASSIFICATION:
        value, drawn, current = fields.get(name, ""), fields.get(f"from_{name}", ""), getattr(report, name)
        if not value or value in (drawn, current):
            continue
        if drawn and drawn != current:
            raise ChangedMeanwhileError(
                N_("someone changed the %(field)s to %(value)s after you opened the case: look at it again"),
                field=word("field", name),
                value=word("key", current or "?"),
            )
        meant[name] = value
    return meant


def check_assignee_as_drawn(case: Case, assignee: User | None, drawn: str) -> None:
    """Refuse to give the case to `assignee` when the form was drawn with another assignee
    (`drawn`: their email, or NO_ONE) than the case has now; a form that does not say (a bulk
    action's) is not checked, nor one that asks for what the case already has."""
    current = case.assignee.email if case.assignee else NO_ONE
    wanted = assignee.email if assignee else NO_ONE
    if not drawn or drawn.strip().lower() == current or wanted == current:
        return
    if case.assignee is None:
        raise ChangedMeanwhileError(N_("someone unassigned the case after you opened it: look at it again"))
    raise ChangedMeanwhileError(
        N_("someone assigned the case to %(person)s after you opened it: look at it again"),
        person=case.assignee.email,
    )
