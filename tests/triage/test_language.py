import pytest

from triage import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "The police arrested my brother at First Avenue yesterday",
        "they r beating ppl at gikomba",
        "HELP",
    ],
)
def test_english_messages_are_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Polisi wamemkamata kijana wangu sasa hivi",
        "Tafadhali tusaidieni, askari wanatusumbua kila siku",
        "msaada",
    ],
)
def test_kiswahili_messages_are_kiswahili(text):
    assert detect_language(text) == "sw"


def test_sheng_counts_as_kiswahili():
    assert detect_language("karao wamemnyaka msee wangu xaxa pale stage") == "sw"


def test_english_kiswahili_code_mixing_counts_as_kiswahili():
    assert detect_language("Police wamemshika my brother now") == "sw"


def test_somali_is_recognised():
    assert detect_language("Booliska ayaa wiilkayga xiray shalay, fadlan na caawiya") == "so"


def test_arabic_script_is_arabic():
    assert detect_language("الشرطة اعتقلت ابني الآن") == "ar"


def test_another_language_is_other():
    assert detect_language("la police a arrêté mon fils devant le marché") == "other"


def test_a_message_without_letters_is_other():
    assert detect_language("12345 !!") == "other"


@pytest.mark.parametrize(
    "text",
    [
        "police are beating boda riders at California stage right now",
        "my son was arrested at Shauri Moyo and taken to Kamukunji",
        "they took my brother near Gikomba market Majengo side",
    ],
)
def test_english_that_names_kiswahili_places_is_english(text):
    assert detect_language(text) == "en"


def test_english_that_borrows_a_sheng_word_for_police_is_english():
    assert detect_language("the karao are beating people at the stage") == "en"


@pytest.mark.parametrize(
    "text",
    ["sanse wamenyaka chali sai", "mapopo wanachapa wasee stage", "makarao wanakula doh ya mathe"],
)
def test_short_sheng_is_answered_in_kiswahili(text):
    assert detect_language(text) == "sw"


def test_a_message_that_is_only_a_place_is_english_by_default():
    assert detect_language("Majengo") == "en"
