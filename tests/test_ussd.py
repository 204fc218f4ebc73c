"""A resident dials Sauti's USSD code (Africa's Talking) and walks the menu."""

from __future__ import annotations

import itertools
import logging

import pytest
from sqlalchemy import select

from channels.ussd import USSD_SCREEN_LIMIT, Screen, confirm_values, render, screen_reply, walk
from storage import Report
from storage.models import UssdInput
from tests.fixtures.webhooks import AT_SECRET
from tests.helpers import count, decrypted_text, only_report
from tests.test_anonymity import database_dump

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
    assert decrypted_text(runtime, report.ref) == REPORT_TEXT


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


@pytest.mark.parametrize("typed", ["{ref}.", "ref {ref}", "STATUS {ref}", "{lower}", "({ref})"])
def test_checking_a_report_reads_the_reference_however_it_is_wrapped(dial, runtime, typed):
    ref = only_report_ref(dial, runtime)

    response = dial(["2", typed.format(ref=ref, lower=ref.lower())], session_id="ATUid_check")

    assert response.text.startswith(f"END Report {ref}: received")


def test_checking_without_typing_a_reference_asks_for_it_again(dial):
    response = dial(["2", ""])

    assert response.text.startswith("CON Sorry, that is not on the menu.")
    assert "reference code" in response.text


def test_checking_an_unknown_reference_says_so(dial):
    response = dial(["2", "ZZZ999"])

    assert response.text.startswith("END No report of yours has the reference")


def test_a_choice_not_on_the_menu_is_explained(dial):
    assert dial(["7"]).text.startswith("CON Sorry, that is not on the menu.")


@pytest.mark.parametrize("typed", ["\u00b2", "\uff11", "9" * 50])
def test_a_topic_typed_in_other_digits_is_not_on_the_menu(dial, typed):
    assert dial(["1", typed]).text.startswith("CON Sorry, that is not on the menu.")


@pytest.mark.parametrize(
    "typed",
    [
        "Walinipiga watu *2* Eastleigh usiku",
        "Walinikamata mara *1* leo Eastleigh",
        "Polisi walinipiga*walichukua simu yangu",
        "Polisi 3*4 walikuja saa 2",
        "Walinipiga watu *0* Eastleigh usiku",
    ],
)
def test_a_star_typed_in_the_report_is_previewed_and_stored_whole(dial, runtime, typed):
    confirm = dial_as_typed(dial, ["1", "1", typed])
    assert confirm.text.startswith(f'CON Send this report?\n"{typed}"')

    sent = dial_as_typed(dial, ["1", "1", typed, "1"])

    assert sent.text.startswith("END Received. Your ref: ")
    assert decrypted_text(runtime, only_report(runtime).ref) == typed


@pytest.mark.parametrize("typed", ["Walinikamata mara *1", "Walinipiga watu *2", "Walinipiga *0"])
def test_a_report_ending_in_a_star_and_a_menu_key_still_asks_to_confirm(dial, runtime, typed):
    confirm = dial_as_typed(dial, ["1", "1", typed])

    assert confirm.text.startswith(f'CON Send this report?\n"{typed}"')
    assert count(runtime, Report) == 0


def test_the_confirm_screen_after_a_wrong_key_previews_the_report(dial):
    confirm = dial_as_typed(dial, ["1", "1", REPORT_TEXT, "3"])

    assert confirm.text.startswith(f'CON Sorry, that is not on the menu.\nSend this report?\n"{REPORT_TEXT}"')


def test_going_back_from_the_confirm_screen_and_typing_again_sends_the_new_text(dial, runtime):
    sent = dial_as_typed(dial, ["1", "1", "Polisi *walinipiga", "0", REPORT_TEXT, "1"])

    assert sent.text.startswith("END Received. Your ref: ")
    assert decrypted_text(runtime, only_report(runtime).ref) == REPORT_TEXT


