"""Urgency recall first: immediacy cues in every language make a report critical."""

import pytest

from triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "they are taking him now, please come",
        "police are beating my husband right now at Gikomba",
        "my brother is bleeding, police shot him at 1st avenue",
        "the officer said they will kill my son tonight",
    ],
)
def test_english_critical_cues_make_critical(text):
    assert classify(text).urgency == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "Polisi wanampiga kijana pale Majengo",
        "Wamemchukua kaka yangu, tusaidieni",
        "askari wamemkamata mwanangu sasa hivi Eastleigh",
        "wamesema watamuua mwanangu",
    ],
)
def test_kiswahili_critical_cues_make_critical(text):
    assert classify(text).urgency == "critical"


@pytest.mark.parametrize(
    "text",
    [
        "karao wanamchapa msee wangu xaxa",
        "makarao wamemnyaka chali yangu saa hii pale stage",
        "WAMEMPIGA RISASI MSEE AMEDEDI MAJENGO SAI",
    ],
)
def test_sheng_critical_cues_make_critical(text):
    assert classify(text).urgency == "critical"


def test_arrest_reported_long_after_is_not_critical():
    text = "I was arrested at Eastleigh last month for no ID and released the next morning"
    assert classify(text).urgency != "critical"


def test_sasa_as_a_greeting_is_not_now():
    text = "Sasa, karao walinyaka msee wangu wiki jana, aliachiliwa"
    assert classify(text).urgency != "critical"


def test_critical_somali_report_is_critical_though_untranslated():
    text = "Booliska hadda ayay wiilkayga garaacayaan, dhiig ayaa ka imaanaya"
    assert classify(text).urgency == "critical"


def test_a_thank_you_at_the_end_does_not_cancel_an_emergency():
    assert classify("karao wanachapa wasee pale Kiambiu, asante").urgency == "critical"


def test_critical_arabic_report_is_critical_though_untranslated():
    result = classify("ساعدونا الشرطة تضرب الناس الآن")
    assert (result.urgency, result.needs_translation) == ("critical", True)


def test_ongoing_detention_is_high_not_critical():
    text = "wamemshikilia mume wangu kituoni siku tano sasa bila kumpeleka kortini"
    assert classify(text).urgency == "high"
