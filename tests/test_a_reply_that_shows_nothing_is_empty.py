"""A reply or note of characters that show nothing (a zero-width space, a direction mark) is
empty, as a blank one is: it would reach the resident as a blank SMS and count as an answer."""

from __future__ import annotations

import pytest

from storage import OutboundMessage
from tests.helpers import count


@pytest.mark.parametrize(
    "text", ["\u200b", "\u202e", "\u200b \u2060\u00a0"], ids=["zero-width", "rlo", "mixed"]
)
def test_a_reply_that_shows_nothing_is_refused_as_empty(
    reported_case, make_user, api_token, client, runtime, text
):
    ref = reported_case()
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}
    before = count(runtime, OutboundMessage)

    answer = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "reply", "text": text}, headers=headers
    )

    assert answer.status_code == 400
    assert "text is empty" in answer.json["detail"]
    assert count(runtime, OutboundMessage) == before