def test_the_session_keeps_where_each_input_ended_and_no_text(dial, runtime):
    dial_as_typed(dial, ["1", "1", "Walinipiga watu *2* Eastleigh"], session_id="ATUid_kept")

    with runtime.store.transaction() as session:
        kept = session.execute(
            select(UssdInput.session_id, UssdInput.ends_at).order_by(UssdInput.ends_at)
        ).all()
    assert kept == [("ATUid_kept", 1), ("ATUid_kept", 3), ("ATUid_kept", 33)]


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


@pytest.mark.parametrize("language", ["en", "sw", "so"])
@pytest.mark.parametrize(
    "name", ["main", "topics", "message", "ask_ref", "language", "cancelled", "empty_message"]
)
@pytest.mark.parametrize("notice", [None, "invalid"])
def test_every_menu_fits_in_182_characters_with_its_prefix_without_being_cut(language, name, notice):
    assert len(screen_reply(Screen(name, language, notice=notice))) <= USSD_SCREEN_LIMIT


@pytest.mark.parametrize("language", ["en", "sw", "so"])
def test_every_screen_with_values_fits_in_182_characters_with_its_prefix(language):
    long_ref = "WWW-WWW"
    confirm = Screen("confirm", language, notice="invalid", preview="W" * 500)
    assert len(screen_reply(confirm, **confirm_values(confirm))) <= USSD_SCREEN_LIMIT
    assert len(screen_reply(Screen("sent", language, end=True), ref=long_ref)) <= USSD_SCREEN_LIMIT
    longest_status = "received, waiting to be sent to a panel"
    status = Screen("status", language, end=True)
    assert len(screen_reply(status, ref=long_ref, status=longest_status)) <= USSD_SCREEN_LIMIT
    unknown = Screen("unknown_ref", language, end=True)
    assert len(screen_reply(unknown, ref="W" * 12)) <= USSD_SCREEN_LIMIT


def test_every_path_through_the_menu_ends_on_a_known_screen():
    for inputs in itertools.product(["1", "2", "3", "0", "9", "text"], repeat=4):
        screen = walk("*".join(inputs), "en")
        assert render(screen, ref="K7F-3QX", status="open", preview="p").startswith(("CON ", "END "))


def test_a_report_with_a_star_leaves_no_text_in_the_database_or_the_logs(dial, runtime, run_jobs, caplog):
    caplog.set_level(logging.DEBUG)
    dial_as_typed(dial, ["1", "1", "Afisa Kiprono *2* alimpiga Zawadi", "1"])
    run_jobs()

    written = database_dump(runtime) + caplog.text
    assert not [word for word in ("Kiprono", "Zawadi", "alimpiga") if word in written]


def dial_as_typed(dial, inputs: list[str], session_id: str = "ATUid_typed"):
    """Dial as Africa's Talking does: one request per input, each carrying every input so far
    joined by `*`; the answer to the last."""
    for typed in range(len(inputs)):
        dial(inputs[:typed], session_id=session_id)
    return dial(inputs, session_id=session_id)


def only_report_ref(dial, runtime) -> str:
    dial(["1", "1", REPORT_TEXT, "1"], session_id="ATUid_make")
    return only_report(runtime).ref


@pytest.mark.parametrize("typed", ["*", "**#", " . "])
def test_a_report_of_symbols_alone_is_asked_for_again_and_stores_nothing(dial, runtime, typed):
    asked = dial_as_typed(dial, ["1", "1", typed], session_id="ATUid_symbols")
    dial(["1", "1", typed, "1"], session_id="ATUid_symbols")

    assert asked.text.startswith("CON Your message was empty. Type what happened.")
    assert count(runtime, Report) == 0


@pytest.mark.parametrize("number", ["junk", "+２５４７１２３４５６７８"])
def test_a_session_from_no_number_is_refused_and_writes_nothing(dial, runtime, number):
    response = dial(["1", "1"], session_id="ATUid_junk", number=number)

    assert response.status_code == 400
    assert count(runtime, UssdInput) == 0
