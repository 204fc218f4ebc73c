import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from triage import classify, corpus_examples, load_model, save_model, train
from triage.model import MODEL_DIR

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_corpus():
    return corpus_examples()[::8]


@pytest.fixture(scope="module")
def small_model(small_corpus):
    return train(small_corpus)


def test_saved_model_is_plain_arrays_and_json_and_predicts_the_same(small_model, tmp_path):
    arrays = save_model(small_model, tmp_path)
    assert arrays.name == f"triage-{small_model.version}.npz"
    summary = json.loads((tmp_path / f"triage-{small_model.version}.json").read_text())
    assert summary["thresholds"] == {
        "critical": small_model.thresholds.critical,
        "possible": small_model.thresholds.possible,
    }
    with np.load(arrays, allow_pickle=False) as stored:
        assert all(stored[name].dtype != object for name in stored.files)
    loaded = load_model(arrays)
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
    assert again.thresholds == small_model.thresholds


def test_thresholds_put_possible_emergencies_below_critical(small_model):
    assert 0.0 <= small_model.thresholds.possible <= small_model.thresholds.critical <= 1.0


def test_a_panel_correction_is_learned_by_the_next_training(small_corpus, small_model):
    correction = ("zebra crossing vumbi kubwa", "returnee_support", "normal")
    assert classify(correction[0], small_model).category != "returnee_support"
    after = train(small_corpus, extra=[correction] * 3)
    assert after.version != small_model.version
    assert classify(correction[0], after).category == "returnee_support"


def test_shipped_model_is_npz_and_json_with_no_pickle_anywhere():
    assert load_model().version.startswith("lr-")
    assert not list(MODEL_DIR.glob("*.joblib"))
    assert not list(MODEL_DIR.glob("*.pkl"))


def test_running_triage_never_imports_scikit_learn_or_scipy():
    script = (
        "import sys, triage; triage.classify('polisi wanampiga kijana sasa hivi Majengo'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'joblib')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
