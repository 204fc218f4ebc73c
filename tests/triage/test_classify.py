import pytest

from triage import classify


def test_denied_beating_with_praise_is_feedback():
    result = classify("police did not beat us, they helped")
    assert (result.category, result.urgency) == ("feedback", "low")


def test_kiswahili_denied_beating_with_praise_is_feedback():
    assert classify("polisi hawakutupiga, walitusaidia sana").category == "feedback"


def test_praise_for_arresting_thieves_is_feedback():
    result = classify("Thank you Kamukunji police for arresting the thieves at Gikomba, good work")
    assert (result.category, result.urgency) == ("feedback", "low")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("police shot dead a young man in Majengo last week", "killing"),
        (
            "mwanangu hajarudi tangu alipochukuliwa na watu wasiojulikana mwezi uliopita",
            "disappearance",
        ),
        (
            "my son has been held at Pangani station for five days without charge",
            "arrest_detention",
        ),
        ("askari walimpiga kaka yangu vibaya jana, yuko hospitali", "violence_abuse"),
        ("cops at juja rd ask us for 200 bob every night", "extortion_harassment"),
        ("kuna mtu anawasajili vijana kujiunga na al shabaab", "recruitment_concern"),
        ("my cousin came back from Somalia and wants help to start again", "returnee_support"),
        (
            "leaflets telling Somalis to leave were thrown in Eastleigh, people are tense",
            "community_tension",
        ),
        ("hakuna maji kwa wiki mbili", "other"),
    ],
)
def test_each_category_is_recognised(text, category):
    assert classify(text).category == category


def test_somali_message_goes_to_translation_unclassified():
    result = classify("Booliska ayaa wiilkayga xiray shalay Eastleigh, fadlan na caawiya")
    assert result.needs_translation
    assert (result.language, result.category, result.urgency) == ("so", "other", "normal")


def test_unsure_model_flags_review_and_never_queues_low(undecided_model):
    result = classify("thanks", model=undecided_model)
    assert result.needs_human_review
    assert result.urgency != "low"


def test_confident_classification_is_not_flagged():
    result = classify("Polisi wanampiga kijana pale Gikomba sasa hivi")
    assert not result.needs_human_review
    assert 0.0 <= result.confidence <= 1.0


def test_classification_carries_ward_language_and_model_version(routing):
    result = classify("cops asking for bribes at Garissa Lodge every evening")
    data = result.as_dict()
    assert data["ward"] == "Eastleigh North"
    assert data["language"] == "en"
    assert data["model_version"].startswith("lr-")
    assert {"category", "urgency", "language", "ward", "confidence"} <= set(data)


@pytest.mark.parametrize(
    ("report", "contact"),
    [
        ("police took my brother yesterday", ". Call me on 0733111222"),
        ("police took my brother yesterday", ", my number is +254 733 111 222"),
        ("police took my brother yesterday", ". ID no. 12345678, email amina@example.com"),
        ("askari walimkamata kaka yangu jana", ", nipigie kwa 0722 111 222"),
        ("karao walinyaka bro wangu jana", " namba yangu ni 0711222333 kitambulisho 23456789"),
    ],
)
def test_how_to_reach_the_reporter_does_not_change_the_triage(report, contact):
    alone, with_contact = classify(report), classify(report + contact)
    assert (with_contact.category, with_contact.urgency) == (alone.category, alone.urgency)
    assert with_contact.confidence == pytest.approx(alone.confidence, abs=0.05)
