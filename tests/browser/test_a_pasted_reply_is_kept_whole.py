"""A reply pasted into the box on a phone stays whole: nothing past the SMS's length is dropped
without a word; the count says it is too long and Send is off. An empty box's count is
explained: the prefix the SMS starts with."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.test_reply_box_keeps_what_is_pasted import LONG_REPLY

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Page) -> Page:
    browser.set_viewport_size(PHONE)
    return browser


def test_a_pasted_reply_longer_than_one_sms_is_kept_whole_and_cannot_be_sent(
    phone, live_server, reported_case, make_user, screenshot
):
    ref = reported_case()
    sign_in(phone, live_server, make_user())
    phone.goto(f"{live_server}/panel/cases/{ref}")
    box = phone.get_by_label("Reply to the reporter")

    box.focus()
    phone.keyboard.insert_text(LONG_REPLY)

    expect(box).to_have_value(LONG_REPLY)
    expect(phone.locator("#reply-text-count")).to_have_text(
        f"{len(LONG_REPLY) + 15}/160 · too long for one SMS: shorten it"
    )
    expect(phone.get_by_role("button", name="Send reply")).to_be_disabled()
    screenshot(phone, "reply-pasted-too-long-phone")


def test_the_count_of_an_empty_reply_says_what_it_counts(phone, live_server, reported_case, make_user):
    ref = reported_case()
    sign_in(phone, live_server, make_user())
    phone.goto(f"{live_server}/panel/cases/{ref}")

    expect(phone.locator("#reply-text-count")).to_have_text("15/160 · fits one SMS")
    expect(phone.get_by_label("Reply to the reporter")).to_have_accessible_description(
        f"The SMS starts with “Sauti {ref}:”: its 15 characters are counted with your text."
    )
