"""Fixtures for triage tests: the shipped data files, a hand-set model, and the known messages."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from triage import load_corpus, load_evaluation_set, load_routing, load_sla_policy
from triage.model import LinearHead, Thresholds, TriageModel
from triage.taxonomy import CATEGORIES, URGENCIES
from triage.tokens import normalise


@pytest.fixture(scope="session")
def routing():
    return load_routing()


@pytest.fixture(scope="session")
def sla_policy():
    return load_sla_policy()


@pytest.fixture
def undecided_model() -> TriageModel:
    """A model with no opinion: every label equally likely, and a critical probability (0.5)
    below both thresholds, so that only the rules can make a message critical."""

    def head(labels: tuple[str, ...]) -> LinearHead:
        return LinearHead(
            labels, np.zeros((1, len(labels)), np.float32), np.zeros(len(labels), np.float32), 1.0
        )

    return TriageModel(
        "undecided",
        {"w:police": 0},
        np.ones(1, np.float32),
        head(CATEGORIES),
        head(URGENCIES),
        head(("critical", "other")),
        thresholds=Thresholds(critical=0.9, possible=0.8),
    )


@pytest.fixture
def model_leaning_to():
    """A model that, whatever the message, gives ``category`` the probability ``sure`` (the rest
    shared out) and leans to ``urgency``, never far enough to call a message critical itself."""

    def lean(label: str, chosen: float, labels: tuple[str, ...]) -> LinearHead:
        others = (1.0 - chosen) / (len(labels) - 1)
        intercept = np.log([chosen if name == label else others for name in labels]).astype(np.float32)
        return LinearHead(labels, np.zeros((1, len(labels)), np.float32), intercept, 1.0)

    def build(category: str, urgency: str, sure: float = 0.95) -> TriageModel:
        return TriageModel(
            f"leaning-{category}-{urgency}",
            {"w:police": 0},
            np.ones(1, np.float32),
            lean(category, sure, CATEGORIES),
            lean(urgency, 0.7, URGENCIES),
            lean("other", 0.9, ("critical", "other")),
            thresholds=Thresholds(critical=0.9, possible=0.8),
        )

    return build


@pytest.fixture(scope="session")
def closest_known_message():
    """How close (0-100) a text comes to any message of the corpus or the evaluation set."""
    known = [normalise(example.text) for example in [*load_corpus(), *load_evaluation_set()]]

    def closest(text: str) -> float:
        return float(process.extractOne(normalise(text), known, scorer=fuzz.ratio)[1])

    return closest
