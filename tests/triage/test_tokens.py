from triage.lexicon import default_lexicon
from triage.tokens import normalise


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
