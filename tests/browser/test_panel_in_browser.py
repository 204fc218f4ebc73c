"""A panel lead works a texted-in report from sign-in to the reporter's rating, in Chromium."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from storage.accounts import create_user
from tests.browser.conftest import sign_in
from tests.fixtures.webhooks import TEST_NUMBER
from tests.helpers import reference_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]


def test_a_lead_signs_in_and_answers_a_texted_report_until_it_is_rated(
    browser, live_server, make_user, send_sms, run_jobs, twilio_api, screenshot
):
    lead = make_user("panel_lead", ("police-accountability",))
    sign_in(browser, live_server, lead)
    expect(browser.get_by_role("heading", name="Queue")).to_be_visible()

    ref = reference_in(send_sms("Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba").text)
    run_jobs()
    browser.reload()
    expect(browser.get_by_role("link", name=ref)).to_be_visible()
    screenshot(browser, "panel-queue")

    browser.get_by_role("link", name=ref).click()
    browser.get_by_role("button", name="Acknowledge").click()
    expect(browser.locator("#status")).to_have_text("acknowledged")

    browser.get_by_label("Reply to the reporter").fill("Tumepokea ripoti yako na tunaifuatilia na OCS.")
    expect(browser.locator("#reply-text-count")).to_have_text("61/160 · fits one SMS")
    browser.get_by_role("button", name="Send reply").click()
    expect(browser.locator("#status")).to_have_text("responded")
    run_jobs()
    reply = twilio_api.requests[-1]["form"]
    assert reply["To"] == [TEST_NUMBER]
    assert "tunaifuatilia na OCS" in reply["Body"][0]

    browser.get_by_label("Outcome").select_option("referred")
    browser.get_by_role("button", name="Resolve").click()
    expect(browser.locator("#status")).to_have_text("resolved")
    run_jobs()
    assert f"KADIRIA {ref}" in twilio_api.requests[-1]["form"]["Body"][0]

    send_sms(f"RATE {ref} 4")
    browser.reload()
    expect(browser.locator("#rating")).to_have_text("4 / 5")
    assert TEST_NUMBER[4:] not in browser.content()
    screenshot(browser, "panel-case")


def test_a_new_member_enrols_an_authenticator_from_the_apps_own_qr_code(
    browser, live_server, runtime, screenshot
):
    with runtime.store.transaction() as session:
        create_user(session, "first@sauti.test", "panel_member", "a-long-enough-password")
    browser.goto(f"{live_server}/sign-in")
    browser.get_by_label("Email").fill("first@sauti.test")
    browser.get_by_label("Password").fill("a-long-enough-password")
    browser.get_by_role("button", name="Continue").click()

    expect(browser.locator("figure.qr svg")).to_be_visible()
    screenshot(browser, "enrol-authenticator")
    secret = browser.locator("code.secret").inner_text()
    browser.get_by_label("Six-digit code").fill(pyotp.TOTP(secret).now())
    browser.get_by_role("button", name="Confirm and sign in").click()

    expect(browser.get_by_role("heading", name="Queue")).to_be_visible()


def test_the_first_tab_reaches_the_skip_link(browser, live_server):
    browser.goto(f"{live_server}/no-such-page")
    browser.bring_to_front()

    browser.keyboard.press("Tab")

    assert browser.evaluate("document.activeElement.textContent") == "Skip to content"
