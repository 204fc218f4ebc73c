"""The panel's desk in the browser: the queue of their panels' cases, a case, its actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app import casedesk
from app.auth import current_user, role_required
from app.context import transaction
from storage.casework.actions import OUTCOMES
from storage.casework.duplicates import duplicate_of_ref, later_duplicate_refs
from storage.casework.queries import STATUSES, CaseFilters
from storage.casework.registry import ACTIONS
from triage.taxonomy import CATEGORIES, URGENCIES

panel = Blueprint("panel", __name__, url_prefix="/panel")
PANEL_ROLES = ("panel_member", "panel_lead")


@panel.get("/")
@role_required(*PANEL_ROLES)
def queue() -> ResponseReturnValue:
    filters = filters_from(request.args)
    cases = casedesk.queue(current_user, filters)
    return render_template("panel/queue.html", cases=cases, filters=filters, choices=_choices())


@panel.get("/cases/<ref>")
@role_required(*PANEL_ROLES)
def case(ref: str) -> ResponseReturnValue:
    return _case_page(ref)


@panel.post("/cases/<ref>/reveal")
@role_required(*PANEL_ROLES)
def reveal(ref: str) -> ResponseReturnValue:
    try:
        revealed = casedesk.reveal(current_user, ref, request.form.get("reason", ""))
    except casedesk.CaseworkError as error:
        flash(str(error), "error")
        return redirect(url_for("panel.case", ref=ref), 303)
    except casedesk.CaseNotFoundError:
        abort(404)
    return _case_page(ref, revealed=revealed)


@panel.post("/cases/<ref>/<action>")
@role_required(*PANEL_ROLES)
def act(ref: str, action: str) -> ResponseReturnValue:
    try:
        casedesk.act(current_user, ref, action, request.form.to_dict())
    except casedesk.CaseNotFoundError:
        abort(404)
    except casedesk.NotPermittedError:
        abort(403)
    except casedesk.CaseworkError as error:
        flash(str(error), "error")
        return redirect(url_for("panel.case", ref=ref), 303)
    flash(_("Done: %(action)s.", action=_(ACTIONS[action].done)), "success")
    if action in ("transfer", "escalate"):
        # The case has left this panel; its page may no longer be this person's to see.
        return redirect(url_for("panel.queue"), 303)
    return redirect(url_for("panel.case", ref=ref), 303)


def filters_from(args: MultiDict[str, str]) -> CaseFilters:
    status = args.get("status") or None
    return CaseFilters(
        status=status if status in (*STATUSES, "all") else None,
        category=_one_of(args.get("category"), CATEGORIES),
        urgency=_one_of(args.get("urgency"), URGENCIES),
        ward=(args.get("ward") or "").strip() or None,
        overdue=args.get("overdue") == "1",
    )


def _case_page(ref: str, revealed: list[str] | None = None) -> ResponseReturnValue:
    try:
        detail = casedesk.case_detail(current_user, ref)
    except casedesk.CaseNotFoundError:
        abort(404)
    with transaction() as session:
        duplicate_of = duplicate_of_ref(session, current_user.id, ref)
        duplicated_by = later_duplicate_refs(session, current_user.id, ref)
    return render_template(
        "panel/case.html",
        case=detail,
        duplicate_of=duplicate_of,
        duplicated_by=duplicated_by,
        revealed=revealed,
        taxonomy=casedesk.TAXONOMY,
    )


def _one_of(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _choices() -> dict[str, tuple[str, ...]]:
    return {"statuses": STATUSES, "categories": CATEGORIES, "urgencies": URGENCIES, "outcomes": OUTCOMES}
