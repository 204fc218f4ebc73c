"""Words stay whole: a narrow header never squeezes a link to a column of letters, and the
admin's tables break lines between words, not inside them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("stack", ["sqlite"])]

# Words under `selector` whose letters the browser laid out on more than one line.
SPLIT_WORDS = """selector => {
  const split = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""


def _page(chromium: Browser, width: int, height: int) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    yield from _page(chromium, 360, 780)


@pytest.fixture
def laptop(chromium: Browser) -> Iterator[Page]:
    yield from _page(chromium, 1366, 768)


def test_the_queue_link_keeps_its_word_whole_on_a_narrow_phone(phone, live_server, make_user):
    sign_in(phone, live_server, make_user(email="a@b.ke"))
    queue = phone.get_by_role("navigation").get_by_role("link", name="Queue")

    assert phone.evaluate(SPLIT_WORDS, "header.top a, header.top .who") == []
    box = queue.bounding_box()
    assert box is not None
    assert box["width"] >= queue.evaluate("link => link.scrollWidth") - 1


def test_the_people_table_breaks_lines_between_words(laptop, live_server, make_user):
    make_user("panel_member", email="someone.with.a.long.address@sauti.local")
    sign_in(laptop, live_server, make_user("admin", (), email="admin@sauti.local"))
    laptop.goto(f"{live_server}/admin/users")

    assert laptop.evaluate(SPLIT_WORDS, "table.list td, table.list th") == []
