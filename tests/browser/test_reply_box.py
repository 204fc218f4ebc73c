"""The reply box on a phone, in Chromium: it counts the reply as the SMS the server will send,
keeps a reply that does not fit from being sent, and, with no script at all, gets a refused
reply back as it was typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.test_refused_reply_kept import PRAYING

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]

PHONE = {"width": 360, "height": 780}
# Typed as a phone types it: curly quotes and a dash, which the server sends as plain ones
# (GSM-7, 160 to an SMS), and a line break, which the server sends as one character.
CURLY = (
    "Tumeongea na OCS: “ataachiliwa leo” — mpigie wakili wenu.\n"
    "Tutarudi kwenu kesho asubuhi; msiogope, tuko nanyi."
)


@pytest.fixture
def phone(browser: Page) -> Page:
    browser.set_viewport_size(PHONE)
    return browser


@pytest.fixture
def phone_without_script(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=PHONE, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def open_case(page: Page, base: str, account, ref: str) -> None:
    sign_in(page, base, account)
    page.goto(f"{base}/panel/cases/{ref}")


def test_a_reply_that_does_not_fit_one_sms_cannot_be_sent(phone, live_server, reported_case, make_user):
    open_case(phone, live_server, make_user(), reported_case())
    send = phone.get_by_role("button", name="Send reply")

    phone.get_by_label("Reply to the reporter").fill(PRAYING)

    expect(phone.locator("#reply-text-count")).to_have_text("112/70 · too long for one SMS: shorten it")
    expect(send).to_be_disabled()
    phone.get_by_label("Reply to the reporter").fill(PRAYING.replace("🙏 ", ""))
    expect(send).to_be_enabled()


def test_curly_quotes_and_dashes_are_counted_as_the_plain_ones_they_are_sent_as(
    phone, live_server, reported_case, make_user, run_jobs, twilio_api
):
    open_case(phone, live_server, make_user(), reported_case())

    phone.get_by_label("Reply to the reporter").fill(CURLY)

    expect(phone.locator("#reply-text-count")).to_have_text("124/160 · fits one SMS")
    phone.get_by_role("button", name="Send reply").click()
    expect(phone.locator("#status")).to_have_text("responded")
    run_jobs()
    assert 'OCS: "ataachiliwa leo" - mpigie' in twilio_api.requests[-1]["form"]["Body"][0]


def test_without_script_a_refused_reply_comes_back_as_it_was_typed(
    phone_without_script, live_server, reported_case, make_user, screenshot
):
    page = phone_without_script
    open_case(page, live_server, make_user(), reported_case())

    page.get_by_label("Reply to the reporter").fill(PRAYING)
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_role("alert")).to_contain_text("the reply must fit one SMS")
    expect(page.get_by_label("Reply to the reporter")).to_have_value(PRAYING)
    screenshot(page, "reply-refused-phone")
