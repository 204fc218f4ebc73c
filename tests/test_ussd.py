"""A resident dials Sauti's USSD code (Africa's Talking) and walks the menu."""

from __future__ import annotations

import itertools

import pytest

from channels.ussd import USSD_SCREEN_LIMIT, Screen, confirm_values, render, walk
from storage import Report
from storage.reporter_texts import ussd_text
from tests.conftest import AT_SECRET
from tests.helpers import count, decrypted_first_text, only_report

REPORT_TEXT = "Polisi walimchukua jirani yangu jana Pumwani hajarudi"


def test_full_english_session_ends_with_a_reference(dial, runtime):
    assert dial([]).text.startswith("CON Sauti - report safely")
    assert "Topic:" in dial(["1"]).text
    assert "Type what happened" in dial(["1", "2"]).text
    confirm = dial(["1", "2", REPORT_TEXT])
    assert confirm.text.startswith("CON Send this report?")

    sent = dial(["1", "2", REPORT_TEXT, "1"])

    assert sent.text.startswith("END Received. Your ref: ")
    report = only_report(runtime)
    assert report.ref in sent.text
    assert report.channel == "ussd"
    assert report.topic_hint == "killing"
    assert decrypted_first_text(runtime, report.ref) == REPORT_TEXT


def test_full_kiswahili_session_speaks_kiswahili_throughout(dial, runtime):
    assert "Lugha" in dial(["3"]).text
    main = dial(["3", "2"])
    assert main.text.startswith("CON Sauti - ripoti kwa usalama")
    assert dial(["3", "2", "1"]).text.startswith("CON Mada:")
    assert "Andika kilichotokea" in dial(["3", "2", "1", "1"]).text
    assert "Tuma ripoti hii?" in dial(["3", "2", "1", "1", REPORT_TEXT]).text

    sent = dial(["3", "2", "1", "1", REPORT_TEXT, "1"])

    assert sent.text.startswith("END Imepokelewa. Namba yako: ")
    assert count(runtime, Report) == 1


def test_language_choice_is_remembered_for_the_next_session(dial):
    dial(["3", "2"], session_id="first")

    assert dial([], session_id="second").text.startswith("CON Sauti - ripoti kwa usalama")


def test_zero_goes_back_one_screen(dial):
    assert dial(["1", "0"]).text.startswith("CON Sauti - report safely")
    assert "Topic:" in dial(["1", "3", "0"]).text


def test_cancelling_stores_nothing(dial, runtime):
    response = dial(["1", "1", REPORT_TEXT, "2"])

    assert response.text.startswith("END Cancelled")
    assert count(runtime, Report) == 0


def test_a_retried_final_request_keeps_one_report_and_its_reference(dial, runtime):
    first = dial(["1", "1", REPORT_TEXT, "1"], session_id="ATUid_retry")
    retry = dial(["1", "1", REPORT_TEXT, "1"], session_id="ATUid_retry")

    assert first.text == retry.text
    assert count(runtime, Report) == 1


def test_checking_a_report_by_reference_tells_its_status_only(dial, runtime):
    ref = only_report_ref(dial, runtime)

    response = dial(["2", ref.replace("-", "").lower()], session_id="ATUid_check")

    assert response.text == f"END Report {ref}: received, waiting to be sent to a panel."
    assert "Pumwani" not in response.text


def test_checking_an_unknown_reference_says_so(dial):
    response = dial(["2", "ZZZ999"])

    assert response.text.startswith("END No report of yours has the reference")


def test_a_choice_not_on_the_menu_is_explained(dial):
    assert dial(["7"]).text.startswith("CON Sorry, that choice is not on the menu.")


def test_request_without_the_shared_secret_is_refused(client, runtime):
    form = {"sessionId": "s", "serviceCode": "*384#", "phoneNumber": "+254712345678", "text": "1*1*x*1"}

    assert client.post("/channels/ussd", data=form).status_code == 403
    assert client.post("/channels/ussd?secret=wrong", data=form).status_code == 403
    assert count(runtime, Report) == 0


def test_request_from_an_address_not_allowed_is_refused(make_app):
    client = make_app(AT_ALLOWED_IPS="196.201.214.200").test_client()
    form = {"sessionId": "s", "serviceCode": "*384#", "phoneNumber": "+254712345678", "text": ""}

    response = client.post(f"/channels/ussd?secret={AT_SECRET}", data=form)

    assert response.status_code == 403
    assert "AT_ALLOWED_IPS" in response.text


@pytest.mark.parametrize("language", ["en", "sw"])
def test_every_screen_fits_in_182_characters(language):
    long_ref = "WWW-WWW"
    for name in ("main", "topics", "message", "ask_ref", "language", "cancelled", "empty_message"):
        assert len(render(Screen(name, language))) - 4 <= USSD_SCREEN_LIMIT
        assert len(render(Screen(name, language, notice="invalid"))) - 4 <= USSD_SCREEN_LIMIT
    confirm = render(Screen("confirm", language), **confirm_values("W" * 500, language))
    assert len(confirm) - 4 <= USSD_SCREEN_LIMIT
    assert len(ussd_text("sent", language, ref=long_ref)) <= USSD_SCREEN_LIMIT
    longest_status = "received, waiting to be sent to a panel"
    assert len(ussd_text("status", language, ref=long_ref, status=longest_status)) <= USSD_SCREEN_LIMIT
    assert len(ussd_text("unknown_ref", language, ref="W" * 12)) <= USSD_SCREEN_LIMIT


def test_every_path_through_the_menu_ends_on_a_known_screen():
    for inputs in itertools.product(["1", "2", "3", "0", "9", "text"], repeat=4):
        screen = walk("*".join(inputs), "en")
        assert render(screen, ref="K7F-3QX", status="open", preview="p").startswith(("CON ", "END "))


def only_report_ref(dial, runtime) -> str:
    dial(["1", "1", REPORT_TEXT, "1"], session_id="ATUid_make")
    return only_report(runtime).ref
