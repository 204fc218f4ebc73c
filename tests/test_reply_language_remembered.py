"""A message whose words name no language is answered in the one its number last reported in,
or chose on USSD; a number never seen is answered in English."""

from __future__ import annotations

import pytest

from tests.fixtures.webhooks import TEST_NUMBER

NEVER_SEEN = "+254722000333"


@pytest.mark.parametrize("wordless", ["", "😡", "..."])
def test_an_empty_message_from_a_kiswahili_reporter_is_answered_in_kiswahili(
    wordless, reported_case, send_sms
):
    reported_case()

    reply = send_sms(wordless).text

    assert "Sauti: ujumbe wako haukuwa na maneno." in reply


def test_an_unknown_reference_from_a_kiswahili_reporter_is_answered_in_kiswahili(reported_case, send_sms):
    reported_case()

    reply = send_sms("K7F-3QX").text

    assert "Sauti: hakuna ripoti yako yenye namba K7F-3QX." in reply


def test_a_number_that_chose_somali_on_ussd_is_answered_in_somali(dial, send_sms):
    dial(["3", "3"], number=TEST_NUMBER)

    reply = send_sms("K7F-3QX").text

    assert "Sauti: warbixin taada ah oo leh tixraaca K7F-3QX ma jirto." in reply


def test_a_number_never_seen_is_answered_in_english(send_sms):
    reply = send_sms("", sender=NEVER_SEEN).text

    assert "Sauti: your message was empty." in reply


def test_a_report_whose_words_name_no_language_from_a_kiswahili_reporter_is_acknowledged_in_kiswahili(
    reported_case, send_sms
):
    reported_case()

    reply = send_sms("Mmoja anaitwa Otieno").text

    assert "Sauti: ripoti imepokelewa" in reply


def test_a_report_whose_words_name_no_language_from_a_number_that_chose_somali_is_acknowledged_in_somali(
    dial, send_sms
):
    dial(["3", "3"], number=TEST_NUMBER)

    reply = send_sms("Mmoja anaitwa Otieno").text

    assert "Sauti: warbixintaada waa la helay" in reply
