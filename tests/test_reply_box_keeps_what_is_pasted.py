"""The reply box takes whatever is pasted into it, whole: it has no maxlength to cut a long
reply silently. A reply that does not fit one SMS is refused by the server, a 400 that says so
with the reply kept in its box and nothing sent; the page says the count includes the prefix
the SMS starts with."""

from __future__ import annotations

import re
from html import unescape

from tests.fixtures.staff import csrf_token_of
from tests.helpers import outbound

LONG_REPLY = (
    "Tumeongea na mkuu wa kituo cha polisi Kamukunji leo asubuhi na ameahidi kwamba kijana wenu"
    " ataachiliwa kabla ya jioni bila kulipa chochote; tupigieni tena kesho mkiona bado yuko ndani."
)


def reply_box(page: str) -> str:
    box = re.search(r'<textarea id="reply-text"[^>]*>', page)
    assert box, "the case page has no reply box"
    return box.group(0)


def test_the_reply_box_has_no_maxlength_to_cut_a_pasted_reply(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user())

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert "maxlength" not in reply_box(page)


def test_the_page_says_the_count_includes_the_prefix_the_sms_starts_with(
    reported_case, make_user, auth, client
):
    ref = reported_case()
    auth.sign_in(make_user())

    page = unescape(client.get(f"/panel/cases/{ref}").get_data(as_text=True))

    assert f"The SMS starts with “Sauti {ref}:”: its 15 characters are counted with your text." in page
    assert 'aria-describedby="reply-text-prefix"' in reply_box(page)


def test_a_reply_longer_than_one_sms_is_a_400_with_the_whole_reply_kept_and_nothing_sent(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    auth.sign_in(make_user())
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))
    sent = len(outbound(runtime))

    answer = client.post(f"/panel/cases/{ref}/reply", data={"text": LONG_REPLY, "csrf_token": token})

    assert answer.status_code == 400
    page = unescape(answer.get_data(as_text=True))
    assert "longer than 145 characters" in page
    assert f">{LONG_REPLY}</textarea>" in page
    assert len(outbound(runtime)) == sent
