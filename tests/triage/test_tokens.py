import pytest

from triage import classify
from triage.lexicon import default_lexicon
from triage.tokens import normalise, without_references


def test_sms_spellings_are_read_as_words():
    assert default_lexicon().tokens("wamemchukua XAXA 2day pls") == [
        "wamemchukua",
        "sasa",
        "today",
        "please",
    ]


def test_stretched_letters_and_accents_are_undone():
    assert normalise("HEEEELP Café") == "help cafe"


def test_apostrophes_do_not_split_words():
    assert default_lexicon().tokens("they didn't beat us") == ["they", "did", "not", "beat", "us"]


@pytest.mark.parametrize("reference", ["K7F-3QX", "k7f-3qx", "K7F3QX", "AB2-CDE"])
def test_a_report_reference_is_taken_out_of_the_text(reference):
    assert without_references(f"{reference} wamemchukua kaka").split() == ["wamemchukua", "kaka"]


@pytest.mark.parametrize("word", ["NON-STOP", "BUS-FEE", "POLICE", "0722123456", "12th"])
def test_words_that_only_look_like_references_stay(word):
    assert without_references(f"{word} now") == f"{word} now"


@pytest.mark.parametrize("reference", ["K7F-3QX", "HW7-M2P", "3QX9KF"])
def test_a_reference_inside_a_message_does_not_sway_its_classification(reference):
    text = "askari wanaitisha hongo kwa wachuuzi Gikomba kila asubuhi"
    assert classify(f"{reference} {text}") == classify(text)
    assert classify(f"{text} ref {reference}") == classify(f"{text} ref")


def test_the_sheng_dem_a_woman_is_not_spelled_as_english_them():
    assert default_lexicon().tokens("dem wangu amenyakwa na karao")[0] == "dem"


@pytest.mark.parametrize("word", ["alifia", "amefia", "kufia"])
def test_dying_in_custody_is_a_killing_cue(word):
    lexicon = default_lexicon()
    tokens = lexicon.tokens(f"ndugu yetu {word} seli")
    assert "killing" in {hit.label for hit in lexicon.find(tokens)}


def test_a_verb_typed_in_two_is_one_word_and_a_husband_stays_one():
    assert default_lexicon().tokens("mme wangu wame mchukua, tume zunguka") == [
        "mme",
        "wangu",
        "wamemchukua",
        "tumezunguka",
    ]
