"""/api/v1/cases: list, read and act on cases."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from flask import abort, g, jsonify, request
from flask.typing import ResponseReturnValue

from app import casedesk
from app.api import api, api_roles
from app.api.attachments import attachments_json
from app.casedesk import CaseDetail, CaseSummary
from app.casedesk.filters import API_DEFAULT_STATUS, QueryError, queue_query
from app.context import transaction
from storage.casework.duplicates import duplicate_of_ref, later_duplicate_refs
from storage.casework.registry import api_actions

CASE_READERS = ("panel_member", "panel_lead", "auditor")
# Kept out of the API's case answers: how the desk's pages name and find the panel.
PAGE_ONLY = ("panel_id", "panel_name", "panel_name_sw")


@api.get("/cases")
@api_roles(*CASE_READERS)
def list_cases() -> ResponseReturnValue:
    """A report still "received" has no case yet, so that status finds none; it is accepted
    because it is one of the statuses the API documents."""
    try:
        query = queue_query(
            request.args, casedesk.filter_choices(g.api_user), default_status=API_DEFAULT_STATUS
        )
        listing = casedesk.queue(g.api_user, query.filters, query.page, query.per_page)
    except QueryError as error:
        abort(400, description=str(error))
    except casedesk.NotPermittedError as error:
        abort(403, description=str(error))
    return jsonify(
        cases=[case_json(row.summary) | _text(row.excerpt) for row in listing.rows],
        total=listing.total,
        page=listing.page,
        per_page=listing.per_page,
        pages=listing.pages,
    )


@api.get("/cases/<ref>")
@api_roles(*CASE_READERS)
def read_case(ref: str) -> ResponseReturnValue:
    try:
        detail = casedesk.case_detail(g.api_user, ref)
    except casedesk.CaseNotFoundError:
        abort(404, description="no such case")
    with transaction() as session:
        duplicate_of = duplicate_of_ref(session, g.api_user.id, ref)
        duplicated_by = later_duplicate_refs(session, g.api_user.id, ref)
    return jsonify(detail_json(detail, duplicate_of, duplicated_by) | attachments_json(g.api_user, ref))


@api.post("/cases/<ref>/actions")
@api_roles(*CASE_READERS)
def act_on_case(ref: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("action"), str):
        abort(400, description='send a JSON object with "action"')
    if body["action"] not in api_actions():
        abort(400, description=f"action must be one of {', '.join(api_actions())}")
    try:
        summary = casedesk.act(g.api_user, ref, body["action"], body)
    except casedesk.CaseNotFoundError:
        abort(404, description="no such case")
    except casedesk.NotPermittedError as error:
        abort(403, description=str(error))
    except (casedesk.ReporterUnreachableError, casedesk.ChangedMeanwhileError) as error:
        abort(409, description=str(error))
    except casedesk.CaseworkError as error:
        abort(400, description=str(error))
    return jsonify(case_json(summary))


def case_json(summary: CaseSummary) -> dict[str, Any]:
    return {name: _plain(value) for name, value in asdict(summary).items() if name not in PAGE_ONLY}


def _text(text: str | None) -> dict[str, str]:
    return {} if text is None else {"text": text}


def detail_json(detail: CaseDetail, duplicate_of: str | None, duplicated_by: list[str]) -> dict[str, Any]:
    document = case_json(detail.summary) | {"duplicate_of": duplicate_of, "duplicated_by": duplicated_by}
    if detail.text is not None:
        document["text"] = detail.text
        document["thread"] = [
            {"author": entry.author, "at": _plain(entry.at), "text": entry.text} for entry in detail.thread
        ]
    return document


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value
