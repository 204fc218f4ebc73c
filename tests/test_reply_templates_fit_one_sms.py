"""A reply template is kept only if a panel could send it: its text, in either language, must fit
one SMS as a reply goes out ("Sauti K7F-3QX: " and the text, counted as the gateway counts it),
by the very rule the case's reply box keeps. The admin is told by how much it is over."""

from __future__ import annotations

from html import unescape

import pytest

from storage.models import ReplyTemplate
from tests.fixtures.staff import AuthActions
from tests.helpers import count

# 50 emoji are 100 UTF-16 units: with the prefix, far over the 70 of a UCS-2 SMS.
EMOJI = "\N{GRINNING FACE}" * 50
# Within 145 characters, but "ŋ" is outside GSM-7: one SMS holds 70.
PAST_UCS2 = "Tumepokea ripoti yako na tunaifuatilia kwa karibu pamoja na kituo cha polisi, asante ŋ"


@pytest.fixture
def admin(make_user, auth) -> AuthActions:
    auth.sign_in(make_user("admin", ()))
    return auth


def template(text_en: str = "Thank you.", text_sw: str = "Asante.") -> dict[str, str]:
    return {"panel": "feedback-desk", "title": "Thanks", "text_en": text_en, "text_sw": text_sw}


def saved_page(admin: AuthActions, form: dict[str, str]) -> str:
    answer = admin.post("/admin/templates", form)
    assert answer.status_code == 303
    return unescape(admin.client.get(answer.location).get_data(as_text=True))


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        (
            template(text_en=EMOJI),
            "the English text: the reply must fit one SMS: with its prefix it is 115 characters,"
            " the limit is 70",
        ),
        (
            template(text_sw=PAST_UCS2),
            "the Kiswahili text: the reply must fit one SMS: with its prefix it is 101 characters,"
            " the limit is 70",
        ),
    ],
    ids=["emoji-in-english", "past-ucs2-in-kiswahili"],
)
def test_a_template_no_sms_can_carry_is_refused_saying_by_how_much(admin, runtime, form, reason):
    page = saved_page(admin, form)

    assert reason in page
    assert count(runtime, ReplyTemplate) == 0


def test_a_template_no_sms_can_carry_is_refused_in_kiswahili(admin_in_kiswahili, runtime):
    page = saved_page(admin_in_kiswahili, template(text_en=EMOJI))

    assert "maandishi ya Kiingereza: jibu lazima litoshe SMS moja" in page
    assert count(runtime, ReplyTemplate) == 0
