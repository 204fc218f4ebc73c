"""/api/v1/cases: list, read and act on cases."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from flask import abort, g, jsonify, request
from flask.typing import ResponseReturnValue

from app import casedesk
from app.api import api, api_roles
from app.casedesk import CaseDetail, CaseSummary
from app.context import transaction
from storage.casework.duplicates import duplicate_of_ref, later_duplicate_refs
from storage.casework.queries import STATUSES, CaseFilters
from triage.taxonomy import CATEGORIES, URGENCIES

CASE_READERS = ("panel_member", "panel_lead", "auditor")
# A report still "received" has no case yet, so that filter finds none; it is accepted because
# it is one of the statuses the API documents.
FILTER_STATUSES = ("received", *STATUSES, "all")


@api.get("/cases")
@api_roles(*CASE_READERS)
def list_cases() -> ResponseReturnValue:
    listed = casedesk.queue_with_texts(g.api_user, _filters())
    return jsonify(cases=[case_json(summary) | _text(text) for summary, text in listed])


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
    return jsonify(detail_json(detail, duplicate_of, duplicated_by))


@api.post("/cases/<ref>/actions")
@api_roles(*CASE_READERS)
def act_on_case(ref: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("action"), str):
        abort(400, description='send a JSON object with "action"')
    try:
        summary = casedesk.act(g.api_user, ref, body["action"], body)
    except casedesk.CaseNotFoundError:
        abort(404, description="no such case")
    except casedesk.NotPermittedError as error:
        abort(403, description=str(error))
    except casedesk.CaseworkError as error:
        abort(400, description=str(error))
    return jsonify(case_json(summary))


def case_json(summary: CaseSummary) -> dict[str, Any]:
    return {name: _plain(value) for name, value in asdict(summary).items() if name != "panel_name"}


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


def _filters() -> CaseFilters:
    args = request.args
    status = args.get("status") or "all"
    if status not in FILTER_STATUSES:
        abort(400, description=f"status must be one of {', '.join(FILTER_STATUSES)}")
    for name, allowed in (("category", CATEGORIES), ("urgency", URGENCIES)):
        if args.get(name) and args[name] not in allowed:
            abort(400, description=f"{name} must be one of {', '.join(allowed)}")
    return CaseFilters(
        status=status,
        category=args.get("category") or None,
        urgency=args.get("urgency") or None,
        ward=args.get("ward") or None,
        panel=args.get("panel") or None,
        overdue=args.get("overdue") in ("1", "true"),
        since=_since(args.get("since")),
    )


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        abort(400, description="since must be an ISO 8601 date or time, e.g. 2026-11-01T00:00:00Z")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value
