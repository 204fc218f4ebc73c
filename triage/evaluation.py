"""Score the classifier on messages from situations its training never saw.

Two measures, reported side by side:
- the scenario split: the corpus divided by scenario (every rewording and translation of one
  situation on the same side), a model trained on one side and scored on the other;
- the hand-written evaluation set (``triage/data/evaluation``), which no training reads,
  scored with a model trained on the whole corpus.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import numpy as np

from triage.classification import Classification
from triage.classifier import classify, shipped_model
from triage.corpus import Example, load_corpus, load_evaluation_set
from triage.model import TriageModel
from triage.taxonomy import CATEGORIES, URGENCIES

_SEED = 20261126
HELD_OUT_SHARE = 0.25


def evaluate(
    examples: Sequence[Example] | None = None,
    extra: Iterable[tuple[str, str, str]] = (),
    held_out_share: float = HELD_OUT_SHARE,
    seed: int = _SEED,
    model: TriageModel | None = None,
) -> dict[str, object]:
    """The scenario split (a model trained on part of ``examples``) and the hand-written set
    (scored with ``model``, by default the shipped one)."""
    return {
        "scenario_split": evaluate_scenario_split(examples, extra, held_out_share, seed),
        "handwritten": evaluate_handwritten(model),
    }


def split_by_scenario(
    examples: Sequence[Example], held_out_share: float = HELD_OUT_SHARE, seed: int = _SEED
) -> tuple[list[Example], list[Example]]:
    """Split so that no rewording or translation of a held-out scenario is trained on."""
    scenarios = sorted({example.scenario for example in examples})
    random.Random(seed).shuffle(scenarios)
    held_out_scenarios = set(scenarios[: round(len(scenarios) * held_out_share)])
    train_part = [e for e in examples if e.scenario not in held_out_scenarios]
    held_out = [e for e in examples if e.scenario in held_out_scenarios]
    return train_part, held_out


def evaluate_scenario_split(
    examples: Sequence[Example] | None = None,
    extra: Iterable[tuple[str, str, str]] = (),
    held_out_share: float = HELD_OUT_SHARE,
    seed: int = _SEED,
) -> dict[str, object]:
    """Train on one side of the scenario split plus ``extra``; score the other side."""
    from triage.training import train

    examples = list(examples) if examples is not None else load_corpus()
    train_part, held_out = split_by_scenario(examples, held_out_share, seed)
    model = train(
        ((e.text, e.category, e.urgency) for e in train_part),
        extra=extra,
        groups=[e.scenario for e in train_part],
    )
    metrics = score(held_out, [classify(e.text, model) for e in held_out])
    return {"model_version": model.version, "trained_on": len(train_part), **metrics}


def evaluate_handwritten(
    model: TriageModel | None = None, examples: Sequence[Example] | None = None
) -> dict[str, object]:
    """Score ``model`` (default: the shipped one) on the hand-written evaluation set."""
    model = model or shipped_model()
    examples = list(examples) if examples is not None else load_evaluation_set()
    predictions = [classify(e.text, model) for e in examples]
    return {
        "model_version": model.version,
        **score(examples, predictions),
        "kinds": _by_kind(examples, predictions),
    }


def score(examples: Sequence[Example], predictions: Sequence[Classification]) -> dict[str, object]:
    """Metrics for ``predictions`` against the labels of ``examples``."""
    true_categories = [e.category for e in examples]
    categories = [p.category for p in predictions]
    per_language = {}
    for language in sorted({e.language for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.language == language]
        per_language[language] = {
            "count": len(rows),
            "category_macro_f1": macro_f1([true_categories[i] for i in rows], [categories[i] for i in rows]),
            **_critical_scores([examples[i] for i in rows], [predictions[i] for i in rows]),
        }
    return {
        "count": len(examples),
        "category_macro_f1": macro_f1(true_categories, categories),
        "category_f1": {label: _f1(true_categories, categories, label) for label in CATEGORIES},
        "category_by_language": per_language,
        "confusion_matrix": {"labels": list(CATEGORIES), "rows": confusion(true_categories, categories)},
        "urgency_macro_f1": macro_f1(
            [e.urgency for e in examples], [p.urgency for p in predictions], URGENCIES
        ),
        **_critical_scores(examples, predictions),
    }


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> float:
    """Mean F1 over ``labels`` (default: the labels present in ``truth``)."""
    chosen = sorted(set(truth)) if labels is None else list(labels)
    if not chosen:
        return 0.0
    return round(float(np.mean([_f1(truth, predicted, label) for label in chosen])), 4)


def confusion(truth: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    """Rows are true categories, columns predicted ones, both in taxonomy order."""
    index = {label: i for i, label in enumerate(CATEGORIES)}
    matrix = [[0] * len(CATEGORIES) for _ in CATEGORIES]
    for true, guess in zip(truth, predicted, strict=True):
        matrix[index[true]][index[guess]] += 1
    return matrix


def _f1(truth: Sequence[str], predicted: Sequence[str], label: str) -> float:
    hits = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == label)
    guessed = sum(1 for p in predicted if p == label)
    actual = sum(1 for t in truth if t == label)
    return round(2 * hits / (guessed + actual), 4) if guessed + actual else 0.0


def _critical_scores(examples: Sequence[Example], predictions: Sequence[Classification]) -> dict[str, object]:
    truth = [e.urgency == "critical" for e in examples]
    flagged = [p.urgency == "critical" for p in predictions]
    possible = [p.possible_emergency for p in predictions]
    caught = sum(1 for t, f in zip(truth, flagged, strict=True) if t and f)
    checked = sum(1 for t, f, m in zip(truth, flagged, possible, strict=True) if t and (f or m))
    return {
        "critical_count": sum(truth),
        "critical_recall": _share(caught, sum(truth)),
        "critical_precision": _share(caught, sum(flagged)),
        "critical_or_possible_recall": _share(checked, sum(truth)),
        "possible_emergency": sum(possible),
    }


def _by_kind(
    examples: Sequence[Example], predictions: Sequence[Classification]
) -> dict[str, dict[str, object]]:
    """Per kind of message: how many, and how many had their urgency's critical-ness right."""
    kinds: dict[str, dict[str, object]] = {}
    for kind in sorted({e.kind for e in examples if e.kind}):
        rows = [i for i, e in enumerate(examples) if e.kind == kind]
        right = sum(
            1 for i in rows if (predictions[i].urgency == "critical") == (examples[i].urgency == "critical")
        )
        kinds[kind] = {
            "count": len(rows),
            "labelled_critical": sum(1 for i in rows if examples[i].urgency == "critical"),
            "right": right,
        }
    return kinds


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
