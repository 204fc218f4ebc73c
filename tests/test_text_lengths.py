"""Texts whose length a value from outside sets still fit: an SMS that names a panel fits one
segment however long the name an admin gave it, and every USSD reply fits 182 characters,
its "CON " / "END " included, on every screen in every language."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from channels.ussd import USSD_SCREEN_LIMIT, Screen, confirm_values, cut_to_screen, screen_reply, walk
from storage import Panel
from storage.reporter_texts import LANGUAGES, catalogue, outcome_text, reporter_text, status_text, ussd_text
from storage.segments import as_gsm7, fits_one_segment, is_gsm7, shorten_to_fit, units
from tests.helpers import texts_sent

AUDITED_NAME = "Kamukunji Independent Policing Oversight and Community Accountability Panel \u2013 Eastleigh"
# As long as an admin may make it (200 characters), the en dash that made the SMS UCS-2 in it.
LONGEST_NAME = (AUDITED_NAME + " Ward, Kamukunji Sub-County, Nairobi City County" * 3)[:200]
SHORT_NAME = "Eastleigh Community Panel"
PANEL_TEXTS = [name for name, texts in catalogue()["sms"].items() if "{panel}" in texts["en"]]


def longest(values: list[str]) -> str:
    return max(values, key=units)


def panel_sms(name: str, language: str, panel: str) -> str:
    """The SMS with the panel named, every other placeholder at its longest."""
    outcome = longest([outcome_text(key, language) for key in catalogue()["outcomes"]])
    return reporter_text(name, language, ref="K7F-3QX", panel=panel, outcome=outcome)


def test_every_sms_that_names_a_panel_is_known():
    assert set(PANEL_TEXTS) == {"acknowledgement_critical", "still_open", "acknowledged", "resolved"}


@pytest.mark.parametrize("name", PANEL_TEXTS)
def test_a_kiswahili_sms_names_its_panel_after_na_or_kwa_so_the_verb_agrees_with_the_report(name):
    """A panel may be a "jopo", a "dawati" or a "kamati", each of its own noun class: a verb
    whose subject is the panel would agree with one of them only."""
    text = catalogue()["sms"][name]["sw"]

    assert "na {panel}" in text or "kwa {panel}" in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PANEL_TEXTS)
def test_an_sms_naming_a_200_character_panel_fits_one_gsm7_segment(name, language):
    assert len(LONGEST_NAME) == 200

    sms = panel_sms(name, language, LONGEST_NAME)

    assert fits_one_segment(sms), f"{name} ({language}) is {units(sms)} characters: {sms}"
    assert is_gsm7(sms), f"{name} ({language}) needs UCS-2: {sms}"
    assert "Kamukunji Independent" in sms
    assert "..." in sms


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PANEL_TEXTS)
def test_an_sms_naming_a_panel_with_a_short_name_names_it_whole(name, language):
    assert SHORT_NAME in panel_sms(name, language, SHORT_NAME)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PANEL_TEXTS)
def test_an_sms_naming_a_panel_in_a_script_outside_gsm7_still_fits_one_segment(name, language):
    sms = panel_sms(
        name, language, "Guddiga Nabadda \u0644\u062c\u0646\u0629 \u0627\u0644\u0633\u0644\u0627\u0645 " * 8
    )

    assert fits_one_segment(sms), sms
    assert is_gsm7(sms), sms


def test_a_panel_name_is_written_in_gsm7_where_it_can_be():
    assert (
        as_gsm7("Kamati ya \u201cAmani\u201d \u2013 Ng\u0169g\u0129\u2019s") == 'Kamati ya "Amani" - Ngugi\'s'
    )
    assert as_gsm7("Caf\u00e9 \u0644\u062c\u0646\u0629 Desk") == "Caf\u00e9 Desk"


def test_a_name_too_long_is_cut_after_a_whole_word_and_the_dash_between_words_dropped():
    def fits(text: str) -> bool:
        return len(text) <= 26

    assert shorten_to_fit("Community Panel Eastleigh", fits) == "Community Panel Eastleigh"
    assert shorten_to_fit("Community Panel - Eastleigh North", fits) == "Community Panel..."
    assert shorten_to_fit("Kamukunjiindependentpolicingoversight", fits) == "Kamukunjiindependentpol..."


def test_the_reporter_of_a_case_at_a_panel_with_the_longest_name_gets_one_sms_each_time(
    reported_case, runtime, make_user, api_token, client, run_jobs, twilio_api
):
    ref = reported_case()
    with runtime.store.transaction() as session:
        panel = session.scalars(select(Panel).where(Panel.key == "police-accountability")).one()
        panel.name = panel.name_sw = LONGEST_NAME
    lead = {"Authorization": f"Bearer {api_token(make_user('panel_lead'))}"}

    for action in ({"action": "acknowledge"}, {"action": "resolve", "outcome": "referred", "confirm": True}):
        assert client.post(f"/api/v1/cases/{ref}/actions", json=action, headers=lead).status_code == 200
        run_jobs()

    acknowledged, resolved = texts_sent(twilio_api)[-2:]
    assert "ripoti yako imesomwa na" in acknowledged
    assert "ripoti yako imefungwa na" in resolved
    assert all(fits_one_segment(sms) and is_gsm7(sms) for sms in (acknowledged, resolved))


def every_input_sequence(depth: int) -> list[str]:
    """The `text` of every session of up to `depth` inputs: each menu key, a key not on any
    menu, and a report that fills its preview."""
    entries = ["1", "2", "3", "0", "9", "W" * 300]
    return [
        "*".join(inputs) for count in range(depth + 1) for inputs in itertools.product(entries, repeat=count)
    ]


def longest_replies(screen: Screen) -> list[str]:
    """Every reply the route may give on this screen, each value at its longest."""
    language, ref = screen.language, "WWW-WWW"
    status = longest([status_text(key, language) for key in catalogue()["statuses"]])
    if screen.lookup is not None:
        answer = ussd_text("status_answer", language, ref=ref, status=status, text="W" * 500)
        return [
            screen_reply(screen, ref=ref, status=status),
            screen_reply(Screen("unknown_ref", language, end=True), ref="W" * 12),
            screen_reply(Screen("lookups_limited", language, end=True)),
            "END " + cut_to_screen(answer),
        ]
    if screen.name == "confirm":
        return [screen_reply(screen, **confirm_values(screen))]
    return [screen_reply(screen, ref=ref)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_ussd_reply_fits_182_characters_with_its_prefix(language):
    too_long = {}
    for text in every_input_sequence(depth=5):
        for reply in longest_replies(walk(text, language)):
            if len(reply) > USSD_SCREEN_LIMIT:
                too_long[text] = (len(reply), reply)

    assert not too_long, too_long


def test_the_somali_topic_menu_after_a_key_not_on_it_fits_182_characters_with_its_prefix(dial):
    dial(["3", "3"], session_id="ATUid_somali")

    reply = dial(["1", "9"], session_id="ATUid_topic").text

    assert reply.startswith("CON Raali ahow")
    assert reply.endswith("0. Dib")
    assert len(reply) <= USSD_SCREEN_LIMIT
