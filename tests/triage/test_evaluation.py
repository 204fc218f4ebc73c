"""Evaluation scores what training never saw: whole scenarios, and a hand-written set."""

from dataclasses import replace

import pytest
from rapidfuzz import fuzz, process

from triage import Classification, load_corpus, load_evaluation_set
from triage.corpus import CORPUS_DIR, EVALUATION_DIR, Example
from triage.evaluation import evaluate_handwritten, evaluate_scenario_split, score, split_by_scenario
from triage.tokens import normalise


def example(category, urgency="normal", language="en", group="s/1"):
    return Example("text", category, urgency, language, group)


def prediction(category, urgency="normal", possible=False):
    return Classification(category, urgency, "en", None, 0.9, "test", False, False, possible)


def test_no_rewording_or_translation_of_a_held_out_scenario_is_trained_on():
    corpus = load_corpus()
    train_part, held_out = split_by_scenario(corpus)
    assert {e.scenario for e in train_part}.isdisjoint({e.scenario for e in held_out})
    assert len(train_part) + len(held_out) == len(corpus)


def test_translations_of_one_hand_written_message_share_a_scenario():
    scenarios = {e.scenario for e in load_corpus() if e.group.startswith("w-b05/")}
    assert scenarios == {"w-b05"}


def test_the_evaluation_set_lives_apart_and_no_message_of_it_is_close_to_the_corpus():
    assert EVALUATION_DIR.parent == CORPUS_DIR.parent
    assert EVALUATION_DIR != CORPUS_DIR
    corpus = [normalise(e.text) for e in load_corpus()]
    evaluation = load_evaluation_set()
    assert len(evaluation) >= 240
    assert all(process.extractOne(normalise(e.text), corpus, scorer=fuzz.ratio)[1] < 80 for e in evaluation)
    assert {"en", "sw", "sheng", "so"} <= {e.language for e in evaluation}


def test_score_counts_critical_recall_precision_and_possible_emergencies():
    examples = [example("killing", "critical"), example("killing", "critical"), example("other")]
    predictions = [
        prediction("killing", "critical"),
        prediction("killing", "high", possible=True),
        prediction("other", "critical"),
    ]
    scores = score(examples, predictions)
    assert (scores["critical_recall"], scores["critical_precision"]) == (0.5, 0.5)
    assert scores["critical_or_possible_recall"] == 1.0
    assert scores["confusion_matrix"]["rows"][0][0] == 2


def test_score_reports_each_language_apart():
    examples = [example("killing", language="sw"), replace(example("other"), language="sheng")]
    scores = score(examples, [prediction("killing"), prediction("feedback")])
    assert scores["category_by_language"]["sw"]["category_macro_f1"] == 1.0
    assert scores["category_by_language"]["sheng"]["category_macro_f1"] == 0.0


@pytest.fixture(scope="module")
def small_split():
    return evaluate_scenario_split(load_corpus()[::5])


def test_the_scenario_split_reports_every_headline_figure(small_split):
    assert {
        "category_macro_f1",
        "category_by_language",
        "confusion_matrix",
        "critical_recall",
        "critical_precision",
        "trained_on",
    } <= set(small_split)
    assert {"en", "sw", "sheng"} <= set(small_split["category_by_language"])


def test_the_hand_written_set_is_scored_by_kind(undecided_model):
    scores = evaluate_handwritten(undecided_model)
    assert scores["count"] == len(load_evaluation_set())
    assert {"abduct", "armed", "hurt", "shots", "short", "rumour", "negation", "history"} <= set(
        scores["kinds"]
    )
