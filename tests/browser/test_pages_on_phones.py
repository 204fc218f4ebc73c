"""The desk, the auditor's pages and the public page in Chromium on a laptop (1366x768) and a
phone (390x844): nothing runs off the side of the page, tables keep their headers or label
each cell, and the public page names things as people do. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.helpers import reference_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]

VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
RAW_KEYS = (
    "arrest_detention",
    "extortion_harassment",
    "violence_abuse",
    "police-accountability",
    "emergency-desk",
    "feedback-desk",
    "peace-committee",
)


@pytest.fixture(params=list(VIEWPORTS))
def screen(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[str, Page]]:
    width, height = VIEWPORTS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield request.param, page
    context.close()


def overflow(page: Page) -> int:
    """How far the page runs past the right edge of the window, in CSS pixels."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_queue_and_a_case_fit_the_screen(screen, live_server, make_user, send_sms, run_jobs, screenshot):
    name, page = screen
    ref = reference_in(send_sms("Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba").text)
    send_sms("Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia, nipigie 0722000111")
    run_jobs()
    sign_in(page, live_server, make_user("panel_lead", ("police-accountability", "emergency-desk")))

    page.goto(f"{live_server}/panel/")
    expect(page.get_by_role("link", name=ref)).to_be_visible()
    assert overflow(page) <= 0
    screenshot(page, f"queue-{name}")

    page.get_by_role("link", name=ref).click()
    expect(page.locator("#status")).to_be_visible()
    assert overflow(page) <= 0
    screenshot(page, f"case-{name}")


AUDITOR_PAGES = {
    "audit-by-panel": "/audit/?group_by=panel",
    "audit-by-month": "/audit/?group_by=month",
    "audit-trust": "/audit/trust",
    "audit-chain": "/audit/chain",
}


@pytest.mark.parametrize("shown", list(AUDITOR_PAGES))
def test_every_auditor_page_fits_the_screen_and_labels_its_figures(
    screen, live_server, make_user, casebook, screenshot, shown
):
    name, page = screen
    path = AUDITOR_PAGES[shown]
    sign_in(page, live_server, make_user("auditor", ()))

    page.goto(f"{live_server}{path}")

    assert overflow(page) <= 0
    if "chain" not in path:
        cell = page.locator("table.figures td").first
        header = page.locator("table.figures thead th").nth(1)
        if name == "phone":
            label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
            assert label.strip('"') == cell.get_attribute("data-label")
        else:
            expect(header).to_be_visible()
            first = page.locator("table.figures th[scope=row]").first
            assert first.evaluate("cell => getComputedStyle(cell).position") == "sticky"
        box = page.locator("svg.chart").first.bounding_box()
        assert box
        assert box["width"] <= VIEWPORTS[name][0]
    screenshot(page, f"{shown}-{name}")


def test_every_word_of_a_chart_is_drawn_inside_it(screen, live_server, make_user, casebook):
    _, page = screen
    sign_in(page, live_server, make_user("auditor", ()))

    page.goto(f"{live_server}/audit/?group_by=panel")
    outside = page.evaluate(
        """() => [...document.querySelectorAll("svg.chart")].flatMap(svg => {
            const frame = svg.getBoundingClientRect();
            return [...svg.querySelectorAll("text")].filter(text => {
                const box = text.getBoundingClientRect();
                return box.bottom > frame.bottom + 1 || box.left < frame.left - 1;
            }).map(text => text.textContent);
        })"""
    )

    assert outside == []


def test_a_ward_month_of_the_trust_index_is_a_short_card_on_a_phone(
    chromium, live_server, make_user, casebook
):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server, make_user("auditor", ()))

    page.goto(f"{live_server}/audit/trust")
    card = page.locator("#table-trust-index tbody tr").first
    visible = card.locator("td:visible")

    assert visible.nth(1).get_attribute("data-label") == "trust index (0-100)"
    assert visible.last.get_attribute("data-label") == "feedback share"
    assert "score: volume" not in card.inner_text()
    box = card.bounding_box()
    assert box
    assert box["height"] < 400
    context.close()


def test_the_public_page_fits_the_screen_and_shows_no_internal_key(screen, live_server, casebook, screenshot):
    name, page = screen

    page.goto(f"{live_server}/transparency")
    text = page.locator("main").inner_text()

    assert overflow(page) <= 0
    for key in RAW_KEYS:
        assert key not in text
    assert "How to report" in text
    assert "*384*1#" in text
    screenshot(page, f"public-{name}")


def test_the_public_page_switches_to_kiswahili(screen, live_server, casebook, screenshot):
    name, page = screen
    page.goto(f"{live_server}/transparency")

    page.get_by_role("link", name="Kiswahili").click()

    expect(page.get_by_role("heading", name="Jinsi ya kuripoti")).to_be_visible()
    assert overflow(page) <= 0
    screenshot(page, f"public-sw-{name}")
