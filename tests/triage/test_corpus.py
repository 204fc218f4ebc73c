from collections import Counter

from triage import load_corpus
from triage.taxonomy import CATEGORIES, URGENCIES


def test_corpus_is_large_and_covers_every_label_and_language():
    corpus = load_corpus()
    assert len(corpus) >= 1500
    categories = Counter(example.category for example in corpus)
    assert set(categories) == set(CATEGORIES)
    assert min(categories.values()) >= 50
    assert set(example.urgency for example in corpus) == set(URGENCIES)
    assert {"en", "sw", "sheng"} <= {example.language for example in corpus}
