"""/api/v1/audit/verify and /api/v1/metrics/response-times: what auditors check, as JSON."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue

from app.api import api, api_roles
from app.api.openapi import ERROR, SCHEMAS, describe, json_answer, query
from app.context import transaction
from storage.audit.anchors import read_anchors, verify_with_anchors
from storage.inputs import InputError
from storage.reporting.exact import GROUPS
from storage.reporting.figures import response_times
from storage.typed_values import utc_moment
from workers.anchors import ANCHOR_FILE
from workers.runtime import current

OVERSIGHT_ROLES = ("auditor", "admin")


@api.get("/audit/verify")
@api_roles(*OVERSIGHT_ROLES)
def verify_audit_chain() -> ResponseReturnValue:
    anchors = read_anchors(current().settings.instance_path / ANCHOR_FILE)
    with transaction() as session:
        check = verify_with_anchors(session, anchors)
    return jsonify({**asdict(check), "anchors": len(anchors)})


@api.get("/metrics/response-times")
@api_roles(*OVERSIGHT_ROLES)
def metrics_response_times() -> ResponseReturnValue:
    group_by = request.args.get("group_by", "panel")
    if group_by not in GROUPS:
        abort(400, description=f"group_by must be one of {', '.join(GROUPS)}")
    since, until = moment_arg("since"), moment_arg("until")
    with transaction() as session:
        rows = response_times(session, group_by, since, until)
    return jsonify(
        group_by=group_by,
        since=_iso(since),
        until=_iso(until),
        unit="seconds",
        groups=[asdict(row) for row in rows],
    )


def moment_arg(name: str) -> datetime | None:
    """A query argument as a UTC time: a date (its midnight) or an ISO 8601 time."""
    value = request.args.get(name)
    if not value:
        return None
    try:
        return utc_moment(value, name)
    except InputError as error:
        abort(400, description=str(error))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


SECONDS = {"type": ["number", "null"], "description": "seconds"}
SCHEMAS["Distribution"] = {
    "type": "object",
    "properties": {"count": {"type": "integer"}, "median": SECONDS, "p90": SECONDS},
}
SCHEMAS["ResponseTimes"] = {
    "type": "object",
    "properties": {
        "group": {"type": "string", "description": "the panel key, category, ward, urgency or YYYY-MM"},
        "cases": {"type": "integer"},
        "acknowledge": {"$ref": "#/components/schemas/Distribution"},
        "first_response": {"$ref": "#/components/schemas/Distribution"},
        "resolution": {"$ref": "#/components/schemas/Distribution"},
        "acknowledged_on_time": {
            "type": ["number", "null"],
            "description": "share acknowledged within SLA, of cases acknowledged or past their deadline",
        },
        "resolved_on_time": {"type": ["number", "null"]},
        "overdue": {"type": "integer"},
        "escalated": {"type": "integer"},
        "unreachable": {
            "type": "integer",
            "description": "cases whose reporter said STOP or whose number was erased: counted apart,"
            " never as answered",
        },
    },
}
MOMENT: dict[str, Any] = {"type": "string", "format": "date-time"}
describe(
    "/api/v1/metrics/response-times",
    "get",
    {
        "summary": "Time to acknowledge, to first response and to resolution (count, median, 90th "
        "percentile), SLA compliance, overdue and escalated cases, per group. Auditors and admins.",
        "description": "A window of whole months (or none) is read from monthly summaries refreshed "
        "every minute: counts exact, medians and 90th percentiles within 2%. Any other window is "
        "computed exactly from the cases, more slowly.",
        "parameters": [
            query("group_by", {"type": "string", "enum": list(GROUPS), "default": "panel"}),
            query("since", MOMENT, "reports received at or after (a date is its midnight, UTC)"),
            query("until", MOMENT, "reports received before"),
        ],
        "responses": {
            "200": json_answer(
                {
                    "type": "object",
                    "properties": {
                        "group_by": {"type": "string"},
                        "since": {"type": ["string", "null"]},
                        "until": {"type": ["string", "null"]},
                        "unit": {"const": "seconds"},
                        "groups": {"type": "array", "items": {"$ref": "#/components/schemas/ResponseTimes"}},
                    },
                }
            ),
            "400": ERROR,
        },
    },
)
describe(
    "/api/v1/audit/verify",
    "get",
    {
        "summary": "Walk the audit chain and check it against the kept anchors. Auditors and admins.",
        "responses": {
            "200": json_answer(
                {
                    "type": "object",
                    "properties": {
                        "intact": {"type": "boolean"},
                        "checked": {"type": "integer", "description": "events verified before any break"},
                        "broken_at": {"type": ["integer", "null"], "description": "first event that fails"},
                        "reason": {"type": "string"},
                        "head_hash": {"type": "string"},
                        "anchors": {"type": "integer"},
                    },
                }
            )
        },
    },
)
