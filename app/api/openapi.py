"""The OpenAPI 3.1 document for /api/v1, built from plain dicts. A module adding routes to
the API adds their description here too, with `describe()` and `SCHEMAS`."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from app.api import api
from app.api.problems import PROBLEM
from app.casedesk import TAXONOMY
from app.casedesk.filters import API_DEFAULT_STATUS
from storage.casework.actions import OUTCOMES
from storage.casework.queue import ASSIGNEES, MAX_PAGE_SIZE, PAGE_SIZE, SORTS, STATUSES, UNKNOWN_WARD
from storage.casework.registry import ACTIONS, api_actions
from storage.typed_values import NO, YES
from triage.places import default_gazetteer
from triage.taxonomy import CATEGORIES, URGENCIES

PATHS: dict[str, dict[str, Any]] = {}
YES_NO = {
    "type": "string",
    "enum": [*YES, *NO],
    "description": "a flag: 1, true, yes or on; 0, false, no or off (in any case); absent or empty is no",
}
TIME = {"type": ["string", "null"], "format": "date-time"}
ERROR = {
    "description": "a problem (RFC 9457): what went wrong and what to do",
    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
RATE_LIMITED = {
    **ERROR,
    "description": "too many requests with this token this minute; Retry-After says when to try again",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "example": "about:blank"},
            "title": {"type": "string", "example": "Bad Request"},
            "status": {"type": "integer", "example": 400},
            "detail": {"type": "string", "example": "urgency must be one of critical, high, normal, low"},
        },
        "required": ["type", "title", "status", "detail"],
    },
    "Case": {
        "type": "object",
        "properties": {
            "ref": {"type": "string", "example": "K7F-3QX"},
            "status": {"type": "string", "enum": list(STATUSES)},
            "category": {"type": ["string", "null"], "enum": [*CATEGORIES, None]},
            "urgency": {"type": ["string", "null"], "enum": [*URGENCIES, None]},
            "language": {"type": ["string", "null"]},
            "ward": {"type": ["string", "null"]},
            "confidence": {"type": ["number", "null"]},
            "panel": {"type": "string", "description": "the panel's key"},
            "received_at": {"type": "string", "format": "date-time"},
            "acknowledged_at": TIME,
            "first_response_at": TIME,
            "resolved_at": TIME,
            "due_at": {**TIME, "description": "when the running SLA clock runs out; null once resolved"},
            "overdue": {"type": "boolean"},
            "escalation_level": {"type": "integer"},
            "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None]},
            "rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
            "assignee": {
                "type": ["string", "null"],
                "description": "email of the panel member the case is assigned to; null when no one",
            },
            "possible_emergency": {
                "type": ["boolean", "null"],
                "description": "triage's warning that a report below critical may still be an"
                " emergency; null for reports triaged before triage said",
            },
            "needs_translation": {
                "type": "boolean",
                "description": "written in a language triage does not classify (Somali, Arabic, ...):"
                " its category is for a person to set once it is read",
            },
            "needs_human_review": {
                "type": "boolean",
                "description": "triage was unsure of the category; false once a person reclassifies it",
            },
            "reporter_reachable": {
                "type": "boolean",
                "description": "whether a reply can reach the reporter (their number is still kept)",
            },
            "text_erased": {
                "type": "boolean",
                "description": "whether the report's text, notes and attachments were erased under the"
                " retention policy; its text then reads 'erased under the retention policy'",
            },
            "text": {
                "type": "string",
                "description": "the first message, redacted; for panel members and leads, never for"
                " auditors. Every case listed with its text is audited as viewed.",
            },
        },
        "required": [
            "ref",
            "status",
            "panel",
            "received_at",
            "overdue",
            "assignee",
            "reporter_reachable",
            "text_erased",
        ],
    },
    "CaseDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/Case"},
            {
                "type": "object",
                "description": "text and thread are given to panel members and leads, never to auditors",
                "required": ["duplicate_of", "duplicated_by"],
                "properties": {
                    "duplicate_of": {
                        "type": ["string", "null"],
                        "example": "K7F-3QX",
                        "description": "ref of the case that likely reports the same incident, found"
                        " when this one was opened; null when there is none or the caller may not open it",
                    },
                    "duplicated_by": {
                        "type": "array",
                        "items": {"type": "string"},
                        "example": ["P2M-8RT"],
                        "description": "refs of later cases that likely report the same incident, oldest"
                        " first, as far as the caller may open them",
                    },
                    "thread": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "author": {"type": "string", "enum": ["reporter", "panel"]},
                                "at": {"type": "string", "format": "date-time"},
                                "text": {"type": "string"},
                            },
                        },
                    },
                },
            },
        ]
    },
    "Action": {
        "description": "One panel action and its fields; who may do it is in its description.",
        "oneOf": [{"$ref": f"#/components/schemas/Action.{name}"} for name in api_actions()],
        "discriminator": {
            "propertyName": "action",
            "mapping": {name: f"#/components/schemas/Action.{name}" for name in api_actions()},
        },
    },
    **{f"Action.{name}": ACTIONS[name].request_schema(TAXONOMY) for name in api_actions()},
}


def describe(path: str, method: str, operation: dict[str, Any]) -> None:
    """Add one operation; bearer authentication and the error answers are added for you."""
    responses = {
        "400": ERROR,
        "401": ERROR,
        "403": ERROR,
        "429": RATE_LIMITED,
        "default": ERROR,
        **operation.pop("responses"),
    }
    PATHS.setdefault(path, {})[method] = {"security": [{"bearer": []}], **operation, "responses": responses}


def json_answer(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


REF = {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}
CASE = {"$ref": "#/components/schemas/Case"}

describe(
    "/api/v1/cases",
    "get",
    {
        "summary": "Cases the caller may see: panel roles their own panels', auditors all (no text)",
        "parameters": [
            query(
                "q",
                {"type": "string", "maxLength": 200},
                "words to find in the redacted text of the"
                " cases the caller may open (never in what was redacted); a reference is looked up."
                " Auditors may open no text, so words are refused for them with 403",
            ),
            query("ref", {"type": "string"}, "a case reference, typed loosely (lower case, no dash)"),
            query(
                "status",
                {
                    "type": "string",
                    "enum": ["received", *STATUSES, "all"],
                    "default": API_DEFAULT_STATUS,
                },
                "every case when absent, resolved ones included; unlike the web queue, which shows"
                " the cases not yet resolved until another status is chosen",
            ),
            query(
                "panel",
                {"type": "string"},
                "a panel's key, one of the panels whose cases the caller may see; any other is a 400",
            ),
            query("category", {"type": "string", "enum": list(CATEGORIES)}),
            query("urgency", {"type": "string", "enum": list(URGENCIES)}),
            query(
                "ward",
                {"type": "string", "enum": [*default_gazetteer().wards, UNKNOWN_WARD]},
                "a ward, in any case; unknown for cases with no ward; any other is a 400",
            ),
            query("assignee", {"type": "string", "enum": list(ASSIGNEES)}, "me, or none for unassigned"),
            query("overdue", YES_NO, "only cases whose SLA clock has run out"),
            query("possible_emergency", YES_NO, "only cases triage flagged as a possible emergency"),
            query("since", {"type": "string", "format": "date-time"}, "received at or after"),
            query(
                "sort",
                {"type": "string", "enum": list(SORTS), "default": "urgency"},
                "urgency (most urgent, then soonest deadline), due (soonest deadline) or received (newest)",
            ),
            query("page", {"type": "integer", "minimum": 1, "default": 1}),
            query(
                "per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}
            ),
        ],
        "responses": {
            "200": json_answer(
                {
                    "type": "object",
                    "required": ["cases", "total", "page", "per_page", "pages"],
                    "properties": {
                        "cases": {"type": "array", "items": CASE},
                        "total": {"type": "integer", "description": "cases on every page together"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "pages": {"type": "integer"},
                    },
                }
            ),
            "400": ERROR,
        },
    },
)
describe(
    "/api/v1/cases/{ref}",
    "get",
    {
        "summary": "One case; reading it is written to the audit log",
        "parameters": [REF],
        "responses": {"200": json_answer({"$ref": "#/components/schemas/CaseDetail"}), "404": ERROR},
    },
)
describe(
    "/api/v1/cases/{ref}/actions",
    "post",
    {
        "summary": "Act on a case; the reporter is told by SMS when it is acknowledged, answered, resolved",
        "parameters": [REF],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Action"}}},
        },
        "responses": {
            "200": json_answer(CASE, "the case after the action"),
            "400": {**ERROR, "description": "a field is missing or invalid, e.g. a reply over its limit"},
            "404": ERROR,
            "409": {
                **ERROR,
                "description": "a reply to a reporter who cannot be reached (said STOP, number erased):"
                " nothing was sent and the case is unchanged",
            },
        },
    },
)


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sauti API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": PATHS,
    }


@api.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return jsonify(document())
