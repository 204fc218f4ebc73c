"""The auditor's desk: response times, SLA compliance, escalations, the trust index and the
audit chain, with charts the app draws and a CSV behind every table. No message text and no
number is ever shown here."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from app.audit import figures
from app.audit.tables import csv_response
from app.auth import role_required
from app.context import transaction
from app.refusals import refuse, shown
from storage.audit.anchors import read_anchors, verify_with_anchors
from storage.casework.notices import recent_notices
from storage.reporting.exact import GROUPS
from workers.anchors import ANCHOR_FILE
from workers.runtime import current

audit_pages = Blueprint(
    "audit", __name__, url_prefix="/audit", template_folder="templates", static_folder="static"
)
AUDIT_ROLES = ("auditor", "admin")


@audit_pages.get("/")
@role_required(*AUDIT_ROLES)
def dashboard() -> ResponseReturnValue:
    try:
        filters = figures.Filters.from_args(request.args)
    except figures.FilterError as error:
        return _refused_filters("audit/dashboard.html", error, groups=GROUPS)
    return render_template(
        "audit/dashboard.html", filters=filters, groups=GROUPS, page=figures.dashboard(filters)
    )


@audit_pages.get("/trust")
@role_required(*AUDIT_ROLES)
def trust() -> ResponseReturnValue:
    try:
        filters = figures.Filters.from_args(request.args)
    except figures.FilterError as error:
        return _refused_filters("audit/trust.html", error)
    return render_template("audit/trust.html", filters=filters, page=figures.trust(filters))


@audit_pages.get("/chain")
@role_required(*AUDIT_ROLES)
def chain() -> ResponseReturnValue:
    anchors = read_anchors(current().settings.instance_path / ANCHOR_FILE)
    with transaction() as session:
        check = verify_with_anchors(session, anchors)
    return render_template("audit/chain.html", check=check, anchors=len(anchors))


@audit_pages.get("/notices")
@role_required("admin")
def notices() -> ResponseReturnValue:
    """The staff outbox: escalation notices, mailed when mail is configured."""
    with transaction() as session:
        return render_template("audit/notices.html", notices=recent_notices(session))


@audit_pages.get("/export/<name>.csv")
@role_required(*AUDIT_ROLES)
def export(name: str) -> ResponseReturnValue:
    table = figures.table_named(name, _filters())
    if table is None:
        abort(404)
    return csv_response(table)


def _refused_filters(template: str, error: figures.FilterError, **context: object) -> ResponseReturnValue:
    """The page again with its form as it was sent and why it was refused, and no figures:
    the auditor corrects a month where they typed it."""
    sent = figures.Filters(
        request.args.get("group_by") or "panel", request.args.get("since"), request.args.get("until")
    )
    page = figures.Dashboard([], [], {})
    body = render_template(template, filters=sent, page=page, error=shown(error), **context)
    return body, 400


def _filters() -> figures.Filters:
    try:
        return figures.Filters.from_args(request.args)
    except figures.FilterError as error:
        refuse(error)
