"""Admin pages: accounts, panels and their members, the outbox, keys and routing rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.admin import rules, staff
from app.auth import current_user, refuse_unless
from app.casedesk.filters import MAX_PAGE
from app.context import transaction
from app.forms import InviteForm, MembershipForm, PanelForm, ReplyTemplateForm, RulesForm, valid
from app.refusals import refuse, shown
from storage.casework.templates import TemplateError, delete_template, every_template, save_template
from storage.crypto.rotation import key_usage
from storage.inputs import InputError
from storage.models import MAX_ROW_ID, ROLES, Panel, User
from storage.sign_in_throttle import recent_failures_by_account
from storage.typed_values import whole_number
from workers.runtime import current

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.before_request
def only_admins() -> ResponseReturnValue | None:
    return refuse_unless("admin")


@admin.get("/users")
def users() -> ResponseReturnValue:
    with transaction() as session:
        people = list(session.scalars(select(User).options(selectinload(User.panels)).order_by(User.email)))
        panels = list(session.scalars(select(Panel).order_by(Panel.name)))
        failures = recent_failures_by_account(session)
    return render_template("admin/users.html", users=people, panels=panels, roles=ROLES, failures=failures)


@admin.post("/users")
def invite() -> ResponseReturnValue:
    form = valid(InviteForm())
    try:
        with transaction() as session:
            invitation = staff.invite(
                session,
                current_user.id,
                form.email.data,
                form.role.data,
                form.panels.data,
                link=form.method.data == "link",
                language=form.language.data,
            )
    except staff.MalformedError as error:
        refuse(error)
    except staff.StaffError as error:
        flash(shown(error), "error")
        return redirect(url_for("admin.users"), 303)
    link = url_for("auth.invitation", token=invitation.token, _external=True) if invitation.token else None
    return render_template("admin/invited.html", invitation=invitation, link=link)


USER_CHANGES = ("activate", "deactivate", "reset-totp", "unlock")
# Changes that lock someone out are asked about once more before they are made.
CONFIRMED_CHANGES = ("deactivate", "reset-totp")


@admin.post(f"/users/<int(max={MAX_ROW_ID}):user_id>/<change>")
def change_user(user_id: int, change: str) -> ResponseReturnValue:
    if change not in USER_CHANGES:
        abort(404)
    if change in CONFIRMED_CHANGES and request.form.get("confirmed") != "yes":
        with transaction() as session:
            person = session.get(User, user_id)
            if person is None:
                abort(404)
            email = person.email
        return render_template("admin/confirm.html", change=change, user_id=user_id, email=email)
    try:
        with transaction() as session:
            if change == "reset-totp":
                staff.clear_totp(session, current_user.id, user_id)
            elif change == "unlock":
                staff.unlock(session, current_user.id, user_id)
            else:
                staff.set_active(session, current_user.id, user_id, change == "activate")
    except staff.NotFoundError as error:
        refuse(error, not_found=True)
    except staff.StaffError as error:
        flash(shown(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("admin.users"), 303)


@admin.get("/panels")
def panels() -> ResponseReturnValue:
    with transaction() as session:
        found = list(session.scalars(select(Panel).order_by(Panel.name)))
        members = {
            p.id: sorted(
                u.email for u in session.scalars(select(User).where(User.panels.any(Panel.id == p.id)))
            )
            for p in found
        }
    return render_template("admin/panels.html", panels=found, members=members)


@admin.post("/panels")
def add_panel() -> ResponseReturnValue:
    form = valid(PanelForm())
    return _saved(
        lambda s: staff.add_panel(s, current_user.id, form.key.data, form.name.data, form.name_sw.data)
    )


@admin.post("/panels/<key>/members")
def membership(key: str) -> ResponseReturnValue:
    form = valid(MembershipForm())
    member = form.change.data != "remove"
    return _saved(lambda s: staff.set_membership(s, current_user.id, key, form.email.data, member))


@admin.get("/outbox")
def outbox() -> ResponseReturnValue:
    try:
        page = whole_number(request.args.get("page", "1"), "page", MAX_PAGE)
    except InputError as error:
        refuse(error)
    with transaction() as session:
        found = staff.outbox(session, current().store.keys, current_user.id, page)
    return render_template("admin/outbox.html", outbox=found)


@admin.post("/outbox/<uuid:message_id>/retry")
def retry(message_id: uuid.UUID) -> ResponseReturnValue:
    try:
        with transaction() as session:
            staff.retry_message(session, current_user.id, message_id)
    except staff.StaffError as error:
        flash(shown(error), "error")
    else:
        current().dispatcher.enqueue_notify(message_id)
        flash(_("The message is queued to be sent again."), "success")
    return redirect(url_for("admin.outbox"), 303)


@admin.get("/templates")
def templates() -> ResponseReturnValue:
    with transaction() as session:
        found = every_template(session)
        panels = list(session.scalars(select(Panel).order_by(Panel.name)))
    return render_template("admin/templates.html", templates=found, panels=panels)


@admin.post("/templates")
def save_reply_template() -> ResponseReturnValue:
    form = valid(ReplyTemplateForm())
    try:
        template_id = whole_number(form.id.data, "id", MAX_ROW_ID) if form.id.data else None
    except InputError as error:
        refuse(error)
    try:
        with transaction() as session:
            save_template(
                session,
                current_user.id,
                form.panel.data,
                form.title.data,
                form.text_en.data,
                form.text_sw.data,
                template_id,
            )
    except TemplateError as error:
        flash(shown(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("admin.templates"), 303)


@admin.post(f"/templates/<int(max={MAX_ROW_ID}):template_id>/delete")
def delete_reply_template(template_id: int) -> ResponseReturnValue:
    try:
        with transaction() as session:
            delete_template(session, current_user.id, template_id)
    except TemplateError as error:
        flash(shown(error), "error")
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for("admin.templates"), 303)


@admin.get("/keys")
def keys() -> ResponseReturnValue:
    with transaction() as session:
        usage = key_usage(session, current().store.keys)
    return render_template("admin/keys.html", usage=usage)


@admin.get("/routing")
def routing() -> ResponseReturnValue:
    return _rules_page({})


@admin.post("/routing/<kind>")
def save_rules(kind: str) -> ResponseReturnValue:
    if kind not in rules.RULES:
        abort(404)
    text = valid(RulesForm()).text.data
    try:
        rules.save_rules(current(), current_user.id, kind, text)
    except rules.RulesError as error:
        return _rules_page({kind: text}, {kind: shown(error)}), 400
    flash(_("Saved and in force in this process; restart workers in other processes to apply."), "success")
    return redirect(url_for("admin.routing"), 303)


def _rules_page(drafts: dict[str, str], errors: dict[str, str] | None = None) -> str:
    texts = {
        kind: drafts[kind] if kind in drafts else rules.rules_text(current(), kind) for kind in rules.RULES
    }
    return render_template(
        "admin/routing.html", routing=current().routing, texts=texts, files=rules.RULES, errors=errors or {}
    )


def _saved(change: Callable[[Session], object]) -> ResponseReturnValue:
    try:
        with transaction() as session:
            change(session)
    except staff.NotFoundError as error:
        refuse(error, not_found=True)
    except staff.MalformedError as error:
        refuse(error)
    except staff.StaffError as error:
        flash(shown(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("admin.panels"), 303)
