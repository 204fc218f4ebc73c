"""Reply templates: answers a panel often gives, in English and Kiswahili, kept by the admins.
A panel member picks one on a case page; it fills the reply in the reporter's language, to be
edited and sent like any reply."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage import audit
from storage.casework.actions import MAX_REPLY_CHARS, CaseworkError, sendable_reply
from storage.inputs import shows_nothing
from storage.models import Panel, ReplyTemplate
from storage.wording import N_, RefusalError, Value, word

MAX_TITLE_CHARS = 80


class TemplateError(RefusalError, ValueError):
    """A template that cannot be saved as given; the message says why."""


def panel_templates(session: Session, panel_id: int) -> list[ReplyTemplate]:
    statement = select(ReplyTemplate).where(ReplyTemplate.panel_id == panel_id).order_by(ReplyTemplate.title)
    return list(session.scalars(statement))


def every_template(session: Session) -> list[ReplyTemplate]:
    statement = select(ReplyTemplate).options(joinedload(ReplyTemplate.panel))
    return list(session.scalars(statement.order_by(ReplyTemplate.panel_id, ReplyTemplate.title)))


def template_text(template: ReplyTemplate, language: str) -> str:
    """The template in the reporter's language: Kiswahili for Kiswahili, English otherwise."""
    return template.text_sw if language == "sw" else template.text_en


def save_template(
    session: Session,
    admin_id: int,
    panel_key: str,
    title: str,
    text_en: str,
    text_sw: str,
    template_id: int | None = None,
) -> ReplyTemplate:
    """Add a template to a panel, or change one (`template_id`); audited without its text."""
    panel = session.scalar(select(Panel).where(Panel.key == panel_key))
    if panel is None:
        raise TemplateError(N_("choose a panel"))
    title = _checked(title, MAX_TITLE_CHARS, N_("the title"))
    clash = select(ReplyTemplate.id).where(ReplyTemplate.panel_id == panel.id, ReplyTemplate.title == title)
    if template_id:
        clash = clash.where(ReplyTemplate.id != template_id)
    if session.scalar(clash) is not None:
        raise TemplateError(N_("this panel already has a template with that title"))
    template = _existing(session, template_id) if template_id else ReplyTemplate()
    template.panel, template.title = panel, title
    template.text_en = _sendable(text_en, "en", N_("the English text"))
    template.text_sw = _sendable(text_sw, "sw", N_("the Kiswahili text"))
    session.add(template)
    session.flush()
    _audit(session, admin_id, "reply_template.saved", template)
    return template


def delete_template(session: Session, admin_id: int, template_id: int) -> None:
    template = _existing(session, template_id)
    _audit(session, admin_id, "reply_template.deleted", template)
    session.delete(template)


def _existing(session: Session, template_id: int) -> ReplyTemplate:
    template = session.get(ReplyTemplate, template_id)
    if template is None:
        raise TemplateError(N_("no such template"))
    return template


def _checked(text: str, limit: int, name: str) -> str:
    """The text stripped; `name`, an English message id, names it if it is refused."""
    text = text.strip()
    if shows_nothing(text):
        raise _refused(N_("%(field)s is empty"), name)
    if "\x00" in text:
        raise _refused(N_("%(field)s contains a NUL character"), name)
    if len(text) > limit:
        raise _refused(N_("%(field)s is longer than %(limit)d characters"), name, limit=limit)
    return text


def _sendable(text: str, language: str, name: str) -> str:
    """The text, stripped, if a panel can send it as a reply in that language."""
    text = _checked(text, MAX_REPLY_CHARS, name)
    try:
        sendable_reply(text, language)
    except CaseworkError as error:
        raise _refused(N_("%(field)s: %(problem)s"), name, problem=error.wording) from None
    return text


def _refused(message: str, name: str, **values: Value) -> TemplateError:
    return TemplateError(message, field=word("phrase", name), **values)


def _audit(session: Session, admin_id: int, action: str, template: ReplyTemplate) -> None:
    audit.record(
        session,
        action,
        actor=f"user:{admin_id}",
        subject=f"reply_template:{template.id}",
        details={"panel": template.panel.key, "title": template.title},
    )
