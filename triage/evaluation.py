"""Score the classifier on messages its training never saw."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from triage.classifier import classify
from triage.corpus import Example, load_corpus
from triage.model import TriageModel, train
from triage.taxonomy import CATEGORIES, URGENCIES

_SEED = 20261126


def split_by_group(
    examples: Sequence[Example], held_out_share: float = 0.25, seed: int = _SEED
) -> tuple[list[Example], list[Example]]:
    """Split so that variants of one scenario never sit on both sides."""
    groups = sorted({example.group for example in examples})
    random.Random(seed).shuffle(groups)
    held_out_groups = set(groups[: round(len(groups) * held_out_share)])
    train_part = [e for e in examples if e.group not in held_out_groups]
    held_out = [e for e in examples if e.group in held_out_groups]
    return train_part, held_out


def evaluate(
    examples: Sequence[Example] | None = None,
    extra: Iterable[tuple[str, str, str]] = (),
    held_out_share: float = 0.25,
    seed: int = _SEED,
    model: TriageModel | None = None,
) -> dict[str, object]:
    """Train on one split plus ``extra`` (unless ``model`` is given); score on the other split.

    Returns category macro-F1 overall and per language variety, the category confusion
    matrix, urgency macro-F1, and critical recall and precision.
    """
    examples = list(examples) if examples is not None else load_corpus()
    train_part, held_out = split_by_group(examples, held_out_share, seed)
    if model is None:
        model = train(
            ((e.text, e.category, e.urgency) for e in train_part),
            extra=extra,
            groups=[e.scenario for e in train_part],
        )
    predictions = [classify(example.text, model) for example in held_out]
    return score(
        held_out,
        [p.category for p in predictions],
        [p.urgency for p in predictions],
        trained_on=len(train_part),
        model_version=model.version,
    )


def score(
    examples: Sequence[Example],
    categories: Sequence[str],
    urgencies: Sequence[str],
    trained_on: int = 0,
    model_version: str = "",
) -> dict[str, object]:
    """Metrics for predicted ``categories`` and ``urgencies`` against ``examples``' labels."""
    from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score

    true_categories = [e.category for e in examples]
    true_urgencies = [e.urgency for e in examples]
    true_critical = [u == "critical" for u in true_urgencies]
    predicted_critical = [u == "critical" for u in urgencies]
    per_language = {}
    for language in sorted({e.language for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.language == language]
        per_language[language] = {
            "count": len(rows),
            "category_macro_f1": _macro_f1([true_categories[i] for i in rows], [categories[i] for i in rows]),
        }
    matrix = confusion_matrix(true_categories, categories, labels=list(CATEGORIES))
    return {
        "split_model_version": model_version,
        "trained_on": trained_on,
        "held_out": len(examples),
        "category_macro_f1": _macro_f1(true_categories, categories),
        "category_by_language": per_language,
        "confusion_matrix": {"labels": list(CATEGORIES), "rows": matrix.tolist()},
        "urgency_macro_f1": round(
            float(
                f1_score(
                    true_urgencies,
                    urgencies,
                    labels=list(URGENCIES),
                    average="macro",
                    zero_division=0,
                )
            ),
            4,
        ),
        "critical_recall": round(float(recall_score(true_critical, predicted_critical, zero_division=0)), 4),
        "critical_precision": round(
            float(precision_score(true_critical, predicted_critical, zero_division=0)), 4
        ),
    }


def _macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    labels = sorted(set(truth))
    return round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4)
