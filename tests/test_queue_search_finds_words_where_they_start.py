"""A word searched for is found where a word starts, never inside another word: `ID` (the card)
does not find "saidieni". Behind the plural prefixes ma- and wa- a word of three letters or more
is found too, as Kiswahili and Sheng write nouns: `karao` finds "makarao"."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.helpers import reference_in

PANELS = ("police-accountability", "emergency-desk", "peace-committee", "feedback-desk", "translation-desk")
HELP = "Saidieni! Askari wanatusumbua kila usiku Majengo, tafadhali saidieni"
NO_CARD = "Polisi walinikamata Eastleigh kwa sababu sikuwa na ID yangu"
MAKARAO = "Makarao wamevamia base yetu Gikomba usiku na kuchukua simu zetu"
YOUTH = "Kijana wangu alipigwa na askari sokoni Gikomba wiki iliyopita"


@pytest.fixture
def reported_case(send_sms, run_jobs):
    """Text a report in from a number of its own, triage it, and return its reference."""
    senders = iter(range(100))

    def report(body: str) -> str:
        ref = reference_in(send_sms(body, sender=f"+2547224{next(senders):05d}").get_data(as_text=True))
        run_jobs()
        return ref

    return report


@pytest.fixture
def search(make_user, api_token, client):
    """The refs the API lists for a search by a lead of every panel."""
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead', PANELS))}"}

    def found(words: str) -> list[str]:
        answer = client.get(f"/api/v1/cases?status=all&q={quote(words)}", headers=headers)
        assert answer.status_code == 200, answer.json
        return [case["ref"] for case in answer.json["cases"]]

    return found


def test_a_short_word_is_not_found_inside_another_word(reported_case, search):
    reported_case(HELP)
    card = reported_case(NO_CARD)

    assert search("ID") == [card]


def test_a_word_is_found_at_the_start_of_a_longer_one(reported_case, search):
    ref = reported_case(NO_CARD)

    assert search("kamat") == []
    assert search("walini") == [ref]


def test_a_word_is_found_behind_the_plural_prefix_ma(reported_case, search):
    ref = reported_case(MAKARAO)

    assert search("karao") == [ref]


def test_a_class_prefix_other_than_ma_or_wa_keeps_the_word_apart(reported_case, search):
    reported_case(YOUTH)

    assert search("jana") == []


def test_a_phrase_is_found_where_its_first_word_starts(reported_case, search):
    ref = reported_case(HELP)

    assert search('"kila usiku"') == [ref]
    assert search('"la usiku"') == []


def test_a_reference_is_still_found_when_typed_any_way(reported_case, search):
    ref = reported_case(HELP)

    assert search(ref.replace("-", "").lower()) == [ref]


def test_the_web_queue_finds_words_where_they_start(reported_case, make_user, auth, client):
    helped = reported_case(HELP)
    card = reported_case(NO_CARD)
    auth.sign_in(make_user("panel_lead", PANELS))

    page = client.get("/panel/?status=all&q=ID").get_data(as_text=True)

    assert card in page
    assert helped not in page
