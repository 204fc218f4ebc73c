"""The auditor's dashboard in a real browser (Debian's Chromium through Playwright): signed in
as an auditor, the charts the app draws are on the page, with screenshots kept as artifacts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.fixtures.stand_ins import free_port

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app behind a real werkzeug server on a free port, in a thread."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make browser installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        yield page
        browser.close()


def sign_in(page, base: str, account) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.click("button[type=submit]")
    page.fill("#code", account.next_code())
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_the_dashboard_draws_its_charts_in_chromium(served, browser_page, make_user, casebook):
    page = browser_page
    sign_in(page, served, make_user("auditor", panels=()))

    page.goto(f"{served}/audit/?group_by=panel")

    charts = page.locator("svg.chart")
    assert charts.count() == 6
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box
        assert box["width"] > 300
        assert box["height"] > 100
    assert page.locator("svg.chart rect.bar").count() > 20
    assert page.locator("svg.chart polyline.line").count() >= 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-dashboard.png"), full_page=True)


def test_the_trust_index_page_charts_every_ward(served, browser_page, make_user, casebook):
    page = browser_page
    sign_in(page, served, make_user("auditor", panels=()))

    page.goto(f"{served}/audit/trust")

    composite = page.locator("svg.chart").first.inner_html()
    for ward in ("Airbase", "California", "Eastleigh North", "Eastleigh South", "Pumwani"):
        assert f">{ward}</text>" in composite
    assert page.locator("svg.chart").count() == 7
    assert page.locator("svg.chart").first.locator("circle").count() > 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-trust-index.png"), full_page=True)
