"""Somali: a Somali report is acknowledged in Somali and its questions answered in Somali, by
SMS and USSD, while its content still goes to the translation desk."""

from __future__ import annotations

from storage import Report
from tests.helpers import cases, count, only_report, reference_in

SOMALI_REPORT = "Booliska ayaa xiray wiilkayga shalay Eastleigh"


def test_a_somali_report_by_twilio_is_acknowledged_in_somali(send_sms):
    assert "warbixintaada waa la helay" in send_sms(SOMALI_REPORT).text


def test_a_somali_report_by_africastalking_is_acknowledged_in_somali(text_africastalking):
    assert "warbixintaada waa la helay" in text_africastalking(SOMALI_REPORT)


def test_a_somali_report_still_goes_to_the_translation_desk(send_sms, run_jobs, runtime):
    send_sms(SOMALI_REPORT)

    run_jobs()

    [case] = cases(runtime)
    assert case.panel.key == "translation-desk"
    assert only_report(runtime).needs_translation


def test_caawi_lists_the_commands_in_somali_and_opens_nothing(send_sms, runtime):
    answer = send_sms("caawi").text

    assert all(word in answer for word in ("XAALAD", "QIIMEE", "JOOJI"))
    assert count(runtime, Report) == 0


def test_xaalad_tells_the_status_in_somali(send_sms):
    ref = reference_in(send_sms(SOMALI_REPORT).text)

    assert f"Sauti {ref}: waa la helay" in send_sms(f"XAALAD {ref}").text


def test_a_somali_rating_before_the_answer_is_refused_in_somali(text_africastalking, runtime):
    ref = reference_in(text_africastalking(SOMALI_REPORT))

    assert "guddigu weli ma jawaabin" in text_africastalking(f"QIIMEE {ref} 5")
    assert count(runtime, Report) == 1


def test_the_ussd_language_screen_offers_af_soomaali(dial):
    assert "3. Af-Soomaali" in dial(["3"]).text


def test_a_somali_ussd_session_speaks_somali_throughout(dial, runtime):
    assert dial(["3", "3"]).text.startswith("CON Sauti - si ammaan ah")

    sent = dial(["3", "3", "1", "1", SOMALI_REPORT, "1"])

    assert sent.text.startswith("END Waa la helay. Tixraacaaga: ")
    assert count(runtime, Report) == 1


def test_a_somali_reporter_checks_a_report_by_ussd_in_somali(dial, send_sms):
    ref = reference_in(send_sms(SOMALI_REPORT).text)
    dial(["3", "3"], session_id="ATUid_choose")

    assert (
        dial(["2", ref], session_id="ATUid_check").text
        == f"END Warbixin {ref}: waa la helay, waxay sugaysaa in loo diro guddi."
    )
