"""Debian's Chromium driven by Playwright, against the app served by a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.fixtures.services import service_missing
from tests.fixtures.staff import StaffAccount

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        service_missing("Debian's chromium is not installed (make browser)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 412, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> object:
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page: Page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def sign_in(page: Page, base: str, account: StaffAccount) -> None:
    """Sign in through the form, as a person does: password, then the authenticator's code."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code").fill(account.next_code())
    page.get_by_role("button", name="Sign in").click()
