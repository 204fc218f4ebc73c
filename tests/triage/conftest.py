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


@pytest.fixture(scope="session")
def closest_known_message():
    """How close (0-100) a text comes to any message of the corpus or the evaluation set."""
    known = [normalise(example.text) for example in [*load_corpus(), *load_evaluation_set()]]

    def closest(text: str) -> float:
        return float(process.extractOne(normalise(text), known, scorer=fuzz.ratio)[1])

    return closest
