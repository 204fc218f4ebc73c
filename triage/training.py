"""Retrain the shipped model: the corpus plus panel corrections, scored, versioned, saved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from triage.corpus import load_corpus
from triage.evaluation import evaluate
from triage.model import MODEL_DIR, TriageModel, save_model, train


def train_on_corpus(extra: Iterable[tuple[str, str, str]] = ()) -> TriageModel:
    """A model fitted on the whole shipped corpus plus ``extra`` (text, category, urgency)."""
    corpus = load_corpus()
    return train(
        ((e.text, e.category, e.urgency) for e in corpus),
        extra=extra,
        groups=[e.scenario for e in corpus],
    )


def retrain(
    extra: Iterable[tuple[str, str, str]] = (), directory: Path = MODEL_DIR
) -> tuple[TriageModel, Path]:
    """Score on a held-out split, fit on everything, save as the current model."""
    corrections = list(extra)
    metrics = evaluate(extra=corrections)
    model = replace(train_on_corpus(corrections), metrics=metrics)
    return model, save_model(model, directory)
