"""The input policy itself: text with NUL or another control character, half a surrogate pair,
or more characters than its field holds is refused, line breaks and tabs only in free text, any
script welcome; a number is ASCII digits within its bound.

Bad input is a 400 that names the field everywhere the app reads input, and nothing is stored:
test_input_policy_staff.py (sign-in, staff forms, panel pages and case references),
test_input_policy_api.py (the API's filters, case references and actions),
test_input_policy_webhooks.py (the gateways' signed webhooks) and test_input_policy_requests.py
(a request that cannot be read at all)."""

from __future__ import annotations

import re

import pytest

from storage.inputs import InputError, checked_text
from storage.typed_values import whole_number


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a\x00b", "NUL"),
        ("a\x1bb", "U+001B"),
        ("a\x85b", "U+0085"),
        ("a\ud800b", "surrogate"),
        ("line\nbreak", "U+000A"),
        ("x" * 65, "longer than 64"),
    ],
)
def test_the_policy_refuses_control_characters_broken_text_and_long_values(value, reason):
    with pytest.raises(InputError, match=re.escape(reason)):
        checked_text(value, "field", 64)


def test_free_text_may_hold_line_breaks_and_tabs_but_no_nul():
    assert checked_text("two\r\nlines\tand a tab", "Body", 64, multiline=True)
    with pytest.raises(InputError, match="Body contains a NUL"):
        checked_text("two\nlines\x00", "Body", 64, multiline=True)


def test_any_script_is_accepted():
    assert checked_text("Askari · 警察 · شرطة · Боли 👮", "Body", 64)


@pytest.mark.parametrize(
    "typed", ["\u00b2", "\uff15", "\u0663", "-1", " 1", "1 ", "1\n", "0", "201", "9" * 5000, ""]
)
def test_a_number_is_ascii_digits_within_its_bound(typed):
    with pytest.raises(InputError, match="page must be a whole number from 1 to 200"):
        whole_number(typed, "page", 200)


def test_a_number_may_have_leading_zeros():
    assert whole_number("0" * 5000 + "7", "page", 200) == 7
