"""Photos, voice notes and videos on the case page: each file, and an image's thumbnail,
served to readers of the case only, every time audited."""

from __future__ import annotations

import uuid

from flask import abort
from flask.typing import ResponseReturnValue

from app.attachments import AttachmentNotFoundError, opened, served
from app.auth import current_user, role_required
from app.panel import PANEL_ROLES, panel
from storage.casework.actions import NotPermittedError


@panel.get("/cases/<ref>/attachments/<uuid:attachment_id>")
@role_required(*PANEL_ROLES)
def attachment(ref: str, attachment_id: uuid.UUID) -> ResponseReturnValue:
    return _serve(ref, attachment_id, "content")


@panel.get("/cases/<ref>/attachments/<uuid:attachment_id>/thumbnail")
@role_required(*PANEL_ROLES)
def attachment_thumbnail(ref: str, attachment_id: uuid.UUID) -> ResponseReturnValue:
    return _serve(ref, attachment_id, "thumbnail")


def _serve(ref: str, attachment_id: uuid.UUID, part: str) -> ResponseReturnValue:
    try:
        return served(opened(current_user, ref, attachment_id, part))
    except AttachmentNotFoundError:
        abort(404)
    except NotPermittedError:
        abort(403)
