import numpy as np
import pytest

from triage import classify, corpus_examples, evaluate, load_corpus, load_model, save_model, train


@pytest.fixture(scope="module")
def small_corpus():
    return corpus_examples()[::8]


@pytest.fixture(scope="module")
def small_model(small_corpus):
    return train(small_corpus)


def test_saved_model_loads_with_its_version_and_predictions(small_model, tmp_path):
    artifact = save_model(small_model, tmp_path)
    assert artifact.name == f"triage-{small_model.version}.joblib"
    assert (tmp_path / f"triage-{small_model.version}.json").exists()
    loaded = load_model(artifact)
    assert loaded.version == small_model.version
    text = "Polisi wamemkamata kijana wangu Eastleigh"
    assert classify(text, loaded) == classify(text, small_model)


def test_save_marks_the_new_model_current(small_model, tmp_path, monkeypatch):
    import triage.model as model_module

    monkeypatch.setattr(model_module, "CURRENT", tmp_path / "current.json")
    save_model(small_model, tmp_path)
    assert load_model().version == small_model.version


def test_training_is_deterministic(small_corpus, small_model):
    again = train(small_corpus)
    assert again.version == small_model.version
    assert np.array_equal(again.category.weights, small_model.category.weights)


def test_a_panel_correction_is_learned_by_the_next_training(small_corpus, small_model):
    correction = ("zebra crossing vumbi kubwa", "returnee_support", "normal")
    assert classify(correction[0], small_model).category != "returnee_support"
    after = train(small_corpus, extra=[correction] * 3)
    assert after.version != small_model.version
    assert classify(correction[0], after).category == "returnee_support"


def test_shipped_model_loads_offline():
    assert load_model().version.startswith("lr-")


def test_evaluate_reports_every_metric():
    metrics = evaluate(load_corpus()[::6])
    assert {
        "category_macro_f1",
        "category_by_language",
        "confusion_matrix",
        "urgency_macro_f1",
        "critical_recall",
        "critical_precision",
    } <= set(metrics)
    assert {"en", "sw", "sheng"} <= set(metrics["category_by_language"])
    labels = metrics["confusion_matrix"]["labels"]
    assert len(metrics["confusion_matrix"]["rows"]) == len(labels)
    assert 0.0 <= metrics["critical_recall"] <= 1.0
