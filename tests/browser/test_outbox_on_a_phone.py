"""The admin's outbox on a phone (390x844): each message is one short card holding its text,
with no empty field, and the labels are set as words, not as references."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import sign_in
from tests.fixtures.staff import StaffAccount

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]

EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"
MESSAGES = 50


@pytest.fixture
def app_config(app_config: dict[str, str]) -> dict[str, str]:
    """No gateway: messages to reporters are kept in the outbox for the admin to read."""
    return app_config | {"TWILIO_ACCOUNT_SID": "", "AT_USERNAME": "", "AT_API_KEY": ""}


@pytest.fixture
def outbox_of_fifty(send_sms: Callable[..., object], run_jobs: Callable[[], None]) -> None:
    for number in range(MESSAGES):
        send_sms(f"{EMERGENCY} ({number})", sender=f"+2547223{number:05d}")
    run_jobs()


@pytest.fixture
def phone(chromium: Browser, live_server: str, make_user: Callable[..., StaffAccount]) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, make_user("admin", ()))
    yield page
    context.close()


def test_each_message_is_one_short_card_holding_its_text(phone, live_server, outbox_of_fifty, screenshot):
    phone.goto(f"{live_server}/admin/outbox")
    cards = phone.locator("#outbox tbody")
    first = cards.first.bounding_box()
    text = cards.first.get_by_text("as an emergency").bounding_box()

    screenshot(phone, "outbox-of-fifty-phone")
    assert cards.count() == MESSAGES
    assert first
    assert text
    assert first["y"] <= text["y"]
    assert text["y"] + text["height"] <= first["y"] + first["height"]
    assert max(cards.evaluate_all("cards => cards.map(card => card.offsetHeight)")) <= 250


def test_a_card_shows_no_empty_field(phone, live_server, outbox_of_fifty):
    phone.goto(f"{live_server}/admin/outbox")
    labels = (
        phone.locator("#outbox tbody")
        .first.locator("td:visible")
        .evaluate_all("cells => cells.map(cell => getComputedStyle(cell, '::before').content)")
    )

    assert '"Retry: "' not in labels
    assert '"Sent: "' not in labels
    assert '"Case: "' in labels


def test_the_case_label_is_set_as_a_word(phone, live_server, outbox_of_fifty):
    phone.goto(f"{live_server}/admin/outbox")
    case = phone.locator('#outbox tbody td[data-label="Case"]').first

    label_font = case.evaluate("cell => getComputedStyle(cell, '::before').fontFamily")

    assert "monospace" not in label_font
