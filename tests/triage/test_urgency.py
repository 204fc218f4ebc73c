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


@pytest.mark.parametrize(
    "text",
    [
        "an officer raped a woman in the cells last month",
        "askari walimvunja mguu mchuuzi jana",
        "dada yangu mjamzito alipigwa mateke na askari, mimba yake ikaharibika",
        "askari alimwagia mpishi maji ya kuchemka kwa mkono",
        "the officer tried to strangle my cousin with a rope at the station last week",
    ],
)
def test_grave_harm_told_after_the_fact_is_high(text, model_leaning_to):
    result = classify(text, model_leaning_to("violence_abuse", "normal"))
    assert result.urgency == "high"


@pytest.mark.parametrize(
    "text",
    [
        "yule msichana aliyepotea sokoni amepatikana, yuko salama kwa bibi yake",
        "the boy who went missing at the stage has been found and is safe with his aunt",
    ],
)
def test_someone_found_safe_is_no_longer_a_grave_disappearance(text, model_leaning_to):
    assert classify(text, model_leaning_to("disappearance", "normal")).urgency == "normal"


def test_someone_found_dead_stays_a_grave_killing(model_leaning_to):
    result = classify("kijana aliyepotea amepatikana amekufa mtoni", model_leaning_to("killing", "normal"))
    assert result.urgency == "high"


def test_a_killing_the_model_barely_sees_and_no_word_names_is_not_raised_to_high(model_leaning_to):
    text = "there was a loud quarrel at the bar near the stage last month"
    assert classify(text, model_leaning_to("killing", "normal", sure=0.3)).urgency == "normal"


def test_someone_released_is_no_longer_in_detention(model_leaning_to):
    text = "the man arrested in the swoop on monday was let go and is safe at home"
    assert classify(text, model_leaning_to("arrest_detention", "high")).urgency == "normal"
