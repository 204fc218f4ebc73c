"""A panel member sees the reporter's photo on the case page in Chromium, as a thumbnail the
page's own rules let load, and opens it upright."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_panel_in_browser import sign_in
from tests.fixtures.media import MediaFile
from tests.media_samples import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]


def test_a_member_sees_the_photo_thumbnail_and_opens_the_photo(
    browser, live_server, make_user, reported_media, screenshot
):
    ref = reported_media(MediaFile(jpeg_with_gps(size=(800, 400)), "image/jpeg"))
    sign_in(browser, live_server, make_user())

    browser.goto(f"{live_server}/panel/cases/{ref}")
    thumbnail = browser.get_by_role("img", name="Photo 1 from the reporter")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth") == 160
    screenshot(browser, "panel-case-photo")

    thumbnail.click()
    assert browser.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]") == [
        400,
        800,
    ]
