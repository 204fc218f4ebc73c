"""A reply the page lets a person send but the server refuses (it would need two SMS) comes
back on the case page with the reason, in its box as it was typed; it goes nowhere else: not
into an address, a cookie or the log."""

from __future__ import annotations

import logging
from html import unescape

from storage import Message, OutboundMessage
from tests.fixtures.staff import csrf_token_of
from tests.helpers import rows

# 96 characters, one of them outside GSM-7 (and two UTF-16 units): with its prefix, 112 where
# one SMS holds 70.
PRAYING = "Tumepokea ripoti yako 🙏 tunaifuatilia na mkuu wa kituo cha polisi Pumwani leo hii. Asante sana!!"


def test_a_reply_too_long_for_one_sms_comes_back_in_its_box_with_the_reason(
    reported_case, make_user, auth, client, runtime, caplog
):
    ref = reported_case()
    auth.sign_in(make_user())
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))
    caplog.set_level(logging.DEBUG)

    answer = client.post(f"/panel/cases/{ref}/reply", data={"text": PRAYING, "csrf_token": token})

    page = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert "the reply must fit one SMS: with its prefix it is 112 characters, the limit is 70" in page
    assert f">{PRAYING}</textarea>" in page
    assert answer.location is None
    assert "Tumepokea" not in answer.headers.get("Set-Cookie", "")
    assert "Tumepokea" not in caplog.text
    assert rows(runtime, Message, OutboundMessage) == {"Message": 1, "OutboundMessage": 0}
