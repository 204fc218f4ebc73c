from collections import Counter

from triage import load_corpus
from triage.taxonomy import CATEGORIES, URGENCIES


def test_corpus_is_large_and_covers_every_label_and_language():
    corpus = load_corpus()
    assert len(corpus) >= 3000
    categories = Counter(example.category for example in corpus)
    assert set(categories) == set(CATEGORIES)
    assert min(categories.values()) >= 50
    assert set(example.urgency for example in corpus) == set(URGENCIES)
    assert {"en", "sw", "sheng"} <= {example.language for example in corpus}


def test_the_written_messages_read_like_residents_write():
    written = [e for e in load_corpus() if e.group.startswith("w-")]
    assert len(written) >= 600
    languages = Counter(e.language for e in written)
    assert languages["sw"] >= len(written) / 3
    assert languages["sheng"] >= len(written) / 4
    lengths = [len(e.text.split()) for e in written]
    assert min(lengths) <= 2
    assert max(lengths) >= 50
    assert sum(e.text.isupper() for e in written) >= 20
    assert len({e.text for e in written}) == len(written)


def test_each_written_scenario_keeps_one_label():
    labels: dict[str, set[tuple[str, str]]] = {}
    for e in load_corpus():
        if e.group.startswith(("w-", "hand-")):
            labels.setdefault(e.scenario, set()).add((e.category, e.urgency))
    assert all(len(found) == 1 for found in labels.values())
