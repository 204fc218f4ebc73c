"""/api/v1/cases/<ref>/attachments/<id>: a file the reporter sent, for readers of the case;
and the `attachments` (or, for auditors, only `attachment_count`) on a case."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, g
from flask.typing import ResponseReturnValue

from app.api import api, api_roles
from app.api.openapi import ERROR, REF, SCHEMAS, describe
from app.attachments import AttachmentNotFoundError, count, listing, opened, served
from app.signin import StaffMember
from storage.casework.actions import NotPermittedError
from storage.models import ATTACHMENT_STATES

READERS = ("panel_member", "panel_lead", "auditor")


@api.get("/cases/<ref>/attachments/<uuid:attachment_id>")
@api_roles(*READERS)
def read_attachment(ref: str, attachment_id: uuid.UUID) -> ResponseReturnValue:
    try:
        return served(opened(g.api_user, ref, attachment_id, "content"))
    except AttachmentNotFoundError:
        abort(404, description="no such attachment on a case you may see")
    except NotPermittedError as error:
        abort(403, description=str(error))


def attachments_json(member: StaffMember, ref: str) -> dict[str, Any]:
    """What a case's JSON says of its attachments: the list for its readers, a count for all."""
    listed = listing(member, ref)
    if listed is None:
        return {"attachment_count": count(member, ref)}
    entries = [
        {
            "id": str(entry.id),
            "content_type": entry.content_type,
            "size": entry.size,
            "state": entry.state,
            "reason": entry.reason,
            "metadata_removed": entry.metadata_removed,
        }
        for entry in listed
    ]
    return {"attachment_count": len(entries), "attachments": entries}


SCHEMAS["Attachment"] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "content_type": {
            "type": ["string", "null"],
            "example": "image/jpeg",
            "description": "null until stored",
        },
        "size": {"type": ["integer", "null"], "description": "bytes kept, after metadata was removed"},
        "state": {"type": "string", "enum": list(ATTACHMENT_STATES)},
        "reason": {"type": ["string", "null"], "example": "too_large", "description": "why it was not kept"},
        "metadata_removed": {
            "type": "boolean",
            "description": "false: the file may still carry where, when or on what phone it was made",
        },
    },
}
SCHEMAS["CaseDetail"]["allOf"].append(
    {
        "type": "object",
        "required": ["attachment_count"],
        "properties": {
            "attachment_count": {
                "type": "integer",
                "description": "files the reporter sent; all auditors see",
            },
            "attachments": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Attachment"},
                "description": "for panel members and leads, never for auditors",
            },
        },
    }
)
describe(
    "/api/v1/cases/{ref}/attachments/{attachment_id}",
    "get",
    {
        "summary": "A photo, voice note or video the reporter sent, metadata removed; reading it is audited",
        "parameters": [
            REF,
            {
                "name": "attachment_id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            },
        ],
        "responses": {
            # OpenAPI 3.1: a media type without a schema is binary content.
            "200": {"description": "the file, in the type it was stored as", "content": {"*/*": {}}},
            "403": ERROR,
            "404": ERROR,
        },
    },
)
