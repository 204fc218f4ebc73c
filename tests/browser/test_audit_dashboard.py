"""The auditor's dashboard in a real browser (Debian's Chromium through Playwright): signed in
as an auditor, the charts the app draws are on the page, with screenshots kept as artifacts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]


@pytest.fixture
def browser_page(chromium: Browser) -> Iterator[Page]:
    """A laptop-sized page of the session's Chromium."""
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_dashboard_draws_its_charts_in_chromium(
    live_server, browser_page, make_user, casebook, screenshot
):
    page = browser_page
    sign_in(page, live_server, make_user("auditor", panels=()))

    page.goto(f"{live_server}/audit/?group_by=panel")

    charts = page.locator("svg.chart")
    assert charts.count() == 6
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box
        assert box["width"] > 300
        assert box["height"] > 100
    assert page.locator("svg.chart rect.bar").count() > 20
    assert page.locator("svg.chart polyline.line").count() >= 2
    screenshot(page, "audit-dashboard")


def test_the_trust_index_page_charts_every_ward(live_server, browser_page, make_user, casebook, screenshot):
    page = browser_page
    sign_in(page, live_server, make_user("auditor", panels=()))

    page.goto(f"{live_server}/audit/trust")

    composite = page.locator("svg.chart").first.inner_html()
    for ward in ("Airbase", "California", "Eastleigh North", "Eastleigh South", "Pumwani"):
        assert f">{ward}</text>" in composite
    assert page.locator("svg.chart").count() == 7
    assert page.locator("svg.chart").first.locator("circle").count() > 10
    screenshot(page, "audit-trust-index")
