"""A search of the queue finds what the excerpt shows: line breaks and runs of spaces are one
space, every word must appear but in any order, quotes mark a phrase, and square brackets a
resident typed are words like any other (only the redaction's own tags are not searched)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

PANELS = ("police-accountability", "emergency-desk", "peace-committee", "feedback-desk", "translation-desk")
BEATEN = "Police beat my brother yesterday near the market in Majengo, he is at home now"


@pytest.fixture
def search(make_user, api_token, client):
    """The refs the API lists for a search by a lead of every panel."""
    headers = {"Authorization": f"Bearer {api_token(make_user('panel_lead', PANELS))}"}

    def found(words: str) -> list[str]:
        answer = client.get(f"/api/v1/cases?status=all&q={quote(words)}", headers=headers)
        assert answer.status_code == 200, answer.json
        return [case["ref"] for case in answer.json["cases"]]

    return found


def test_a_line_break_in_the_report_reads_as_a_space(reported_case, search):
    ref = reported_case("The police officers\nbeat my neighbour at the market in Gikomba yesterday")

    assert search("officers beat") == [ref]


def test_several_spaces_in_the_report_read_as_one(reported_case, search):
    ref = reported_case("Police   harassment of   hawkers in Gikomba market every evening")

    assert search("harassment of hawkers") == [ref]


def test_brackets_the_resident_typed_are_searched_like_any_text(reported_case, search):
    ref = reported_case("Askari wanaitisha hongo [zaidi ya mara tatu] kwa wiki sokoni Gikomba")

    assert search("zaidi ya mara") == [ref]


def test_every_word_must_appear_in_any_order(reported_case, search):
    ref = reported_case(BEATEN)

    assert search("brother majengo") == [ref]
    assert search("majengo brother") == [ref]
    assert search("brother eastleigh") == []


def test_quotes_mark_a_phrase_found_as_written(reported_case, search):
    ref = reported_case(BEATEN)

    assert search('"police beat"') == [ref]
    assert search('"brother majengo"') == []
    assert search('"police beat" majengo') == [ref]


def test_the_web_queue_searches_words_and_phrases_the_same_way(reported_case, make_user, auth, client):
    ref = reported_case(BEATEN)
    auth.sign_in(make_user("panel_lead", PANELS))

    by_words = client.get("/panel/?status=all&q=majengo+brother").get_data(as_text=True)
    by_phrase = client.get("/panel/?status=all&q=%22brother+majengo%22").get_data(as_text=True)

    assert ref in by_words
    assert ref not in by_phrase
