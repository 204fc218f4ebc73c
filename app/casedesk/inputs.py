"""What the case page's forms can send, told apart from what they never do. A value no form
offers (an action there is none of, a choice not in its list, a panel or an account that does
not exist) is refused outright, as the admin's forms refuse a malformed value; a slip the page
itself allows (a blank field, text over its length, an action the case's state rules out,
someone no longer on the panel) is left to `registry.perform`, whose refusal the page shows
on the case with what was typed."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.accounts import find_user
from storage.casework import registry
from storage.casework.actions import NOT_ASSIGNABLE, CaseworkError
from storage.casework.fields import Field, Taxonomy, TooLongError
from storage.casework.registry import PanelAction
from storage.models import Panel, User
from storage.wording import N_


class UnknownActionError(CaseworkError):
    """No action of that name exists."""


class MalformedInputError(CaseworkError):
    """A value none of the desk's forms sends (as opposed to one the case's state refuses)."""


def check_input(
    session: Session, user: User, name: str, fields: Mapping[str, object], taxonomy: Taxonomy
) -> None:
    """Refuse an unknown action, then a person whose role may not take it at all (so that a
    forged value does not tell them more than a 403 would), then any value the forms never
    send. Blank values pass: the action's own check says which one is missing."""
    action = _known_action(name)
    if not registry.may(user, name):
        raise registry.not_permitted(user, name)
    for field in action.fields:
        raw = fields.get(field.name)
        if _blank(field, raw):
            continue
        try:
            value = field.clean(raw, taxonomy)
        except TooLongError:
            continue
        except CaseworkError as error:
            raise MalformedInputError(error.wording) from None
        _check_exists(session, field, value)


def _known_action(name: str) -> PanelAction:
    try:
        return registry.known_action(name)
    except CaseworkError as error:
        raise UnknownActionError(error.wording) from None


def _blank(field: Field, raw: object) -> bool:
    return field.kind != "flag" and (raw is None or (isinstance(raw, str) and not raw.strip()))


def _check_exists(session: Session, field: Field, value: str) -> None:
    """A panel or an account is named by a list the page draws from the database, and neither
    is ever deleted: one that does not exist was not chosen from it."""
    if field.kind == "panel" and session.scalar(select(Panel.id).where(Panel.key == value)) is None:
        raise MalformedInputError(N_("choose a panel"))
    if field.kind == "member" and find_user(session, value) is None:
        raise MalformedInputError(NOT_ASSIGNABLE)
