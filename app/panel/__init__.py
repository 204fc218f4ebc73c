"""The panel's desk in the browser: the queue of their panels' cases, a case, its actions."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from app import attachments, casedesk
from app.auth import current_user, role_required
from app.casedesk.filters import FilterChoices, QueryError, QueueQuery, queue_query
from app.context import transaction
from app.refusals import refuse, shown
from storage.casework.actions import OUTCOMES, REPLY_PREFIX_CHARS, ChangedMeanwhileError
from storage.casework.duplicates import duplicate_of_ref, later_duplicate_refs
from storage.casework.queue import SORTS, STATUSES
from storage.casework.registry import ACTIONS
from storage.segments import counting_rules

panel = Blueprint("panel", __name__, url_prefix="/panel")
PANEL_ROLES = ("panel_member", "panel_lead")
# A longer query string is not one the queue's own forms make; it is not kept in the cookie.
MAX_REMEMBERED_QUERY = 1000


@panel.get("/")
@role_required(*PANEL_ROLES)
def queue() -> ResponseReturnValue:
    choices = casedesk.filter_choices(current_user)
    query = _query(request.args, choices)
    listing = casedesk.queue(current_user, query.filters, query.page)
    if listing.page > max(listing.pages, 1):
        return redirect(_last_page_url(max(listing.pages, 1)))
    _remember_queue_query()
    return render_template(
        "panel/queue.html",
        listing=listing,
        filters=query.filters,
        search=request.args.get("q", ""),
        statuses=STATUSES,
        sorts=SORTS,
        taxonomy=casedesk.TAXONOMY,
        choices=choices,
        bulk=casedesk.bulk_choices(current_user),
        actions=ACTIONS,
        outcomes=OUTCOMES,
        args=request.args,
    )


@panel.get("/cases.csv")
@role_required(*PANEL_ROLES)
def queue_csv() -> ResponseReturnValue:
    query = _query(request.args, casedesk.filter_choices(current_user))
    return Response(
        casedesk.queue_csv(current_user, query.filters),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="cases.csv"'},
    )


@panel.post("/bulk")
@role_required(*PANEL_ROLES)
def bulk() -> ResponseReturnValue:
    action = request.form.get("action", "")
    try:
        outcome = casedesk.bulk_act(
            current_user, request.form.getlist("refs"), action, request.form.to_dict()
        )
    except casedesk.NotPermittedError:
        abort(403)
    except casedesk.CaseworkError as error:
        refuse(error)
    if not outcome.done and not outcome.refused:
        flash(_("Select at least one case."), "error")
    if outcome.done:
        flash(_bulk_done(action, len(outcome.done)), "success")
    for ref, reason in outcome.refused:
        flash(_("%(ref)s: %(reason)s", ref=ref, reason=shown(reason)), "error")
    return redirect(url_for("panel.queue") + _back_query(), 303)


def _bulk_done(action: str, done: int) -> str:
    if action == "assign" and not request.form.get("assignee"):
        return str(ngettext("%(num)d case unassigned.", "%(num)d cases unassigned.", done))
    label = _(ACTIONS[action].done)
    return str(ngettext("%(num)d case %(action)s.", "%(num)d cases %(action)s.", done, action=label))


@panel.get("/cases/<ref>")
@role_required(*PANEL_ROLES)
def case(ref: str) -> ResponseReturnValue:
    unredacted = request.args.get("unredacted") == "1"
    detail = _case_detail(ref, unredacted=unredacted)
    if unredacted and detail.unredacted is None:
        flash(
            _("The unredacted text is shown for 10 minutes after you give a reason. Give it again."), "error"
        )
    template = request.args.get("template", "")
    chosen = next((t for t in detail.templates if str(t.id) == template), None)
    return _case_page(detail, {"reply": {"text": chosen.text}} if chosen else {})


@panel.post("/cases/<ref>/<action>")
@role_required(*PANEL_ROLES)
def act(ref: str, action: str) -> ResponseReturnValue:
    try:
        summary = casedesk.act(current_user, ref, action, request.form.to_dict())
    except casedesk.CaseNotFoundError:
        abort(404)
    except casedesk.UnknownActionError as error:
        refuse(error, not_found=True)
    except casedesk.NotPermittedError:
        abort(403)
    except casedesk.MalformedInputError as error:
        refuse(error)
    except casedesk.CaseworkError as error:
        # What the page lets a person do by mistake is said on the case, where they can retry:
        # the page is drawn again, not redirected to, so that what they typed (a reply the SMS
        # cannot hold) stays in its box without being kept anywhere else.
        flash(shown(error), "error")
        status = 409 if isinstance(error, ChangedMeanwhileError) else 400
        return _case_page(_case_detail(ref), {action: request.form}), status
    flash(_("Done: %(action)s.", action=_(ACTIONS[action].done)), "success")
    if action == "reveal":
        return redirect(url_for("panel.case", ref=ref, unredacted=1), 303)
    if summary.panel_id not in current_user.panel_ids:
        # The case has left this person's panels; its page is no longer theirs to see.
        return redirect(_queue_url(), 303)
    return redirect(url_for("panel.case", ref=ref), 303)


def _case_detail(ref: str, *, unredacted: bool = False) -> casedesk.CaseDetail:
    try:
        return casedesk.case_detail(current_user, ref, unredacted=unredacted)
    except casedesk.CaseNotFoundError:
        abort(404)


def _case_page(detail: casedesk.CaseDetail, drafts: Mapping[str, Mapping[str, str]]) -> str:
    """The case page, its action forms filled with `drafts` (by action, then field)."""
    ref = detail.summary.ref
    with transaction() as session:
        duplicate_of = duplicate_of_ref(session, current_user.id, ref)
        duplicated_by = later_duplicate_refs(session, current_user.id, ref)
    return render_template(
        "panel/case.html",
        case=detail,
        duplicate_of=duplicate_of,
        duplicated_by=duplicated_by,
        drafts=drafts,
        reply_prefix_chars=REPLY_PREFIX_CHARS,
        sms_rules=counting_rules(),
        taxonomy=casedesk.TAXONOMY,
        attachments=attachments.listing(current_user, ref),
        queue_url=_queue_url(),
    )


def _query(args: MultiDict[str, str], choices: FilterChoices) -> QueueQuery:
    try:
        return queue_query(args, choices, default_status=None)
    except QueryError as error:
        refuse(error)


def _last_page_url(last: int) -> str:
    """This queue's address with its search and filters, on page `last`."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    return url_for("panel.queue") + "?" + urlencode([*args, ("page", str(last))])


def _remember_queue_query() -> None:
    """Keeps the search, filters and page the person last saw, for the way back from a case."""
    query = request.query_string.decode("ascii", "replace")
    if len(query) <= MAX_REMEMBERED_QUERY:
        session["queue_query"] = query


def _queue_url() -> str:
    query = session.get("queue_query", "")
    return url_for("panel.queue") + (f"?{query}" if query else "")


def _back_query() -> str:
    """The queue's query string the bulk form came from, so the person lands where they were;
    read and encoded again, so that nothing in it can reach the Location header as it came."""
    pairs = parse_qsl(request.form.get("back", ""), keep_blank_values=True)
    return f"?{urlencode(pairs)}" if pairs else ""


from app.panel import attachment_views  # noqa: E402,F401  (routes register on `panel`)
