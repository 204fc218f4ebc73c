"""A keyword is read whatever a phone, a font or copy-paste put in and around it: full-width
letters, zero-width characters, emoji, letters spaced one by one. STOP so typed erases the
number; it is never kept as a report."""

from __future__ import annotations

import pytest

from storage import Report
from tests.helpers import count, only_report, reference_in

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
STOPS = [
    "\U0001f6d1 STOP",
    "\U0001f6d1STOP",
    "\uff33\uff34\uff2f\uff30",
    "STOP\u200b",
    "\u200bSTOP",
    "\ufeffSTOP",
    "S T O P",
    "s t o p please",
    "\U0001d412\U0001d413\U0001d40e\U0001d40f",
    "\U0001f6d1 ACHA \U0001f6d1",
]


@pytest.mark.parametrize("body", STOPS)
def test_stop_however_dressed_erases_the_number_and_opens_nothing(send_sms, runtime, body):
    send_sms(REPORT)

    answer = send_sms(body).text

    assert "namba yako imefutwa" in answer or "your number has been erased" in answer
    assert count(runtime, Report) == 1
    assert only_report(runtime).reporter.contact is None


@pytest.mark.parametrize("body", ["\uff28\uff25\uff2c\uff30", "H E L P", "HELP\u200b", "\u2753 msaada"])
def test_help_however_dressed_lists_the_commands_and_opens_nothing(send_sms, runtime, body):
    answer = send_sms(body).text

    assert "text what happened to report it" in answer or "tuma kilichotokea kuripoti" in answer
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(
    "status",
    [
        "\uff33\uff34\uff21\uff34\uff35\uff33 {ref}",
        "\U0001d412\U0001d413\U0001d400\U0001d413\U0001d414\U0001d412 {ref}",
        "S T A T U S {ref}",
    ],
)
def test_status_however_dressed_tells_the_status(send_sms, runtime, status):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(status.format(ref=ref)).text

    assert f"Sauti {ref}: " in answer
    assert count(runtime, Report) == 1
