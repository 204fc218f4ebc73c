"""A page of 50 cases on a phone (390x844): each row is short, ticking a case brings the bulk
controls to the bottom of the screen, and one checkbox selects every case on the page, by
keyboard, saying how many are selected. Without JavaScript the ticked cases are still acted on,
and the controls still come to the screen once a case is ticked."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.fixtures.staff import StaffAccount

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]

PHONE = {"width": 390, "height": 844}
PANELS = ("police-accountability", "emergency-desk", "peace-committee", "feedback-desk", "translation-desk")
TEXTS = (
    "Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba, wanasema bila pesa watatupeleka "
    "kituoni na kutufungia",
    "Police beat my brother yesterday near the market in Majengo, he is at home now but he cannot walk "
    "and we fear to go to hospital",
    "Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia, hatujui yuko kituo gani",
    "Makarao wamevamia base yetu Gikomba usiku na kuchukua simu zetu zote bila sababu yoyote",
)
CASES = 50


@pytest.fixture
def queue_of_fifty(send_sms: Callable[..., object], run_jobs: Callable[[], None]) -> None:
    for number in range(CASES):
        send_sms(f"{TEXTS[number % len(TEXTS)]} ({number})", sender=f"+2547221{number:05d}")
    run_jobs()


def _phone(chromium: Browser, *, scripts: bool = True) -> Iterator[Page]:
    context = chromium.new_context(viewport=PHONE, locale="en-GB", java_script_enabled=scripts)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    yield from _phone(chromium)


@pytest.fixture
def phone_without_scripts(chromium: Browser) -> Iterator[Page]:
    yield from _phone(chromium, scripts=False)


@pytest.fixture
def lead(make_user: Callable[..., StaffAccount]) -> StaffAccount:
    return make_user("panel_lead", PANELS)


def _on_screen(page: Page, name: str) -> bool:
    box = page.get_by_role("button", name=name).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_queue_row_on_a_phone_is_short(phone, live_server, lead, queue_of_fifty, screenshot):
    sign_in(phone, live_server, lead)

    phone.goto(f"{live_server}/panel/")
    heights = phone.locator(".case-row").evaluate_all("rows => rows.map(row => row.offsetHeight)")

    screenshot(phone, "queue-of-fifty-phone")
    assert len(heights) == CASES
    assert sorted(heights)[CASES // 2] <= 170


def test_ticking_a_case_brings_the_bulk_controls_to_the_bottom_of_the_screen(
    phone, live_server, lead, queue_of_fifty
):
    sign_in(phone, live_server, lead)
    phone.goto(f"{live_server}/panel/")

    phone.locator("input[name=refs]").nth(3).check()

    assert _on_screen(phone, "Apply to selected")
    expect(phone.locator("#bulk-count")).to_have_text("1 case selected")


def test_select_all_ticks_every_case_on_the_page_by_keyboard(phone, live_server, lead, queue_of_fifty):
    sign_in(phone, live_server, lead)
    phone.goto(f"{live_server}/panel/")
    select_all = phone.get_by_role("checkbox", name="Select all 50 cases on this page")

    select_all.focus()
    phone.keyboard.press("Space")

    assert phone.locator("input[name=refs]:checked").count() == CASES
    expect(phone.locator("#bulk-count")).to_have_text("50 cases selected")
    assert _on_screen(phone, "Apply to selected")
    phone.keyboard.press("Space")
    assert phone.locator("input[name=refs]:checked").count() == 0


def test_select_all_shows_mixed_when_some_cases_are_ticked(phone, live_server, lead, queue_of_fifty):
    sign_in(phone, live_server, lead)
    phone.goto(f"{live_server}/panel/")

    phone.locator("input[name=refs]").first.check()
    select_all = phone.get_by_role("checkbox", name="Select all 50 cases on this page")

    assert select_all.evaluate("box => box.indeterminate")


def test_without_javascript_the_ticked_cases_are_acted_on_from_the_bar(
    phone_without_scripts, live_server, lead, queue_of_fifty
):
    page = phone_without_scripts
    sign_in(page, live_server, lead)
    page.goto(f"{live_server}/panel/")

    page.locator("input[name=refs]").nth(0).check()
    page.locator("input[name=refs]").nth(1).check()
    on_screen = _on_screen(page, "Apply to selected")
    page.get_by_label("Action").select_option("acknowledge")
    page.get_by_role("button", name="Apply to selected").click()

    assert on_screen
    expect(page.get_by_text("2 cases acknowledged.")).to_be_visible()
