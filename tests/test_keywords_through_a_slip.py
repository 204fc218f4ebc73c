"""A keyword sent alone with a slip of the finger is read as the keyword, and opens no report:
START and its Kiswahili and Somali words through one letter wrong, missing, extra or swapped
(`strat`, `STRAT`, `sttart`), HELP through two letters swapped (`hlep`); a mistyped STOP is
answered with the help, which says how to stop, and erases nothing. A reference typed in
pairs is a reference. A short report stays a report."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from storage import Report
from storage.reporter_texts import reporter_text
from tests.helpers import count, only_report, reference_in

REPORT = "Police beat my brother at Gikomba market"


@pytest.mark.parametrize(
    "start", ["strat", "statr", "sttart", "STRAT", "startt", "unstpo", "enedlea", "BILWO"]
)
def test_start_mistyped_after_stop_keeps_the_number_again_and_opens_nothing(send_sms, runtime, start):
    send_sms(REPORT)
    send_sms("STOP")

    send_sms(start)

    reporter = only_report(runtime).reporter
    assert reporter.contact is not None
    assert count(runtime, Report) == 1


def test_start_mistyped_is_confirmed_in_the_numbers_language(send_sms):
    send_sms(REPORT)
    send_sms("STOP")

    assert reporter_text("started", "en") in send_sms("STRAT").text


@pytest.mark.parametrize(
    ("stop", "language"), [("SOTP", "en"), ("stpo", "en"), ("STOPP", "en"), ("acah", "sw")]
)
def test_stop_mistyped_alone_gets_the_help_and_erases_nothing(send_sms, runtime, stop, language):
    send_sms(REPORT)

    answer = send_sms(stop).text

    assert escape(reporter_text("help", language)) in answer
    assert only_report(runtime).reporter.contact is not None
    assert count(runtime, Report) == 1


@pytest.mark.parametrize("help_word", ["hlep", "ehlp", "HELPP"])
def test_help_mistyped_alone_gets_the_help_and_opens_nothing(send_sms, runtime, help_word):
    answer = send_sms(help_word).text

    assert escape(reporter_text("help", "en")) in answer
    assert count(runtime, Report) == 0


def test_a_reference_typed_in_pairs_asks_its_status_and_opens_nothing(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)
    compact = ref.replace("-", "")

    answer = send_sms(f"{compact[:2]} {compact[2:4]} {compact[4:]}").text

    assert f"Sauti {ref}: received" in answer
    assert count(runtime, Report) == 1


@pytest.mark.parametrize("body", ["rape", "fire", "5 of us", "KBX 123A"])
def test_a_short_report_a_letter_or_code_from_a_command_is_still_a_report(send_sms, runtime, body):
    answer = send_sms(body).text

    assert reference_in(answer)
    assert count(runtime, Report) == 1
