"""Every automatic SMS to a resident fits one segment (160 GSM-7 characters, or 70 when it
needs UCS-2), in every language, with the longest values its placeholders really take."""

from __future__ import annotations

import pytest

from storage.casework.actions import MAX_REPLY_CHARS
from storage.reporter_texts import LANGUAGES, catalogue, outcome_text, reporter_text, status_text
from storage.segments import fits_one_segment, segments, units
from triage.routing import load_routing

# Cut to fit by the code that sends it (the panel's answer inside a status), tested there.
CUT_TO_FIT = {"status_answer"}


def longest(values: list[str]) -> str:
    return max(values, key=units)


def placeholder_values(language: str) -> dict[str, object]:
    panels = load_routing().panels
    names = [panel.name_sw if language == "sw" else panel.name_en for panel in panels]
    return {
        "ref": "K7F-3QX",
        "panel": longest(names),
        "status": longest([status_text(status, language) for status in catalogue()["statuses"]]),
        "outcome": longest([outcome_text(outcome, language) for outcome in catalogue()["outcomes"]]),
        "text": "x" * MAX_REPLY_CHARS,
        "score": 5,
        "count": 10,
    }


SMS_TEXTS = [name for name in catalogue()["sms"] if name not in CUT_TO_FIT]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SMS_TEXTS)
def test_every_automatic_sms_fits_one_segment(name, language):
    sms = reporter_text(name, language, **placeholder_values(language))

    assert fits_one_segment(sms), f"{name} ({language}) is {units(sms)} characters: {sms}"


def test_a_text_in_gsm7_fits_160_and_one_beyond_needs_two():
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2


def test_one_character_outside_gsm7_makes_the_limit_70():
    assert segments("ŋ" + "a" * 69) == 1
    assert segments("ŋ" + "a" * 70) == 2


def test_characters_of_the_gsm7_extension_count_twice():
    assert segments("€" * 80) == 1
    assert segments("€" * 81) == 2
